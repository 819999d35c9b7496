"""Outcomes: what was shipped after a decision, its metrics, and the timeline on the page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from html import escape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor import services
from advisor.domain.outcome_rules import contradiction, metric_text, pilot_met, ship_date_error
from advisor.models import AuditEvent, Decision, Outcome, OutcomeMetric, Recommendation
from tests.conftest import HX
from tests.factories import answered_decision, completed_decision

TODAY = date(2026, 3, 31)


# --- The rules (no database) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("shipped", "recommended", "flag"),
    [
        ("rag", "rag", ""),
        ("fine_tuning", "fine_tuning", ""),
        ("fine_tuning", "rag", "Shipped Fine-tuning, not the recommended Retrieval (RAG)."),
        ("rag", "fine_tuning", "Shipped Retrieval (RAG), not the recommended Fine-tuning."),
        (
            "rag_plus_fine_tuning",
            "rag",
            "Shipped Retrieval plus fine-tuning, not the recommended Retrieval (RAG).",
        ),
        (
            "prompt_engineering",
            "rag",
            "Shipped Prompt engineering, not the recommended Retrieval (RAG).",
        ),
    ],
)
def test_an_outcome_is_flagged_exactly_when_it_shipped_another_approach(shipped, recommended, flag):
    assert contradiction(shipped, recommended) == flag


@pytest.mark.parametrize(
    ("shipped_on", "refused"),
    [
        (TODAY - timedelta(days=400), False),
        (TODAY - timedelta(days=1), False),
        (TODAY, False),
        (TODAY + timedelta(days=1), True),
        (TODAY + timedelta(days=365), True),
    ],
)
def test_a_ship_date_may_be_today_or_earlier_never_to_come(shipped_on, refused):
    assert bool(ship_date_error(shipped_on, today=TODAY)) is refused


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("87.0000"), "%", "87 %"),
        (Decimal("640.0000"), "ms", "640 ms"),
        (Decimal("0.8700"), "", "0.87"),
        (Decimal("1200.5000"), "$ / month", "1,200.5 $ / month"),
        (Decimal("-3.2500"), "points", "-3.25 points"),
        (Decimal("0.0000"), "errors", "0 errors"),
        (Decimal("999999999999.9999"), "", "999,999,999,999.9999"),
    ],
)
def test_metric_values_read_as_people_write_them(value, unit, text):
    assert metric_text(value, unit) == text


# --- Fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def decision(team) -> Decision:
    """A completed decision of the logged-in user's team; the advice is RAG."""
    decision = completed_decision(project__team=team, title="Support bot answers")
    assert decision.recommendation.approach == "rag"
    return decision


def create_url(decision: Decision) -> str:
    return reverse("advisor:outcome_create", args=[decision.pk])


def delete_url(outcome: Outcome) -> str:
    return reverse("advisor:outcome_delete", args=[outcome.decision_id, outcome.pk])


def posted(metrics: list[tuple[str, str, str]] = (), rows: int = 3, **fields) -> dict:
    """What the form posts: the outcome's fields and `rows` metric rows, the first filled."""
    data = {
        "approach": "rag",
        "shipped_on": "2026-01-05",
        "notes": "",
        "metrics-TOTAL_FORMS": str(rows),
        "metrics-INITIAL_FORMS": "0",
    } | fields
    for i in range(rows):
        name, value, unit = metrics[i] if i < len(metrics) else ("", "", "")
        data |= {f"metrics-{i}-name": name, f"metrics-{i}-value": value, f"metrics-{i}-unit": unit}
    return data


def record(decision: Decision, user, approach="rag", shipped_on=date(2026, 1, 5), **kwargs):
    return services.outcome_record(
        decision=decision, user=user, approach=approach, shipped_on=shipped_on, **kwargs
    )


def outcomes_section(html: str) -> str:
    start = html.index('<section id="outcomes"')
    return html[start : html.index("</section>", start)]


