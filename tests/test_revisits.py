"""Revisiting a decision and comparing two: the service, the pages, who may do what."""

from __future__ import annotations

from html import escape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisor import services
from advisor.domain.wizard import REVIEW_STEP
from advisor.models import (
    Answer,
    AuditEvent,
    Decision,
    Estimate,
    ModelPrice,
    Recommendation,
    Role,
)
from advisor.selectors.permissions import REFUSALS
from advisor.services.revisits import revisit_title
from tests.conftest import HX, client_for
from tests.factories import (
    RAG_ANSWERS,
    DecisionFactory,
    ProjectFactory,
    completed_decision,
    team_decision,
)

pytestmark = pytest.mark.django_db

# Behaviour is the gap and no pairs exist yet: prompt engineering, not retrieval.
BEHAVIOUR = {**RAG_ANSWERS, "problem": "behavior"}
SAME_TWICE = "A decision is the same as itself"
NOT_IN_PROJECT = "Choose one of this project&#x27;s completed decisions."


@pytest.fixture
def project(team):
    return ProjectFactory(team=team, name="Help centre")


@pytest.fixture
def old(project) -> Decision:
    """A completed decision of the logged-in owner's team, with notes on two answers."""
    return completed_decision(
        notes={"problem": "Tickets ask about <this week's> prices", "cost": "Seed round"},
        project=project,
        title="Support bot answers",
    )


def revisit_url(decision: Decision) -> str:
    return reverse("advisor:decision_revisit", args=[decision.pk])


def compare_url(project, a: object = None, b: object = None) -> str:
    url = reverse("advisor:project_compare", args=[project.pk])
    return url if a is None else f"{url}?a={a}&b={b}"


def revisited(old: Decision, user, answers: dict[str, str]) -> Decision:
    """A completed revisit of `old` with these answers."""
    new = services.decision_revisit(decision=old, user=user)
    notes = dict(new.answers.values_list("question", "note"))
    for step, (key, value) in enumerate(answers.items(), start=1):
        services.answer_save(decision=new, step=step, value=value, note=notes[key])
    services.decision_complete(decision=new, user=user)
    new.refresh_from_db()
    return new


# --- The service ----------------------------------------------------------------------------


def test_revisit_copies_the_answers_and_notes_into_a_new_decision(old, user):
    new = services.decision_revisit(decision=old, user=user)

    assert new.pk != old.pk
    assert new.project == old.project
    assert new.revisit_of == old
    assert new.created_by == user
    assert new.title == "Revisit of “Support bot answers”"
    assert new.status == Decision.Status.IN_PROGRESS
    assert new.current_step == REVIEW_STEP
    copied = {a.question: (a.value, a.note) for a in new.answers.all()}
    assert copied == {
        "problem": ("knowledge", "Tickets ask about <this week's> prices"),
        "data_change": ("occasional", ""),
        "latency": ("async", ""),
        "cost": ("early_stage", "Seed round"),
        "labeled_data": ("none", ""),
    }
    assert list(old.revisits.all()) == [new]


def test_the_old_decision_stays_as_it_was(old, user):
    answers = list(old.answers.values_list("question", "value", "note"))

    services.decision_revisit(decision=old, user=user)

    old.refresh_from_db()
    assert old.is_complete
    assert list(old.answers.values_list("question", "value", "note")) == answers
    assert Recommendation.objects.filter(decision=old).count() == 1


def test_a_value_that_is_no_longer_a_choice_is_asked_again(old, user):
    Answer.objects.filter(decision=old, question="latency").update(value="retired")

    new = services.decision_revisit(decision=old, user=user)

    assert set(new.answers.values_list("question", flat=True)) == set(RAG_ANSWERS) - {"latency"}
    assert new.current_step == 3


