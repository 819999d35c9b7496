"""What an outcome says next to its decision: plain functions on plain values, no Django.

The decision page, its tests and any later export read these, so the wording of the
contradiction flag and the rule for ship dates live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from advisor.domain.engine import Approach


def contradiction(shipped: str, recommended: str) -> str:
    """The sentence that flags an outcome which shipped another approach than the one
    recommended, or "" when they agree."""
    if shipped == recommended:
        return ""
    return (
        f"Shipped {Approach.label_of(shipped)}, "
        f"not the recommended {Approach.label_of(recommended)}."
    )


def ship_date_error(shipped_on: date, *, today: date) -> str:
    """Why a ship date cannot be recorded, or "". An outcome records what happened, so a
    date still to come is refused: record it once it has shipped."""
    if shipped_on > today:
        return "That date is still to come: record the outcome once it has shipped."
    return ""


def metric_text(value: Decimal, unit: str = "") -> str:
    """A measured figure as people write it: "87 %", "1,250.5 ms", "0.03 $ / request"."""
    # normalize() drops the stored trailing zeros (87.0000 -> 87); "f" keeps 640 from
    # turning into 6.4E+2.
    number = format(value.normalize(), ",f")
    return f"{number} {unit}".strip()


def pilot_met(metric: Mapping[str, Any], value: Decimal) -> bool | None:
    """Whether a measured value meets a saved pilot metric's threshold, in the metric's
    direction (the threshold itself counts as met); None where the team sets the target."""
    threshold = metric.get("threshold")
    if threshold is None:
        return None
    bound = Decimal(str(threshold))
    return value >= bound if metric.get("better") == "higher" else value <= bound


def pilot_target(metric: Mapping[str, Any]) -> str:
    """A saved pilot metric's threshold as a target ("at least 80 %", "at most 1,500 ms"),
    or "" where the team sets it (a cost per query without numbers)."""
    threshold = metric.get("threshold")
    if threshold is None:
        return ""
    bound = "at least" if metric.get("better") == "higher" else "at most"
    return f"{bound} {metric_text(Decimal(str(threshold)), str(metric.get('unit') or ''))}"


@dataclass(frozen=True, slots=True)
class PilotVerdict:
    """How a measured figure stands against the pilot metric it measures: the target in
    words ("at least 80 %", "" where the team sets it) and whether it was met (None: no
    target, or no such pilot metric)."""

    label: str
    target: str
    met: bool | None


def pilot_verdict(
    pilot_key: str, value: Decimal, pilot_metrics: Sequence[Mapping[str, Any]]
) -> PilotVerdict | None:
    """The verdict for a figure recorded against `pilot_key`; None when it measures no pilot
    metric of the snapshot."""
    metric = next((m for m in pilot_metrics if pilot_key and m.get("key") == pilot_key), None)
    if metric is None:
        return None
    return PilotVerdict(
        label=str(metric.get("label", "")),
        target=pilot_target(metric),
        met=pilot_met(metric, value),
    )


def outcome_met(verdicts: Iterable[bool | None]) -> bool | None:
    """Whether an outcome met its pilot's targets, from the verdicts of its figures: met when
    every figure measured against a target met it, missed when one did not, None when no
    figure was measured against a target (the team's own figures, or targets it sets)."""
    judged = [met for met in verdicts if met is not None]
    return all(judged) if judged else None
