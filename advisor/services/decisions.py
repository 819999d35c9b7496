"""Writes to projects and decisions: keyword-only arguments, one transaction each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from advisor import selectors
from advisor.domain import costs, engine
from advisor.domain.questions import QUESTIONS, STEP_COUNT, question_at
from advisor.domain.refine import REFINE_KEYS, Refinement, refine_label, refine_title
from advisor.domain.refusals import DecisionAlreadyComplete, Refused
from advisor.domain.wizard import REVIEW_STEP, first_unanswered_step, wizard_refusal
from advisor.models import (
    Answer,
    AnswerRound,
    AuditEvent,
    Decision,
    Estimate,
    PersonalAnswer,
    Project,
    Recommendation,
    Respondent,
    ShareLink,
    Team,
)
from advisor.services import pagecache
from advisor.services.audit import audit_record
from advisor.services.notifications import decision_completed_notify
from advisor.services.rounds import respondent_open, wizard_respondent


@transaction.atomic
def project_create(
    *, user: AbstractBaseUser, team: Team, name: str, description: str = ""
) -> Project:
    project = Project.objects.create(team=team, name=name, description=description, created_by=user)
    audit_record(
        actor=user,
        team=team,
        project=project,
        action=AuditEvent.Action.PROJECT_CREATED,
        summary=f"created the project “{name}”",
    )
    return project


@transaction.atomic
def project_update(
    *, project: Project, user: AbstractBaseUser, name: str, description: str, archived: bool
) -> Project:
    # Compare with the stored row, locked: a ModelForm has already copied the new values
    # onto `project`, and another edit may be saving at the same moment.
    stored = Project.objects.select_for_update().get(pk=project.pk)
    changes = []
    if name != stored.name:
        changes.append(f"renamed it from “{stored.name}”")
    if archived != stored.archived:
        changes.append("archived it" if archived else "restored it from the archive")
    if description != stored.description:
        changes.append("changed its description")
    project.name = name
    project.description = description
    project.archived = archived
    project.save(update_fields=["name", "description", "archived", "updated_at"])
    if name != stored.name:  # share pages show the project's name
        pagecache.share_pages_forget(ShareLink.objects.filter(decision__project=project))
    if changes:
        audit_record(
            actor=user,
            team=project.team,
            project=project,
            action=AuditEvent.Action.PROJECT_EDITED,
            summary=f"edited the project “{name}”: {', '.join(changes)}",
        )
    return project


@transaction.atomic
def project_delete(*, project: Project, user: AbstractBaseUser) -> None:
    """Delete a project with its decisions; the team's audit trail keeps a line about it."""
    count = project.decisions.count()
    audit_record(
        actor=user,
        team=project.team,
        action=AuditEvent.Action.PROJECT_DELETED,
        summary=f"deleted the project “{project.name}” and its {count} decision(s)",
    )
    project.delete()


@transaction.atomic
def decision_start(*, project: Project, user: AbstractBaseUser, title: str = "") -> Decision:
    """Open a new wizard run in a project."""
    title = title.strip() or f"Decision of {timezone.localdate():%d %b %Y}"
    decision = Decision.objects.create(project=project, title=title, created_by=user)
    audit_record(
        actor=user,
        team=project.team,
        project=project,
        decision=decision,
        action=AuditEvent.Action.DECISION_STARTED,
        summary=f"started the decision “{title}”",
    )
    return decision


def _lock(decision: Decision) -> Decision:
    """The decision row, locked, with its round (if the team was asked) in the same query."""
    return (
        Decision.objects.select_for_update(of=("self",)).select_related("round").get(pk=decision.pk)
    )


class Submitted(NamedTuple):
    """A saved wizard step: the decision (locked, with the user's role), whose answer set
    was written (None: the decision's own) and the answers after the save, by question key."""

    decision: Decision
    respondent: Respondent | None
    answers: dict[str, Answer | PersonalAnswer]


@transaction.atomic
def answer_submit(
    *, user: AbstractBaseUser, pk: int, step: int, value: str, note: str = ""
) -> Submitted:
    """The wizard's save of one step: the access check and the decision's row lock in one
    statement (`selectors.decision_get` with `lock`), then what `answer_save` writes.

    Raises what `decision_get` raises for a decision the user may not open, RoleTooLow for a
    viewer who was not asked, and Refused for a complete decision, a round that does not let
    the user write, or a step `wizard_refusal` refuses.
    """
    decision = selectors.decision_get(user=user, pk=pk, lock=True)
    if decision.is_complete:
        raise wizard_refusal(complete=True, answered=set(), step=step)
    respondent = wizard_respondent(decision, user)
    return Submitted(decision, respondent, _answer_write(decision, respondent, step, value, note))


