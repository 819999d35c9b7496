"""Page budgets: what a first visit downloads, and how production serves the static files.

A first load is the HTML plus every stylesheet, script and icon it links, each compressed the
way WhiteNoise compresses them (gzip level 6 here; WhiteNoise's own gzip is at least that, and
brotli, when installed, smaller still). Their sum must stay under 100 KB for each page a person
opens first. The numbers are in docs/page-budgets.md.
"""

from __future__ import annotations

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client

from advisor import services
from advisor.models import Role
from tests.factories import DecisionFactory, ProjectFactory, completed_decision, member
from tests.test_settings import PRODUCTION_ENV, run_python

BUDGET_BYTES = 100 * 1024


class LinkedAssets(HTMLParser):
    """The static files a page makes the browser fetch: stylesheets, scripts and icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        rel = set((attributes.get("rel") or "").split())
        if tag == "link" and rel & {"stylesheet", "icon"} and attributes.get("href"):
            self.urls.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])


def gzipped_size(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=6))


def static_file(url: str) -> bytes:
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    assert url.startswith(static_url), f"{url} is not a static file of ours"
    path = finders.find(url.removeprefix(static_url))
    assert path, f"{url} is linked but no static finder has it"
    return Path(path).read_bytes()


def first_load(client: Client, path: str) -> dict[str, int]:
    """Compressed bytes of the page and of each file it links, by URL."""
    response = client.get(path)
    assert response.status_code == 200, path
    parser = LinkedAssets()
    parser.feed(response.content.decode())
    assert parser.urls, "the page links no static files: did the parser miss them?"
    return {
        path: gzipped_size(response.content),
        **{url: gzipped_size(static_file(url)) for url in parser.urls},
    }


def first_pages(team) -> dict[str, tuple[User | None, str]]:
    """Each page a person may open first: who opens it (None for a visitor), and its path."""
    editor = member(team, Role.EDITOR)
    project = ProjectFactory(team=team, created_by=editor)
    in_progress = DecisionFactory(project=project, created_by=editor)
    services.answer_save(decision=in_progress, step=1, value="knowledge")
    done = completed_decision(project=project, created_by=editor)
    link = services.share_create(decision=done, user=editor, expires_in_days=30)
    return {
        "login": (None, "/accounts/login/"),
        "project": (editor, project.get_absolute_url()),
        "wizard": (editor, f"/decisions/{in_progress.pk}/step/1/"),
        "result": (editor, done.get_absolute_url()),
        "share": (None, f"/s/{link.token}/"),
    }


# Not "page": that is Playwright's fixture, and its browser parameter would reorder the suite.
@pytest.mark.parametrize("name", ["login", "project", "wizard", "result", "share"])
def test_first_load_is_under_100_kb_compressed(team, name):
    person, path = first_pages(team)[name]
    client = Client()
    if person:
        client.force_login(person)

    sizes = first_load(client, path)

    total = sum(sizes.values())
    breakdown = "\n".join(f"  {size / 1024:7.1f} KB  {url}" for url, size in sizes.items())
    assert total < BUDGET_BYTES, (
        f"{name} page: {total / 1024:.1f} KB gzipped, over the 100 KB budget:\n{breakdown}"
    )


PRODUCTION_STATIC = """
import json, pathlib, django
django.setup()
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
root = pathlib.Path(settings.STATIC_ROOT)
hashed = json.loads((root / "staticfiles.json").read_text())["paths"]["css/advisor.css"]
client = Client()
page = client.get("/accounts/login/", secure=True).content.decode()
gzipped = client.get("/static/" + hashed, secure=True, headers={"Accept-Encoding": "gzip"})
plain = client.get("/static/" + hashed, secure=True)
unhashed = client.get("/static/css/advisor.css", secure=True)
print(json.dumps({
    "static_root": str(root),
    "storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "hashed": hashed,
    "linked": "/static/" + hashed in page,
    "gz_exists": (root / (hashed + ".gz")).exists(),
    "gzipped": {"status": gzipped.status_code, "headers": dict(gzipped.headers)},
    "gzipped_body": len(b"".join(gzipped.streaming_content)),
    "plain": {"status": plain.status_code, "headers": dict(plain.headers)},
    "unhashed_cache": unhashed.headers.get("Cache-Control"),
}))
"""


def test_production_serves_fingerprinted_compressed_files_cached_for_ever(tmp_path):
    # collectstatic and WhiteNoise as production runs them: DEBUG off, the manifest storage,
    # a STATIC_ROOT of the test's own so no other run or checkout is touched.
    env = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path / "static")}
    result = run_python(PRODUCTION_STATIC, env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)

    assert seen["static_root"] == str(tmp_path / "static")
    assert seen["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # A content hash in the name, and pages link that name.
    assert re.fullmatch(r"css/advisor\.[0-9a-f]{12}\.css", seen["hashed"])
    assert seen["linked"]
    assert seen["gz_exists"]
    gzipped = seen["gzipped"]["headers"]
    assert seen["gzipped"]["status"] == 200
    assert gzipped["Content-Encoding"] == "gzip"
    assert gzipped["Cache-Control"] == "max-age=315360000, public, immutable"
    assert "Accept-Encoding" in gzipped["Vary"]
    plain = seen["plain"]["headers"]
    assert seen["plain"]["status"] == 200
    assert "Content-Encoding" not in plain
    assert seen["gzipped_body"] < int(plain["Content-Length"])
    # The unhashed name may change content under the same URL: it is cached briefly only.
    assert "immutable" not in seen["unhashed_cache"]
