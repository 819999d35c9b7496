"""Property-based fuzzing: generated bad values at every form field, query parameter, API key and
import key, on whichever database the suite runs (CI runs it on SQLite and on PostgreSQL).

The walk comes from tests/test_access.py: its CASES name every URL of the app with a valid
request for it. For each write the owner may make, the fields are those of that valid request
and of the forms that post to it on the owner's pages; each example changes one field (a bad
value in its place, the value sent twice, or the field left out) and sends it as raw bytes, with
and without htmx. Then:
- no answer is a 5xx;
- a refusal (4xx) leaves every table as it was;
- after each URL's examples (accepted ones are kept), every page of the project still opens.

Hypothesis runs with a fixed seed (`derandomize`) and a bounded number of examples per target
(EXAMPLES and friends), so a run is the same every time and takes well under two minutes.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.selectors.documents import decision_export
from tests.conftest import HX
from tests.factories import RAG_ANSWERS
from tests.fuzzing import SWEEP, bad_json, bad_text, every_value, form_body, json_text, raw
from tests.test_access import (
    CASES,
    PARAMETER,
    PROBES,
    World,
    build_world,
    client_for,
    site_routes,
    snapshot,
)

EXAMPLES = 6  # per write of a form, after the sweep
QUERY_EXAMPLES = 4  # per page, in its query string
JSON_EXAMPLES = 60  # for the API, and again for the import

FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Whatever the owner may do to every row at once, or to their own standing, would end the walk
# for the URLs after it; those run last, each in its own savepoint like every other.
LAST = ("team_delete", "project_delete", "member_remove", "member_role")


@pytest.fixture
def world(db) -> World:
    return build_world()


@contextmanager
def rolled_back():
    """Everything inside is undone at the end, refused or accepted."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class Forms(HTMLParser):
    """The field names of each form on a page, by the path it posts to (method, path)."""

    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.fields: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._form: tuple[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "form":
            method = (found.get("method") or "get").lower()
            action = urlsplit(found.get("action") or self.page_path).path or self.page_path
            self._form = (method, action)
        elif tag in {"input", "select", "textarea", "button"} and self._form:
            name = found.get("name")
            if name and name != "csrfmiddlewaretoken":
                self.fields[self._form].add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


# The pages that show what the forms write, opened after each form's examples.
TEXT_PAGES = (
    "project_detail",
    "decision_detail",
    "team_detail",
    "team_dashboard",
    "search",
    "decision_export_md",
    "project_export_csv",
)


def owner_pages(world: World, names=None) -> list[str]:
    """Every page the owner opens with a 200 (each GET probe of each URL), or those of
    `names`."""
    world.me = "owner"
    return [
        reverse(f"advisor:{name}", kwargs=probe.kwargs(world))
        for name, probes in CASES.items()
        if names is None or name in names
        for probe in probes
        if probe.method == "get" and probe.expect.owner == 200 and not probe.as_json
    ]


def discovered_fields(client: Client, pages: list[str]) -> dict[tuple[str, str], set[str]]:
    fields: dict[tuple[str, str], set[str]] = defaultdict(set)
    for url in pages:
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            parser = Forms(url)
            parser.feed(response.content.decode())
            for form, names in parser.fields.items():
                fields[form] |= names
    return fields


def assert_pages_open(client: Client, pages: list[str], after: str) -> None:
    for url in pages:
        try:
            resolve(url)
        except Resolver404:
            continue
        status = client.get(url).status_code
        assert status < 500, f"GET {url} answered {status} after fuzzing {after}"


def form_targets(world: World):
    """(name, probe, url) of each form write the owner may make, the sweeping ones last."""
    world.me = "owner"
    found = [
        (name, probe)
        for name, probe in PROBES
        if probe.method == "post"
        and not probe.as_json
        and probe.expect.owner in (200, 302)
        and name != "decision_import"  # a file upload: test_the_import_survives_any_document
    ]
    found.sort(key=lambda item: item[0] in LAST)
    return [(n, p, reverse(f"advisor:{n}", kwargs=p.kwargs(world))) for n, p in found]


def test_every_form_field_survives_bad_values(world):
    client = client_for(world, "owner")
    fields_by_form = discovered_fields(client, owner_pages(world))
    pages = owner_pages(world, TEXT_PAGES)
    for name, probe, url in form_targets(world):
        data = probe.data(world) if probe.data else {}
        valid = {key: [str(value)] for key, value in data.items()}
        fields = sorted(set(valid) | fields_by_form[("post", url)] | {"unexpected"})
        with rolled_back():
            fuzz_form(client, url, valid, fields)
            assert_pages_open(client, pages, after=f"{name} ({url})")


def test_the_account_forms_survive_bad_values(world):
    signed_in = client_for(world, "owner")
    for name, client in [
        ("account_login", Client()),
        ("account_signup", Client()),
        ("account_reset_password", Client()),
        ("account_change_password", signed_in),
        ("account_email", signed_in),
        ("account_reauthenticate", signed_in),
    ]:
        url = reverse(name)
        names = discovered_fields(client, [url])[("post", url)]
        assert names, f"{url} shows no form that posts to it"
        with rolled_back():
            fuzz_form(client, url, {}, sorted(names | {"unexpected"}))


def fuzz_form(client: Client, url: str, valid: dict[str, list[str]], fields: list[str]) -> None:
    """The sweep (each field with each value of SWEEP), then the generated examples."""
    baseline = snapshot()

    def send(field: str, value: str, how: str, htmx: bool) -> None:
        nonlocal baseline
        data = dict(valid)
        if how == "replace":
            data[field] = [value]
        elif how == "repeat":
            data[field] = [*data.get(field, []), value]
        else:
            data.pop(field, None)
        cache.clear()  # no rate limit in the way
        response = client.post(
            url,
            form_body(data),
            content_type="application/x-www-form-urlencoded",
            headers=HX if htmx else {},
        )
        status = response.status_code
        assert status < 500, f"POST {url} {field}={value[:80]!r} ({how}) answered {status}"
        # A form shown again with an error is a refusal, and a refusal is a 4xx.
        shown_again = status == 200 and b"is-invalid" in response.content
        assert not shown_again, f"POST {url} {field}={value[:80]!r} ({how}) refused with 200"
        after = snapshot()
        if status >= 400:
            assert after == baseline, f"POST {url} {field}={value[:80]!r} refused, but wrote"
        baseline = after

    for field in fields:
        for value in SWEEP:
            send(field, value, "replace", htmx=False)

    @settings(FUZZ, max_examples=EXAMPLES)
    @given(
        field=st.sampled_from(fields),
        value=bad_text(),
        how=st.sampled_from(["replace", "repeat", "drop"]),
        htmx=st.booleans(),
    )
    def example(field, value, how, htmx):
        send(field, value, how, htmx)

    example()


KNOWN_PARAMETERS = ("q", "page", "team", "archived", "a", "b", "price", "step", "return_to", "next")


def test_every_query_parameter_survives_bad_values(world):
    client = client_for(world, "owner")
    pages = owner_pages(world)
    fields_by_form = discovered_fields(client, pages)
    for url in pages:
        names = sorted(fields_by_form[("get", url)] | set(KNOWN_PARAMETERS))
        fuzz_query(client, url, names)


def fuzz_query(client: Client, url: str, names: list[str]) -> None:
    def send(name: str, value: str, htmx: bool) -> None:
        cache.clear()
        response = client.get(f"{url}?{form_body({name: [value]})}", headers=HX if htmx else {})
        assert response.status_code < 500, f"GET {url}?{name}={value[:80]!r}"

    for name in names:
        send(name, SWEEP[0], htmx=False)

    @settings(FUZZ, max_examples=QUERY_EXAMPLES)
    @given(name=st.sampled_from(names), value=bad_text(), htmx=st.booleans())
    def example(name, value, htmx):
        send(name, value, htmx)

    example()


# URL names whose address carries text (tokens, names), with a valid value for the others.
TEXT_IN_PATH = {
    "advisor:share_page": ("get",),
    "advisor:share_json": ("get",),
    "advisor:invite_accept": ("get", "post"),
    "advisor:unsubscribe": ("get", "post"),
    "advisor:api_schema": ("get",),
    "account_confirm_email": ("get", "post"),
    "account_reset_password_from_key": ("get", "post"),
}


def test_every_text_in_an_address_survives_bad_values(world):
    """Every value of every class in place of each token or name in a path, as raw bytes."""
    routes = [route for route in site_routes() if route.name in TEXT_IN_PATH]
    assert {route.name for route in routes} == set(TEXT_IN_PATH)
    client = client_for(world, "owner")
    for route in routes:
        for value in every_value():
            path = "/" + PARAMETER.sub(raw(value) or "x", route.path)
            path = path.replace("^", "").replace("$", "")
            for method in TEXT_IN_PATH[route.name]:
                cache.clear()
                response = getattr(client, method)(path)
                assert response.status_code < 500, f"{method.upper()} {path[:120]}"


def leaves(document: object, at: tuple = ()) -> list[tuple]:
    """The path of every value in a JSON document, containers included."""
    found = [at]
    if isinstance(document, dict):
        for key, value in document.items():
            found += leaves(value, (*at, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += leaves(value, (*at, index))
    return found


def replaced(document: object, path: tuple, value: object) -> object:
    if not path:
        return value
    changed = copy.deepcopy(document)
    place = changed
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    return changed


API_BODY = {
    "answers": RAG_ANSWERS,
    "refine": {"eval_set": "scored", "corpus_tokens": 5_000_000},
    "estimate": {
        "model": "GPT-4o (Azure OpenAI)",
        "monthly_queries": 1000,
        "rerank": True,
        "latency_target_ms": 2000,
    },
}


@pytest.mark.django_db
def test_the_api_survives_any_value_at_any_key():
    client = Client()
    url = reverse("advisor:api_evaluate")

    @settings(FUZZ, max_examples=JSON_EXAMPLES)
    @given(path=st.sampled_from(leaves(API_BODY)), value=bad_json())
    def example(path, value):
        cache.clear()
        body = replaced(API_BODY, path, value)
        response = client.post(url, json_text(body), content_type="application/json")
        assert response.status_code < 500, f"{path}={value!r}"
        if response.status_code == 400:
            assert response.json()["error"]

    example()


def test_the_import_survives_any_document(world):
    client = client_for(world, "owner")
    url = reverse("advisor:decision_import", kwargs={"pk": world.project.pk})
    document = decision_export(world.complete, base_url="http://testserver")
    pages = owner_pages(world)

    @settings(FUZZ, max_examples=JSON_EXAMPLES)
    @given(path=st.sampled_from(leaves(document)), value=bad_json())
    def example(path, value):
        changed = replaced(document, path, value)
        upload = SimpleUploadedFile("d.json", json_text(changed), "application/json")
        before = snapshot()
        response = client.post(url, {"file": upload})
        status = response.status_code
        assert status < 500, f"{path}={value!r} answered {status}"
        if status >= 400:
            assert snapshot() == before, f"{path}={value!r} refused but wrote"

    with rolled_back():
        example()
        assert_pages_open(client, pages, after="the import")


def test_json_text_writes_surrogates_as_escapes_a_parser_accepts():
    assert json.loads(json_text({"t": "\ud800"})) == {"t": "\ud800"}
