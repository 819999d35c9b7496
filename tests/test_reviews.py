"""Review dates: the default from the answers, setting one, and where due reviews are listed
(the project page, the team's "Due for review" page, `manage.py reviews_due`)."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from advisor import services
from advisor.domain import lifecycle
from advisor.domain.lifecycle import ACCEPTED, DEPRECATED, PROPOSED
from advisor.domain.questions import question_for
from advisor.models import AuditEvent, Decision
from tests.conftest import HX
from tests.factories import RAG_ANSWERS, ProjectFactory, completed_decision, in_status
from tests.test_lifecycle import rows

# --- The default interval (pure) ----------------------------------------------------------------


def test_every_answer_to_how_often_the_data_changes_has_an_interval():
    assert set(lifecycle.REVIEW_MONTHS) == set(question_for("data_change").values)


@pytest.mark.parametrize(
    ("data_change", "accepted_on", "review_by"),
    [
        ("frequent", date(2026, 3, 10), date(2026, 4, 10)),
        ("occasional", date(2026, 3, 10), date(2026, 6, 10)),
        ("rare", date(2026, 3, 10), date(2026, 9, 10)),
        # No answer, or one that is no longer a choice: the middle figure.
        (None, date(2026, 3, 10), date(2026, 6, 10)),
        ("weekly", date(2026, 3, 10), date(2026, 6, 10)),
        # Shorter months keep to their last day; the year rolls over.
        ("frequent", date(2026, 1, 31), date(2026, 2, 28)),
        ("frequent", date(2027, 1, 31), date(2027, 2, 28)),
        ("occasional", date(2027, 11, 30), date(2028, 2, 29)),
        ("rare", date(2026, 8, 31), date(2027, 2, 28)),
        ("frequent", date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_the_default_review_date_comes_sooner_when_the_data_changes_often(
    data_change, accepted_on, review_by
):
    answers = {**RAG_ANSWERS, "data_change": data_change} if data_change else {}

    assert lifecycle.default_review_date(answers, accepted_on=accepted_on) == review_by


@pytest.mark.parametrize(
    ("review_by", "days", "phrase"),
    [
        (date(2026, 5, 1), 30, "overdue by 30 days"),
        (date(2026, 5, 30), 1, "overdue by 1 day"),
        (date(2026, 5, 31), 0, "due today"),
        (date(2026, 6, 1), -1, "due in 1 day"),
        (date(2026, 6, 10), -10, "due in 10 days"),
    ],
)
def test_how_a_review_date_stands_today(review_by, days, phrase):
    today = date(2026, 5, 31)

    assert lifecycle.days_overdue(review_by, today=today) == days
    assert lifecycle.review_phrase(review_by, today=today) == phrase


# --- Setting the date ---------------------------------------------------------------------------


def accepted(team=None, *, review_in_days: int = 60, project=None, **kwargs) -> Decision:
    """A completed, accepted decision whose review is `review_in_days` away (negative: past)."""
    project = project or ProjectFactory(**({"team": team} if team else {}))
    return in_status(ACCEPTED, review_in_days=review_in_days, project=project, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data_change", "months"), [("frequent", 1), ("occasional", 3), ("rare", 6)]
)
def test_accepting_sets_the_review_date_from_the_answers(team, editor, data_change, months):
    decision = completed_decision(
        answers={**RAG_ANSWERS, "data_change": data_change}, project=ProjectFactory(team=team)
    )

    saved = services.decision_status_change(decision=decision, user=editor, to_status=ACCEPTED)

    expected = lifecycle.add_months(timezone.localdate(), months)
    assert saved.review_by == expected
    assert Decision.objects.get(pk=decision.pk).review_by == expected
    event = AuditEvent.objects.get(action=AuditEvent.Action.STATUS_CHANGED)
    assert event.summary.endswith(f"to be reviewed by {expected:%-d %b %Y}")


@pytest.mark.django_db
def test_accepting_with_a_date_of_ones_own_keeps_it(team, editor_client):
    decision = completed_decision(project=ProjectFactory(team=team))
    chosen = timezone.localdate() + timedelta(days=200)

    response = editor_client.post(
        reverse("advisor:decision_status", args=[decision.pk]),
        {"to_status": ACCEPTED, "review_by": f"{chosen:%Y-%m-%d}"},
    )

    assert response.status_code == 302
    assert Decision.objects.get(pk=decision.pk).review_by == chosen


@pytest.mark.django_db
def test_the_service_refuses_a_review_date_in_the_past(team, editor):
    decision = completed_decision(project=ProjectFactory(team=team))
    before = rows()

    with pytest.raises(services.Refused) as refused:
        services.decision_status_change(
            decision=decision,
            user=editor,
            to_status=ACCEPTED,
            review_by=timezone.localdate() - timedelta(days=1),
        )

    assert refused.value.message == services.lifecycle.DATE_IN_THE_PAST
    assert rows() == before


@pytest.mark.django_db
def test_setting_the_review_date_of_an_accepted_decision(team, editor):
    decision = accepted(team, title="Support bot")
    today = timezone.localdate()

    saved = services.decision_review_date_set(decision=decision, user=editor, review_by=today)

    assert saved.review_by == today == Decision.objects.get(pk=decision.pk).review_by
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVIEW_DATE_SET)
    assert event.summary == f"set “Support bot” to be reviewed by {today:%-d %b %Y}"
    assert event.actor == editor


@pytest.mark.django_db
@pytest.mark.parametrize("status", [PROPOSED, DEPRECATED])
def test_only_an_accepted_decision_takes_a_review_date(team, editor, status):
    decision = completed_decision(project=ProjectFactory(team=team))
    Decision.objects.filter(pk=decision.pk).update(lifecycle=status)
    before = rows()

    with pytest.raises(services.Refused) as refused:
        services.decision_review_date_set(
            decision=decision, user=editor, review_by=timezone.localdate()
        )

    assert refused.value.message == "Only an accepted decision has a review date: accept it first."
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("hx", [False, True], ids=["plain", "htmx"])
def test_the_review_date_form(team, editor_client, hx):
    decision = accepted(team)
    url = reverse("advisor:decision_review_date", args=[decision.pk])
    chosen = timezone.localdate() + timedelta(days=10)

    response = editor_client.post(
        url, {"review_by": f"{chosen:%Y-%m-%d}"}, headers=HX if hx else {}
    )

    message = f"Review date set to {chosen:%-d %b %Y}."
    if hx:
        assert response.status_code == 200
        assert "<html" not in response.text
        assert message in response.text
        assert "(due in 10 days)" in response.text
    else:
        assert response["Location"] == f"{decision.get_absolute_url()}#lifecycle"
        assert message in editor_client.get(response["Location"]).text
    assert Decision.objects.get(pk=decision.pk).review_by == chosen


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("posted", "error"),
    [
        ("", "Choose the date when the team should review this decision."),
        ("next week", "Enter the date as year-month-day, for example 2027-03-31."),
        ("2020-01-01", services.lifecycle.DATE_IN_THE_PAST),
    ],
)
def test_a_wrong_review_date_is_shown_next_to_the_field(team, editor_client, posted, error):
    decision = accepted(team)
    before = rows()

    response = editor_client.post(
        reverse("advisor:decision_review_date", args=[decision.pk]),
        {"review_by": posted},
        headers=HX,
    )

    assert response.status_code == 400
    assert error in response.text
    assert 'id="review_review_by"' in response.text
    assert rows() == before


@pytest.mark.django_db
def test_a_review_date_of_a_proposed_decision_is_refused_with_the_reason(team, editor_client):
    decision = completed_decision(project=ProjectFactory(team=team))
    before = rows()

    response = editor_client.post(
        reverse("advisor:decision_review_date", args=[decision.pk]),
        {"review_by": "2099-01-01"},
        follow=True,
    )

    assert "Only an accepted decision has a review date: accept it first." in response.text
    assert rows() == before


@pytest.mark.django_db
def test_the_panel_says_how_late_a_review_is(team, editor_client):
    decision = accepted(team, review_in_days=-12)

    page = editor_client.get(decision.get_absolute_url()).text

    assert "overdue by 12 days" in page
    assert "Review overdue by 12 days" in page  # the badge above the title


# --- The project page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_project_page_lists_its_overdue_reviews_only(team, editor_client):
    project = ProjectFactory(team=team)
    late = accepted(project=project, review_in_days=-3, title="Late one")
    accepted(project=project, review_in_days=0, title="Due today")
    accepted(project=project, review_in_days=5, title="Not yet due")
    deprecated = accepted(project=project, review_in_days=-30, title="Deprecated one")
    Decision.objects.filter(pk=deprecated.pk).update(lifecycle=DEPRECATED)
    accepted(team, review_in_days=-9, title="Other project")

    page = editor_client.get(project.get_absolute_url()).text
    section = page[page.index('id="overdue-reviews"') : page.index("</section>")]

    assert "Overdue reviews" in section
    assert f'href="{late.get_absolute_url()}#lifecycle">Late one<' in section
    assert "Overdue by 3 days" in section
    assert "Retrieval (RAG)" in section
    for absent in ("Due today", "Not yet due", "Deprecated one", "Other project"):
        assert absent not in section


@pytest.mark.django_db
def test_the_project_page_has_no_overdue_section_when_none_are(team, editor_client):
    project = ProjectFactory(team=team)
    accepted(project=project, review_in_days=1)

    page = editor_client.get(project.get_absolute_url()).text

    assert "Overdue reviews" not in page


# --- The team's "Due for review" page ---------------------------------------------------------


def team_reviews_url(team) -> str:
    return reverse("advisor:team_reviews", args=[team.pk])


@pytest.mark.django_db
def test_the_team_page_links_to_its_reviews(team, client_logged_in):
    page = client_logged_in.get(team.get_absolute_url()).text

    assert f'href="{team_reviews_url(team)}">Due for review<' in page


@pytest.mark.django_db
def test_due_for_review_lists_the_overdue_first_then_the_next_30_days(team, client_logged_in):
    first, second = ProjectFactory(team=team, name="Help centre"), ProjectFactory(team=team)
    accepted(project=first, review_in_days=-2, title="Two days late")
    accepted(project=second, review_in_days=-40, title="Forty days late")
    accepted(project=first, review_in_days=0, title="Due today")
    accepted(project=second, review_in_days=30, title="Due in a month")
    accepted(project=first, review_in_days=31, title="Too far off")
    accepted(review_in_days=-5, title="Another team's")

    page = client_logged_in.get(team_reviews_url(team)).text
    overdue = page[page.index('id="overdue-heading"') : page.index('id="soon-heading"')]
    soon = page[page.index('id="soon-heading"') :]

    assert overdue.index("Forty days late") < overdue.index("Two days late")
    assert "Overdue by 40 days" in overdue
    assert "Help centre" in overdue
    assert soon.index("Due today") < soon.index("Due in a month")
    assert "Due in 30 days" in soon
    assert "Too far off" not in page
    assert "Another team" not in page


@pytest.mark.django_db
def test_due_for_review_says_what_to_do_when_nothing_is_due(team, client_logged_in):
    accepted(team, review_in_days=90)

    page = client_logged_in.get(team_reviews_url(team)).text

    assert "No review is overdue or due in the next 30 days." in page
    assert "<table" not in page


@pytest.mark.django_db
def test_due_for_review_reads_the_same_queries_for_3_or_30_decisions(
    team, client_logged_in, django_assert_num_queries
):
    project = ProjectFactory(team=team)
    for days in range(-3, 0):
        accepted(project=project, review_in_days=days)

    with django_assert_num_queries(QUERIES_TEAM_REVIEWS):
        client_logged_in.get(team_reviews_url(team))
    for days in range(-27, 0):
        accepted(project=project, review_in_days=days)
    with django_assert_num_queries(QUERIES_TEAM_REVIEWS):
        client_logged_in.get(team_reviews_url(team))


# Session, user, the team with the user's role, the due decisions with project and approach.
QUERIES_TEAM_REVIEWS = 4


# --- manage.py reviews_due ----------------------------------------------------------------------


def reviews_due(*args: str) -> list[str]:
    out = StringIO()
    call_command("reviews_due", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_reviews_due_prints_the_overdue_ones_of_every_team_one_per_line():
    # Absolute links, from SITE_URL (its development default here): cron mails them out.
    late = accepted(
        review_in_days=-3, title="Support bot", project=ProjectFactory(name="Help centre")
    )
    older = accepted(review_in_days=-20, title="Tagging", project=ProjectFactory(name="Catalogue"))
    accepted(review_in_days=0, title="Due today")

    lines = reviews_due()

    assert lines == [
        f"{older.project.team.name} | Catalogue | Tagging | review by {older.review_by:%Y-%m-%d}"
        f" | overdue by 20 days | http://127.0.0.1:8000/decisions/{older.pk}/",
        f"{late.project.team.name} | Help centre | Support bot | review by "
        f"{late.review_by:%Y-%m-%d} | overdue by 3 days | http://127.0.0.1:8000/decisions/{late.pk}/",
    ]


@pytest.mark.django_db
def test_reviews_due_says_so_in_one_line_when_nothing_is_overdue():
    accepted(review_in_days=0)

    assert reviews_due() == ["Nothing is overdue."]
    assert reviews_due("--days", "7") != ["Nothing is overdue or due within 7 days."]
    Decision.objects.update(review_by=timezone.localdate() + timedelta(days=8))
    assert reviews_due("--days", "7") == ["Nothing is overdue or due within 7 days."]


@pytest.mark.django_db
def test_reviews_due_with_days_adds_those_due_soon():
    accepted(review_in_days=-1, title="Late")
    accepted(review_in_days=0, title="Today")
    accepted(review_in_days=7, title="In a week")
    accepted(review_in_days=8, title="Later")

    lines = reviews_due("--days", "7")

    assert [line.split(" | ")[2] for line in lines] == ["Late", "Today", "In a week"]
    assert lines[1].endswith(
        " | due today | http://127.0.0.1:8000"
        + Decision.objects.get(title="Today").get_absolute_url()
    )
    assert "due in 7 days" in lines[2]


@pytest.mark.django_db
def test_reviews_due_for_one_team():
    ours = accepted(review_in_days=-1, title="Ours")
    accepted(review_in_days=-1, title="Theirs")

    lines = reviews_due("--team", str(ours.project.team_id))

    assert [line.split(" | ")[2] for line in lines] == ["Ours"]


@pytest.mark.django_db
def test_reviews_due_refuses_an_unknown_team_or_negative_days():
    with pytest.raises(CommandError, match=r"There is no team with id 999999\."):
        reviews_due("--team", "999999")
    with pytest.raises(CommandError, match=r"--days must be 0 or more\."):
        reviews_due("--days", "-1")
