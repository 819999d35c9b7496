"""Writes to a decision's round of team answers: asking people, submitting, closing, settling.

Each locks the decision row first, as the wizard's writes do, so a submit, a close and a
settle of the same decision never interleave.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advisor import selectors
from advisor.domain.questions import QUESTION_KEYS
from advisor.domain.refusals import DecisionAlreadyComplete, Refused
from advisor.domain.wizard import first_unanswered_step
from advisor.models import (
    Answer,
    AnswerRound,
    AuditEvent,
    Decision,
    Membership,
    PersonalAnswer,
    Respondent,
    Role,
    Settlement,
)
from advisor.selectors import permissions
from advisor.services.audit import audit_record
from advisor.services.round_notifications import all_answered_notify, answers_requested_notify

ALREADY_SUBMITTED = "You have submitted your answers, so they can no longer change."
ROUND_CLOSED = "The team's answers are closed: the editors are settling them."
NOT_ASKED = (
    "The team is answering this decision each on their own, and you were not asked: "
    "an editor can add you."
)
NO_ROUND = "Nobody has been asked to answer this decision."


def _lock(decision: Decision) -> Decision:
    locked = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("project__team", "round")
        .get(pk=decision.pk)
    )
    if locked.is_complete:
        raise DecisionAlreadyComplete("This decision is complete; here is its result.")
    return locked


def _round(decision: Decision) -> AnswerRound:
    answer_round = selectors.round_of(decision)
    if answer_round is None:
        raise Refused(NO_ROUND)
    return answer_round


def respondent_refusal(answer_round: AnswerRound, respondent: Respondent | None) -> Refused | None:
    """Why someone may not write their own answers in this round now, or None when they may:
    the one rule the wizard's pages and the writes share."""
    if not answer_round.is_open:
        return Refused(ROUND_CLOSED)
    if respondent is None:
        return Refused(NOT_ASKED)
    if respondent.has_submitted:
        return Refused(ALREADY_SUBMITTED)
    return None


@transaction.atomic
def round_ask(
    *,
    decision: Decision,
    user: AbstractBaseUser,
    people: Iterable[AbstractBaseUser],
    deadline: date | None = None,
) -> AnswerRound:
    """Ask `people` (members of the decision's team) for their own answers.

    The first ask opens the round, with the one asking among those who answer: answers they
    gave the decision before move into their own set, so nothing typed is lost. Asking again
    while it is open adds people and, if given, sets the deadline. Each person newly asked
    is emailed a link to the wizard.
    """
    locked = _lock(decision)
    team = locked.project.team
    wanted = {person.pk for person in people} | {user.pk}
    members = set(
        Membership.objects.filter(team=team, user_id__in=wanted).values_list("user_id", flat=True)
    )
    if wanted - members:
        raise Refused("Only members of the team can be asked.")
    answer_round, created = AnswerRound.objects.get_or_create(
        decision=locked, defaults={"asked_by": user, "deadline": deadline}
    )
    if not answer_round.is_open:
        raise Refused(ROUND_CLOSED)
    asked = set(answer_round.respondents.values_list("user_id", flat=True))
    moved = not created and deadline and deadline != answer_round.deadline
    if not created and not moved and wanted <= asked:
        raise Refused("Everyone you chose has been asked already.")
    if moved:
        answer_round.deadline = deadline
        answer_round.save(update_fields=["deadline"])
    new = Respondent.objects.bulk_create(
        [Respondent(round=answer_round, user_id=pk) for pk in sorted(wanted - asked)]
    )
    if created:
        _move_answers(locked, next(r for r in new if r.user_id == user.pk))
    others = get_user_model().objects.filter(
        pk__in=[person.user_id for person in new if person.user_id != user.pk]
    )
    answers_requested_notify(decision=locked, answer_round=answer_round, people=others)
    audit_record(
        actor=user,
        team=team,
        project=locked.project,
        decision=locked,
        action=AuditEvent.Action.ROUND_ASKED,
        summary=f"asked {len(new)} {'person' if len(new) == 1 else 'people'} to answer "
        f"“{locked.title}”" + (f" by {deadline:%d %b %Y}" if deadline else ""),
    )
    return answer_round


def _move_answers(decision: Decision, respondent: Respondent) -> None:
    """The decision's answers so far become the asker's own; from now on the decision's
    answers are only the settled ones."""
    rows = list(decision.answers.all())
    PersonalAnswer.objects.bulk_create(
        PersonalAnswer(respondent=respondent, question=a.question, value=a.value, note=a.note)
        for a in rows
    )
    decision.answers.all().delete()
    decision.current_step = 1
    decision.save(update_fields=["current_step", "updated_at"])


def respondent_open(decision: Decision, user: AbstractBaseUser | None) -> Respondent | None:
    """The user's answer set to write in the wizard, or None when the decision has no round
    (the wizard then writes the decision's own answers).

    Refuses when there is a round but the user may not write to it: not asked, already
    submitted, or closed. Call with the decision row locked, its `round` selected with it.
    """
    answer_round = selectors.round_of(decision)
    if answer_round is None:
        return None
    respondent = answer_round.respondents.filter(user_id=getattr(user, "pk", None)).first()
    if refusal := respondent_refusal(answer_round, respondent):
        raise refusal
    return respondent