def field_block(html: str, field_id: str) -> str:
    """One field's wrapper as crispy renders it: label, input and its error together."""
    start = html.index(f'<div id="div_{field_id}"')
    end = html.find('<div id="div_', start + 1)
    return html[start : end if end != -1 else len(html)]


def metric_row_count(html: str) -> int:
    return int(re.search(r'name="metrics-TOTAL_FORMS" value="(\d+)"', html).group(1))


# --- The services --------------------------------------------------------------------------


@pytest.mark.django_db
def test_outcome_record_saves_the_outcome_its_metrics_and_an_audit_event(user, decision):
    outcome = record(
        decision,
        user,
        approach="fine_tuning",
        notes="  Tone was off with RAG.  ",
        metrics=[
            ("quality pass rate", Decimal("87"), "%"),
            ("p95 latency", Decimal("640"), "ms"),
        ],
    )

    assert outcome.author_name == user.username
    assert outcome.notes == "Tone was off with RAG."
    assert list(outcome.metrics.values_list("name", "value", "unit")) == [
        ("quality pass rate", Decimal("87"), "%"),
        ("p95 latency", Decimal("640"), "ms"),
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.OUTCOME_RECORDED)
    assert event.actor == user
    assert event.decision == decision
    assert event.summary == (
        "recorded an outcome of “Support bot answers”: Fine-tuning shipped 5 Jan 2026"
    )


@pytest.mark.django_db
def test_outcome_record_refuses_a_decision_in_progress(user, team):
    decision = answered_decision(project__team=team)

    with pytest.raises(services.Refused) as refused:
        record(decision, user)

    assert refused.value.message == "Outcomes can be recorded once the decision is complete."
    assert not Outcome.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.OUTCOME_RECORDED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"shipped_on": "tomorrow"}, "shipped_on"),
        ({"approach": "magic"}, "approach"),
        ({"metrics": [("huge", Decimal("1e12"), "")]}, "value"),
        ({"metrics": [("", Decimal(1), "")]}, "name"),
    ],
)
def test_outcome_record_refuses_what_the_form_would_refuse(user, decision, kwargs, field):
    if kwargs.get("shipped_on") == "tomorrow":
        kwargs["shipped_on"] = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        record(decision, user, **kwargs)

    assert field in refused.value.message_dict
    assert not Outcome.objects.exists()
    assert not OutcomeMetric.objects.exists()


@pytest.mark.django_db
def test_outcome_delete_removes_it_with_its_metrics_and_records_who(user, decision):
    outcome = record(decision, user, metrics=[("p95 latency", Decimal(640), "ms")])

    services.outcome_delete(outcome=outcome, user=user)

    assert not Outcome.objects.exists()
    assert not OutcomeMetric.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.OUTCOME_DELETED)
    assert event.summary == (
        "deleted an outcome of “Support bot answers”: Retrieval (RAG) shipped 5 Jan 2026"
    )


# --- Recording through the page ------------------------------------------------------------


