"""A decision's own rows: its answers, and what its page shows after the result."""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects

from advisor.models import Answer, Comment, Decision, Outcome, OutcomeMetric


def decision_answers(*, decision: Decision) -> dict[str, Answer]:
    return {answer.question: answer for answer in decision.answers.all()}


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
