"""The wizard's order: steps 1 to 5 are the questions, in the order of QUESTIONS, and step 6 is
the review. A step opens once every question before it is answered; a completed decision opens
none. Views check it before showing a step and services before writing, so no caller skips it."""

from __future__ import annotations

from advisor.domain.questions import QUESTION_KEYS, STEP_COUNT
from advisor.domain.refusals import DecisionAlreadyComplete, Refused

REVIEW_STEP = STEP_COUNT + 1


def first_unanswered_step(answered: set[str]) -> int:
    for step, key in enumerate(QUESTION_KEYS, start=1):
        if key not in answered:
            return step
    return REVIEW_STEP


def wizard_refusal(
    *, complete: bool, answered: set[str], step: int, last: int = REVIEW_STEP
) -> Refused | None:
    """Why a step (1 to 5 the questions, 6 the review) cannot be shown or answered now.

    None when it can; otherwise the error to show, naming the step to go to instead. The
    wizard goes in order: a step opens once every question before it is answered.
    """
    if complete:
        return DecisionAlreadyComplete(
            "This decision is complete and its recommendation is saved, so its answers can "
            "no longer change. Start a new decision to revisit it."
        )
    first_open = first_unanswered_step(answered)
    if not 1 <= step <= last:
        return Refused(
            f"There is no step {step}: the wizard has {STEP_COUNT} questions. "
            "Here is where you left off.",
            step=first_open,
        )
    if first_open < step:
        return Refused("Please answer this question first.", step=first_open)
    return None