def wizard_respondent(decision: Decision, user: AbstractBaseUser) -> Respondent | None:
    """Whose answers the wizard shows and writes: the decision's own (None) while nobody was
    asked, an editor's job; once the team was asked, the user's own answer set while the
    round is open and they have not submitted. Raises RoleTooLow (403) for a viewer who was
    not asked, Refused for anyone else the round does not let answer."""
    answer_round = selectors.round_of(decision)
    respondent = answer_round and selectors.respondent_get(decision=decision, user=user)
    if respondent is None:
        permissions.require(decision.role, Role.EDITOR)
    if answer_round is None:
        return None
    if refusal := respondent_refusal(answer_round, respondent):
        raise refusal
    return respondent


@transaction.atomic
def round_submit(*, decision: Decision, user: AbstractBaseUser) -> bool:
    """Submit the user's own answers: from then on they cannot change, and the user sees
    everyone's. Returns True when this was the last answer the round waited for."""
    locked = _lock(decision)
    respondent = respondent_open(locked, user)
    if respondent is None:
        raise Refused(NO_ROUND)
    answers = selectors.decision_answers(decision=locked, choices_only=True, respondent=respondent)
    missing = first_unanswered_step(set(answers))
    if missing <= len(QUESTION_KEYS):
        raise Refused("Answer every question before you submit.", step=missing)
    respondent.submitted_at = timezone.now()
    respondent.save(update_fields=["submitted_at"])
    audit_record(
        actor=user,
        team=locked.project.team,
        project=locked.project,
        decision=locked,
        action=AuditEvent.Action.ROUND_ANSWERED,
        summary=f"submitted their answers to “{locked.title}”",
    )
    answer_round = respondent.round
    last = not answer_round.respondents.filter(submitted_at__isnull=True).exists()
    if last:
        all_answered_notify(decision=locked, answer_round=answer_round)
    return last


@transaction.atomic
def round_close(*, decision: Decision, user: AbstractBaseUser) -> AnswerRound:
    """Close the round: nobody answers any more, everyone in the team sees the submitted
    answers, and each question everyone answered alike is settled as they answered it."""
    locked = _lock(decision)
    answer_round = _round(locked)
    if not answer_round.is_open:
        raise Refused("The team's answers are already closed.")
    if not answer_round.respondents.filter(submitted_at__isnull=False).exists():
        raise Refused("Nobody has submitted answers yet, so there is nothing to settle.")
    answer_round.closed_at = timezone.now()
    answer_round.save(update_fields=["closed_at"])
    for row in selectors.round_spread(answer_round).spreads:
        if row.agreed:
            _settle(locked, answer_round, user, row.key, str(row.leading), "")
    audit_record(
        actor=user,
        team=locked.project.team,
        project=locked.project,
        decision=locked,
        action=AuditEvent.Action.ROUND_CLOSED,
        summary=f"closed the team's answers to “{locked.title}”",
    )
    return answer_round


@transaction.atomic
def question_settle(
    *, decision: Decision, user: AbstractBaseUser, key: str, value: str, note: str = ""
) -> Settlement:
    """Take one of the answers people gave to `key` as the decision's; where they disagreed
    a note must say why. Settling again replaces the earlier choice."""
    locked = _lock(decision)
    answer_round = _round(locked)
    if answer_round.is_open:
        raise Refused("Close the team's answers before settling them.")
    row = next((r for r in selectors.round_spread(answer_round).spreads if r.key == key), None)
    if row is None or not row.answered:
        raise Refused("Nobody answered that question, so there is nothing to settle.")
    if value not in {str(given) for given in row.given}:
        raise Refused("Take one of the answers people gave.")
    note = note.strip()
    if not row.agreed and not note:
        raise Refused("People disagreed here: say in a short note why you took this answer.")
    settlement = _settle(locked, answer_round, user, key, value, note)
    title = selectors.answer_title(key)
    audit_record(
        actor=user,
        team=locked.project.team,
        project=locked.project,
        decision=locked,
        action=AuditEvent.Action.QUESTION_SETTLED,
        summary=f"settled “{title}” on “{locked.title}”",
    )
    return settlement


def _settle(
    decision: Decision,
    answer_round: AnswerRound,
    user: AbstractBaseUser,
    key: str,
    value: str,
    note: str,
) -> Settlement:
    settlement, _ = Settlement.objects.update_or_create(
        round=answer_round,
        question=key,
        defaults={
            "value": value,
            "note": note,
            "settled_by": user,
            "settled_by_name": user.get_username(),
        },
    )
    Answer.objects.update_or_create(
        decision=decision, question=key, defaults={"value": value, "note": note}
    )
    decision.current_step = first_unanswered_step(
        set(decision.answers.filter(question__in=QUESTION_KEYS).values_list("question", flat=True))
    )
    decision.save(update_fields=["current_step", "updated_at"])
    return settlement