def test_saved_numbers_come_along(old, user):
    price, tuned = ModelPrice.objects.order_by("pk")[:2]
    Estimate.objects.create(
        decision=old,
        price=price,
        tuned_price=tuned,
        inputs={"monthly_queries": 250_000},
        rerank=True,
        latency_target_ms=900,
    )

    new = services.decision_revisit(decision=old, user=user)

    estimate = Estimate.objects.get(decision=new)
    assert estimate.price == price
    assert estimate.tuned_price == tuned
    assert estimate.inputs == {"monthly_queries": 250_000}
    assert estimate.rerank is True
    assert estimate.latency_target_ms == 900
    assert Estimate.objects.filter(decision=old).exists()


def test_no_numbers_no_estimate(old, user):
    new = services.decision_revisit(decision=old, user=user)

    assert not Estimate.objects.filter(decision=new).exists()


def test_revisit_is_audited(old, user):
    new = services.decision_revisit(decision=old, user=user)

    event = AuditEvent.objects.get(decision=new)
    assert event.action == AuditEvent.Action.DECISION_STARTED
    assert event.actor == user
    assert event.project == old.project
    assert event.summary == (
        "started the decision “Revisit of “Support bot answers””, revisiting “Support bot answers”"
    )


def test_an_in_progress_decision_cannot_be_revisited(project, user):
    draft = DecisionFactory(project=project)
    services.answer_save(decision=draft, step=1, value="knowledge")
    decisions, events = Decision.objects.count(), AuditEvent.objects.count()

    with pytest.raises(services.Refused, match="not complete yet"):
        services.decision_revisit(decision=draft, user=user)

    assert Decision.objects.count() == decisions
    assert AuditEvent.objects.count() == events


def test_a_title_can_be_given_and_the_default_fits_the_column(old, user):
    named = services.decision_revisit(decision=old, user=user, title="  Q3 check  ")
    long_title = "x" * 160

    assert named.title == "Q3 check"
    assert revisit_title("Support bot") == "Revisit of “Support bot”"
    assert len(revisit_title(long_title)) == 160
    assert revisit_title(long_title).endswith("x…”")


def test_a_revisit_can_itself_be_revisited(old, user):
    second = revisited(old, user, BEHAVIOUR)

    third = services.decision_revisit(decision=second, user=user)

    assert third.revisit_of == second
    assert third.answers.get(question="problem").value == "behavior"


# --- Revisit, the page ----------------------------------------------------------------------


def test_revisit_without_js_goes_to_step_one_with_a_message(client_logged_in, old):
    response = client_logged_in.post(revisit_url(old), follow=True)

    new = old.revisits.get()
    assert response.redirect_chain == [(reverse("advisor:decision_step", args=[new.pk, 1]), 302)]
    assert escape("The answers and notes of “Support bot answers” were copied") in response.text
    assert "Revisiting" in response.text
    assert 'value="knowledge"' in response.text
    assert escape("Tickets ask about <this week's> prices") in response.text


def test_revisit_with_htmx_redirects_the_client(client_logged_in, old):
    response = client_logged_in.post(revisit_url(old), headers=HX)

    new = old.revisits.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("advisor:decision_step", args=[new.pk, 1])


def test_a_viewer_cannot_revisit(old, viewer_client):
    decisions = Decision.objects.count()

    response = viewer_client.post(revisit_url(old))

    assert response.status_code == 403
    assert escape(REFUSALS[Role.EDITOR]) in response.text
    assert Decision.objects.count() == decisions


def test_revisiting_an_in_progress_decision_says_why(client_logged_in, project):
    draft = DecisionFactory(project=project)
    decisions = Decision.objects.count()

    response = client_logged_in.post(revisit_url(draft), follow=True)

    assert "nothing to revisit" in response.text
    assert Decision.objects.count() == decisions


def test_revisit_needs_a_post(client_logged_in, old):
    assert client_logged_in.get(revisit_url(old)).status_code == 405


# --- The result page ------------------------------------------------------------------------


