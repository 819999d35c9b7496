"""The estimate report: every figure the result page shows and the snapshot keeps, as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from advisor.domain.costs.estimate import CostInputs
from advisor.domain.costs.latency import LatencyBudget, latency_budgets
from advisor.domain.costs.money import (
    HORIZON_MONTHS,
    CostBreakdown,
    CostCurve,
    Pair,
    break_even_month,
    break_even_volume,
    cheaper_over_horizon,
    cost_breakdown,
    cost_curves,
    cost_summary,
    rivals,
)
from advisor.domain.costs.sensitivity import Threshold, sensitivity
from advisor.domain.costs.shipping import Milestone, time_to_ship
from advisor.domain.engine import Approach

COST_MODEL_VERSION = "2026.12.1"


@dataclass(frozen=True)
class EstimateReport:
    """Everything the result page shows and the decision snapshot keeps."""

    estimate: CostInputs
    approach: Approach
    labeled_data: str
    pair: Pair
    curves: dict[Approach, CostCurve]
    breakdown: dict[Approach, CostBreakdown]
    break_even_volume: int | None
    break_even_month: int | None
    cheaper_over_horizon: Approach
    summary: str
    latency: dict[Approach, LatencyBudget]
    time_to_ship: dict[Approach, tuple[Milestone, ...]]
    sensitivity: tuple[Threshold, ...]
    version: str = COST_MODEL_VERSION

    @classmethod
    def build(
        cls,
        estimate: CostInputs,
        *,
        target_ms: int | None = None,
        approach: Approach,
        labeled_data: str,
        problem: str,
    ) -> EstimateReport:
        pair = rivals(problem)
        return cls(
            estimate=estimate,
            approach=Approach(approach),
            labeled_data=labeled_data,
            pair=pair,
            curves=cost_curves(estimate),
            breakdown=cost_breakdown(estimate),
            break_even_volume=break_even_volume(estimate, pair),
            break_even_month=break_even_month(estimate, pair),
            cheaper_over_horizon=cheaper_over_horizon(estimate, pair),
            summary=cost_summary(estimate, pair),
            latency=latency_budgets(estimate, target_ms=target_ms),
            time_to_ship={a: time_to_ship(a, labeled_data) for a in Approach},
            sensitivity=sensitivity(estimate, pair),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: money rounded to cents, cost per query to a millionth of a dollar."""
        return {
            "version": self.version,
            "horizon_months": HORIZON_MONTHS,
            "approach": str(self.approach),
            "labeled_data": self.labeled_data,
            "comparison": {"tuned": str(self.pair[0]), "rival": str(self.pair[1])},
            "inputs": self.estimate.to_dict(),
            "curves": {
                str(approach): {
                    "upfront": _cents(curve.upfront),
                    "monthly": [_cents(amount) for amount in curve.monthly],
                    "cumulative": [_cents(amount) for amount in curve.cumulative],
                    "per_query": dollars_per_query(curve.per_query),
                }
                for approach, curve in self.curves.items()
            },
            "breakdown": {
                str(approach): {
                    part: [
                        {"key": item.key, "label": item.label, "amount": _cents(item.amount)}
                        for item in getattr(breakdown, part)
                    ]
                    for part in ("upfront", "running")
                }
                for approach, breakdown in self.breakdown.items()
            },
            "break_even_volume": self.break_even_volume,
            "break_even_month": self.break_even_month,
            "cheaper_over_horizon": str(self.cheaper_over_horizon),
            "summary": self.summary,
            "latency": {str(a): budget.to_dict() for a, budget in self.latency.items()},
            "time_to_ship": {
                str(approach): {
                    "milestones": _milestone_dicts(milestones),
                    "weeks": max(milestone.end_week for milestone in milestones),
                }
                for approach, milestones in self.time_to_ship.items()
            },
            "sensitivity": [
                {
                    "field": threshold.field,
                    "value": threshold.value,
                    "summary": threshold.summary,
                    "direction": threshold.direction,
                    "cheaper": str(threshold.cheaper),
                }
                for threshold in self.sensitivity
            ],
        }


def estimate_report(
    estimate: CostInputs,
    *,
    target_ms: int | None = None,
    approach: Approach,
    labeled_data: str,
    problem: str,
) -> dict[str, Any]:
    """The JSON-ready report saved with a decision and returned by the API. `problem` (the
    first answer) chooses what the tuned approach is compared with (`rivals`)."""
    return EstimateReport.build(
        estimate,
        target_ms=target_ms,
        approach=approach,
        labeled_data=labeled_data,
        problem=problem,
    ).to_dict()


def _milestone_dicts(milestones: tuple[Milestone, ...]) -> list[dict[str, Any]]:
    return [
        {
            "label": milestone.label,
            "weeks": milestone.weeks,
            "source": milestone.source,
            "start_week": milestone.start_week,
            "end_week": milestone.end_week,
        }
        for milestone in milestones
    ]


def _round(amount: float, places: int) -> float:
    # Half up on the float's exact value, so 0.125 becomes 0.13 as a person would expect.
    return float(Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def dollars_per_query(amount: float) -> float:
    """A cost per query as the report shows it: to a millionth of a dollar."""
    return _round(amount, 6)


def _cents(amount: float) -> float:
    return _round(amount, 2)
