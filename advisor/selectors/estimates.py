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
    """The figures saved with the decision (the optional numbers step), with their price rows;
    None when the team skipped the step."""
    return Estimate.objects.select_related("price", "tuned_price").filter(decision=decision).first()


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


def tuned_price_chosen(*, chosen: str | None, saved: Estimate | None) -> ModelPrice | None:
    """The model to tune when it is not the base one: the one chosen (blank for none), else
    the one saved."""
    if chosen is None:
        return saved.tuned_price if saved else None
    if chosen.isascii() and chosen.isdigit():
        return ModelPrice.objects.filter(pk=chosen).first()
    return None


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


def price_warnings(
    price: ModelPrice, *, today: date, tuned_price: ModelPrice | None = None
) -> tuple[str, ...]:
    """What to tell the team about the rows before they trust them (costs.price_warnings)."""
    tuned = price_row(tuned_price) if tuned_price else None
    return costs.price_warnings(price_row(price), today=today, tuned=tuned)


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
    price = row.price or price_default()
    if price is None:
        raise costs.InvalidEstimate({"price": "The price table is empty."})
    typed = {**row.inputs, "rerank": row.rerank}
    if price.pk != row.price_id:  # the saved row is gone: its edited prices go with it
        typed = {k: v for k, v in typed.items() if k not in costs.PRICE_FIELDS}
    return estimate_build(answers=answers, price=price, data=typed, tuned_price=row.tuned_price)
