"""Search across the user's teams: what matches, what is shown, and what stays out of reach.

Run on SQLite and on PostgreSQL alike (CI runs both): every test here searches for whole words
that appear verbatim, where the full text search and the fallback must agree.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor.domain.excerpts import ELLIPSIS, excerpt, search_words
from advisor.models import (
    Answer,
    Comment,
    Decision,
    Outcome,
    OutcomeMetric,
    Recommendation,
    Role,
)
from tests.conftest import HX
from tests.factories import (
    RECALL_PILOT,
    DecisionFactory,
    ProjectFactory,
    bulk_decisions,
    decided,
)

URL = reverse("advisor:search")


def noted(decision: Decision, note: str, question: str = "problem") -> Decision:
    Answer.objects.create(decision=decision, question=question, value="knowledge", note=note)
    return decision


def commented(decision: Decision, body: str) -> Decision:
    Comment.objects.create(decision=decision, author_name="ana", body=body)
    return decision


def search(client: Client, q: str, **params) -> str:
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response.text


def found(html: str) -> list[str]:
    """The titles of the results, in order."""
    return re.findall(r'<h3 class="h6 mb-1"><a href="[^"]*">([^<]*)</a>', html)


@pytest.fixture
def library(project):
    """Decisions whose words sit in the title, in a note or in a comment."""
    return {
        "title": decided(project, title="Support bot answers"),
        "note": noted(
            decided(project, title="Pricing page", approach="prompt_engineering"),
            "Invoices arrive monthly from the billing system",
        ),
        "comment": commented(
            DecisionFactory(project=project, title="Tone of replies"),
            "Legal asked about refunds for the billing errors",
        ),
        "split": noted(decided(project, title="Warehouse robots"), "Nothing about support here"),
    }


# --- What matches --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("support", {"Support bot answers", "Warehouse robots"}),
        ("Support BOT", {"Support bot answers"}),
        ("billing", {"Pricing page", "Tone of replies"}),
        ("billing refunds", {"Tone of replies"}),
        ("invoices billing", {"Pricing page"}),
        ("warehouse", {"Warehouse robots"}),
        # Every word must be in the same text: "robots" is in a title, "support" in a note.
        ("robots support", set()),
        ("kangaroo", set()),
    ],
)
def test_whole_words_find_the_same_decisions_on_every_database(
    client_logged_in, library, query, expected
):
    assert set(found(search(client_logged_in, query))) == expected


def test_each_result_says_where_it_matched_with_an_excerpt(client_logged_in, library):
    html = search(client_logged_in, "billing")

    assert (
        '<span class="fw-semibold">Note:</span> Invoices arrive monthly from the billing system'
        in html
    )
    assert '<span class="fw-semibold">Comment:</span> Legal asked about refunds' in html
    assert "Title:</span>" not in html


def test_a_result_shows_its_project_status_and_approach(client_logged_in, project, library):
    html = search(client_logged_in, "pricing")

    assert found(html) == ["Pricing page"]
    assert f'<a href="{project.get_absolute_url()}">{project.name}</a>' in html
    assert f"in {project.team.name}" in html
    assert "Proposed</span>" in html
    assert "Prompt engineering" in html
    assert '<span class="fw-semibold">Title:</span> Pricing page' in html


def test_a_decision_in_progress_shows_its_progress(client_logged_in, library):
    html = search(client_logged_in, "refunds")

    assert "In progress: question 1 of 5" in html
    assert "No approach yet" in html


def test_a_title_match_comes_before_a_note_match(client_logged_in, project):
    noted(decided(project, title="Older one"), "The chatbot needs the manuals")
    decided(project, title="Chatbot rollout")

    assert found(search(client_logged_in, "chatbot")) == ["Chatbot rollout", "Older one"]


def test_stemming_applies_on_postgresql_only(client_logged_in, project):
    decided(project, title="Decision on the escalation path")

    results = found(search(client_logged_in, "decisions"))

    # Full text search stems both sides; the fallback looks for "decisions" as typed.
    expected = ["Decision on the escalation path"] if connection.vendor == "postgresql" else []
    assert results == expected


def test_user_text_in_results_is_escaped(client_logged_in, project):
    noted(decided(project, title="<b>Bold</b> plan"), "See <script>alert(1)</script> plan")

    html = search(client_logged_in, "plan")

    assert "<script>alert(1)</script>" not in html
    assert "<b>Bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Scope ---------------------------------------------------------------------------------------


def test_nothing_of_another_team_appears(client_logged_in, project):
    decided(project, title="Roadmap ours")
    other = ProjectFactory(name="Their project")
    commented(noted(decided(other, title="Roadmap theirs"), "roadmap note"), "roadmap comment")

    html = search(client_logged_in, "roadmap")

    assert found(html) == ["Roadmap ours"]
    assert "theirs" not in html
    assert "Their project" not in html


def test_every_team_of_the_user_is_searched(client_logged_in, user, project):
    decided(project, title="Roadmap first team")
    second = ProjectFactory(name="Second team project")
    member_of_second = second.team.memberships.create(user=user, role=Role.VIEWER)
    decided(second, title="Roadmap second team")

    assert set(found(search(client_logged_in, "roadmap"))) == {
        "Roadmap first team",
        "Roadmap second team",
    }

    member_of_second.delete()
    assert found(search(client_logged_in, "roadmap")) == ["Roadmap first team"]


def test_a_viewer_finds_the_teams_decisions(project, viewer_client):
    decided(project, title="Roadmap for viewers")

    assert found(search(viewer_client, "roadmap")) == ["Roadmap for viewers"]


def test_signed_out_visitors_are_sent_to_log_in(db):
    response = Client().get(URL, {"q": "roadmap"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- The page ------------------------------------------------------------------------------------


def test_an_empty_query_prompts_for_words(client_logged_in, project):
    decided(project)

    html = search(client_logged_in, "   ")

    assert "Type one or more words above" in html
    assert found(html) == []


def test_no_results_says_what_to_try(client_logged_in, project):
    decided(project)

    html = search(client_logged_in, "kangaroo")

    assert "No decision of your teams matches “kangaroo”." in html
    assert "Try fewer words" in html


def test_a_query_too_long_is_refused_next_to_the_field_and_kept(client_logged_in):
    response = client_logged_in.get(URL, {"q": "word " * 50})

    assert response.status_code == 400
    assert "Keep the search to 200 characters or fewer." in response.text
    assert 'value="word word' in response.text


def test_results_as_fragment_for_htmx_and_as_full_page(client_logged_in, library):
    fragment = client_logged_in.get(URL, {"q": "billing"}, headers=HX)
    page = client_logged_in.get(URL, {"q": "billing"})

    assert "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<div id="results">')
    assert "<html" in page.text
    assert set(found(fragment.text)) == set(found(page.text)) == {"Pricing page", "Tone of replies"}
    assert "HX-Request" in fragment["Vary"]


def test_results_are_paginated_keeping_the_query(client_logged_in, project):
    bulk_decisions(project, 25, title="Roadmap")

    first = search(client_logged_in, "roadmap")
    second = search(client_logged_in, "roadmap", page="2")

    assert "25 decisions found for “roadmap”." in first
    assert len(found(first)) == 20
    assert len(found(second)) == 5
    assert 'href="/search/?q=roadmap&amp;page=2"' in first


def test_the_search_box_is_in_the_top_bar_for_signed_in_users(client_logged_in, db):
    signed_in = client_logged_in.get("/projects/").text
    signed_out = Client().get("/accounts/login/").text

    assert '<label class="visually-hidden" for="nav-search">Search decisions</label>' in signed_in
    assert f'action="{URL}" role="search"' in signed_in
    assert "nav-search" not in signed_out


def test_search_costs_a_fixed_number_of_queries(
    client_logged_in, project, django_assert_num_queries
):
    bulk_decisions(project, 30, title="Roadmap")
    # Session, user, the team filter's choices, the count and the page (matches found by
    # subqueries in the same query).
    with django_assert_num_queries(5):
        client_logged_in.get(URL, {"q": "roadmap"})


# --- Filters: the dashboard's bars link here -----------------------------------------------------


def completed(decision: Decision, day: dt.date) -> Decision:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    Decision.objects.filter(pk=decision.pk).update(completed_at=moment)
    return decision


@pytest.fixture
def filtered(project, user):
    """Decisions of two of the user's teams, one not complete, with outcomes and reviews."""
    today = timezone.localdate()
    ours = [
        completed(decided(project, title="Old RAG", approach="rag"), today - dt.timedelta(400)),
        completed(
            decided(
                project,
                title="Accepted tuning",
                approach="fine_tuning",
                lifecycle=Decision.Lifecycle.ACCEPTED,
                review_by=today - dt.timedelta(days=2),
            ),
            today,
        ),
        completed(
            decided(
                project,
                title="Accepted later",
                lifecycle=Decision.Lifecycle.ACCEPTED,
                review_by=today + dt.timedelta(days=90),
            ),
            today - dt.timedelta(days=40),
        ),
    ]
    DecisionFactory(project=project, title="Unfinished")
    second = ProjectFactory(name="Second team project")
    second.team.memberships.create(user=user, role=Role.VIEWER)
    completed(decided(second, title="Second team RAG"), today)
    Recommendation.objects.update(pilot_metrics=[RECALL_PILOT])
    for decision, recall in ((ours[0], 90), (ours[1], 60)):
        outcome = Outcome.objects.create(
            decision=decision, approach="rag", shipped_on=today, author_name="ben"
        )
        OutcomeMetric.objects.create(
            outcome=outcome, name="Recall", value=recall, pilot_key="recall_at_5"
        )
    return {"team": project.team.pk, "second": second.team.pk, "today": today}


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"team": "team"}, ["Accepted tuning", "Accepted later", "Old RAG", "Unfinished"]),
        ({"team": "second"}, ["Second team RAG"]),
        ({"approach": "rag"}, ["Second team RAG", "Accepted later", "Old RAG"]),
        ({"team": "team", "approach": "rag"}, ["Accepted later", "Old RAG"]),
        ({"status": "accepted"}, ["Accepted tuning", "Accepted later"]),
        ({"status": "proposed"}, ["Second team RAG", "Old RAG"]),
        ({"completed_from": -30}, ["Second team RAG", "Accepted tuning"]),
        ({"completed_to": -30}, ["Accepted later", "Old RAG"]),
        ({"completed_from": -60, "completed_to": -30}, ["Accepted later"]),
        ({"review": "overdue"}, ["Accepted tuning"]),
        ({"review": "soon"}, []),
        ({"review": "later"}, ["Accepted later"]),
        ({"pilot": "met"}, ["Old RAG"]),
        ({"pilot": "missed"}, ["Accepted tuning"]),
    ],
)
def test_filters_alone_list_the_decisions_they_select(client_logged_in, filtered, params, titles):
    query = {
        name: filtered[value] if value in ("team", "second") else value
        for name, value in params.items()
    }
    for name in ("completed_from", "completed_to"):
        if name in query:
            query[name] = filtered["today"] + dt.timedelta(days=query[name])

    html = search(client_logged_in, "", **query)

    assert found(html) == titles
    if titles:
        count = len(titles)
        assert f"{count} decision{'s' if count > 1 else ''} found with the filters above" in html
    else:
        assert "No decision of your teams matches these filters" in html


