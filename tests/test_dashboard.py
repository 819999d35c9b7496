"""The team dashboard: counts by approach, status and month, overdue reviews, and its charts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from advisor.models import Decision
from advisor.selectors import month_starts
from tests.factories import DecisionFactory, ProjectFactory, bulk_decisions, decided

pytestmark = pytest.mark.django_db

Lifecycle = Decision.Lifecycle
TODAY = timezone.localdate()
# Session, user, the team, the counts by approach and status (one query), the months, and the
# overdue reviews' count and list.
DASHBOARD_QUERIES = 7


def dashboard_url(team) -> str:
    return reverse("advisor:team_dashboard", args=[team.pk])


def dashboard(client: Client, team) -> str:
    response = client.get(dashboard_url(team))
    assert response.status_code == 200
    return response.text


def table(html: str, caption: str) -> dict[str, int]:
    """The rows of the table with this caption, as {label: number}."""
    start = html.index(f"<caption>{caption}, as a table</caption>")
    body = html[start : html.index("</table>", start)]
    return {
        label: int(value)
        for label, value in re.findall(
            r'<th scope="row">([^<]*)</th><td class="text-end">(\d+)</td>', body
        )
    }


def completed_on(decision: Decision, day: dt.date) -> Decision:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    Decision.objects.filter(pk=decision.pk).update(completed_at=moment)
    return decision


def test_counts_complete_decisions_by_approach_and_by_status(client_logged_in, team, project):
    bulk_decisions(project, 3, approach="rag")
    decided(project, approach="fine_tuning", lifecycle=Lifecycle.ACCEPTED)
    decided(project, approach="rag", lifecycle=Lifecycle.SUPERSEDED)
    DecisionFactory(project=project)  # in progress: not counted
    decided(ProjectFactory(), approach="fine_tuning")  # another team's

    html = dashboard(client_logged_in, team)

    assert "5 completed decisions in the projects of" in html
    assert table(html, "Completed decisions by recommended approach") == {
        "Prompt engineering": 0,
        "Retrieval (RAG)": 4,
        "Fine-tuning": 1,
        "Retrieval plus fine-tuning": 0,
    }
    assert table(html, "Completed decisions by status") == {
        "Proposed": 3,
        "Accepted": 1,
        "Rejected": 0,
        "Superseded": 1,
        "Deprecated": 0,
    }


def test_counts_completions_per_month_over_the_last_twelve(client_logged_in, team, project):
    months = month_starts(TODAY)
    completed_on(decided(project), TODAY)
    completed_on(decided(project), TODAY)
    completed_on(decided(project), months[0])  # the oldest month shown
    completed_on(decided(project), months[0] - dt.timedelta(days=1))  # a month too old

    counts = table(
        dashboard(client_logged_in, team), "Decisions completed each month, last 12 months"
    )

    assert list(counts) == [f"{month:%b %Y}" for month in months]
    assert counts[f"{TODAY:%b %Y}"] == 2
    assert counts[f"{months[0]:%b %Y}"] == 1
    assert sum(counts.values()) == 3


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (dt.date(2026, 11, 29), dt.date(2025, 12, 1), dt.date(2026, 11, 1)),
        (dt.date(2026, 1, 1), dt.date(2025, 2, 1), dt.date(2026, 1, 1)),
        (dt.date(2026, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 12, 1)),
    ],
)
def test_month_starts_cover_twelve_months_up_to_today(today, first, last):
    months = month_starts(today)

    assert (len(months), months[0], months[-1]) == (12, first, last)
    assert months == sorted(months)


def test_overdue_reviews_are_counted_and_listed(client_logged_in, team, project):
    yesterday = TODAY - dt.timedelta(days=1)
    late = decided(project, title="Late review", lifecycle=Lifecycle.ACCEPTED, review_by=yesterday)
    decided(project, title="Due today", lifecycle=Lifecycle.ACCEPTED, review_by=TODAY)
    decided(project, title="Only proposed", review_by=yesterday)

    html = dashboard(client_logged_in, team)
    overdue = html[html.index('id="overdue-heading"') :]

    assert "1 accepted decision is past its review date:" in overdue
    assert f'<a href="{late.get_absolute_url()}">Late review</a>' in overdue
    assert "Due today" not in overdue
    assert "Only proposed" not in overdue
    try:
        reviews = reverse("advisor:team_reviews", args=[team.pk])
    except NoReverseMatch:  # the team's "Due for review" page is another part of issue 4
        reviews = None
    assert (reviews is not None) == (f'<a href="{reviews}">' in overdue)


def test_no_overdue_review_says_so(client_logged_in, team, project):
    decided(project)

    assert "No review is overdue" in dashboard(client_logged_in, team)


def test_a_team_without_completed_decisions_says_how_to_start(client_logged_in, team, project):
    DecisionFactory(project=project)

    html = dashboard(client_logged_in, team)

    assert "No completed decisions yet" in html
    assert "<svg" not in html


def test_each_chart_is_labelled_svg_with_the_same_numbers_as_a_table(
    client_logged_in, team, project
):
    decided(project, approach="fine_tuning")

    html = dashboard(client_logged_in, team)

    charts = re.findall(r"<svg class=\"chart bar-chart\"[^>]*>", html)
    assert len(charts) == 3
    for chart in charts:
        assert 'role="img"' in chart
        title, desc = re.search(r'aria-labelledby="([\w-]+) ([\w-]+)"', chart).groups()
        assert f'<title id="{title}">' in html
        assert f'<desc id="{desc}">' in html
    assert "Fine-tuning: 1; Retrieval plus fine-tuning: 0.</desc>" in html
    assert '<text class="bar-value" x="430.0" y="108">1</text>' in html
    assert html.count('<th scope="col" class="text-end">Decisions</th>') == 3
    assert "style=" not in html


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


@pytest.mark.parametrize("count", [2, 200])
def test_the_dashboard_costs_a_fixed_number_of_queries(
    client_logged_in, team, project, count, django_assert_num_queries
):
    yesterday = TODAY - dt.timedelta(days=1)
    bulk_decisions(project, count, lifecycle=Lifecycle.ACCEPTED, review_by=yesterday)
    Decision.objects.update(completed_at=timezone.now())

    with django_assert_num_queries(DASHBOARD_QUERIES):
        client_logged_in.get(dashboard_url(team))
