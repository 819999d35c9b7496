"""Writes to a decision's estimate (the optional numbers step), and reading it back as the
pure cost model's inputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from advisor import costs, engine, selectors
from advisor.models import Decision, Estimate, ModelPrice
from advisor.services.errors import DecisionAlreadyComplete


def price_row(price: ModelPrice) -> costs.Prices:
    """A row of the price table as the cost model's prices, its date included."""
    return costs.Prices(
        model=price.model,
        as_of=price.as_of,
        **{name: getattr(price, name) for name in costs.PRICE_FIELDS},
    )


def estimate_build(
    *, decision: Decision, price: ModelPrice, data: Mapping[str, Any]
) -> costs.Estimate:
    """The cost model's estimate from entered figures; InvalidEstimate names bad fields.

    Blank fields take the defaults that follow from the decision's answers.
    """
    answers = {
        key: answer.value for key, answer in selectors.decision_answers(decision=decision).items()
    }
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
    """Keep the figures with the decision until it is completed."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_complete:
        raise DecisionAlreadyComplete(
            "This decision is complete: its numbers were saved with its recommendation."
        )
    inputs = estimate.to_dict()
    row, _ = Estimate.objects.update_or_create(
        decision=decision,
        defaults={
            "price": price,
            "prices": inputs.pop("prices"),
            "inputs": inputs,
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


def estimate_of(row: Estimate) -> costs.Estimate:
    """A saved estimate as the cost model's input, with the prices it was saved with."""
    prices = dict(row.prices)
    prices["edited"] = tuple(prices.get("edited", ()))
    try:
        return costs.Estimate(prices=costs.Prices(**prices), **row.inputs)
    except TypeError as error:  # a field missing or unknown
        raise costs.InvalidEstimate({"estimate": "The saved figures are incomplete."}) from error


def cost_evidence(estimate: costs.Estimate) -> engine.CostEvidence:
    """What the numbers say, in the form the engine takes."""
    cheaper = costs.cheaper_over_horizon(estimate)
    return engine.CostEvidence(
        favours_fine_tuning=cheaper is engine.Approach.FINE_TUNING,
        summary=costs.cost_summary(estimate),
    )
