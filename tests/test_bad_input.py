"""Bad input answers 4xx naming the field and writes nothing, on SQLite and PostgreSQL alike.

The fourteen classes a security probe once saw answer 500 are here one by one; tests/test_fuzz.py
walks every URL with generated values. What cannot be stored is decided in one place
(advisor/domain/text.py) and refused at one gate (advisor/web/inputs.py) or, for JSON, where the
document is read.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from advisor.domain.text import document_problems, printable_name, text_problem
from advisor.models import Decision, Outcome, OutcomeMetric, ShareLink, StatusChange
from advisor.selectors.documents import decision_export
from advisor.tokens import new_token, well_formed
from tests.conftest import HX, client_for
from tests.factories import ProjectFactory, completed_decision

NUL = "\x00"
SURROGATE = "\ud800"


# --- The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("plain text", None),
        ("émoji 🚀 and RTL \u202e", None),
        ("", None),
        ("a\x00b", "NUL"),
        ("\ud800", "surrogate"),
        ("ok \udfff", "surrogate"),
    ],
)
def test_text_problem_names_what_cannot_be_stored(value, problem):
    found = text_problem(value)

    assert (found is None) if problem is None else problem in found


@given(st.text())
def test_text_without_nul_or_surrogates_is_always_storable(value):
    problem = text_problem(value)
    storable = "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value)

    assert (problem is None) == storable
    assert text_problem(printable_name(value)) is None


def test_document_problems_name_each_path_as_the_api_does():
    document = {"a": [{"b": "x\x00"}], "ok": "fine", "k\ud800": 1}

    assert [(path, what) for path, what, _ in document_problems(document)] == [
        ("a[0].b", "text"),
        ("k\N{REPLACEMENT CHARACTER}", "key"),
    ]


def test_a_document_nested_as_deep_as_json_allows_is_walked_without_recursion():
    document = json.loads("[" * 900 + '"\\u0000"' + "]" * 900)

    assert next(document_problems(document))[0].endswith("[0]")


@pytest.mark.parametrize(
    ("token", "ok"),
    [(new_token(), True), ("abc-_XYZ09", True), ("%00abc", False), ("a" * 65, False)],
)
def test_well_formed_tokens_are_urlsafe_base64_of_bounded_length(token, ok):
    assert well_formed(token) is ok


# --- The fourteen classes ---------------------------------------------------------------------


@pytest.fixture
def link(db) -> ShareLink:
    return ShareLink.objects.create(decision=completed_decision())


@pytest.mark.parametrize("path", ["/s/%00abc/", "/s/%00abc.json", "/s/abc%00/"])
def test_a_nul_in_a_share_token_is_the_share_pages_not_found(client, link, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    ShareLink.objects.get(pk=link.pk, view_count=0)


def test_a_malformed_token_still_counts_towards_the_rate_limit(client, link, settings):
    settings.SHARE_RATE_LIMIT_PER_MINUTE = 2
    statuses = [client.get("/s/%00abc/").status_code for _ in range(3)]

    assert statuses == [404, 404, 429]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_in_an_invite_token_is_the_invites_not_found(user, method):
    response = getattr(client_for(user), method)("/invites/%00abc/")

    assert response.status_code == 404
    assert "invite" in response.content.decode().lower()


def evaluate(client, body: str):
    return client.post(reverse("advisor:api_evaluate"), body, content_type="application/json")


RAG = {
    "problem": "knowledge",
    "data_change": "daily",
    "latency": "relaxed",
    "cost": "moderate",
    "labelled_data": "none",
}


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800"])
def test_unstorable_text_in_the_apis_estimate_model_is_400_naming_it(client, db, escape):
    body = json.dumps({"answers": RAG, "estimate": {"model": "MARK"}}).replace("MARK", escape)

    response = evaluate(client, body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["estimate.model"]


@pytest.fixture
def exported(db) -> dict:
    """A completed decision's export, with a status change and an outcome."""
    decision = completed_decision(title="Support bot")
    decision.lifecycle = Decision.Lifecycle.ACCEPTED
    decision.review_by = date(2027, 5, 20)
    decision.save()
    StatusChange.objects.create(
        decision=decision, from_status="proposed", to_status="accepted", actor_name="sam"
    )
    outcome = Outcome.objects.create(
        decision=decision, approach="rag", shipped_on=date(2026, 11, 1), author_name="sam"
    )
    OutcomeMetric.objects.create(outcome=outcome, name="quality", value=Decimal("87"), unit="%")
    return decision_export(decision, base_url="https://advisor.example")


