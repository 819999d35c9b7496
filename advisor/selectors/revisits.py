"""Revisit and compare: a project's completed decisions, two of them compared, and the
links between a decision and the ones revisiting it."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from advisor.domain.compare import compare
from advisor.models import Decision, Project

# The snapshot columns advisor.domain.compare reads.
COMPARED_FIELDS = (
    "answers",
    "rationale",
    "approach",
    "ladder_step",
    "rules_version",
    "headline",
    "team_answers",
)


def project_completed_decisions(*, project: Project) -> QuerySet[Decision]:
    """The project's completed decisions, newest first, with what a choice list shows."""
    return (
        project.decisions.filter(status=Decision.Status.COMPLETE)
        .only("pk", "title", "completed_at", "project_id")
        .annotate(approach=F("recommendation__approach"))
        .order_by("-completed_at", "-pk")
    )


def decisions_compared(*, project: Project, pks: tuple[int, int]) -> dict:
    """Two completed decisions of the project, the earlier first, and their comparison.

    Only the project's own completed decisions are found; the caller has checked the ids
    against project_completed_decisions, so both are there.
    """
    found = list(
        project.decisions.filter(status=Decision.Status.COMPLETE, pk__in=pks)
        .select_related("recommendation")
        .order_by("completed_at", "pk")
    )
    # One decision when the same one was chosen twice.
    earlier, later = found[0], found[-1]
    return _compared(earlier, later) | {"same": earlier.pk == later.pk}


def decision_revisits(*, decision: Decision) -> dict:
    """For a result page: the decisions revisiting this one, and, when this one revisits an
    earlier decision of its project, that decision and the comparison with it (one query)."""
    linked = Q(revisit_of=decision)
    if decision.revisit_of_id:
        linked |= Q(pk=decision.revisit_of_id, status=Decision.Status.COMPLETE)
    related = (
        Decision.objects.filter(linked, project_id=decision.project_id)
        .select_related("recommendation")
        .order_by("created_at", "pk")
    )
    context: dict = {"revisited_by": []}
    for other in related:
        if other.pk == decision.revisit_of_id and decision.is_complete:
            context |= _compared(other, decision)
        elif other.revisit_of_id == decision.pk:
            context["revisited_by"].append(other)
    return context


def _compared(earlier: Decision, later: Decision) -> dict:
    return {
        "earlier": earlier,
        "later": later,
        "comparison": compare(_snapshot_of(earlier), _snapshot_of(later)),
    }


def _snapshot_of(decision: Decision) -> dict:
    recommendation = decision.recommendation
    return {field: getattr(recommendation, field) for field in COMPARED_FIELDS}