def test_filters_narrow_a_search_for_words(client_logged_in, filtered):
    html = search(client_logged_in, "accepted", approach="rag")

    assert found(html) == ["Accepted later"]
    assert "found for “accepted” with the filters above" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"team": "999999"}, "Choose one of your teams."),
        ({"team": str(2**70)}, "Choose one of your teams."),
        ({"status": "in_progress"}, "Choose one of the statuses offered."),
        ({"review": "someday"}, "Choose one of the review dates offered."),
        ({"pilot": "maybe"}, "Choose one of the outcomes offered."),
        ({"completed_from": "last week"}, "Enter a date as year-month-day"),
    ],
)
def test_a_bad_filter_is_refused_next_to_its_field(client_logged_in, filtered, params, message):
    response = client_logged_in.get(URL, params)

    assert response.status_code == 400
    assert message in response.text
    assert found(response.text) == []


def test_another_teams_id_is_not_a_choice(client_logged_in, filtered):
    other = ProjectFactory()
    decided(other, title="Theirs")

    response = client_logged_in.get(URL, {"team": other.team.pk})

    assert response.status_code == 400
    assert "Theirs" not in response.text


# --- Words and excerpts (pure) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("", []),
        ("  ", []),
        ("Support bot", ["support", "bot"]),
        ("bot, BOT; bot!", ["bot"]),
        ('"exact phrase" -not', ["exact", "phrase", "not"]),
        ("café naïve", ["café", "naïve"]),
        (" ".join(f"w{n}" for n in range(20)), [f"w{n}" for n in range(12)]),
    ],
)
def test_search_words(query, words):
    assert search_words(query) == words


LONG = " ".join(f"word{n}" for n in range(60))


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("Short note", ["note"], "Short note"),
        ("Spaces\n\nfolded   here", ["here"], "Spaces folded here"),
        ("", ["x"], ""),
        (LONG, ["word0"], LONG[: LONG.rfind(" ", 0, 160)] + ELLIPSIS),
        (LONG, ["absent"], LONG[: LONG.rfind(" ", 0, 160)] + ELLIPSIS),
    ],
)
def test_excerpt(text, words, expected):
    assert excerpt(text, words) == expected


def test_an_excerpt_of_a_long_text_centres_on_the_first_word_found():
    text = excerpt(LONG, ["word40"])

    assert text.startswith(ELLIPSIS)
    assert text.endswith(ELLIPSIS)
    assert "word40" in text
    assert len(text) <= 162
    assert " word" not in text[:2]  # starts on a whole word
