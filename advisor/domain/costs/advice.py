"""What the numbers change in the advice: the engine run with the cost comparison as its
evidence, and the report of the estimate beside it."""

from __future__ import annotations

from typing import Any

from advisor.domain import engine
from advisor.domain.costs.estimate import CostInputs
from advisor.domain.costs.inputs import FIELDS
from advisor.domain.costs.money import cost_comparison, cost_curves
from advisor.domain.costs.report import dollars_per_query, estimate_report


def cost_evidence(estimate: CostInputs, problem: str) -> engine.CostEvidence:
    """What the numbers say, in the form the engine takes: the tuned approach against what it
    would replace (`money.rivals`: fine-tuning against prompt engineering for behaviour,
    retrieval plus fine-tuning against retrieval otherwise), the pair the report's break-even
    and sensitivity use too; and each approach's cost per query, for the pilot's threshold.

    A model its vendor no longer tunes for new customers is priced for comparison only (its
    tuned prices are the base model's, with no training fee), so its figures never count in
    fine-tuning's favour."""
    favours, summary = cost_comparison(estimate, problem)
    closed = estimate.tuned_row
    if favours and not closed.tuning_open:
        favours = False
        summary += (
            f" These figures do not count for fine-tuning: {closed.model} is closed to new "
            "tuning customers, so choose a model you can tune to compare."
        )
    per_query = {
        str(approach): dollars_per_query(curve.per_query)
        for approach, curve in cost_curves(estimate).items()
    }
    return engine.CostEvidence(favours_fine_tuning=favours, summary=summary, per_query=per_query)


def estimate_advice(
    *,
    answers: engine.Answers,
    estimate: CostInputs,
    target_ms: int | None,
    refinement: engine.Refinement | None = None,
) -> tuple[engine.Advice, dict[str, Any]]:
    """The engine's recommendation with the numbers' evidence, and the report to show.

    Each sensitivity threshold also says what the recommendation would become just past it
    (`changes_to`, None when the advice stays), found by running the engine again.
    """
    result = engine.evaluate(answers, cost_evidence(estimate, answers.problem), refinement)
    report = estimate_report(
        estimate,
        target_ms=target_ms,
        approach=result.approach,
        labeled_data=answers.labeled_data,
        problem=answers.problem,
    )
    for item in report["sensitivity"]:
        past = _just_past(estimate, item)
        other = engine.choose_approach(answers, cost_evidence(past, answers.problem))
        item["changes_to"] = str(other) if other is not result.approach else None
    return result, report


def _just_past(estimate: CostInputs, threshold: dict[str, Any]) -> CostInputs:
    """The estimate with one figure moved just across its threshold."""
    spec = FIELDS[threshold["field"]]
    value = threshold["value"]
    if not spec.whole:
        nudge = max(abs(value) * 1e-6, 1e-6)
        value += nudge if threshold["direction"] == "above" else -nudge
    return estimate.with_value(threshold["field"], int(value) if spec.whole else value)
