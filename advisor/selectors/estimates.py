"""A decision's numbers as the pages read them: the saved figures, the price table, and the
cost model's estimate built from a price row and the figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.domain import costs
from advisor.models import Decision, Estimate, ModelPrice


def decision_numbers(*, decision: Decision) -> Estimate | None:
    """The figures saved with the decision (the optional numbers step), with their price row;
    None when the team skipped the step."""
    return Estimate.objects.select_related("price").filter(decision=decision).first()


def price_chosen(*, chosen: str | None, saved: Estimate | None) -> ModelPrice | None:
    """The model the user chose, else the one saved, else the first in the table."""
    prices = ModelPrice.objects.all()
    for pk in (chosen, saved.price_id if saved else None):
        if pk and str(pk).isascii() and str(pk).isdigit() and (row := prices.filter(pk=pk).first()):
            return row
    return prices.first()


def price_named(*, model: str | None) -> ModelPrice | None:
    """The price table's row for `model`, or its first row when no model is named."""
    prices = ModelPrice.objects.all()
    return prices.filter(model=model).first() if model is not None else prices.first()


def price_row(price: ModelPrice) -> costs.Prices:
    """A row of the price table as the cost model's prices, its date included."""
    return costs.Prices(
        model=price.model,
        as_of=price.as_of,
        **{name: getattr(price, name) for name in costs.PRICE_FIELDS},
    )


def estimate_defaults(answers: Mapping[str, str], price: ModelPrice) -> dict[str, int | float]:
    """Every figure before the team changes any: from the answers, and the price row."""
    prices = {name: float(getattr(price, name)) for name in costs.PRICE_FIELDS}
    return {**costs.defaults_for(answers, price_row(price)), **prices}


def estimate_build(
    *, answers: Mapping[str, str], price: ModelPrice, data: Mapping[str, Any]
) -> costs.CostInputs:
    """The cost model's estimate from entered figures; InvalidEstimate names bad fields.

    Blank fields take the defaults that follow from the answers and the price row.
    """
    return costs.CostInputs.from_mapping(data, prices=price_row(price), answers=answers)


def saved_estimate(row: Estimate, answers: Mapping[str, str]) -> costs.CostInputs:
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
