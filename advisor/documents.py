"""A saved decision as a plain document: what the share link's JSON twin returns."""

from __future__ import annotations

from typing import Any

from advisor.models import Decision

SNAPSHOT_FIELDS = (
    "approach",
    "headline",
    "rationale",
    "ladder_step",
    "next_step",
    "next_steps",
    "trade_offs",
    "would_change",
    "rules_version",
    "answers",
    "estimate",
)


def decision_document(decision: Decision) -> dict[str, Any]:
    """The recommendation as the API returns it, with the answers and the decision's names.

    Holds nothing about who made it: the document may leave the team through a share link.
    """
    recommendation = decision.recommendation
    return {
        "decision": {
            "title": decision.title,
            "project": decision.project.name,
            "completed_at": recommendation.created_at.isoformat(),
        },
        "recommendation": {field: getattr(recommendation, field) for field in SNAPSHOT_FIELDS},
    }