@transaction.atomic
def answer_save(
    *,
    decision: Decision,
    step: int,
    value: str,
    note: str = "",
    user: AbstractBaseUser | None = None,
) -> dict[str, Answer | PersonalAnswer]:
    """Save the answer of one step and move the progress forward.

    Writes the decision's own answers, or, once the team was asked (services.round_ask),
    `user`'s own answer set, refusing anyone the round does not let write. Returns the
    answers after the save, by question key, and for the decision's own sets the new
    `current_step` on `decision` too, so the caller can show the next step without reading
    them again. Refuses what `wizard_refusal` refuses and a value that is not one of the
    question's choices; the form has normally caught the latter already.
    """
    locked = _lock(decision)
    respondent = respondent_open(locked, user)
    answers = _answer_write(locked, respondent, step, value, note)
    if respondent is None:
        decision.current_step, decision.updated_at = locked.current_step, locked.updated_at
    return answers


def _answer_write(
    locked: Decision, respondent: Respondent | None, step: int, value: str, note: str
) -> dict[str, Answer | PersonalAnswer]:
    """Write one step's answer to `respondent`'s set (None: the decision's own, whose progress
    moves too); `locked` is the decision with its row locked by this transaction."""
    answers = selectors.decision_answers(decision=locked, respondent=respondent)
    refusal = wizard_refusal(
        complete=locked.is_complete, answered=set(answers), step=step, last=STEP_COUNT
    )
    if refusal:
        raise refusal
    question = question_at(step)
    if value not in question.values:
        raise Refused(f"“{value}” is not one of the choices.", step=step)
    # The decision row is locked, so no other save of this decision can interleave here.
    answer = answers.get(question.key)
    if answer is None:
        answers[question.key] = _answer_create(locked, respondent, question.key, value, note)
    elif (answer.value, answer.note) != (value, note):
        answer.value, answer.note = value, note
        answer.save(update_fields=["value", "note", "updated_at"])
    if respondent is None:
        locked.current_step = first_unanswered_step(set(answers))
        locked.save(update_fields=["current_step", "updated_at"])
    return answers


def _answer_create(
    decision: Decision, respondent: Respondent | None, key: str, value: str, note: str
) -> Answer | PersonalAnswer:
    if respondent is not None:
        return PersonalAnswer.objects.create(
            respondent=respondent, question=key, value=value, note=note
        )
    return Answer.objects.create(decision=decision, question=key, value=value, note=note)


@transaction.atomic
def refine_save(
    *,
    decision: Decision,
    values: Mapping[str, str | int | None],
    notes: Mapping[str, str],
    user: AbstractBaseUser | None = None,
) -> dict[str, Answer | PersonalAnswer]:
    """Save answers of the optional refine step, each key of `values` with its note.

    A key given None ("Not sure") loses its saved answer; keys not in `values` are left as
    they are, and so is the note of a key not in `notes`. Open once the five questions are
    answered and until the decision is complete (the review's rule); a value the domain
    refuses raises Refused naming the key. Once the team was asked, writes `user`'s own
    answer set as `answer_save` does. Returns the refine answers after the save.
    """
    locked = _lock(decision)
    respondent = respondent_open(locked, user)
    answers = selectors.decision_answers(decision=locked, respondent=respondent)
    if refusal := wizard_refusal(
        complete=locked.is_complete, answered=set(answers), step=REVIEW_STEP
    ):
        raise refusal
    try:
        given = Refinement.from_mapping(values).as_dict()
    except engine.InvalidAnswers as error:
        raise Refused(*(f"{key}: {text}" for key, text in error.errors.items())) from error
    rows = respondent.answers if respondent else locked.answers
    saved = {a.question: a for a in rows.filter(question__in=list(values))}
    for key in (key for key in REFINE_KEYS if key in values):
        answer = saved.get(key)
        note = notes.get(key, answer.note if answer else "")
        if key not in given:
            if answer:
                answer.delete()
        elif answer is None:
            _answer_create(locked, respondent, key, str(given[key]), note)
        elif (answer.value, answer.note) != (str(given[key]), note):
            answer.value, answer.note = str(given[key]), note
            answer.save(update_fields=["value", "note", "updated_at"])
    if respondent is not None:
        return selectors.decision_refine_answers(decision=locked, respondent=respondent)
    if "corpus_tokens" in values:
        # Entered once: from now on the refine answer holds the corpus size, not the numbers
        # saved before it existed.
        for row in Estimate.objects.filter(decision=locked, inputs__has_key="corpus_tokens"):
            row.inputs.pop("corpus_tokens")
            row.save(update_fields=["inputs"])
    locked.save(update_fields=["updated_at"])
    return selectors.decision_refine_answers(decision=locked)


