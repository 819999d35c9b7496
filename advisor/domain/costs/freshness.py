"""What a team should know about a price row before trusting it: its age, whether the vendor
still takes fine-tuning jobs, and whether the base model retires within the horizon.

Pure: the caller passes today's date, so a test sets the clock by passing another one.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from advisor.domain.costs.estimate import Prices

# Vendors change list prices a few times a year; older than this, a figure needs checking.
STALE_AFTER_MONTHS = 6


def price_warnings(
    prices: Prices, *, today: date, horizon_months: int = 24, tuned: Prices | None = None
) -> tuple[str, ...]:
    """The sentences to show next to the chosen price rows, most urgent first; none when the
    rows are recent, the model to tune is still tunable, and none retires within
    `horizon_months` of `today`. `tuned` is the row of the model to tune, when another."""
    warnings = list(_row_warnings(prices, today=today, horizon_months=horizon_months))
    to_tune = tuned or prices
    if not to_tune.tuning_open:
        warnings.append(
            f"{to_tune.model} cannot be fine-tuned by new customers: its tuned prices are the "
            "base model's, for comparison only; choose a model you can tune under “Model to "
            "tune”."
        )
    if tuned is not None:
        warnings += _row_warnings(tuned, today=today, horizon_months=horizon_months)
    return tuple(dict.fromkeys(warnings))


def _row_warnings(prices: Prices, *, today: date, horizon_months: int) -> list[str]:
    warnings: list[str] = []
    retires = date.fromisoformat(prices.retires_on) if prices.retires_on else None
    if retires is not None and retires <= today:
        warnings.append(
            f"{prices.model} was due to retire on {_day(retires)}: a fine-tuned model retires "
            "with its base model, so choose a current one."
        )
    elif retires is not None and retires < _months_after(today, horizon_months):
        warnings.append(
            f"{prices.model} retires on {_day(retires)}, within the {horizon_months}-month "
            "horizon: a fine-tuned model retires with its base model, so plan to move and "
            "retrain before then."
        )
    read_on = date.fromisoformat(prices.as_of)
    if _months_after(read_on, STALE_AFTER_MONTHS) < today:
        warnings.append(
            f"The prices of {prices.model} were read on {_day(read_on)}, more than six months "
            "ago: check "
            "the vendor's page."
        )
    return warnings


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _months_after(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))
