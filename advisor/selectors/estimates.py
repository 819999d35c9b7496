"""A decision's numbers as the pages read them: the saved figures, the price table, and the
cost model's estimate built from a price row and the figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.domain import costs
from advisor.models import Decision, Estimate, ModelPrice


def decision_numbers(*, decision: Decision) -> Estimate | None:
    """The figures saved with the decision (the optional numbers step), with their price rows;
    None when the team skipped the step."""
    return Estimate.objects.select_related("price", "tuned_price").filter(decision=decision).first()


def price_chosen(*, chosen: str | None, saved: Estimate | None) -> ModelPrice | None:
    """The model the user chose, else the one saved, else the first in the table."""
    prices = ModelPrice.objects.all()
    for pk in (chosen, saved.price_id if saved else None):
        if pk and str(pk).isascii() and str(pk).isdigit() and (row := prices.filter(pk=pk).first()):
            return row
    return prices.first()


def tuned_price_chosen(*, chosen: str | None, saved: Estimate | None) -> ModelPrice | None:
    """The model to tune when it is not the base one: the one chosen (blank for none), else
    the one saved."""
    if chosen is None:
        return saved.tuned_price if saved else None
    if chosen.isascii() and chosen.isdigit():
        return ModelPrice.objects.filter(pk=chosen).first()
    return None


def price_named(*, model: str | None) -> ModelPrice | None:
    """The price table's row for `model`, or its first row when no model is named."""
    prices = ModelPrice.objects.all()
    return prices.filter(model=model).first() if model is not None else prices.first()


def price_row(price: ModelPrice) -> costs.Prices:
    """A row of the price table as the cost model's prices, its date included; a row with no
    cached-input price reads its input price there."""
    figures = {name: getattr(price, name) for name in costs.PRICE_FIELDS}
    if figures["cached_input_per_m"] is None:
        figures["cached_input_per_m"] = price.input_per_m
    return costs.Prices(model=price.model, as_of=price.as_of, **figures)


def estimate_defaults(
    answers: Mapping[str, object], price: ModelPrice, tuned_price: ModelPrice | None = None
) -> dict[str, int | float | bool | str]:
    """Every figure before the team changes any: from the answers, and the price rows (the
    tuned model's prices from its own row when one is chosen)."""
    base = price_row(price)
    tuned = price_row(tuned_price) if tuned_price else base
    prices = {
        name: getattr(tuned if name in costs.TUNED_PRICE_FIELDS else base, name)
        for name in costs.PRICE_FIELDS
    }
    return {**costs.defaults_for(answers, base), **prices}


def estimate_build(
    *,
    answers: Mapping[str, object],
    price: ModelPrice,
    data: Mapping[str, Any],
    tuned_price: ModelPrice | None = None,
) -> costs.CostInputs:
    """The cost model's estimate from entered figures; InvalidEstimate names bad fields.

    Blank fields take the defaults that follow from the answers and the price rows.
    """
    return costs.CostInputs.from_mapping(
        data,
        prices=price_row(price),
        answers=answers,
        tuned_prices=price_row(tuned_price) if tuned_price else None,
    )


def saved_estimate(row: Estimate, answers: Mapping[str, str]) -> costs.CostInputs:
    """The saved figures under the current answers and the row's current prices.

    InvalidEstimate when they no longer pass the checks, or no price row is left.
    """
    price = row.price or ModelPrice.objects.first()
    if price is None:
        raise costs.InvalidEstimate({"price": "The price table is empty."})
    typed = {**row.inputs, "rerank": row.rerank}
    if price.pk != row.price_id:  # the saved row is gone: its edited prices go with it
        typed = {k: v for k, v in typed.items() if k not in costs.PRICE_FIELDS}
    return estimate_build(answers=answers, price=price, data=typed, tuned_price=row.tuned_price)