@pytest.mark.django_db
def test_recording_with_htmx_returns_the_timeline_with_the_outcome_and_a_fresh_form(
    client_logged_in, decision
):
    data = posted(
        [("quality pass rate", "87", "%"), ("p95 latency", "640", "ms")],
        approach="fine_tuning",
        notes="First line\nSecond line",
    )

    response = client_logged_in.post(create_url(decision), data, headers=HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    section = outcomes_section(response.text)
    assert "Outcome recorded: Fine-tuning." in section
    assert "Fine-tuning shipped" in section
    assert '<time datetime="2026-01-05">5 Jan 2026</time>' in section
    assert '<p class="preserve-lines mb-2">First line\nSecond line</p>' in section
    assert '<th scope="row">quality pass rate</th><td>87 %</td>' in section
    assert '<th scope="row">p95 latency</th><td>640 ms</td>' in section
    # The form is empty again, ready for the next outcome.
    assert "First line" not in field_block(section, "id_notes")
    assert metric_row_count(section) == len(decision.recommendation.pilot_metrics) + 3


@pytest.mark.django_db
def test_recording_without_htmx_goes_back_to_the_outcomes_on_the_decision_page(
    client_logged_in, decision
):
    response = client_logged_in.post(
        create_url(decision), posted([("p95 latency", "640", "ms")]), follow=True
    )

    assert response.redirect_chain == [(f"{decision.get_absolute_url()}#outcomes", 302)]
    assert "Outcome recorded: Retrieval (RAG)." in response.text
    assert "<html" in response.text
    assert '<th scope="row">p95 latency</th><td>640 ms</td>' in response.text


@pytest.mark.django_db
def test_blank_metric_rows_are_ignored(client_logged_in, decision):
    data = posted([("", "", ""), ("p95 latency", "640", "ms"), ("", "", "")], rows=5)

    client_logged_in.post(create_url(decision), data, headers=HX)

    outcome = Outcome.objects.get()
    assert list(outcome.metrics.values_list("name", flat=True)) == ["p95 latency"]


@pytest.mark.django_db
def test_an_outcome_without_metrics_is_fine(client_logged_in, decision):
    response = client_logged_in.post(create_url(decision), posted(), headers=HX)

    assert response.status_code == 200
    assert Outcome.objects.get().metrics.count() == 0
    assert "<table" not in outcomes_section(response.text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "field", "error"),
    [
        (("p95 latency", "", "ms"), "value", "Enter the value of this metric, or clear its name."),
        (("", "640", "ms"), "name", "Name this metric, or clear the row."),
        (("", "", "ms"), "name", "Name this metric, or clear the row."),
        (("p95 latency", "fast", "ms"), "value", "Enter a number, such as 640 or 0.87."),
        (("cost", "1000000000000", "$"), "value", "Keep to 12 digits before the point."),
        (("rate", "0.12345", "%"), "value", "Use at most 4 digits after the point."),
        (("rate", "NaN", "%"), "value", "Enter a number, such as 640 or 0.87."),
    ],
)
def test_a_half_filled_or_bad_metric_shows_the_error_next_to_its_field_and_keeps_the_text(
    client_logged_in, decision, row, field, error
):
    data = posted([("quality pass rate", "87", "%"), row], notes="Kept as typed")

    response = client_logged_in.post(create_url(decision), data, headers=HX)

    assert response.status_code == 400
    assert "<html" not in response.text
    assert escape(error) in field_block(response.text, f"id_metrics-1-{field}")
    assert 'value="quality pass rate"' in response.text
    for typed, name in zip(row, ("name", "value", "unit"), strict=True):
        if typed:
            assert f'value="{escape(typed)}"' in field_block(response.text, f"id_metrics-1-{name}")
    assert ">\nKept as typed</textarea>" in response.text
    assert not Outcome.objects.exists()


@pytest.mark.django_db
def test_a_ship_date_to_come_is_refused_next_to_the_date(client_logged_in, decision):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = posted([("p95 latency", "640", "ms")], shipped_on=tomorrow.isoformat())

    response = client_logged_in.post(create_url(decision), data, headers=HX)

    assert response.status_code == 400
    date_field = field_block(response.text, "id_shipped_on")
    assert "That date is still to come: record the outcome once it has shipped." in date_field
    assert f'value="{tomorrow.isoformat()}"' in date_field
    assert not Outcome.objects.exists()


@pytest.mark.django_db
def test_today_is_a_valid_ship_date(client_logged_in, decision):
    data = posted(shipped_on=timezone.localdate().isoformat())

    response = client_logged_in.post(create_url(decision), data, headers=HX)

    assert response.status_code == 200
    assert Outcome.objects.get().shipped_on == timezone.localdate()


