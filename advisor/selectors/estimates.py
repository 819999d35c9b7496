"""A decision's numbers as the pages read them: the saved figures, the price table, and the
cost model's estimate built from a price row and the figures."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from advisor.domain import costs
from advisor.models import Decision, Estimate, ModelPrice


def decision_numbers(*, decision: Decision) -> Estimate | None:
    """The figures saved with the decision (the optional numbers step), with their price row;
    None when the team skipped the step."""
    return Estimate.objects.select_related("price").filter(decision=decision).first()


def price_default() -> ModelPrice | None:
    """The row the numbers step and the API start from: the one marked default, else the
    most recently read offered row, else any row; None when the table is empty."""
    prices = ModelPrice.objects.all()
    return (
        prices.filter(is_default=True).first()
        or prices.filter(offered=True).order_by("-as_of", "model").first()
        or prices.first()
    )


def prices_offered(*, keep: ModelPrice | None = None) -> QuerySet[ModelPrice]:
    """The rows to choose from, by provider then model: the offered ones, and `keep` (the
    row a saved estimate chose) even when it is no longer offered."""
    rows = Q(offered=True) | Q(pk=keep.pk) if keep is not None else Q(offered=True)
    return ModelPrice.objects.filter(rows).order_by("provider", "model")


def price_chosen(*, chosen: str | None, saved: Estimate | None) -> ModelPrice | None:
    """The model the user chose, else the one saved (offered or not: a saved estimate keeps
    its row), else the default row."""
    prices = ModelPrice.objects.all()
    for pk in (chosen, saved.price_id if saved else None):
        if pk and str(pk).isascii() and str(pk).isdigit() and (row := prices.filter(pk=pk).first()):
            return row
    return price_default()


def price_named(*, model: str | None) -> ModelPrice | None:
    """The price table's row for `model`, or the default row when no model is named.

    A row no longer offered is still found by its name, so a caller that saved the name
    gets the same prices (with the warnings that say how old they are).
    """
    if model is None:
        return price_default()
    return ModelPrice.objects.filter(model=model).first()


def price_row(price: ModelPrice) -> costs.Prices:
    """A row of the price table as the cost model's prices, its date and standing included."""
    return costs.Prices(
        model=price.model,
        as_of=price.as_of,
        **{name: getattr(price, name) for name in costs.PRICE_FIELDS},
        tuning_open=price.tuning_open,
        retires_on=price.retires_on,
        size=price.size,
    )


def price_warnings(price: ModelPrice, *, today: date) -> tuple[str, ...]:
    """What to tell the team about the row before they trust it (costs.price_warnings)."""
    return costs.price_warnings(price_row(price), today=today)


def estimate_defaults(answers: Mapping[str, str], price: ModelPrice) -> dict[str, int | float]:
    """Every figure before the team changes any: from the answers, and the price row."""
    prices = {
        name: float(value)
        for name, value in price_row(price).to_dict().items()
        if name in costs.PRICE_FIELDS
    }
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
    price = row.price or price_default()
    if price is None:
        raise costs.InvalidEstimate({"price": "The price table is empty."})
    typed = row.inputs
    if price.pk != row.price_id:  # the saved row is gone: its edited prices go with it
        typed = {k: v for k, v in typed.items() if k not in costs.PRICE_FIELDS}
    return estimate_build(answers=answers, price=price, data=typed)
