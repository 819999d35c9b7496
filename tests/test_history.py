"""The project page's timeline: decisions with their status changes and outcomes, its filters
and its pagination, and what it costs in queries at 10 and at 1,000 decisions."""

from __future__ import annotations

import datetime as dt
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor.models import Decision, Outcome, Role, StatusChange
from tests.conftest import HX
from tests.factories import (
    DecisionFactory,
    ProjectFactory,
    bulk_decisions,
    decided,
    member,
)

pytestmark = pytest.mark.django_db

Lifecycle = Decision.Lifecycle

# The project page with the timeline: session, user, project, the author filter's choices,
# the count, the page of decisions, their status changes, their outcomes, the activity, the
# overdue reviews.
TIMELINE_QUERIES = 10


def started_on(decision: Decision, day: dt.date) -> Decision:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    Decision.objects.filter(pk=decision.pk).update(created_at=moment)
    return decision


def changed(decision: Decision, to: str, *, by: str = "ana", on: dt.date, **fields) -> None:
    change = StatusChange.objects.create(
        decision=decision, from_status=decision.lifecycle, to_status=to, actor_name=by, **fields
    )
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
    StatusChange.objects.filter(pk=change.pk).update(created_at=moment)
    Decision.objects.filter(pk=decision.pk).update(lifecycle=to)


def shipped(decision: Decision, approach: str, on: dt.date, by: str = "ben") -> None:
    Outcome.objects.create(decision=decision, approach=approach, shipped_on=on, author_name=by)


def history(client, project, **params) -> str:
    response = client.get(project.get_absolute_url(), params)
    assert response.status_code == 200
    return response.text


def titles(html: str) -> list[str]:
    """The decision titles of the timeline, in order."""
    start = html.index('id="history"')
    rows = html[start:].split('<th scope="row">')[1:]
    return [row.split('">', 1)[1].split("</a>", 1)[0] for row in rows]


# --- The timeline -------------------------------------------------------------------------------


def test_each_decision_shows_its_status_changes_and_outcomes_beneath_it_by_date(
    client_logged_in, project
):
    decision = decided(project, title="Support answers", review_by=dt.date(2026, 9, 1))
    shipped(decision, "rag", dt.date(2026, 3, 10))
    changed(decision, Lifecycle.ACCEPTED, on=dt.date(2026, 3, 3))
    changed(decision, Lifecycle.DEPRECATED, by="cy", on=dt.date(2026, 4, 1), reason="Too slow")

    html = history(client_logged_in, project)

    lines = [
        "Accepted by ana on",
        ">3 Mar 2026</time>",
        "Shipped Retrieval (RAG) on",
        ">10 Mar 2026</time>, recorded by ben",
        "Deprecated by cy on",
        ">1 Apr 2026</time>: Too slow",
    ]
    positions = [html.index(line) for line in lines]
    assert positions == sorted(positions)
    assert html.index("Support answers") < positions[0]
    assert '<span class="badge text-bg-dark">Deprecated</span>' in html
    assert ">1 Sep 2026</time>" in html


def test_a_decision_in_progress_shows_its_wizard_progress(client_logged_in, project):
    DecisionFactory(project=project, current_step=3)

    html = history(client_logged_in, project)

    assert "In progress: question 3 of 5" in html
    assert "Not yet" in html


def test_a_supersede_links_the_replacement_and_a_different_outcome_is_flagged(
    client_logged_in, project
):
    old, new = decided(project, title="Old way"), decided(project, title="New way")
    changed(old, Lifecycle.SUPERSEDED, on=dt.date(2026, 5, 2), replaced_by=new)
    shipped(old, "fine_tuning", dt.date(2026, 5, 9))

    html = history(client_logged_in, project)

    assert f'replaced by <a href="{new.get_absolute_url()}">New way</a>' in html
    assert "Shipped Fine-tuning on" in html
    assert "not the recommended approach" in html


def test_user_text_in_the_timeline_is_escaped(client_logged_in, project):
    decision = decided(project, title="<b>bold</b> title")
    changed(decision, Lifecycle.ACCEPTED, by="<i>x</i>", on=dt.date(2026, 1, 5), reason="<u>u</u>")

    html = history(client_logged_in, project)

    assert "<b>bold</b>" not in html
    assert "<i>x</i>" not in html
    assert "<u>u</u>" not in html
    assert escape("<b>bold</b> title") in html


# --- Filters ------------------------------------------------------------------------------------