@pytest.mark.django_db
def test_invalid_input_without_htmx_shows_the_whole_page_with_the_errors(
    client_logged_in, decision
):
    data = posted([("", "640", "ms")], shipped_on="", notes="Kept as typed")

    response = client_logged_in.post(create_url(decision), data)

    assert response.status_code == 400
    assert "<html" in response.text
    assert "Outcomes of “Support bot answers”" in response.text
    assert "Enter the day it shipped." in field_block(response.text, "id_shipped_on")
    assert "Name this metric" in field_block(response.text, "id_metrics-0-name")
    assert ">\nKept as typed</textarea>" in response.text
    assert not Outcome.objects.exists()


@pytest.mark.django_db
def test_too_many_metric_rows_are_refused(client_logged_in, decision):
    rows = [(f"metric {i}", "1", "") for i in range(51)]

    response = client_logged_in.post(create_url(decision), posted(rows, rows=51), headers=HX)

    assert response.status_code == 400
    assert "Record at most 50 metrics at a time." in response.text
    assert not Outcome.objects.exists()


# --- Adding metric rows --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "plain"])
def test_add_more_rows_keeps_what_was_typed_adds_empty_rows_and_saves_nothing(
    client_logged_in, decision, hx
):
    data = posted(
        [("quality pass rate", "87", "%"), ("p95 latency", "not yet", "")],
        approach="fine_tuning",
        shipped_on="2026-01-05",
        notes="Half written",
    ) | {"more": "rows"}

    response = client_logged_in.post(create_url(decision), data, headers=HX if hx else {})

    assert response.status_code == 200
    assert ("<html" in response.text) is not hx
    section = outcomes_section(response.text)
    assert metric_row_count(section) == 6
    assert 'value="quality pass rate"' in field_block(section, "id_metrics-0-name")
    assert 'value="87"' in field_block(section, "id_metrics-0-value")
    # Not checked yet: the half-typed value comes back as it was, without an error.
    assert 'value="not yet"' in field_block(section, "id_metrics-1-value")
    assert "is-invalid" not in section
    assert '<option value="fine_tuning" selected>' in section
    assert 'value="2026-01-05"' in field_block(section, "id_shipped_on")
    assert ">\nHalf written</textarea>" in section
    for i in range(3, 6):
        assert 'value="' not in field_block(section, f"id_metrics-{i}-name").split("<input")[1]
    assert not Outcome.objects.exists()


@pytest.mark.django_db
def test_rows_added_then_filled_are_all_saved(client_logged_in, decision):
    first = posted([("a", "1", "")]) | {"more": "rows"}
    client_logged_in.post(create_url(decision), first, headers=HX)
    # The page now has six rows, the first filled; the user fills the fifth and records.
    data = posted([("a", "1", ""), ("", "", ""), ("", "", ""), ("", "", ""), ("e", "5", "")], 6)
    data["metrics-INITIAL_FORMS"] = "3"

    response = client_logged_in.post(create_url(decision), data, headers=HX)

    assert response.status_code == 200
    assert list(Outcome.objects.get().metrics.values_list("name", flat=True)) == ["a", "e"]


@pytest.mark.django_db
def test_with_htmx_focus_goes_to_the_first_new_row(client_logged_in, decision):
    data = posted([("a", "1", "")]) | {"more": "rows"}

    response = client_logged_in.post(create_url(decision), data, headers=HX)

    focused = re.findall(r"<input[^>]*data-focus-after-swap[^>]*>", response.text)
    assert len(focused) == 1
    assert 'name="metrics-3-name"' in focused[0]


# --- Reading the timeline ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_decision_page_shows_outcomes_oldest_shipped_first(client_logged_in, user, decision):
    record(decision, user, approach="fine_tuning", shipped_on=date(2026, 3, 1))
    record(decision, user, approach="rag", shipped_on=date(2025, 11, 2))
    record(decision, user, approach="rag_plus_fine_tuning", shipped_on=date(2026, 1, 15))

    response = client_logged_in.get(decision.get_absolute_url())

    shown = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', outcomes_section(response.text))
    assert shown == ["2025-11-02", "2026-01-15", "2026-03-01"]


