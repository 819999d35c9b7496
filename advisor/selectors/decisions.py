"""A decision's own rows: its answers (the five questions' and the refine step's), and what
its page shows after the result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import Prefetch, prefetch_related_objects

from advisor.domain.engine import InvalidAnswers
from advisor.domain.questions import QUESTION_KEYS, question_for
from advisor.domain.refine import REFINE_KEYS, Refinement
from advisor.models import (
    Answer,
    Comment,
    Decision,
    Outcome,
    OutcomeMetric,
    PersonalAnswer,
    Respondent,
)


def decision_answers(
    *, decision: Decision, choices_only: bool = False, respondent: Respondent | None = None
) -> dict[str, Answer | PersonalAnswer]:
    """The decision's answers to the five questions by key: the one way to read them; with
    `respondent`, that person's own answers in the decision's round instead.

    With `choices_only`, only those whose value is one of the question's choices: where the
    answers feed the engine or the cost model, a stored value that is not (or no longer) a
    choice counts as unanswered. The wizard shows every saved answer as it is. The refine
    step's rows are not among them (decision_refine_answers reads those), so nothing counts
    one as a sixth question.
    """
    return {
        answer.question: answer
        for answer in _rows(decision, respondent)
        if answer.question in QUESTION_KEYS
        and (not choices_only or answer.value in question_for(answer.question).values)
    }


def decision_refine_answers(
    *, decision: Decision, respondent: Respondent | None = None
) -> dict[str, Answer | PersonalAnswer]:
    """The refine step's answers by key, in REFINE_KEYS order (a respondent's own, with
    `respondent`). A stored value that is not (or no longer) valid counts as unanswered, as
    for the questions where they feed the engine."""
    saved = {a.question: a for a in _rows(decision, respondent) if a.question in REFINE_KEYS}
    return {key: saved[key] for key in REFINE_KEYS if key in saved and _valid(saved[key])}


def _rows(decision: Decision, respondent: Respondent | None) -> Iterable[Answer | PersonalAnswer]:
    return respondent.answers.all() if respondent else decision.answers.all()


def refinement_of(answers: Mapping[str, Answer | PersonalAnswer]) -> Refinement:
    """The refine answers (from decision_refine_answers) as the engine reads them."""
    return Refinement.from_mapping({key: refine_value(answer) for key, answer in answers.items()})


def refine_values(*, decision: Decision) -> dict[str, str | int]:
    """The refine answers given, by key, as the engine and the cost model's defaults read
    them (the corpus size as a number)."""
    return refinement_of(decision_refine_answers(decision=decision)).as_dict()


def refine_value(answer: Answer | PersonalAnswer) -> str | int:
    """A refine answer's value as the domain has it: the corpus size as a number."""
    text = answer.value
    if answer.question == "corpus_tokens" and text.isascii() and text.isdigit():
        return int(text)
    return text


def _valid(answer: Answer | PersonalAnswer) -> bool:
    try:
        Refinement.from_mapping({answer.question: refine_value(answer)})
    except InvalidAnswers:
        return False
    return True


def decision_followups(*, decision: Decision) -> Decision:
    """Load what the decision page shows after the result: the outcomes, oldest shipped
    first, with their metrics, and the comments, oldest first. One query each (metrics only
    when there are outcomes); templates then read `decision.outcomes.all` from memory."""
    prefetch_related_objects(
        [decision],
        Prefetch(
            "outcomes",
            queryset=Outcome.objects.order_by("shipped_on", "pk").prefetch_related(
                Prefetch("metrics", queryset=OutcomeMetric.objects.order_by("pk"))
            ),
        ),
        Prefetch("comments", queryset=Comment.objects.order_by("created_at", "pk")),
    )
    return decision