@pytest.fixture
def spread(project):
    """Five decisions of two authors on different days, statuses and approaches."""
    ana = project.created_by
    bo = member(project.team, Role.EDITOR, username="bo")
    made = {
        "draft": started_on(DecisionFactory(project=project, title="Draft"), dt.date(2026, 1, 5)),
        "proposed": started_on(decided(project, title="Proposed RAG"), dt.date(2026, 2, 5)),
        "accepted": started_on(
            decided(project, title="Accepted tuning", approach="fine_tuning", created_by=bo),
            dt.date(2026, 3, 5),
        ),
        "rejected": started_on(
            decided(project, title="Rejected prompts", approach="prompt_engineering"),
            dt.date(2026, 4, 5),
        ),
        "accepted_rag": started_on(
            decided(project, title="Accepted RAG", created_by=bo), dt.date(2026, 5, 5)
        ),
    }
    for key in ("accepted", "accepted_rag"):
        changed(made[key], Lifecycle.ACCEPTED, on=dt.date(2026, 6, 1))
    changed(made["rejected"], Lifecycle.REJECTED, on=dt.date(2026, 6, 1))
    return {"ana": ana, "bo": bo, **made}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Accepted RAG", "Rejected prompts", "Accepted tuning", "Proposed RAG", "Draft"]),
        ({"status": "in_progress"}, ["Draft"]),
        ({"status": "proposed"}, ["Proposed RAG"]),
        ({"status": "accepted"}, ["Accepted RAG", "Accepted tuning"]),
        ({"status": "rejected"}, ["Rejected prompts"]),
        ({"approach": "rag"}, ["Accepted RAG", "Proposed RAG"]),
        ({"approach": "prompt_engineering"}, ["Rejected prompts"]),
        ({"author": "bo"}, ["Accepted RAG", "Accepted tuning"]),
        ({"started_from": "2026-03-05"}, ["Accepted RAG", "Rejected prompts", "Accepted tuning"]),
        ({"started_to": "2026-02-05"}, ["Proposed RAG", "Draft"]),
        (
            {"started_from": "2026-02-01", "started_to": "2026-04-30"},
            ["Rejected prompts", "Accepted tuning", "Proposed RAG"],
        ),
        ({"status": "accepted", "approach": "rag"}, ["Accepted RAG"]),
        ({"author": "ana", "approach": "rag", "started_from": "2026-02-01"}, ["Proposed RAG"]),
    ],
    ids=lambda value: (
        "-".join(f"{k}={v}" for k, v in value.items()) or "none"
        if isinstance(value, dict)
        else None
    ),
)
def test_each_filter_and_their_combinations(client_logged_in, project, spread, params, expected):
    if "author" in params:
        params = {**params, "author": spread[params["author"]].pk}

    assert titles(history(client_logged_in, project, **params)) == expected


def test_the_author_filter_offers_the_members_who_started_decisions(client_logged_in, project):
    bo = member(project.team, Role.EDITOR, username="bo")
    member(project.team, Role.EDITOR, username="cy-never-started")
    decided(project, created_by=bo)
    left = member(project.team, Role.EDITOR, username="dee-left")
    decided(project, created_by=left)
    left.memberships.all().delete()

    html = history(client_logged_in, project)

    assert f'<option value="{bo.pk}">bo</option>' in html
    assert "cy-never-started" not in html
    assert f'<option value="{left.pk}">' not in html


def test_an_invalid_date_is_shown_next_to_its_field_and_the_other_filters_still_apply(
    client_logged_in, project, spread
):
    response = client_logged_in.get(
        project.get_absolute_url(), {"started_from": "31/12/2025", "status": "accepted"}
    )

    assert response.status_code == 400
    assert "Enter a date as year-month-day, like 2026-03-31." in response.text
    assert 'value="31/12/2025"' in response.text  # what was typed stays in the field
    assert titles(response.text) == ["Accepted RAG", "Accepted tuning"]


def test_an_end_date_before_the_start_date_is_refused_next_to_it(client_logged_in, project):
    decided(project)

    response = client_logged_in.get(
        project.get_absolute_url(), {"started_from": "2026-05-01", "started_to": "2026-04-01"}
    )

    assert response.status_code == 400
    assert "This date is before the “Started from” date." in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status", "archived", "Choose one of the statuses offered."),
        ("approach", "magic", "Choose one of the approaches offered."),
        ("author", "999999", "Choose one of the people offered."),
    ],
)
def test_values_not_offered_are_refused(client_logged_in, project, field, value, message):
    decided(project)

    response = client_logged_in.get(project.get_absolute_url(), {field: value})

    assert response.status_code == 400
    assert message in response.text