@pytest.mark.django_db
def test_an_outcome_that_contradicts_the_advice_is_flagged_in_words(
    client_logged_in, user, decision
):
    record(decision, user, approach="rag", shipped_on=date(2025, 11, 2))
    record(decision, user, approach="fine_tuning", shipped_on=date(2026, 3, 1))

    section = outcomes_section(client_logged_in.get(decision.get_absolute_url()).text)

    items = section.split('<li class="outcome-item')[1:]
    assert "Not the recommendation" not in items[0]
    assert "As recommended" in items[0]
    assert "outcome-contradiction" in items[1]
    assert "Not the recommendation</span>" in items[1]
    assert "Shipped Fine-tuning, not the recommended Retrieval (RAG)." in items[1]


@pytest.mark.django_db
def test_html_in_notes_metric_names_and_units_is_escaped(client_logged_in, user, decision):
    payload = "<script>alert(1)</script>"
    record(
        decision,
        user,
        notes=f"Notes {payload}",
        metrics=[(f"Name {payload}", Decimal(1), "<b>u</b>")],
    )

    response = client_logged_in.get(decision.get_absolute_url())

    assert payload not in response.text
    assert "<b>u</b>" not in response.text
    assert escape(f"Notes {payload}") in response.text
    assert escape(f"Name {payload}") in response.text
    assert f"1 {escape('<b>u</b>')}" in response.text


@pytest.mark.django_db
def test_a_viewer_reads_outcomes_but_gets_no_form_and_cannot_record(user, decision, viewer_client):
    record(decision, user, metrics=[("p95 latency", Decimal(640), "ms")])

    page = viewer_client.get(decision.get_absolute_url())
    response = viewer_client.post(create_url(decision), posted([("x", "1", "")]))

    section = outcomes_section(page.text)
    assert "Retrieval (RAG) shipped" in section
    assert "640 ms" in section
    assert "Record an outcome" not in section
    assert "Delete" not in section
    assert response.status_code == 403
    assert Outcome.objects.count() == 1


@pytest.mark.django_db
def test_empty_states_say_what_to_do(client_logged_in, decision, viewer_client):
    as_owner = outcomes_section(client_logged_in.get(decision.get_absolute_url()).text)
    as_viewer = outcomes_section(viewer_client.get(decision.get_absolute_url()).text)

    assert "No outcome recorded yet. Once something has shipped, record" in as_owner
    assert "No outcome recorded yet. The team's editors record" in as_viewer


@pytest.mark.django_db
def test_the_decision_page_offers_the_form_without_rendering_it(client_logged_in, decision):
    section = outcomes_section(client_logged_in.get(decision.get_absolute_url()).text)

    assert "<form" not in section
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Record an outcome</a>', section)
    assert link[1] == create_url(decision)
    assert f'hx-get="{create_url(decision)}"' in link[0]


