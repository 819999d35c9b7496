"""Outcomes recorded against a decision."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from advisor.domain.outcome_rules import outcome_met, pilot_verdict
from advisor.models import Decision, Outcome, OutcomeMetric

PILOT_RESULTS = {"met": "Met the pilot's targets", "missed": "Missed a target"}


def outcome_get(*, decision: Decision, pk: int) -> Outcome:
    """An outcome of this decision; one of another decision is not found."""
    return get_object_or_404(decision.outcomes.select_related("decision__project__team"), pk=pk)


def pilot_results(decisions: QuerySet[Decision]) -> dict[int, tuple[int, str]]:
    """Each outcome of `decisions` with a figure measured against its pilot's target, by id:
    (its decision's id, "met" or "missed"), judged by outcome_rules.outcome_met; one query."""
    rows = (
        OutcomeMetric.objects.filter(outcome__decision__in=decisions.values("pk"))
        .exclude(pilot_key="")
        .values_list(
            "outcome_id",
            "outcome__decision_id",
            "pilot_key",
            "value",
            "outcome__decision__recommendation__pilot_metrics",
        )
    )
    verdicts: dict[tuple[int, int], list[bool | None]] = defaultdict(list)
    for outcome, decision, key, value, pilot in rows:
        verdict = pilot_verdict(key, value, pilot or [])
        verdicts[outcome, decision].append(verdict.met if verdict else None)
    judged = {key: outcome_met(found) for key, found in verdicts.items()}
    return {
        outcome: (decision, "met" if met else "missed")
        for (outcome, decision), met in judged.items()
        if met is not None
    }
