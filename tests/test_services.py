"""Services: every write, its guards, and the snapshot it leaves."""

from __future__ import annotations

import pytest

from advisor import services
from advisor.domain import engine
from advisor.domain.wizard import REVIEW_STEP
from advisor.models import Answer, Decision, ImmutableSnapshotError, Recommendation
from tests.factories import (
    RAG_ANSWERS,
    DecisionFactory,
    ProjectFactory,
    answered_decision,
    completed_decision,
)

pytestmark = pytest.mark.django_db


def test_project_create_records_the_creator_and_the_team(user, team):
    project = services.project_create(
        user=user, team=team, name="Support bot", description="Tier 1"
    )

    assert (project.name, project.description, project.created_by, project.team) == (
        "Support bot",
        "Tier 1",
        user,
        team,
    )
    assert project.archived is False


def test_project_update_can_archive():
    project = ProjectFactory()

    services.project_update(
        project=project, user=project.created_by, name="Renamed", description="", archived=True
    )

    project.refresh_from_db()
    assert (project.name, project.archived) == ("Renamed", True)


def test_decision_start_uses_the_date_when_no_title_is_given(user):
    project = ProjectFactory(created_by=user)

    decision = services.decision_start(project=project, user=user, title="   ")

    assert decision.title.startswith("Decision of ")
    assert (decision.status, decision.current_step) == (Decision.Status.IN_PROGRESS, 1)


def test_answer_save_moves_progress_forward_and_keeps_the_note():
    decision = DecisionFactory()

    services.answer_save(decision=decision, step=1, value="knowledge", note="From support logs")

    decision.refresh_from_db()
    assert decision.current_step == 2
    answer = decision.answers.get()
    assert (answer.question, answer.value, answer.note) == (
        "problem",
        "knowledge",
        "From support logs",
    )


def test_answering_an_earlier_step_again_updates_it_without_moving_progress_back():
    decision = DecisionFactory()
    for step, value in enumerate(["knowledge", "rare", "async"], start=1):
        services.answer_save(decision=decision, step=step, value=value)

    services.answer_save(decision=decision, step=1, value="behavior")

    decision.refresh_from_db()
    assert decision.current_step == 4
    assert decision.answers.get(question="problem").value == "behavior"
    assert decision.answers.count() == 3


def test_answer_save_refuses_a_step_whose_earlier_questions_are_open():
    decision = DecisionFactory()

    with pytest.raises(services.Refused) as raised:
        services.answer_save(decision=decision, step=5, value="plenty")

    assert raised.value.step == 1
    assert raised.value.message == "Please answer this question first."
    assert not Answer.objects.exists()


@pytest.mark.parametrize(("step", "value"), [(0, "knowledge"), (6, "knowledge"), (1, "hacked")])
def test_answer_save_refuses_out_of_range_steps_and_unknown_values(step, value):
    decision = DecisionFactory()

    with pytest.raises(services.Refused):
        services.answer_save(decision=decision, step=step, value=value)

    assert not Answer.objects.exists()


def test_answer_save_refuses_a_completed_decision():
    decision = completed_decision()

    with pytest.raises(services.DecisionAlreadyComplete):
        services.answer_save(decision=decision, step=1, value="behavior")

    assert decision.answers.get(question="problem").value == "knowledge"


def test_all_five_answers_lead_to_the_review_step():
    decision = answered_decision()

    assert decision.current_step == REVIEW_STEP


def test_decision_complete_freezes_the_engine_result_with_labels_and_notes():
    decision = answered_decision()
    Answer.objects.filter(decision=decision, question="cost").update(note="Seed round")

    recommendation = services.decision_complete(decision=decision, user=decision.created_by)

    expected = engine.evaluate(engine.Answers(**RAG_ANSWERS))
    assert recommendation.approach == "rag" == expected.approach
    assert recommendation.headline == expected.headline
    assert recommendation.rules_version == engine.RULES_VERSION
    assert [item["question"] for item in recommendation.rationale] == list(RAG_ANSWERS)
    assert recommendation.rationale[0]["answer_label"] == "It lacks information"
    assert recommendation.trade_offs == list(expected.trade_offs)
    assert recommendation.next_step == expected.next_step
    assert recommendation.ladder_step == "rag"
    cost = next(item for item in recommendation.answers if item["question"] == "cost")
    assert (cost["answer"], cost["answer_label"], cost["note"]) == (
        "early_stage",
        "Early stage",
        "Seed round",
    )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.COMPLETE
    assert decision.completed_at is not None


def test_decision_complete_refuses_missing_answers():
    decision = DecisionFactory()
    services.answer_save(decision=decision, step=1, value="knowledge")

    with pytest.raises(services.Refused) as raised:
        services.decision_complete(decision=decision, user=decision.created_by)

    assert raised.value.step == 2
    assert not Recommendation.objects.exists()


def test_completing_twice_keeps_exactly_one_recommendation():
    decision = answered_decision()
    stale_copy = Decision.objects.get(pk=decision.pk)
    services.decision_complete(decision=decision, user=decision.created_by)

    with pytest.raises(services.DecisionAlreadyComplete):
        services.decision_complete(decision=stale_copy, user=decision.created_by)

    assert Recommendation.objects.filter(decision=decision).count() == 1


def test_a_saved_recommendation_cannot_be_rewritten():
    recommendation = completed_decision().recommendation
    recommendation.headline = "Something else"

    with pytest.raises(ImmutableSnapshotError):
        recommendation.save()

    recommendation.refresh_from_db()
    assert recommendation.headline != "Something else"


def test_a_later_rules_change_does_not_touch_a_saved_recommendation(monkeypatch, client):
    decision = completed_decision()
    saved = Recommendation.objects.get(decision=decision)
    monkeypatch.setitem(engine.NEXT_STEP, engine.Approach.RAG, "A rewritten next step.")
    monkeypatch.setattr(engine, "RULES_VERSION", "2099.1")
    client.force_login(decision.created_by)

    page = client.get(decision.get_absolute_url()).text

    assert engine.evaluate(engine.Answers(**RAG_ANSWERS)).next_step == "A rewritten next step."
    assert saved.next_step in page
    assert f"Rules version {saved.rules_version}." in page
    assert "A rewritten next step." not in page
    assert "2099.1" not in page