def test_no_match_says_so_with_a_link_that_clears_the_filters(client_logged_in, project):
    decided(project)

    html = history(client_logged_in, project, status="deprecated")

    assert "No decisions match these filters" in html
    assert f'<a href="{project.get_absolute_url()}" hx-get=' in html
    assert "No decisions yet" not in html


def test_a_project_without_decisions_shows_no_filters(client_logged_in, project):
    html = history(client_logged_in, project)

    assert "No decisions yet" in html
    assert "Apply filters" not in html


def test_the_filter_form_works_without_javascript_and_with_htmx(client_logged_in, project):
    decided(project)
    url = project.get_absolute_url()

    html = history(client_logged_in, project)

    form = html[html.index('aria-label="Filter the decisions"') - 300 :]
    form = form[: form.index("</form>")]
    assert 'method="get"' in form
    assert f'action="{url}"' in form
    assert f'hx-get="{url}"' in form
    assert 'hx-target="#history"' in form
    assert 'hx-push-url="true"' in form
    for label in ("Status", "Approach", "Started by", "Started from", "Started to"):
        assert f"{label}\n" in form or f"{label}<" in form


def test_filtered_fragment_for_htmx_and_full_page_without(client_logged_in, project, spread):
    fragment = client_logged_in.get(project.get_absolute_url(), {"status": "accepted"}, headers=HX)
    page = client_logged_in.get(project.get_absolute_url(), {"status": "accepted"})

    assert "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<section id="history"')
    assert "<html" in page.text
    assert titles(fragment.text) == titles(page.text) == ["Accepted RAG", "Accepted tuning"]
    assert "2 decisions match these filters." in fragment.text
    assert "HX-Request" in fragment["Vary"]


def test_pagination_keeps_the_filters_in_its_links(client_logged_in, project):
    bulk_decisions(project, 45)
    DecisionFactory(project=project)  # in progress: filtered out
    url = project.get_absolute_url()

    first = history(client_logged_in, project, approach="rag")
    second = history(client_logged_in, project, approach="rag", page="2")

    assert "Page 1 of 3" in first
    assert f'href="{url}?approach=rag&amp;page=2"' in first
    assert f'hx-get="{url}?approach=rag&amp;page=2"' in first
    assert f'href="{url}?approach=rag&amp;page=1"' in second
    assert f'href="{url}?approach=rag&amp;page=3"' in second


def test_a_form_refused_without_javascript_keeps_the_timeline_links_on_the_project(
    client_logged_in, project
):
    # The refused start form is shown at its POST URL; the filters and pages must not go there.
    bulk_decisions(project, 25)
    url = project.get_absolute_url()

    page = client_logged_in.post(
        reverse("advisor:decision_create", args=[project.pk]), {"title": "x" * 500}
    ).text

    assert f'action="{url}"' in page
    assert f'href="{url}?page=2"' in page


# --- Query counts -------------------------------------------------------------------------------


def timeline_queries(client, project) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def with_history(project, count: int) -> None:
    """`count` completed decisions, each with a status change and an outcome."""
    decisions = bulk_decisions(project, count)
    StatusChange.objects.bulk_create(
        StatusChange(decision=d, from_status="proposed", to_status="accepted", actor_name="ana")
        for d in decisions
    )
    Outcome.objects.bulk_create(
        Outcome(decision=d, approach="rag", shipped_on=dt.date(2026, 3, 1), author_name="ben")
        for d in decisions
    )


def test_the_timeline_costs_the_same_queries_at_10_and_at_1000_decisions(
    client_logged_in, team, project
):
    large = ProjectFactory(team=team, created_by=project.created_by)
    with_history(project, 10)
    with_history(large, 1000)

    assert timeline_queries(client_logged_in, project) == TIMELINE_QUERIES
    assert timeline_queries(client_logged_in, large) == TIMELINE_QUERIES


def test_filters_do_not_add_queries(client_logged_in, project, spread):
    with CaptureQueriesContext(connection) as queries:
        client_logged_in.get(
            project.get_absolute_url(), {"status": "accepted", "author": spread["bo"].pk}
        )

    assert len(queries) == TIMELINE_QUERIES