@pytest.mark.django_db
def test_asking_for_the_form_with_htmx_returns_the_section_with_it_focused(
    client_logged_in, decision
):
    response = client_logged_in.get(create_url(decision), headers=HX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="outcomes"')
    assert "Record an outcome</a>" not in response.text
    (select,) = re.findall(r"<select[^>]*>", response.text)
    assert 'name="approach"' in select
    assert "data-focus-after-swap" in select


@pytest.mark.django_db
def test_without_javascript_the_form_opens_on_a_page_of_its_own(client_logged_in, decision):
    response = client_logged_in.get(create_url(decision))

    assert "<h1" in response.text
    assert "Outcomes of “Support bot answers”" in response.text
    assert 'class="outcome-form' in response.text
    assert "data-focus-after-swap" not in response.text


@pytest.mark.django_db
def test_the_form_of_a_decision_in_progress_sends_back_with_a_message(client_logged_in, team):
    draft = answered_decision(project__team=team)

    response = client_logged_in.get(create_url(draft), follow=True)

    assert "Outcomes can be recorded once the decision is complete." in response.text
    assert 'class="outcome-form' not in response.text


@pytest.mark.django_db
def test_the_form_starts_with_the_recommended_approach_and_today(client_logged_in, decision):
    section = outcomes_section(client_logged_in.get(create_url(decision)).text)

    assert '<option value="rag" selected>' in section
    assert f'value="{timezone.localdate().isoformat()}"' in field_block(section, "id_shipped_on")
    # A row for each of the pilot's metrics, then three empty ones.
    assert metric_row_count(section) == len(decision.recommendation.pilot_metrics) + 3
    assert "- Select" not in section


# --- Deleting ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "plain"])
def test_an_editor_deletes_an_outcome(user, decision, editor_client, hx):
    outcome = record(decision, user, metrics=[("p95 latency", Decimal(640), "ms")])

    response = editor_client.post(delete_url(outcome), headers=HX if hx else {})

    assert not Outcome.objects.exists()
    if hx:
        assert response.status_code == 200
        assert "<html" not in response.text
        assert "Outcome deleted." in response.text
        assert "No outcome recorded yet" in response.text
    else:
        assert response.status_code == 302
        assert response["Location"] == f"{decision.get_absolute_url()}#outcomes"


@pytest.mark.django_db
def test_deleting_names_which_outcome(client_logged_in, user, decision):
    record(decision, user, approach="fine_tuning", shipped_on=date(2026, 3, 1))

    section = outcomes_section(client_logged_in.get(decision.get_absolute_url()).text)

    assert 'aria-label="Delete the outcome: Fine-tuning shipped 1 Mar 2026"' in section


@pytest.mark.django_db
def test_an_outcome_named_through_another_decision_is_not_found(client_logged_in, user, decision):
    outcome = record(decision, user)
    other = completed_decision(project=decision.project)

    response = client_logged_in.post(reverse("advisor:outcome_delete", args=[other.pk, outcome.pk]))

    assert response.status_code == 404
    assert Outcome.objects.filter(pk=outcome.pk).exists()


@pytest.mark.django_db
def test_recording_on_a_decision_in_progress_is_refused_with_a_message(client_logged_in, team):
    decision = answered_decision(project__team=team)

    response = client_logged_in.post(create_url(decision), posted(), follow=True)

    assert "Outcomes can be recorded once the decision is complete." in response.text
    assert not Outcome.objects.exists()


# --- Queries -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_the_decision_page_reads_outcomes_metrics_and_comments_in_three_queries(
    client_logged_in, user, decision, count
):
    for i in range(count):
        record(decision, user, metrics=[(f"m{i}", Decimal(i), ""), (f"n{i}", Decimal(i), "")])
        services.comment_add(decision=decision, user=user, body=f"Comment {i}")

    with CaptureQueriesContext(connection) as queries:
        response = client_logged_in.get(decision.get_absolute_url())

    assert response.status_code == 200
    assert response.text.count('<li class="outcome-item') == count
    # The result page's 5 before outcomes (tests/test_views.py: session, user, decision with
    # its snapshot, share links, revisits) plus outcomes, their metrics and comments.
    assert len(queries) == 8, [query["sql"] for query in queries]


# --- Measured against the pilot ------------------------------------------------------------


def pilot_rows(decision: Decision) -> dict[str, dict]:
    return {metric["key"]: metric for metric in decision.recommendation.pilot_metrics}


