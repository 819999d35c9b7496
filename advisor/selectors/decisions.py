"""A decision's own rows: its answers, and what its page shows after the result."""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects

from advisor.domain.questions import question_for
from advisor.models import Answer, Comment, Decision, Outcome, OutcomeMetric


def decision_answers(*, decision: Decision, choices_only: bool = False) -> dict[str, Answer]:
    """The decision's answers by question key: the one way to read them.

    With `choices_only`, only those whose value is one of the question's choices: where the
    answers feed the engine or the cost model, a stored value that is not (or no longer) a
    choice counts as unanswered. The wizard shows every saved answer as it is.
    """
    return {
        answer.question: answer
        for answer in decision.answers.all()
        if not choices_only or answer.value in question_for(answer.question).values
    }


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
