"""Outcomes recorded against a decision."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from advisor.models import Decision, Outcome


def outcome_get(*, decision: Decision, pk: int) -> Outcome:
    """An outcome of this decision; one of another decision is not found."""
    return get_object_or_404(decision.outcomes.select_related("decision__project__team"), pk=pk)
