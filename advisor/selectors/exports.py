"""What the exports read: a project's rows for the CSV, and a decision with everything its
export shows (advisor.selectors.documents turns it into the document)."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from advisor.models import Decision, Project
from advisor.selectors.access import User, decisions_visible_to, two_factor_check


def project_export_rows(*, project: Project) -> QuerySet[Decision]:
    """A project's decisions for the CSV, oldest first, in one query."""
    return (
        project.decisions.select_related("created_by")
        .annotate(
            approach=F("recommendation__approach"),
            rules_version=F("recommendation__rules_version"),
            confidence=F("recommendation__confidence"),
            team_answers=F("recommendation__team_answers"),
        )
        .order_by("created_at", "pk")
    )


def decision_for_export(*, user: User, pk: int) -> Decision:
    """A decision the user may read, with what its export reads fetched up front, so the
    export takes the same number of queries however many outcomes and changes it has."""
    decisions = (
        decisions_visible_to(user)
        .select_related("project__team", "recommendation", "supersedes", "revisit_of")
        .prefetch_related("answers", "status_changes", "outcomes__metrics")
    )
    decision = get_object_or_404(decisions, pk=pk)
    two_factor_check(user=user, team=decision.project.team)
    return decision