def test_a_completed_revisit_shows_the_comparison_with_its_original(client_logged_in, old, user):
    new = revisited(old, user, BEHAVIOUR)

    html = client_logged_in.get(new.get_absolute_url()).text

    assert "What changed since “Support bot answers”" in html
    assert f'<a href="{old.get_absolute_url()}">“Support bot answers”</a>' in html
    assert (
        "1 answer and 3 verdicts changed; the approach moved from Retrieval (RAG) to "
        "Prompt engineering." in html
    )
    assert "<td><strong>Answer changed</strong></td>" in html
    assert f"{new.recommendation.rules_version} for both." in html


def test_the_original_lists_its_revisits(client_logged_in, old, user):
    new = services.decision_revisit(decision=old, user=user)

    html = client_logged_in.get(old.get_absolute_url()).text

    assert "Revisited by" in html
    assert f'<a href="{new.get_absolute_url()}">{escape(new.title)}</a>' in html
    assert "(in progress)" in html
    assert "What changed since" not in html


def test_editors_get_the_revisit_button_viewers_the_compare_link(
    old, client_logged_in, viewer_client
):
    compare = f"{compare_url(old.project)}?a={old.pk}"

    owner_html = client_logged_in.get(old.get_absolute_url()).text
    viewer_html = viewer_client.get(old.get_absolute_url()).text

    assert f'action="{revisit_url(old)}"' in owner_html
    assert "Revisit this decision" in owner_html
    assert "Revisit this decision" not in viewer_html
    assert revisit_url(old) not in viewer_html
    for html in (owner_html, viewer_html):
        assert f'href="{compare}">Compare with another decision</a>' in html


def test_the_share_page_shows_no_revisit_or_comparison(old, user):
    new = revisited(old, user, BEHAVIOUR)
    link = services.share_create(decision=new, user=user, expires_in_days=7)

    html = Client().get(link.get_absolute_url()).text

    assert "What changed" not in html
    assert old.get_absolute_url() not in html
    assert "Revisit this decision" not in html
    assert "Compare with another decision" not in html


# --- The compare page -----------------------------------------------------------------------


def test_compare_page_in_full(client_logged_in, old, user):
    new = revisited(old, user, BEHAVIOUR)

    response = client_logged_in.get(compare_url(old.project, new.pk, old.pk))

    assert response.status_code == 200
    assert "<html" in response.text
    assert '<h1 class="h3">Compare decisions</h1>' in response.text
    assert 'role="status">1 answer and 3 verdicts changed' in response.text
    # Chosen in either order, the earlier decision is "before".
    before = response.text.index(f'Before: <a href="{old.get_absolute_url()}">')
    after = response.text.index(f'After: <a href="{new.get_absolute_url()}">')
    assert before < after
    assert "Retrieval (RAG)</dd>" in response.text
    assert "Prompt engineering <strong>(changed)</strong>" in response.text


def test_compare_page_says_who_answered_when_a_team_did(client_logged_in, old, user):
    new = team_decision(project=old.project, created_by=user, title="Team call")

    response = client_logged_in.get(compare_url(old.project, old.pk, new.pk))

    assert response.status_code == 200
    assert (
        "Answered by one person before, by 3 people (2 disagreements settled) after."
        in response.text
    )
    assert '<dt class="col-sm-3">Answered by</dt>' in response.text
    assert (
        "One person before, 3 people (2 disagreements settled) after <strong>(changed)</strong>"
        in response.text
    )


def test_compare_page_of_two_single_answers_does_not_say_who_answered(client_logged_in, old, user):
    new = revisited(old, user, BEHAVIOUR)

    response = client_logged_in.get(compare_url(old.project, old.pk, new.pk))

    assert "Answered by" not in response.text


