"""The published JSON Schemas: the files under docs/schemas/ are what the code generates and
what /api/v1/schemas/ serves; every export, every answer of the API and every request it
accepts matches them; and every file exported so far still imports."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from advisor import api, services
from advisor.domain.questions import QUESTION_KEYS
from advisor.domain.schemas import (
    SCHEMAS,
    DecisionExport,
    InvalidExport,
    checked_export,
    schema_text,
)
from advisor.domain.schemas import decision as export_schema
from advisor.domain.schemas import team_answers as team_schema
from advisor.domain.schemas.decision_rules import PARTS
from advisor.models import (
    Decision,
    Estimate,
    ModelPrice,
    Outcome,
    OutcomeMetric,
    PersonalAnswer,
    Recommendation,
    Settlement,
    StatusChange,
)
from advisor.models.reviews import REASON_MAX_LENGTH
from advisor.selectors.documents import decision_export
from tests.factories import (
    RAG_ANSWERS,
    ProjectFactory,
    answered_decision,
    completed_decision,
    team_decision,
)
from tests.test_exports import superseded_document

DOCS = Path(__file__).parent.parent / "docs" / "schemas"
GOLDEN = Path(__file__).parent / "golden"
BASE = "https://advisor.example"
BOTH = {
    "problem": "both",
    "data_change": "occasional",
    "latency": "interactive",
    "cost": "scaling",
    "labeled_data": "some",
}


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((DOCS / f"{name}.schema.json").read_text()))


def schema_faults(name: str, document) -> list[str]:
    return [error.message for error in validator(name).iter_errors(document)]


# --- The files, the URL and the command ---------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_published_file_is_what_the_code_generates(name):
    path = DOCS / f"{name}.schema.json"

    assert path.read_text(encoding="utf-8") == schema_text(name), "run `make schemas`"


@pytest.mark.parametrize("name", SCHEMAS)
def test_each_published_file_is_a_valid_json_schema(name):
    schema = json.loads((DOCS / f"{name}.schema.json").read_text())

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", SCHEMAS)
def test_anyone_gets_each_schema_at_its_url(client, name):
    response = client.get(f"/api/v1/schemas/{name}.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert response.content == (DOCS / f"{name}.schema.json").read_bytes()
    assert reverse("advisor:api_schema", args=[name]) == f"/api/v1/schemas/{name}.json"


def test_an_unknown_schema_is_a_json_404_that_lists_the_others(client):
    response = client.get("/api/v1/schemas/nothing.json")

    assert response.status_code == 404
    assert "decision-export, evaluate-request" in response.json()["error"]


def test_the_schema_view_stays_public_when_logins_become_the_default():
    assert api.schema.login_required is False


def test_the_command_writes_the_files_and_checks_them(tmp_path, settings, capsys):
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match="Out of date"):
        call_command("schemas", "--check")

    call_command("schemas")
    call_command("schemas", "--check")

    written = tmp_path / "docs" / "schemas" / "decision-export.schema.json"
    assert written.read_text() == schema_text("decision-export")
    assert "up to date" in capsys.readouterr().out


# --- The export: described by the models, and every version of it imports --------------------


@pytest.fixture
def exported(db):
    """Two exports: a bare decision, and the one that superseded it, with numbers, a
    history, an outcome with metrics and a review date."""
    bare = completed_decision(title="Bare")
    decision = answered_decision(BOTH, title="With everything")
    Estimate.objects.create(
        decision=decision,
        price=ModelPrice.objects.first(),
        inputs={"monthly_queries": 3_000_000, "hosting_per_hour": 2.5},
        rerank=True,
        latency_target_ms=1500,
    )
    services.decision_complete(decision=decision, user=decision.created_by)
    Decision.objects.filter(pk=decision.pk).update(
        lifecycle=Decision.Lifecycle.ACCEPTED, review_by=date(2027, 6, 1), supersedes=bare
    )
    StatusChange.objects.create(
        decision=decision, from_status="proposed", to_status="accepted", actor_name="sam"
    )
    outcome = Outcome.objects.create(
        decision=decision, approach="rag", shipped_on=date(2026, 11, 1), author_name="sam"
    )
    OutcomeMetric.objects.create(outcome=outcome, name="p95 latency", value=Decimal("640.5"))
    return [
        json.loads(json.dumps(decision_export(Decision.objects.get(pk=pk), base_url=BASE)))
        for pk in (bare.pk, decision.pk)
    ]


def test_every_export_matches_the_published_schema_and_the_models(exported):
    for document in exported:
        assert schema_faults("decision-export", document) == []
        DecisionExport.model_validate(document)


def test_the_export_writes_the_models_keys_in_their_order(exported, team_exported):
    snapshot_fields = list(export_schema.ExportSnapshot.model_fields)
    for document in exported:
        assert list(document) == list(DecisionExport.model_fields)
        # Only a decision a team answered has team answers (version 3).
        assert list(document["recommendation"]) == snapshot_fields[:-1]
    assert list(team_exported) == list(DecisionExport.model_fields)
    assert list(team_exported["recommendation"]) == snapshot_fields
    assert list(team_exported["people"]) == list(export_schema.ExportPeople.model_fields)


@pytest.fixture
def team_exported(db):
    return json.loads(json.dumps(decision_export(team_decision(), base_url=BASE)))


def test_a_team_export_matches_the_published_schema_and_the_models(team_exported):
    assert team_exported["version"] == 3
    assert schema_faults("decision-export", team_exported) == []
    DecisionExport.model_validate(team_exported)


def test_the_schema_names_a_fault_the_import_refuses(exported):
    document = copy.deepcopy(exported[0])
    document["lifecycle"] = "archived"

    assert schema_faults("decision-export", document)


def test_the_current_version_is_one_the_import_reads():
    assert export_schema.EXPORT_VERSION in export_schema.READABLE_VERSIONS


@pytest.mark.parametrize("version", sorted(export_schema.READABLE_VERSIONS))
def test_a_file_of_every_readable_version_imports(db, version):
    document = json.loads((GOLDEN / f"decision_export_v{version}.json").read_text())
    project = ProjectFactory()

    services.decision_import(project=project, user=project.created_by, document=document)

    assert Decision.objects.filter(project=project).count() == 1


def test_a_file_exported_by_version_1_still_imports_as_it_was(db):
    """tests/golden/decision_export_v1.json was downloaded before the schema existed; a
    change that stops it importing needs a new version, not an edit of this file."""
    document = json.loads((GOLDEN / "decision_export_v1.json").read_text())
    project = ProjectFactory(name="New home")

    copy_ = services.decision_import(project=project, user=project.created_by, document=document)

    again = decision_export(Decision.objects.get(pk=copy_.pk), base_url=BASE)
    for key in ("exported_at", "url", "links"):
        del again[key], document[key]
    del again["decision"]["project"], document["decision"]["project"]
    assert again == document


def test_a_file_exported_by_version_2_imports_as_it_was(db):
    """tests/golden/decision_export_v2.json is the "refined" golden export: refine answers
    with notes, a plan, pilot metrics and a confidence come back as they were."""
    document = json.loads((GOLDEN / "decision_export_v2.json").read_text())
    project = ProjectFactory(name="New home")

    copy_ = services.decision_import(project=project, user=project.created_by, document=document)

    again = decision_export(Decision.objects.get(pk=copy_.pk), base_url=BASE)
    for key in ("exported_at", "url", "links"):
        del again[key], document[key]
    del again["decision"]["project"], document["decision"]["project"]
    assert again == document
    assert copy_.answers.get(question="corpus_tokens").value == "180000"


def test_a_file_exported_by_version_3_imports_as_it_was(db):
    """tests/golden/decision_export_v3.json is the "team" golden export: the team's answers,
    their names and the settlements come back as they were."""
    document = json.loads((GOLDEN / "decision_export_v3.json").read_text())
    project = ProjectFactory(name="New home")

    copy_ = services.decision_import(project=project, user=project.created_by, document=document)

    again = decision_export(Decision.objects.get(pk=copy_.pk), base_url=BASE)
    for key in ("exported_at", "url", "links"):
        del again[key], document[key]
    del again["decision"]["project"], document["decision"]["project"]
    assert again == document
    assert copy_.recommendation.team_answers["asked_by"] == "priya"


def test_names_that_are_not_text_are_ignored_and_the_file_still_imports(db, exported):
    document = copy.deepcopy(exported[1])
    document["people"] = {"completed_by": 7, "status_changes": "sam", "outcomes": [None]}
    project = ProjectFactory()

    copy_ = services.decision_import(project=project, user=project.created_by, document=document)

    assert copy_.completed_by_name == ""
    assert copy_.status_changes.get().actor_name == "unknown (imported)"
    assert copy_.outcomes.get().author_name == "unknown (imported)"


def test_a_file_without_names_imports_with_unknown_names(db, exported):
    document = copy.deepcopy(exported[1])
    del document["people"]
    project = ProjectFactory()

    copy_ = services.decision_import(project=project, user=project.created_by, document=document)

    assert copy_.status_changes.get().actor_name == "unknown (imported)"


def test_the_models_limits_are_the_columns_limits():
    def column(model, field: str) -> int:
        return model._meta.get_field(field).max_length

    assert column(Decision, "title") == export_schema.TITLE_MAX_LENGTH
    assert column(Decision.answers.rel.related_model, "note") == export_schema.NOTE_MAX_LENGTH
    assert column(Recommendation, "rules_version") == export_schema.RULES_VERSION_MAX_LENGTH
    assert export_schema.REASON_MAX_LENGTH == REASON_MAX_LENGTH == column(StatusChange, "reason")
    assert column(Outcome, "notes") == export_schema.OUTCOME_NOTES_MAX_LENGTH
    assert column(OutcomeMetric, "name") == export_schema.METRIC_NAME_MAX_LENGTH
    assert column(OutcomeMetric, "unit") == export_schema.METRIC_UNIT_MAX_LENGTH
    assert column(PersonalAnswer, "note") == team_schema.PERSONAL_NOTE_MAX_LENGTH
    assert column(Settlement, "note") == team_schema.SETTLE_NOTE_MAX_LENGTH
    value = OutcomeMetric._meta.get_field("value")
    assert (
        Decimal(10) ** (value.max_digits - value.decimal_places) == export_schema.METRIC_VALUE_LIMIT
    )


def test_every_key_the_import_can_refuse_belongs_to_a_part_of_the_file():
    never_refused = {"format", "version", "exported_at", "url", "people"}

    assert set(PARTS) == set(DecisionExport.model_fields) - never_refused


@pytest.mark.parametrize(
    ("now", "fault"),
    [
        (datetime(2026, 12, 1, tzinfo=UTC), None),
        (datetime(2026, 11, 20, 9, tzinfo=UTC), "completed after it was started"),
        (datetime(2026, 11, 23, tzinfo=UTC), "That date is still to come"),
    ],
)
def test_the_checks_are_plain_functions_of_the_file_and_the_clock(now, fault):
    document = superseded_document()

    if fault is None:
        assert checked_export(document, now=now, today=now.date()).lifecycle == "superseded"
    else:
        with pytest.raises(InvalidExport, match=fault):
            checked_export(document, now=now, today=now.date())


# --- POST /api/v1/evaluate ------------------------------------------------------------------


@pytest.fixture
def api_client():
    return Client(enforce_csrf_checks=True)


def evaluate(client: Client, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/api/v1/evaluate", data=data, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"answers": RAG_ANSWERS},
        {"answers": BOTH, "estimate": None},
        {"answers": BOTH, "estimate": {}},
        {
            "answers": BOTH,
            "estimate": {
                "model": "GPT-4o mini (OpenAI API)",
                "monthly_queries": "3,000,000",
                "rerank": True,
                "latency_target_ms": 900,
            },
        },
    ],
    ids=["answers", "null-estimate", "default-estimate", "estimate"],
)
def test_every_answer_matches_the_response_schema_and_its_request_the_request_schema(
    api_client, body
):
    response = evaluate(api_client, body)

    assert response.status_code == 200
    assert schema_faults("evaluate-request", body) == []
    assert schema_faults("evaluate-response", response.json()) == []
    assert ("estimate" in response.json()) == bool(body.get("estimate") is not None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"answers": {**RAG_ANSWERS, "problem": "vibes"}}, 400),
        ({"answers": RAG_ANSWERS, "estimate": {"colour": "blue"}}, 400),
        ("not json", 400),
        ({"answers": RAG_ANSWERS, "padding": "x" * 20_000}, 413),
    ],
)
def test_every_refusal_matches_the_error_schema(api_client, body, status):
    response = evaluate(api_client, body)

    assert response.status_code == status
    assert schema_faults("evaluate-error", response.json()) == []


def test_a_get_is_refused_in_the_error_schema(api_client):
    response = api_client.get("/api/v1/evaluate")

    assert response.status_code == 405
    assert schema_faults("evaluate-error", response.json()) == []


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=10,
)
CHOICES = st.sampled_from(["knowledge", "rag", "occasional", "async", "none", "scaling"])


@pytest.mark.django_db
@hypothesis_settings(max_examples=60)
@given(answers=st.dictionaries(st.sampled_from([*QUESTION_KEYS, "other"]), CHOICES | ANY_JSON))
@example(answers=RAG_ANSWERS)
@example(answers={**RAG_ANSWERS, "cost": None})
def test_the_request_schema_accepts_exactly_the_answers_the_api_accepts(api_client, answers):
    body = {"answers": answers}

    accepted = evaluate(api_client, body).status_code == 200

    assert accepted == (schema_faults("evaluate-request", body) == [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "estimate",
    [
        {},
        {"monthly_queries": "3,000,000", "rerank": True},
        {"monthly_queries": 2.0, "epochs": "  ", "corpus_tokens": None},
        {"hosting_per_hour": "1.5e1", "latency_target_ms": None},
        {"monthly_queries": -1},
        {"monthly_queries": 1.5},
        {"monthly_queries": "lots"},
        {"monthly_queries": "1,5"},
        {"hosting_per_hour": 1e300},
        {"epochs": 0},
        {"rerank": "yes"},
        {"rerank": None},
        {"latency_target_ms": -5},
        {"latency_target_ms": 600_001},
        {"colour": "blue"},
        [1, 2],
    ],
)
def test_the_request_schema_accepts_exactly_the_estimates_the_api_accepts(api_client, estimate):
    body = {"answers": BOTH, "estimate": estimate}

    accepted = evaluate(api_client, body).status_code == 200

    assert accepted == (schema_faults("evaluate-request", body) == [])


@pytest.mark.django_db
def test_a_model_outside_the_price_table_is_for_the_api_to_refuse(api_client):
    # The schema cannot know the price table: any name is text to it.
    body = {"answers": BOTH, "estimate": {"model": "No such model"}}

    assert schema_faults("evaluate-request", body) == []
    assert evaluate(api_client, body).status_code == 400
