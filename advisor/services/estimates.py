"""A decision's numbers (the optional estimate step): saving the figures the team typed,
reading them back under the current answers and prices, and the advice they lead to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from advisor import selectors
from advisor.domain import costs, engine
from advisor.domain.refusals import DecisionAlreadyComplete
from advisor.models import Decision, Estimate, ModelPrice


def price_row(price: ModelPrice) -> costs.Prices:
    """A row of the price table as the cost model's prices, its date included."""
    return costs.Prices(
        model=price.model,
        as_of=price.as_of,
        **{name: getattr(price, name) for name in costs.PRICE_FIELDS},
    )


def defaults(answers: Mapping[str, str], price: ModelPrice) -> dict[str, int | float]:
    """Every figure before the team changes any: from the answers, and the price row."""
    prices = {name: float(getattr(price, name)) for name in costs.PRICE_FIELDS}
    return {**costs.defaults_for(answers, price_row(price)), **prices}


def estimate_build(
    *, answers: Mapping[str, str], price: ModelPrice, data: Mapping[str, Any]
) -> costs.Estimate:
    """The cost model's estimate from entered figures; InvalidEstimate names bad fields.

    Blank fields take the defaults that follow from the answers and the price row.
    """
    return costs.Estimate.from_mapping(data, prices=price_row(price), answers=answers)


@transaction.atomic
def estimate_save(
    *,
    decision: Decision,
    price: ModelPrice,
    estimate: costs.Estimate,
    rerank: bool,
    latency_target_ms: int | None,
) -> Estimate:
    """Keep the figures the team changed from the defaults, until the decision is completed.

    Defaults are not stored: they are worked out again from the answers and the price table
    when the decision is completed, so a changed answer still counts.
    """
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_complete:
        raise DecisionAlreadyComplete(
            "This decision was completed meanwhile: its recommendation is saved."
        )
    answers = selectors.decision_answers(decision=decision, choices_only=True)
    before = defaults({key: answer.value for key, answer in answers.items()}, price)
    typed = {
        name: estimate.value_of(name)
        for name in costs.NUMERIC_FIELDS
        if estimate.value_of(name) != before.get(name)
    }
    row, _ = Estimate.objects.update_or_create(
        decision=decision,
        defaults={
            "price": price,
            "inputs": typed,
            "rerank": rerank,
            "latency_target_ms": latency_target_ms,
        },
    )
    return row


@transaction.atomic
def estimate_remove(*, decision: Decision) -> None:
    Estimate.objects.filter(
        decision=decision, decision__status=Decision.Status.IN_PROGRESS
    ).delete()


def saved_estimate(row: Estimate, answers: Mapping[str, str]) -> costs.Estimate:
    """The saved figures under the current answers and the row's current prices.

    InvalidEstimate when they no longer pass the checks, or no price row is left.
    """
    price = row.price or ModelPrice.objects.first()
    if price is None:
        raise costs.InvalidEstimate({"price": "The price table is empty."})
    typed = row.inputs
    if price.pk != row.price_id:  # the saved row is gone: its edited prices go with it
        typed = {k: v for k, v in typed.items() if k not in costs.PRICE_FIELDS}
    return estimate_build(answers=answers, price=price, data=typed)


def cost_evidence(estimate: costs.Estimate, problem: str) -> engine.CostEvidence:
    """What the numbers say, in the form the engine takes: fine-tuning against what it
    would replace (prompt engineering for behaviour, retrieval otherwise)."""
    rival = engine.Approach.PROMPT_ENGINEERING if problem == "behavior" else engine.Approach.RAG
    favours, summary = costs.cost_comparison(estimate, rival)
    return engine.CostEvidence(favours_fine_tuning=favours, summary=summary)


def estimate_advice(
    *, answers: engine.Answers, estimate: costs.Estimate, rerank: bool, target_ms: int | None
) -> tuple[engine.Recommendation, dict[str, Any]]:
    """The engine's recommendation with the numbers' evidence, and the report to show.

    Each sensitivity threshold also says what the recommendation would become just past it
    (`changes_to`, None when the advice stays), found by running the engine again.
    """
    result = engine.evaluate(answers, cost_evidence(estimate, answers.problem))
    report = costs.estimate_report(
        estimate,
        rerank=rerank,
        target_ms=target_ms,
        approach=result.approach,
        labeled_data=answers.labeled_data,
    )
    for item in report["sensitivity"]:
        past = _just_past(estimate, item)
        other = engine.choose_approach(answers, cost_evidence(past, answers.problem))
        item["changes_to"] = str(other) if other is not result.approach else None
    return result, report


def _just_past(estimate: costs.Estimate, threshold: dict[str, Any]) -> costs.Estimate:
    """The estimate with one figure moved just across its threshold."""
    spec = costs.FIELDS[threshold["field"]]
    value = threshold["value"]
    if not spec.whole:
        nudge = max(abs(value) * 1e-6, 1e-6)
        value += nudge if threshold["direction"] == "above" else -nudge
    return estimate.with_value(threshold["field"], int(value) if spec.whole else value)
