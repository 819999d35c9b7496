"""Revisiting a completed decision: a new wizard run that starts from the old answers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from advisor import selectors
from advisor.domain.questions import QUESTIONS
from advisor.domain.refusals import Refused
from advisor.domain.wizard import first_unanswered_step
from advisor.models import Answer, AuditEvent, Decision, Estimate
from advisor.services.audit import audit_record

TITLE_MAX_LENGTH = Decision._meta.get_field("title").max_length


def revisit_title(old_title: str) -> str:
    """“Revisit of “…”” that fits the title column, shortening the old title if it must."""
    room = TITLE_MAX_LENGTH - len("Revisit of “”")
    if len(old_title) > room:
        old_title = f"{old_title[: room - 1]}…"
    return f"Revisit of “{old_title}”"


@transaction.atomic
def decision_revisit(*, decision: Decision, user: AbstractBaseUser, title: str = "") -> Decision:
    """Start a new decision in the same project from a completed one's answers and notes
    (the refine step's too).

    The new decision is marked `revisit_of` the old one, which stays as it is. Answers whose
    value is no longer a choice are left out, so the wizard asks them again; the saved numbers
    (the Estimate row), if any, come along too.
    """
    if not decision.is_complete:
        raise Refused(
            "This decision is not complete yet, so there is nothing to revisit: finish its "
            "questions first, or change its answers directly."
        )
    title = title.strip()[:TITLE_MAX_LENGTH] or revisit_title(decision.title)
    old_answers = selectors.decision_answers(decision=decision)
    copied = [
        Answer(question=question.key, value=answer.value, note=answer.note)
        for question in QUESTIONS
        if (answer := old_answers.get(question.key)) and answer.value in question.values
    ] + [
        Answer(question=key, value=answer.value, note=answer.note)
        for key, answer in selectors.decision_refine_answers(decision=decision).items()
    ]
    revisit = Decision.objects.create(
        project=decision.project,
        title=title,
        created_by=user,
        revisit_of=decision,
        current_step=first_unanswered_step({answer.question for answer in copied}),
    )
    for answer in copied:
        answer.decision = revisit
    Answer.objects.bulk_create(copied)
    estimate = selectors.decision_numbers(decision=decision)
    if estimate is not None:
        Estimate.objects.create(
            decision=revisit,
            price_id=estimate.price_id,
            tuned_price_id=estimate.tuned_price_id,
            inputs=dict(estimate.inputs),
            rerank=estimate.rerank,
            latency_target_ms=estimate.latency_target_ms,
        )
    audit_record(
        actor=user,
        team=decision.project.team,
        project=decision.project,
        decision=revisit,
        action=AuditEvent.Action.DECISION_STARTED,
        summary=f"started the decision “{title}”, revisiting “{decision.title}”",
    )
    return revisit