@transaction.atomic
def decision_complete(*, decision: Decision, user: AbstractBaseUser) -> Recommendation:
    """Run the engine on the saved answers and freeze the result as the recommendation.

    Safe against a double submit from two tabs: the decision row is locked, and the one-to-one
    recommendation makes a second snapshot impossible even where locks are not available.
    """
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("project__team", "round")
        .get(pk=decision.pk)
    )
    if decision.is_complete:
        raise DecisionAlreadyComplete("This decision was already completed; here is its result.")
    team_answers = _team_answers(decision)
    # A stored value that is not (or no longer) a choice counts as unanswered.
    answers = selectors.decision_answers(decision=decision, choices_only=True)
    missing = first_unanswered_step(set(answers))
    if missing <= STEP_COUNT:
        raise Refused("Every question needs an answer before a recommendation.", step=missing)
    parsed = engine.Answers.from_mapping({key: answer.value for key, answer in answers.items()})
    refine = selectors.decision_refine_answers(decision=decision)
    result, report = _advice(decision, parsed, selectors.refinement_of(refine))
    try:
        with transaction.atomic():
            recommendation = Recommendation.objects.create(
                decision=decision,
                estimate=report,
                team_answers=team_answers,
                **_snapshot(result, answers, refine),
            )
    except IntegrityError as error:
        raise DecisionAlreadyComplete(
            "This decision was already completed; here is its result."
        ) from error
    decision.status = Decision.Status.COMPLETE
    decision.completed_at = timezone.now()
    decision.completed_by_name = user.get_username()
    decision.current_step = REVIEW_STEP
    decision.save(
        update_fields=["status", "completed_at", "completed_by_name", "current_step", "updated_at"]
    )
    audit_record(
        actor=user,
        team=decision.project.team,
        project=decision.project,
        decision=decision,
        action=AuditEvent.Action.DECISION_COMPLETED,
        summary=f"completed “{decision.title}”: {recommendation.get_approach_display()}",
    )
    # In this transaction: the webhook message is written with the completion or not at all.
    decision_completed_notify(decision)
    return recommendation


def _team_answers(decision: Decision) -> dict[str, Any] | None:
    """The round's document for the snapshot, None when one person answered; refuses while
    the round is open or a question is unsettled."""
    try:
        answer_round = decision.round
    except AnswerRound.DoesNotExist:
        return None
    if answer_round.is_open:
        raise Refused("Close the team's answers and settle them before the recommendation.")
    if selectors.round_unsettled(answer_round):
        raise Refused("Settle every question the team answered before the recommendation.")
    respondents = list(answer_round.respondents.select_related("user"))
    return selectors.round_document(answer_round, respondents)


def _advice(
    decision: Decision, answers: engine.Answers, refinement: Refinement
) -> tuple[engine.Advice, dict | None]:
    """The engine's result, with the saved numbers' evidence and report when there are any."""
    saved = selectors.decision_numbers(decision=decision)
    if saved is None:
        return engine.evaluate(answers, refinement=refinement), None
    try:
        # The refine answers set defaults too (the corpus size is theirs).
        estimate = selectors.saved_estimate(saved, answers.as_dict() | refinement.as_dict())
    except costs.InvalidEstimate as error:  # saved under older limits, or the table emptied
        raise Refused(
            "The saved numbers no longer pass the checks: open “Your numbers” from the review "
            "to correct them, or remove them.",
            step=REVIEW_STEP,
        ) from error
    return costs.estimate_advice(
        answers=answers,
        estimate=estimate,
        target_ms=saved.latency_target_ms,
        refinement=refinement,
    )


def _snapshot(
    result: engine.Advice, answers: dict[str, Answer], refine: dict[str, Answer]
) -> dict[str, Any]:
    """The recommendation's columns, with every label resolved now so none is looked up later."""
    data = result.to_dict()
    # The engine's rationale comes in question order, one item per question.
    rationale = [
        {
            **item,
            "question_title": question.title,
            "answer_label": question.label_for(item["answer"]),
        }
        for question, item in zip(QUESTIONS, data["rationale"], strict=True)
    ]
    answered = [
        {
            "question": question.key,
            "question_title": question.title,
            "prompt": question.prompt,
            "answer": answers[question.key].value,
            "answer_label": question.label_for(answers[question.key].value),
            "note": answers[question.key].note,
        }
        for question in QUESTIONS
    ]
    return {
        "approach": data["approach"],
        "headline": data["headline"],
        "rationale": rationale,
        "ladder_step": data["ladder_step"],
        "next_step": data["next_step"],
        "next_steps": data["next_steps"],
        "trade_offs": data["trade_offs"],
        "would_change": data["would_change"],
        "rules_version": data["rules_version"],
        "answers": answered,
        "refine": [
            {
                "key": key,
                "title": refine_title(key),
                "answer": data["refine"][key],
                "answer_label": refine_label(key, data["refine"][key]),
                "note": answer.note,
            }
            for key, answer in refine.items()
        ],
        "plan": data["plan"],
        "pilot_metrics": data["pilot_metrics"],
        "confidence": data["confidence"],
    }
