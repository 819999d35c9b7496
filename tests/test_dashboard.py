"""The team dashboard: its key figures, its charts and their links, the period, the queries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor import selectors
from advisor.domain.outcome_rules import outcome_met
from advisor.domain.periods import month_starts
from advisor.models import Decision, Outcome, OutcomeMetric, Recommendation
from tests.conftest import HX
from tests.factories import (
    RECALL_PILOT,
    DecisionFactory,
    ProjectFactory,
    bulk_decisions,
    busy_decisions,
    decided,
)

pytestmark = pytest.mark.django_db

Lifecycle = Decision.Lifecycle
TODAY = timezone.localdate()
# Session, user, the team, then the selector's five: the counts by approach and status (one
# query), the months, the reviews by date, the outcomes' pilot figures, the overdue list.
DASHBOARD_QUERIES = 8
MONTH_TITLE = "Decisions completed, last 12 months"


def dashboard_url(team, **query) -> str:
    url = reverse("advisor:team_dashboard", args=[team.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def dashboard(client: Client, team, **query) -> str:
    response = client.get(dashboard_url(team, **query))
    assert response.status_code == 200
    return response.text


def table(html: str, title: str) -> dict[str, int]:
    """The rows of the table behind the disclosure "<title>, as a table", as {label: number}."""
    html = unescape(html)
    start = html.index(f"<summary>{title}, as a table</summary>")
    body = html[start : html.index("</table>", start)]
    return {
        label: int(value)
        for label, value in re.findall(
            r'<th scope="row">(?:<a href="[^"]*">)?([^<]*)(?:</a>)?</th>'
            r'<td class="text-end">(\d+)</td>',
            body,
        )
    }


def kpis(html: str) -> list[str]:
    """The key figures as read aloud: "189 decisions completed, last 12 months"."""
    found = re.findall(r'<p class="kpi">(.*?)</p>', html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", kpi)).split()) for kpi in found]


def completed_on(decision: Decision, day: dt.date) -> Decision:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    Decision.objects.filter(pk=decision.pk).update(completed_at=moment)
    return decision


def with_outcome(decision: Decision, *figures: tuple[str, int]) -> Decision:
    """An outcome of `decision` with (pilot key, value) figures; the snapshot gets the pilot's
    recall target (at least 80 %) and one the team sets (no threshold)."""
    own = {"key": "cost", "label": "Cost", "unit": "$", "better": "lower", "threshold": None}
    Recommendation.objects.filter(decision=decision).update(pilot_metrics=[RECALL_PILOT, own])
    outcome = Outcome.objects.create(
        decision=decision, approach="rag", shipped_on=TODAY, author_name="ben"
    )
    for key, value in figures:
        OutcomeMetric.objects.create(
            outcome=outcome, name=key or "Own", value=Decimal(value), pilot_key=key
        )
    return decision


# --- The figures (selector) ---------------------------------------------------------------------


def test_counts_complete_decisions_by_approach_and_by_status(client_logged_in, team, project):
    bulk_decisions(project, 3, approach="rag", completed_at=timezone.now())
    decided(project, approach="fine_tuning", lifecycle=Lifecycle.ACCEPTED)
    decided(project, approach="rag", lifecycle=Lifecycle.SUPERSEDED)
    DecisionFactory(project=project)  # in progress: not counted
    decided(ProjectFactory(), approach="fine_tuning")  # another team's
    Decision.objects.update(completed_at=timezone.now())

    html = dashboard(client_logged_in, team)

    assert kpis(html)[:2] == [
        "5 decisions completed, last 12 months",
        "20 % accepted (1 of 5)",
    ]
    assert table(html, "Recommended approach") == {
        "Prompt engineering": 0,
        "Retrieval (RAG)": 4,
        "Fine-tuning": 1,
        "Retrieval plus fine-tuning": 0,
    }
    assert table(html, "Status now") == {
        "Proposed": 3,
        "Accepted": 1,
        "Rejected": 0,
        "Superseded": 1,
        "Deprecated": 0,
    }


def test_counts_completions_per_month_over_the_period(client_logged_in, team, project):
    months = month_starts(TODAY, 12)
    completed_on(decided(project), TODAY)
    completed_on(decided(project), TODAY)
    completed_on(decided(project), months[0])  # the oldest month shown
    completed_on(decided(project), months[0] - dt.timedelta(days=1))  # a month too old

    html = dashboard(client_logged_in, team)
    counts = table(html, MONTH_TITLE)

    assert list(counts) == [f"{month:%B %Y}" for month in months]
    assert counts[f"{TODAY:%B %Y}"] == 2
    assert counts[f"{months[0]:%B %Y}"] == 1
    assert sum(counts.values()) == 3
    assert kpis(html)[0] == "3 decisions completed, last 12 months"


@pytest.mark.parametrize(
    ("period", "months", "total"),
    [("3", 3, 2), ("6", 6, 3), ("12", 12, 4), ("", 12, 4), ("all", None, 5)],
)
def test_the_period_chooses_the_decisions_counted(team, project, period, months, total):
    for back in (0, 2, 5, 11, 30):  # months ago
        completed_on(decided(project), month_starts(TODAY, back + 1)[0])

    figures = selectors.team_dashboard(team=team, today=TODAY, months=months)

    assert figures["total"] == total
    assert sum(tally.count for tally in figures["by_month"]) == total


def test_all_time_counts_by_year_beyond_two_years(team, project):
    completed_on(decided(project), dt.date(TODAY.year - 3, 6, 1))
    completed_on(decided(project), TODAY)

    by_month = selectors.team_dashboard(team=team, today=TODAY, months=None)["by_month"]

    assert [t.label for t in by_month] == [str(y) for y in range(TODAY.year - 3, TODAY.year + 1)]
    assert [t.count for t in by_month] == [1, 0, 0, 1]
    assert by_month[0].filters == {
        "completed_from": dt.date(TODAY.year - 3, 1, 1),
        "completed_to": dt.date(TODAY.year - 3, 12, 31),
    }


def test_reviews_are_counted_by_their_date(team, project):
    for days in (-40, -1, 0, 30, 31, 200):
        decided(project, lifecycle=Lifecycle.ACCEPTED, review_by=TODAY + dt.timedelta(days))
    decided(project, lifecycle=Lifecycle.PROPOSED, review_by=TODAY - dt.timedelta(days=3))

    figures = selectors.team_dashboard(team=team, today=TODAY, months=12)

    assert [(t.label, t.count) for t in figures["by_review"]] == [
        ("Overdue", 2),
        ("Due within 30 days", 2),
        ("Due later", 2),
    ]
    assert figures["overdue_count"] == 2


@pytest.mark.parametrize(
    ("verdicts", "met"),
    [
        ([True], True),
        ([True, True], True),
        ([True, False], False),
        ([False], False),
        ([None, True], True),
        ([None], None),
        ([], None),
    ],
)
def test_an_outcome_meets_its_pilot_when_every_judged_figure_does(verdicts, met):
    assert outcome_met(verdicts) is met


def test_outcomes_are_judged_against_their_pilot_targets(client_logged_in, team, project):
    with_outcome(decided(project), ("recall_at_5", 85))  # met
    with_outcome(decided(project), ("recall_at_5", 80), ("cost", 3))  # met; cost has no target
    with_outcome(decided(project), ("recall_at_5", 79))  # missed
    with_outcome(decided(project), ("cost", 3), ("", 1))  # nothing judged: not counted
    with_outcome(decided(project))  # no figures
    Decision.objects.update(completed_at=timezone.now())

    html = dashboard(client_logged_in, team)

    assert kpis(html)[3] == "2 of 3 outcomes met their pilot targets"
    assert table(html, "Outcomes against the pilot's targets") == {
        "Met the pilot's targets": 2,
        "Missed a target": 1,
    }


def test_the_key_figures_of_a_busy_team(client_logged_in, team, project):
    busy_decisions(project)

    html = dashboard(client_logged_in, team, period="all")

    assert kpis(html) == [
        "200 decisions completed, all time",
        "34 % accepted (67 of 200)",
        f"{Decision.objects.filter(review_by__lt=TODAY).count()} reviews overdue",
        "34 of 67 outcomes met their pilot targets",
    ]


# --- The page -----------------------------------------------------------------------------------


def test_overdue_reviews_are_counted_and_listed(client_logged_in, team, project):
    yesterday = TODAY - dt.timedelta(days=1)
    late = decided(project, title="Late review", lifecycle=Lifecycle.ACCEPTED, review_by=yesterday)
    decided(project, title="Due today", lifecycle=Lifecycle.ACCEPTED, review_by=TODAY)
    decided(project, title="Only proposed", review_by=yesterday)
    Decision.objects.update(completed_at=timezone.now())

    html = dashboard(client_logged_in, team)
    overdue = html[html.index('id="overdue-heading"') :]

    assert kpis(html)[2] == "1 review overdue"
    assert "1 accepted decision is past its review date:" in overdue
    assert f'<a href="{late.get_absolute_url()}">Late review</a>' in overdue
    assert "Due today" not in overdue
    assert "Only proposed" not in overdue
    assert f'<a href="{reverse("advisor:team_reviews", args=[team.pk])}">' in overdue


def test_no_overdue_review_says_so(client_logged_in, team, project):
    decided(project)

    assert "No review is overdue" in dashboard(client_logged_in, team)


def test_a_team_without_completed_decisions_says_how_to_start(client_logged_in, team, project):
    DecisionFactory(project=project)

    html = dashboard(client_logged_in, team)

    assert "No completed decisions in the last 12 months" in html
    assert "<svg" not in html
    assert 'class="kpi"' not in html
    assert "No review is overdue" in html


def test_decisions_older_than_the_period_are_pointed_to(client_logged_in, team, project):
    completed_on(decided(project), TODAY - dt.timedelta(days=400))

    assert "choose a longer period" in dashboard(client_logged_in, team, period="3")
    assert "1 decision completed, all time" in kpis(dashboard(client_logged_in, team, period="all"))


def test_each_chart_is_a_labelled_image_with_its_table_behind_a_disclosure(
    client_logged_in, team, project
):
    decided(project, approach="fine_tuning", completed_at=timezone.now())

    html = dashboard(client_logged_in, team)

    images = re.findall(r'<svg role="img"[^>]*>', html)
    assert len(images) == 5
    for image in images:
        title, desc = re.search(r'aria-labelledby="([\w-]+) ([\w-]+)"', image).groups()
        assert f'<title id="{title}">' in html
        assert f'<desc id="{desc}">' in html
    assert "Fine-tuning: 1; Retrieval plus fine-tuning: 0.</desc>" in html
    assert html.count('<details class="chart-data">') == 5
    assert html.count("<table") == 5
    for outer in re.findall(r'<svg class="chart[^"]*"[^>]*>', html):
        assert 'viewBox="0 0 360 ' in outer
        assert "width=" not in outer  # scales to its column: the CSS sets width 100%
    assert "style=" not in html


def test_each_bar_with_decisions_links_to_them_in_search(client_logged_in, team, project):
    decided(project, approach="fine_tuning", completed_at=timezone.now())

    html = dashboard(client_logged_in, team)

    start = month_starts(TODAY, 12)[0]
    search = reverse("advisor:search")
    link = f'<a href="{search}?team={team.pk}&amp;approach=fine_tuning&amp;completed_from={start}"'
    assert f'{link} aria-label="Fine-tuning: 1 decision, list it">' in html
    assert "Retrieval (RAG): 0 decisions" not in html  # an empty bar is no link
    review = f'href="{search}?team={team.pk}&amp;review=overdue"'
    assert review not in html


def test_every_link_lists_the_decisions_its_bar_counts(client_logged_in, team, project):
    busy_decisions(project, 60)
    figures = selectors.team_dashboard(team=team, today=TODAY, months=12)
    html = dashboard(client_logged_in, team)
    links = re.findall(r'<a href="(/search/\?[^"]+)" aria-label="([^"]+): (\d+) decision', html)
    tallies = [
        t
        for name in ("by_month", "by_approach", "by_status", "by_review", "by_pilot")
        for t in figures[name]
        if t.count
    ]

    assert len(links) == len(tallies)
    for href, label, count in links:
        response = client_logged_in.get(unescape(href))
        assert response.status_code == 200, href
        found = re.search(r"(\d+) decisions? found with the filters above", response.text)
        assert found, f"{label}: {href}"
        assert found.group(1) == count, f"{label}: {href}"


def test_a_bad_period_is_an_error_beside_the_field(client_logged_in, team, project):
    decided(project, completed_at=timezone.now())

    response = client_logged_in.get(dashboard_url(team, period="forever"))

    assert response.status_code == 400
    assert "Choose one of the periods offered." in response.text
    assert "1 decision completed, last 12 months" in kpis(response.text)


def test_the_period_form_swaps_a_fragment_for_htmx(client_logged_in, team, project):
    decided(project, completed_at=timezone.now())

    page = dashboard(client_logged_in, team, period="6")
    response = client_logged_in.get(dashboard_url(team, period="6"), headers=HX)

    assert 'hx-get="' in page
    assert 'hx-push-url="true"' in page
    assert '<option value="6" selected>Last 6 months</option>' in page
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="dashboard">')
    assert "1 decision completed, last 6 months" in kpis(response.text)


def test_a_viewer_sees_the_dashboard(team, project, viewer_client):
    assert "Dashboard of" in dashboard(viewer_client, team)


def test_another_teams_dashboard_is_not_found(client_logged_in):
    other = ProjectFactory().team

    assert client_logged_in.get(dashboard_url(other)).status_code == 404


def test_the_team_page_and_the_project_list_link_to_it(client_logged_in, team):
    url = dashboard_url(team)

    assert f'href="{url}"' in client_logged_in.get(team.get_absolute_url()).text
    assert f'href="{url}"' in client_logged_in.get("/projects/").text
    assert f'href="{url}"' in client_logged_in.get(f"/projects/?team={team.pk}").text


@pytest.mark.parametrize(("count", "projects"), [(6, 1), (200, 5)])
@pytest.mark.parametrize("period", ["12", "all"])
def test_the_dashboard_costs_a_fixed_number_of_queries(
    client_logged_in, team, project, count, projects, period, django_assert_num_queries
):
    for n in range(projects):
        busy_decisions(project if n == 0 else ProjectFactory(team=team), count // projects)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        client_logged_in.get(dashboard_url(team, period=period))
