"""A saved decision as a plain document: what the share link's JSON twin returns, and the
fuller export a member downloads (docs/exports.md describes its keys)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from advisor.domain.questions import QUESTION_KEYS
from advisor.domain.schemas import EXPORT_FORMAT, EXPORT_VERSION, SNAPSHOT_FIELDS
from advisor.domain.schemas.decision import (
    FIRST_VERSION,
    REFINE_VERSION,
    SNAPSHOT_ADDED,
    SNAPSHOT_TEAM,
)
from advisor.domain.schemas.team_answers import without_names
from advisor.models import Decision
from advisor.selectors.decisions import decision_answers, decision_refine_answers, refine_value
from advisor.selectors.estimates import decision_numbers


def decision_document(decision: Decision) -> dict[str, Any]:
    """The recommendation as the API returns it, with the answers and the decision's names.

    Holds nothing about who made it: the document may leave the team through a share link,
    so the team's answers come without their names.
    """
    recommendation = decision.recommendation
    # What versions 2 and 3 added is written where the snapshot has it: an older snapshot's
    # document stays as it was.
    added = {
        field: value
        for field in SNAPSHOT_ADDED
        if (value := getattr(recommendation, field)) is not None
    }
    if recommendation.team_answers:
        added[SNAPSHOT_TEAM] = without_names(recommendation.team_answers)[0]
    return {
        "decision": {
            "title": decision.title,
            "project": decision.project.name,
            "completed_at": recommendation.created_at.isoformat(),
        },
        "recommendation": {
            **{field: getattr(recommendation, field) for field in SNAPSHOT_FIELDS},
            **added,
        },
    }


def decision_export(decision: Decision, *, base_url: str) -> dict[str, Any]:
    """The share document plus what a member's export adds: the lifecycle and its history,
    the links to other decisions, the outcomes, the raw answers and the numbers' inputs.

    Names of people appear only under "people" (the team answers' too), so one key holds
    everything personal.
    `base_url` ("https://advisor.example") makes the links absolute. The document has the
    keys of advisor.domain.schemas.DecisionExport, in that order, and validates against it
    (format EXPORT_FORMAT, version EXPORT_VERSION: docs/exports.md says when it goes up).
    """
    status_changes = list(decision.status_changes.all())
    outcomes = list(decision.outcomes.all())
    document = decision_document(decision)
    refine = [
        {"question": key, "value": refine_value(answer), "note": answer.note}
        for key, answer in decision_refine_answers(decision=decision).items()
    ]
    # The oldest version that holds the decision: one saved before the refine step and the
    # plans existed is written as before, so an Advisor that reads only version 1 reads it.
    newer = refine or any(key in document["recommendation"] for key in SNAPSHOT_ADDED)
    team = decision.recommendation.team_answers
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION if team else REFINE_VERSION if newer else FIRST_VERSION,
        "exported_at": timezone.now().isoformat(),
        "url": base_url + decision.get_absolute_url(),
        **document,
        "started_at": decision.created_at.isoformat(),
        "lifecycle": decision.lifecycle,
        "review_by": _iso(decision.review_by),
        "status_history": [
            {
                "from": change.from_status,
                "to": change.to_status,
                "at": change.created_at.isoformat(),
                "reason": change.reason,
            }
            for change in status_changes
        ],
        "links": {
            "supersedes": _link(decision.supersedes, base_url),
            "superseded_by": _link(Decision.objects.filter(supersedes=decision).first(), base_url),
            "revisit_of": _link(decision.revisit_of, base_url),
        },
        "outcomes": [
            {
                "approach": outcome.approach,
                "shipped_on": outcome.shipped_on.isoformat(),
                "notes": outcome.notes,
                "recorded_at": outcome.created_at.isoformat(),
                "metrics": [
                    {
                        "name": m.name,
                        "value": decimal_text(m.value),
                        "unit": m.unit,
                        **({"pilot": m.pilot_key} if m.pilot_key else {}),
                    }
                    for m in outcome.metrics.all()
                ],
            }
            for outcome in outcomes
        ],
        "answers": [
            {"question": answer.question, "value": answer.value, "note": answer.note}
            for answer in sorted(
                decision_answers(decision=decision).values(),
                key=lambda a: QUESTION_KEYS.index(a.question),
            )
        ],
        **({"refine_answers": refine} if newer else {}),
        "estimate_inputs": _estimate_inputs(decision),
        "people": {
            "completed_by": decision.completed_by_name or None,
            "status_changes": [change.actor_name for change in status_changes],
            "outcomes": [outcome.author_name for outcome in outcomes],
            **({"team_answers": without_names(team)[1]} if team else {}),
        },
    }


def decimal_text(value: Decimal) -> str:
    """A metric's value without the column's trailing zeros, never in exponent form."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _link(other: Decision | None, base_url: str) -> dict[str, str] | None:
    if other is None:
        return None
    return {"title": other.title, "url": base_url + other.get_absolute_url()}


def _estimate_inputs(decision: Decision) -> dict[str, Any] | None:
    row = decision_numbers(decision=decision)
    if row is None:
        return None
    inputs = {
        "price_model": row.price.model if row.price else None,
        "inputs": row.inputs,
        "rerank": row.rerank,
        "latency_target_ms": row.latency_target_ms,
    }
    # Only when there is one, so the files of estimates without it read as they always did.
    if row.tuned_price:
        inputs["tuned_price_model"] = row.tuned_price.model
    return inputs