@pytest.mark.django_db
def test_the_form_offers_the_pilot_metrics_prefilled(client_logged_in, decision):
    section = outcomes_section(client_logged_in.get(create_url(decision)).text)

    for n, metric in enumerate(decision.recommendation.pilot_metrics):
        assert f'name="metrics-{n}-pilot" value="{metric["key"]}"' in section
        assert f'name="metrics-{n}-name" value="{escape(metric["label"])}"' in section
    assert "The first rows are the pilot's metrics" in section


def pilot_post(decision: Decision, filled: dict[str, str], **fields) -> dict:
    """The form as offered, the pilot rows' values typed where `filled` gives one."""
    rows = decision.recommendation.pilot_metrics
    data = posted(rows=len(rows), **fields) | {"metrics-INITIAL_FORMS": str(len(rows))}
    for n, metric in enumerate(rows):
        data |= {
            f"metrics-{n}-name": metric["label"],
            f"metrics-{n}-value": filled.get(metric["key"], ""),
            f"metrics-{n}-unit": metric["unit"],
            f"metrics-{n}-pilot": metric["key"],
        }
    return data


@pytest.mark.django_db
def test_pilot_rows_left_empty_are_skipped_and_filled_ones_show_whether_they_met_the_target(
    client_logged_in, decision
):
    data = pilot_post(decision, {"recall_at_5": "86.5", "groundedness": "91"})

    response = client_logged_in.post(create_url(decision), data, headers=HX)

    assert response.status_code == 200
    metrics = OutcomeMetric.objects.filter(outcome__decision=decision)
    assert {(m.pilot_key, m.value) for m in metrics} == {
        ("recall_at_5", Decimal("86.5")),
        ("groundedness", Decimal("91")),
    }
    section = outcomes_section(response.text)
    assert '<th scope="col">Pilot target</th>' in section
    recall = section[section.index("Retrieval recall@5") :]
    assert recall.index("Met</span> at least 80 %") < recall.index("</tr>")
    grounded = section[section.index("Answers whose claims") :]
    assert grounded.index("Missed</span> at least 95 %") < grounded.index("</tr>")


@pytest.mark.django_db
def test_a_tampered_pilot_key_is_refused_next_to_its_row_and_nothing_is_written(
    client_logged_in, decision
):
    data = pilot_post(decision, {"recall_at_5": "90"}) | {"metrics-0-pilot": "made_up"}

    response = client_logged_in.post(create_url(decision), data, headers=HX)

    assert response.status_code == 400
    assert "This row no longer matches a pilot metric: clear it." in response.text
    assert not Outcome.objects.filter(decision=decision).exists()


@pytest.mark.django_db
def test_the_service_refuses_a_pilot_key_the_snapshot_lacks(user, decision):
    with pytest.raises(ValidationError):
        record(decision, user, metrics=[("recall", Decimal(90), "%", "made_up")])
    assert not Outcome.objects.exists()


@pytest.mark.parametrize(
    ("metric", "value", "met"),
    [
        ({"better": "higher", "threshold": 80}, "80", True),
        ({"better": "higher", "threshold": 80}, "79.99", False),
        ({"better": "lower", "threshold": 500}, "500", True),
        ({"better": "lower", "threshold": 500}, "500.01", False),
        ({"better": "lower", "threshold": 0.0031}, "0.003", True),
        ({"better": "lower", "threshold": None}, "0.5", None),
    ],
)
def test_a_figure_meets_its_pilot_threshold_in_the_metrics_direction(metric, value, met):
    assert pilot_met(metric, Decimal(value)) is met


@pytest.mark.django_db
def test_an_outcome_of_a_decision_saved_before_pilots_shows_no_pilot_column(
    client_logged_in, decision, user
):
    Recommendation.objects.filter(decision=decision).update(pilot_metrics=None)
    record(decision, user, metrics=[("p95 latency", Decimal(640), "ms")])

    section = outcomes_section(client_logged_in.get(decision.get_absolute_url()).text)

    assert "Pilot target" not in section
    assert '<th scope="row">p95 latency</th><td>640 ms</td>' in section
