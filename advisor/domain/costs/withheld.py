"""A saved recommendation without its cost figures: what a share link shows when the editor
who made it left them out.

The figures are the team's numbers and everything computed from them: the report (costs,
charts, break-even, sensitivity, latency budgets, time to ship, and the inputs and prices
behind them), and the three sentences of the advice that quote it: the cost factor's reason
(the report's summary: what each option costs over the horizon, at the team's volume), the
pilot's cost-per-query target, and the distillation stage's trigger (the cost per query the
numbers planned). Those sentences are replaced by ones without figures; the approach, the
verdicts and everything else the numbers decided stay, so the advice reads the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

WITHHELD_REASON = (
    "Judged from the team's own cost estimate, whose figures this shared page does not include."
)
WITHHELD_TRIGGER = (
    "When the tuned model meets its pilot thresholds and its cost per query runs above what "
    "the team's numbers planned for it."
)
# The pilot metric whose target is the cost per query the numbers planned.
COST_METRIC = "cost_per_query"


def without_cost_figures(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The snapshot's fields (a dict holding at least `estimate` and `rationale`, and `plan`
    and `pilot_metrics` where it has them) with no figure of the team's estimate left; a
    snapshot made without numbers comes back as it was."""
    report = snapshot.get("estimate")
    if not report:
        return dict(snapshot)
    shown = {
        **snapshot,
        "estimate": None,
        "rationale": [_reason(item, report["summary"]) for item in snapshot["rationale"]],
    }
    if snapshot.get("plan"):
        shown["plan"] = [_stage(stage) for stage in snapshot["plan"]]
    if snapshot.get("pilot_metrics"):
        shown["pilot_metrics"] = [_metric(metric) for metric in snapshot["pilot_metrics"]]
    return shown


def _reason(item: Mapping[str, Any], summary: str) -> dict[str, Any]:
    # The engine quotes the report's summary as the cost factor's reason when the numbers
    # judged cost (not at an early stage, where the answer alone does).
    if item["question"] == "cost" and item["why"].startswith(summary):
        return {**item, "why": WITHHELD_REASON}
    return dict(item)


def _stage(stage: Mapping[str, Any]) -> dict[str, Any]:
    # Without numbers the trigger is a query volume, with them the planned cost per query.
    if stage["key"] == "distil" and "$" in (stage.get("trigger") or ""):
        return {**stage, "trigger": WITHHELD_TRIGGER}
    return dict(stage)


def _metric(metric: Mapping[str, Any]) -> dict[str, Any]:
    if metric["key"] == COST_METRIC:
        return {**metric, "threshold": None}
    return dict(metric)