def test_compare_as_fragment_pushes_the_address(client_logged_in, old, user):
    new = revisited(old, user, BEHAVIOUR)
    url = compare_url(old.project, old.pk, new.pk)

    response = client_logged_in.get(url, headers=HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="compare">')
    assert "1 answer and 3 verdicts changed" in response.text
    assert response["HX-Push-Url"] == url
    assert "HX-Request" in response["Vary"]


def test_the_select_lists_completed_decisions_newest_first(client_logged_in, old, user):
    new = revisited(old, user, BEHAVIOUR)
    DecisionFactory(project=old.project, title="Still drafting")

    html = client_logged_in.get(compare_url(old.project)).text

    assert html.index(f"{escape(new.title)} · ") < html.index("Support bot answers · ")
    assert "Prompt engineering</option>" in html
    assert "Retrieval (RAG)</option>" in html
    assert "Still drafting" not in html
    # Nothing chosen yet: the newest against the one before it, and no comparison.
    assert f'<option value="{old.pk}" selected>' in html
    assert f'<option value="{new.pk}" selected>' in html
    assert "What changed" not in html


def test_a_viewer_may_compare(old, user, viewer_client):
    new = revisited(old, user, BEHAVIOUR)

    response = viewer_client.get(compare_url(old.project, old.pk, new.pk))

    assert response.status_code == 200
    assert "1 answer and 3 verdicts changed" in response.text


def test_the_same_decision_twice_says_so(client_logged_in, old):
    response = client_logged_in.get(compare_url(old.project, old.pk, old.pk))

    assert response.status_code == 200
    assert SAME_TWICE in response.text
    assert "What changed" not in response.text


@pytest.mark.parametrize("hx", [False, True], ids=["page", "fragment"])
def test_a_decision_of_another_project_is_an_error_at_the_field(client_logged_in, old, team, hx):
    # Another project of the same team, and another team's decision: neither is offered.
    elsewhere = completed_decision(project=ProjectFactory(team=team), title="Elsewhere")
    foreign = completed_decision(title="Foreign")

    for other in (elsewhere, foreign):
        response = client_logged_in.get(
            compare_url(old.project, old.pk, other.pk), headers=HX if hx else {}
        )

        assert response.status_code == 400
        assert NOT_IN_PROJECT in response.text
        assert 'id="id_b_error"' in response.text
        assert other.title not in response.text
        assert "What changed" not in response.text


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999"])
def test_bad_ids_are_errors_not_crashes(client_logged_in, old, value):
    response = client_logged_in.get(compare_url(old.project, value, old.pk))

    assert response.status_code == 400
    assert 'id="id_a_error"' in response.text


def test_comparing_in_another_teams_project_is_not_found(old):
    outsider = completed_decision(title="Outsider's own").created_by

    response = client_for(outsider).get(compare_url(old.project, old.pk, old.pk))

    assert response.status_code == 404
    assert old.title not in response.text


def test_compare_empty_states(client_logged_in, project, old):
    empty = ProjectFactory(team=project.team)

    nothing = client_logged_in.get(compare_url(empty)).text
    one = client_logged_in.get(compare_url(project)).text

    assert "No decision of this project is complete yet" in nothing
    assert f'action="{compare_url(empty)}"' not in nothing
    assert "Only one decision of this project is complete so far" in one


def test_compare_page_query_count_is_flat(client_logged_in, old, user, django_assert_num_queries):
    new = revisited(old, user, BEHAVIOUR)
    url = compare_url(old.project, old.pk, new.pk)

    # Session, user, project with the role, the choices, the two snapshots.
    with django_assert_num_queries(5):
        assert client_logged_in.get(url).status_code == 200
    for _ in range(10):
        completed_decision(project=old.project)
        DecisionFactory(project=old.project)
    with django_assert_num_queries(5):
        assert client_logged_in.get(url).status_code == 200


def test_result_page_reads_revisits_and_comparison_in_one_query(client_logged_in, old, user):
    def count(decision: Decision) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_logged_in.get(decision.get_absolute_url()).status_code == 200
        return len(queries)

    plain = completed_decision(project=old.project)
    new = revisited(old, user, BEHAVIOUR)
    for _ in range(3):
        services.decision_revisit(decision=old, user=user)

    # One query for the decisions revisiting it and the one it revisits, with its snapshot.
    assert count(new) == count(plain)
    assert count(old) == count(plain)
