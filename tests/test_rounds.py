"""Deciding as a team: asking people, their own answer sets, who sees what and when, closing,
settling, and the snapshot that keeps it all."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor import services
from advisor.domain.questions import QUESTION_KEYS
from advisor.models import Answer, AnswerRound, Kind, Outbox, PersonalAnswer, Role, Settlement
from tests.conftest import HX, client_for, delivered
from tests.factories import RAG_ANSWERS, DecisionFactory, answered_decision, member

pytestmark = pytest.mark.django_db

BEHAVIOUR = RAG_ANSWERS | {"problem": "behavior"}


def url(name, decision, *args):
    return reverse(f"advisor:{name}", args=[decision.pk, *args])


def answer_all(decision, user, answers=RAG_ANSWERS, note=""):
    for step, key in enumerate(QUESTION_KEYS, start=1):
        services.answer_save(decision=decision, step=step, value=answers[key], note=note, user=user)


def asked_team(size=3, **kwargs):
    """A decision whose owner asked `size - 1` others (one of them a viewer, when there are
    two or more); returns the decision and the people, the owner first."""
    decision = DecisionFactory(**kwargs)
    owner, team = decision.created_by, decision.project.team
    others = [
        member(team, Role.VIEWER if n == 0 else Role.EDITOR, username=f"person{n}")
        for n in range(size - 1)
    ]
    services.round_ask(decision=decision, user=owner, people=others)
    return decision, [owner, *others]


def submitted(decision, people, answers):
    for person, given in zip(people, answers, strict=True):
        answer_all(decision, person, given, note=f"Note of {person.username}")
        services.round_submit(decision=decision, user=person)


# --- Asking ---------------------------------------------------------------------------------


def test_asking_includes_the_asker_and_moves_their_answers_into_their_own_set():
    decision = answered_decision(notes={"problem": "Support tickets"})
    owner = decision.created_by
    other = member(decision.project.team)

    services.round_ask(decision=decision, user=owner, people=[other])

    answer_round = AnswerRound.objects.get(decision=decision)
    assert sorted(r.user.username for r in answer_round.respondents.all()) == sorted(
        [owner.username, other.username]
    )
    mine = PersonalAnswer.objects.filter(respondent__user=owner)
    assert {a.question: a.value for a in mine} == RAG_ANSWERS
    assert mine.get(question="problem").note == "Support tickets"
    assert not Answer.objects.filter(decision=decision).exists()


def test_only_members_of_the_team_can_be_asked():
    decision = DecisionFactory()
    stranger = member(DecisionFactory().project.team)

    with pytest.raises(services.Refused, match="Only members"):
        services.round_ask(decision=decision, user=decision.created_by, people=[stranger])

    assert not AnswerRound.objects.exists()


def test_the_ask_form_names_a_bad_field_and_writes_nothing(client):
    decision = DecisionFactory()
    client.force_login(decision.created_by)

    past = client.post(url("round_ask", decision), {"everyone": "on", "deadline": "2001-01-01"})
    nobody = client.post(url("round_ask", decision), {})
    nul = client.post(url("round_ask", decision), {"everyone": "on", "deadline": "2026\x00-01"})
    stranger = client.post(url("round_ask", decision), {"people": ["999999"]})

    assert past.status_code == nobody.status_code == nul.status_code == stranger.status_code == 400
    assert "Choose a date from today" in past.text
    assert "Choose at least one person" in nobody.text
    assert "Enter a date" in nul.text
    assert "999999" in stranger.text or "not one of the available choices" in stranger.text
    assert not AnswerRound.objects.exists()


def test_asking_again_adds_people_and_keeps_what_was_given():
    decision, (owner, viewer, _editor) = asked_team()
    answer_all(decision, viewer)
    newcomer = member(decision.project.team, username="newcomer")

    services.round_ask(decision=decision, user=owner, people=[newcomer])

    assert decision.round.respondents.count() == 4
    assert PersonalAnswer.objects.filter(respondent__user=viewer).count() == 5


# --- Answering on one's own -------------------------------------------------------------------


def test_an_asked_viewer_answers_in_the_wizard_into_their_own_set(client):
    decision, (_owner, viewer, _) = asked_team()
    client.force_login(viewer)

    page = client.get(url("decision_step", decision, 1))
    saved = client.post(url("decision_step", decision, 1), {"value": "behavior", "note": "Tone"})
    answer_all(decision, viewer, BEHAVIOUR)
    refine = client.post(url("decision_refine", decision), {"eval_set": "scored"})

    assert page.status_code == 200
    assert "Your own answers" in page.text
    assert saved.status_code == 302
    assert refine.status_code == 302
    mine = PersonalAnswer.objects.filter(respondent__user=viewer)
    assert {a.question: a.value for a in mine} == BEHAVIOUR | {"eval_set": "scored"}
    assert not Answer.objects.filter(decision=decision).exists()


def test_an_editor_who_was_not_asked_is_sent_to_the_round_and_writes_nothing(client):
    decision, _ = asked_team()
    outsider_editor = member(decision.project.team, Role.EDITOR, username="late")
    client.force_login(outsider_editor)

    response = client.post(url("decision_step", decision, 1), {"value": "behavior"}, follow=True)

    assert response.redirect_chain[-1][0] == decision.get_absolute_url()
    assert "you were not asked" in response.text
    assert not PersonalAnswer.objects.filter(respondent__user=outsider_editor).exists()


def test_a_viewer_who_was_not_asked_may_not_answer(client):
    decision, _ = asked_team()
    viewer = member(decision.project.team, Role.VIEWER, username="watcher")
    client.force_login(viewer)

    assert client.get(url("decision_step", decision, 1)).status_code == 403
    assert client.get(decision.get_absolute_url()).status_code == 200


def test_submitting_needs_every_question_and_then_locks_the_answers(client):
    decision, (_owner, viewer, _) = asked_team()
    client.force_login(viewer)
    client.post(url("decision_step", decision, 1), {"value": "knowledge"})

    early = client.post(url("round_submit", decision))
    answer_all(decision, viewer)
    done = client.post(url("round_submit", decision), follow=True)
    again = client.post(url("decision_step", decision, 1), {"value": "behavior"}, follow=True)

    assert early["Location"] == url("decision_step", decision, 2)
    assert "Your answers are submitted" in done.text
    assert "can no longer change" in again.text
    assert PersonalAnswer.objects.get(respondent__user=viewer, question="problem").value == (
        "knowledge"
    )


def test_the_review_of_ones_own_answers_submits_instead_of_completing(client):
    decision, (owner, *_) = asked_team()
    answer_all(decision, owner)
    client.force_login(owner)

    review = client.get(url("decision_review", decision))

    assert "Submit my answers" in review.text
    assert "Get recommendation" not in review.text
    assert "Your numbers" not in review.text


# --- Who sees what ------------------------------------------------------------------------------


def test_nobody_sees_the_others_answers_or_notes_before_submitting_their_own(client):
    decision, (owner, viewer, editor) = asked_team()
    team = decision.project.team
    bystander = member(team, Role.EDITOR, username="bystander")
    submitted(decision, [owner], [RAG_ANSWERS])
    answer_all(decision, viewer, BEHAVIOUR, note="Secret of the viewer")

    pages = {}
    for person in (owner, viewer, editor, bystander):
        pages[person.username] = client_for(person).get(decision.get_absolute_url()).text

    # The owner submitted: they see the owner's (own) submitted answers, never a draft.
    assert f"Note of {owner.username}" in pages[owner.username]
    assert "Secret of the viewer" not in pages[owner.username]
    for name in (viewer.username, editor.username, bystander.username):
        assert f"Note of {owner.username}" not in pages[name]
        assert "Secret of the viewer" not in pages[name]
    assert "once you submit yours" in pages[viewer.username]
    assert "once the answers are closed" in pages[bystander.username]


def test_after_closing_everyone_in_the_team_sees_what_was_submitted(client):
    decision, (owner, viewer, editor) = asked_team()
    submitted(decision, [owner, viewer], [RAG_ANSWERS, BEHAVIOUR])
    answer_all(decision, editor, note="Never submitted")
    services.round_close(decision=decision, user=owner)
    bystander = member(decision.project.team, Role.VIEWER, username="bystander")

    page = client_for(bystander).get(decision.get_absolute_url()).text

    assert f"Note of {viewer.username}" in page
    assert "Never submitted" not in page
    assert "did not answer" in page
    assert "Changes the recommendation" in page
    assert "Settle the answers" not in page  # a viewer never settles


def test_the_round_page_is_a_fragment_for_htmx_and_a_page_without(client):
    decision, (owner, *_) = asked_team()
    client.force_login(owner)

    full = client.get(decision.get_absolute_url())
    fragment = client.get(decision.get_absolute_url(), headers=HX)

    assert "<html" in full.text
    assert "<html" not in fragment.text
    assert 'id="round"' in fragment.text


# --- Closing and settling -------------------------------------------------------------------


def test_closing_needs_one_submission_and_settles_what_everyone_agreed_on():
    decision, (owner, viewer, _editor) = asked_team()

    with pytest.raises(services.Refused, match="Nobody has submitted"):
        services.round_close(decision=decision, user=owner)
    submitted(decision, [owner, viewer], [RAG_ANSWERS, BEHAVIOUR])
    services.round_close(decision=decision, user=owner)

    settled = dict(Settlement.objects.values_list("question", "value"))
    assert settled == {k: v for k, v in RAG_ANSWERS.items() if k != "problem"}
    assert {a.question: a.value for a in decision.answers.all()} == settled


def test_settling_a_disagreement_needs_a_note_next_to_the_question(client):
    decision, (owner, viewer, _editor) = asked_team()
    submitted(decision, [owner, viewer], [RAG_ANSWERS, BEHAVIOUR])
    services.round_close(decision=decision, user=owner)
    client.force_login(owner)

    bare = client.post(url("question_settle", decision), {"key": "problem", "value": "knowledge"})
    foreign = client.post(
        url("question_settle", decision), {"key": "problem", "value": "both", "note": "x"}
    )
    nul = client.post(
        url("question_settle", decision), {"key": "problem", "value": "knowledge", "note": "a\x00"}
    )
    long = client.post(
        url("question_settle", decision),
        {"key": "problem", "value": "knowledge", "note": "x" * 501},
    )

    assert bare.status_code == foreign.status_code == nul.status_code == long.status_code == 400
    assert "say in a short note why" in bare.text
    assert 'id="settle-problem-error"' in bare.text
    assert "Take one of the answers people gave" in foreign.text
    assert "Null characters are not allowed" in nul.text
    assert "500 characters or fewer" in long.text
    assert not Settlement.objects.filter(question="problem").exists()


def test_an_htmx_settle_returns_the_round_with_the_question_settled(client):
    decision, (owner, viewer, editor) = asked_team()
    submitted(decision, [owner, viewer], [RAG_ANSWERS, BEHAVIOUR])
    services.round_close(decision=decision, user=owner)
    client.force_login(editor)

    response = client.post(
        url("question_settle", decision),
        {"key": "problem", "value": "behavior", "note": "Tone is the issue"},
        headers=HX,
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Every question is settled" in response.text
    settlement = Settlement.objects.get(question="problem")
    assert (settlement.value, settlement.settled_by_name) == ("behavior", editor.username)
    assert decision.answers.get(question="problem").note == "Tone is the issue"


def test_the_decision_completes_only_once_closed_and_settled_and_keeps_everyone():
    decision, (owner, viewer, _editor) = asked_team()
    submitted(decision, [owner, viewer], [RAG_ANSWERS, BEHAVIOUR])

    with pytest.raises(services.Refused, match="Close the team's answers"):
        services.decision_complete(decision=decision, user=owner)
    services.round_close(decision=decision, user=owner)
    with pytest.raises(services.Refused, match="Settle every question"):
        services.decision_complete(decision=decision, user=owner)
    services.question_settle(
        decision=decision, user=owner, key="problem", value="behavior", note="Tone"
    )
    recommendation = services.decision_complete(decision=decision, user=owner)

    team = recommendation.team_answers
    assert recommendation.approach == "prompt_engineering"
    people = {p["name"]: p for p in team["people"]}
    assert sorted(people) == sorted([owner.username, "person0", "person1"])
    assert [people[n]["submitted"] for n in (owner.username, "person0", "person1")] == [
        True,
        True,
        False,
    ]
    problem = team["questions"][0]
    assert problem["settled"] == {
        "answer": "behavior",
        "answer_label": problem["settled"]["answer_label"],
        "note": "Tone",
        "settled_by": owner.username,
    }
    order = [p["name"] for p in team["people"]]
    assert problem["answers"][order.index("person0")]["note"] == "Note of person0"
    assert problem["changes"][0]["approach"] == "rag"


def test_a_decision_one_person_answered_has_no_team_answers():
    decision = answered_decision()

    recommendation = services.decision_complete(decision=decision, user=decision.created_by)

    assert recommendation.team_answers is None


def test_the_result_page_shows_the_team_and_the_share_page_hides_their_names(client):
    decision, (owner, viewer, editor) = asked_team()
    submitted(decision, [owner, viewer], [RAG_ANSWERS, BEHAVIOUR])
    services.round_close(decision=decision, user=owner)
    services.question_settle(
        decision=decision, user=owner, key="problem", value="knowledge", note="Docs first"
    )
    services.decision_complete(decision=decision, user=owner)
    decision.refresh_from_db()
    link = services.share_create(decision=decision, user=owner, expires_in_days=7)
    client.force_login(owner)

    result = client.get(decision.get_absolute_url()).text
    shared = client.get(link.get_absolute_url()).text

    assert "How the team answered" in result
    assert "Docs first" in result
    assert "How the team answered" in shared
    assert "Person 2" in shared
    for person in (owner, viewer, editor):  # the notes, their own words, may name anyone
        assert f'<th scope="col">{person.username}' not in shared
        assert f"by {person.username}" not in shared
    assert f'<th scope="col">{viewer.username}' in result


# --- Budgets ----------------------------------------------------------------------------------


def round_page_queries(size: int) -> int:
    decision, people = asked_team(size)
    submitted(decision, people, [RAG_ANSWERS if n % 2 else BEHAVIOUR for n in range(size)])
    services.round_close(decision=decision, user=people[0])
    client = client_for(people[0])
    client.get(decision.get_absolute_url())  # warm the session and the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(decision.get_absolute_url())
    assert response.status_code == 200
    assert response.text.count("Note of person") == 5 * (size - 1)
    return len(queries)


def test_the_disagreement_view_reads_the_same_number_of_rows_for_3_and_30_people():
    three, thirty = round_page_queries(3), round_page_queries(30)

    assert three == thirty
    assert thirty <= 7


def test_the_reminder_date_is_checked_against_today():
    decision = DecisionFactory()
    tomorrow = timezone.localdate() + timedelta(days=1)

    services.round_ask(decision=decision, user=decision.created_by, people=[], deadline=tomorrow)

    assert decision.round.deadline == tomorrow


# --- What people are told -----------------------------------------------------------------------


def test_asking_emails_each_person_asked_once_with_an_absolute_link_to_the_wizard():
    decision = DecisionFactory()
    owner, team = decision.created_by, decision.project.team
    first, second = member(team, username="ann"), member(team, Role.VIEWER, username="bo")

    with delivered():
        services.round_ask(decision=decision, user=owner, people=[first])
    with delivered():
        services.round_ask(decision=decision, user=owner, people=[first, second])

    assert sorted(m.to[0] for m in mail.outbox) == [first.email, second.email]
    message = mail.outbox[0]
    assert decision.title in message.subject
    wizard = f"{settings.SITE_URL}{url('decision_step', decision, 1)}"
    assert wizard in message.body
    assert wizard in message.alternatives[0].content
    assert Outbox.objects.filter(kind=Kind.ANSWERS_REQUESTED).count() == 2


def test_the_last_answer_tells_the_editor_who_asked():
    decision, (owner, viewer, editor) = asked_team()
    with delivered():
        submitted(decision, [owner, viewer], [RAG_ANSWERS, BEHAVIOUR])
    assert [m.to for m in mail.outbox if "Everyone has answered" in m.subject] == []

    with delivered():
        submitted(decision, [editor], [RAG_ANSWERS])

    told = [m for m in mail.outbox if "Everyone has answered" in m.subject]
    assert [m.to for m in told] == [[owner.email]]
    assert "All 3 people" in told[0].body


def test_a_reminder_goes_the_day_before_the_deadline_to_those_yet_to_submit_once():
    today = timezone.localdate()
    decision = DecisionFactory()
    owner, team = decision.created_by, decision.project.team
    late, done = member(team, username="late"), member(team, username="done")
    services.round_ask(
        decision=decision, user=owner, people=[late, done], deadline=today + timedelta(days=2)
    )
    submitted(decision, [done], [RAG_ANSWERS])
    morning = timezone.now().replace(hour=settings.DIGEST_HOUR, minute=5)
    night_before = morning.replace(hour=0, minute=5)

    with delivered():
        too_early = services.deadline_reminders_send(now=morning)
        tomorrow = morning + timedelta(days=1)
        before_the_hour = services.deadline_reminders_send(now=night_before + timedelta(days=1))
        sent = services.deadline_reminders_send(now=tomorrow)
        again = services.deadline_reminders_send(now=tomorrow + timedelta(hours=3))

    assert (too_early, before_the_hour, sent, again) == (0, 0, 2, 0)
    assert sorted(m.to[0] for m in mail.outbox if "Reminder" in m.subject) == sorted(
        [owner.email, late.email]
    )


def test_no_reminder_once_the_round_is_closed():
    decision, (owner, *_) = asked_team()
    answer_round = decision.round
    answer_round.deadline = timezone.localdate() + timedelta(days=1)
    answer_round.save()
    submitted(decision, [owner], [RAG_ANSWERS])
    services.round_close(decision=decision, user=owner)

    assert services.deadline_reminders_send(now=timezone.now().replace(hour=23)) == 0


def test_a_comment_reaches_those_who_answered_or_settled():
    decision, (owner, viewer, editor) = asked_team()
    submitted(decision, [owner, viewer], [RAG_ANSWERS, BEHAVIOUR])
    services.round_close(decision=decision, user=owner)
    services.question_settle(
        decision=decision, user=editor, key="problem", value="knowledge", note="Docs"
    )
    services.decision_complete(decision=decision, user=owner)
    decision.refresh_from_db()
    mail.outbox.clear()

    with delivered():
        services.comment_add(decision=decision, user=owner, body="Shipping Monday")

    assert sorted(m.to[0] for m in mail.outbox) == sorted([viewer.email, editor.email])


def test_the_project_page_says_the_team_is_answering_then_settling(client):
    decision, (owner, *_) = asked_team()
    client.force_login(owner)
    project_page = decision.project.get_absolute_url()

    answering = client.get(project_page).text
    submitted(decision, [owner], [RAG_ANSWERS])
    services.round_close(decision=decision, user=owner)
    settling = client.get(project_page).text

    assert "In progress: the team is answering" in answering
    assert "In progress: settling the team&#x27;s answers" in settling


def test_a_refused_settle_keeps_the_answer_chosen_and_the_note(client):
    decision, (owner, viewer, _editor) = asked_team()
    submitted(decision, [owner, viewer], [RAG_ANSWERS, BEHAVIOUR])
    services.round_close(decision=decision, user=owner)
    client.force_login(owner)

    response = client.post(
        url("question_settle", decision), {"key": "problem", "value": "behavior"}, headers=HX
    )

    assert response.status_code == 400
    assert re.search(r'value="behavior" id="settle-problem-\d" checked', response.text)
    assert not re.search(r'value="knowledge" id="settle-problem-\d" checked', response.text)


def test_the_ask_page_of_a_team_of_one_says_to_invite_people_first(client):
    decision = DecisionFactory()
    client.force_login(decision.created_by)

    page = client.get(url("round_ask", decision)).text

    assert "Nobody else is in" in page
    assert decision.project.team.get_absolute_url() in page


# --- Refusals said where they can be read ------------------------------------------------------


def test_settling_where_there_is_nothing_to_settle_says_why_on_the_decision_page(client):
    alone = answered_decision()
    decision, (owner, viewer, _editor) = asked_team()
    client.force_login(owner)
    alone_client = client_for(alone.created_by)

    no_round = alone_client.post(url("question_settle", alone), {"key": "problem"}, follow=True)
    still_open = client.post(
        url("question_settle", decision), {"key": "problem", "value": "knowledge"}, follow=True
    )
    submitted(decision, [owner, viewer], [RAG_ANSWERS, BEHAVIOUR])
    services.round_close(decision=decision, user=owner)
    unknown = client.post(url("question_settle", decision), {"key": "zzz"}, follow=True)
    agreed = client.post(
        url("question_settle", decision), {"key": "latency", "value": "realtime", "note": "x"}
    )

    assert "Nobody has been asked" in no_round.text
    assert "Only the answers of a closed round" in still_open.text
    assert "not one of this decision&#x27;s questions" in unknown.text
    assert agreed.status_code == 400
    assert "Take one of the answers people gave" in agreed.text
    assert not Settlement.objects.filter(note="x").exists()


def test_asking_nobody_new_is_refused_and_records_nothing():
    decision, (owner, viewer, _editor) = asked_team()

    with pytest.raises(services.Refused, match="asked already"):
        services.round_ask(decision=decision, user=owner, people=[viewer])

    assert decision.round.respondents.count() == 3


def test_after_closing_an_editor_who_was_not_asked_is_told_it_is_closed(client):
    decision, (owner, *_) = asked_team()
    submitted(decision, [owner], [RAG_ANSWERS])
    services.round_close(decision=decision, user=owner)
    late = member(decision.project.team, Role.EDITOR, username="late")

    response = client_for(late).get(url("decision_step", decision, 1), follow=True)

    assert "The team&#x27;s answers are closed" in response.text


def test_the_refine_step_of_ones_own_answers_says_so(client):
    decision, (_owner, viewer, _editor) = asked_team()
    answer_all(decision, viewer)

    page = client_for(viewer).get(url("decision_refine", decision)).text

    assert "Your own answers" in page
    assert "Ask the team to answer too" not in page


def test_someone_who_left_the_team_gets_no_reminder():
    decision = DecisionFactory()
    owner, team = decision.created_by, decision.project.team
    gone = member(team, username="gone")
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.round_ask(decision=decision, user=owner, people=[gone], deadline=tomorrow)
    submitted(decision, [owner], [RAG_ANSWERS])
    team.memberships.filter(user=gone).delete()

    sent = services.deadline_reminders_send(now=timezone.now().replace(hour=23))

    assert sent == 0