def import_document(document: dict):
    target = ProjectFactory(name="New home")
    body = json.dumps(document).encode("utf-8", "surrogatepass")
    upload = SimpleUploadedFile("decision.json", body, content_type="application/json")
    url = reverse("advisor:decision_import", args=[target.pk])
    return client_for(target.created_by).post(url, {"file": upload}), target


def error_text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("title",), f"Bot{NUL}", "“title”"),
        (("answers", 0, "note"), f"note{NUL}", "“answers[0].note”"),
        (("recommendation", "headline"), f"Use RAG{NUL}", "“recommendation.headline”"),
        (("title",), f"Bot{SURROGATE}", "“title”"),
        (("started_at",), "0001-01-01T00:00:00+05:00", "“started_at” must be between"),
        (("status_history", 0, "at"), "0001-01-01T00:00:00+05:00", "“status_history[0].at”"),
        (("outcomes", 0, "recorded_at"), "0001-01-01T00:00:00+05:00", "“outcomes[0].recorded_at”"),
    ],
    ids=["nul-title", "nul-note", "nul-headline", "surrogate-title", "year-1", "at", "recorded"],
)
def test_an_import_with_bad_text_or_dates_is_400_naming_the_field(exported, path, value, named):
    *parents, leaf = path
    place = exported
    for key in parents:
        place = place[key]
    place[leaf] = value

    response, target = import_document(exported)

    assert response.status_code == 400
    assert named in error_text(response)
    assert not Decision.objects.filter(project=target).exists()


def test_a_share_form_with_an_unknown_expiry_without_htmx_is_the_whole_page_with_the_error(user):
    decision = completed_decision(project=ProjectFactory(created_by=user), title="Accepted one")
    decision.lifecycle = Decision.Lifecycle.ACCEPTED
    decision.save()
    url = reverse("advisor:share_create", args=[decision.pk])

    response = client_for(user).post(url, {"expires": "forever"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Accepted one" in page
    assert 'id="lifecycle"' in page
    assert "Choose one of the lengths offered." in page
    assert not ShareLink.objects.exists()


# --- The gate in front of every view -------------------------------------------------------------


def test_a_nul_in_a_form_field_is_an_error_beside_it_and_saves_nothing(user, project):
    url = reverse("advisor:project_edit", args=[project.pk])

    response = client_for(user).post(url, {"name": f"Renamed{NUL}", "description": ""})

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert 'value="Renamed' in response.content.decode()
    project.refresh_from_db()
    assert project.name != "Renamed"


def test_a_nul_in_a_field_name_is_400_naming_it(user, project):
    url = reverse("advisor:project_edit", args=[project.pk])

    response = client_for(user).post(url, {"name": "Renamed", f"x{NUL}": "1"})

    assert response.status_code == 400
    assert "the name of a field contains a NUL character" in response.content.decode()
    project.refresh_from_db()
    assert project.name != "Renamed"


def test_htmx_gets_the_refusal_as_plain_text_it_shows_without_swapping(user, project):
    response = client_for(user).get(reverse("advisor:search"), {"q": f"x{NUL}"}, headers=HX)

    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/plain")
    assert "parameter “q”" in response.content.decode()


def test_a_nul_in_a_query_parameter_is_400_naming_it(user, project):
    response = client_for(user).get(reverse("advisor:search"), {"q": f"bot{NUL}"})

    assert response.status_code == 400
    assert "parameter “q”" in response.content.decode()


def test_a_nul_in_a_page_address_is_400(client, db):
    response = client.get("/unsubscribe/abc%00def/")

    assert response.status_code == 400
    assert "the page address contains a NUL character" in response.content.decode()
