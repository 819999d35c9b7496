"""What a team enters in the numbers step: a dated price row and the cost inputs built on it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from advisor.domain.costs.defaults import defaults_for
from advisor.domain.costs.inputs import (
    CHOICE_FIELDS,
    ESTIMATE_FIELDS,
    INPUT_FIELDS,
    PRICE_FIELDS,
    TUNED_PRICE_FIELDS,
    InvalidEstimate,
    checked,
    checked_choice,
    is_blank,
    parsed,
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# A large model for quality, a small one for price and speed (the distillation target).
SIZES = ("large", "small")


@dataclass(frozen=True, slots=True)
class Prices:
    """One row of the dated price table, in US dollars.

    `as_of` is the ISO date the prices were read from the vendor; a `datetime.date` is
    accepted and stored as its ISO string, and Decimal prices are stored as floats. `edited`
    names the prices the user changed from the table's row, whose date then no longer
    applies to them. `cached_input_per_m` left out (a row saved before the table had it)
    is the full input price: no cache discount is assumed.

    The row's standing, for the warnings of `freshness.price_warnings`: `tuning_open`
    (whether the vendor still takes fine-tuning jobs from new customers), `retires_on` (the
    base model's announced retirement, an ISO date, or None) and `size` ("large" or "small").
    """

    model: str
    as_of: str
    input_per_m: float
    output_per_m: float
    tuned_input_per_m: float
    tuned_output_per_m: float
    training_per_m: float
    hosting_per_hour: float
    cached_input_per_m: float | None = None
    edited: tuple[str, ...] = ()
    tuning_open: bool = True
    retires_on: str | None = None
    size: str = "large"

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        if not isinstance(self.model, str) or not self.model.strip():
            errors["model"] = "Name the model these prices belong to."
        as_of = self.as_of
        if isinstance(as_of, datetime):
            as_of = as_of.date()
        if isinstance(as_of, date):
            object.__setattr__(self, "as_of", as_of.isoformat())
        elif not (isinstance(as_of, str) and _ISO_DATE.fullmatch(as_of) and _is_date(as_of)):
            errors["as_of"] = "Give the date the prices were recorded, as YYYY-MM-DD."
        inherited = self.cached_input_per_m is None
        for name in PRICE_FIELDS:
            if name == "cached_input_per_m" and inherited:
                if "input_per_m" not in errors:
                    object.__setattr__(self, name, self.input_per_m)
                continue
            value, error = checked(name, getattr(self, name))
            if error:
                errors[name] = error
            else:
                object.__setattr__(self, name, value)
        edited = self.edited
        if isinstance(edited, list | tuple) and all(name in PRICE_FIELDS for name in edited):
            object.__setattr__(self, "edited", tuple(n for n in PRICE_FIELDS if n in edited))
        else:
            errors["edited"] = f"List only price fields: {', '.join(PRICE_FIELDS)}."
        errors.update(self._standing_errors())
        if errors:
            raise InvalidEstimate(errors)

    def _standing_errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if not isinstance(self.tuning_open, bool):
            errors["tuning_open"] = "Send true or false."
        retires = self.retires_on
        if isinstance(retires, datetime):
            retires = retires.date()
        if isinstance(retires, date):
            object.__setattr__(self, "retires_on", retires.isoformat())
        elif retires is not None and not (
            isinstance(retires, str) and _ISO_DATE.fullmatch(retires) and _is_date(retires)
        ):
            errors["retires_on"] = "Give the retirement date as YYYY-MM-DD, or none."
        if self.size not in SIZES:
            errors["size"] = f"Give one of: {', '.join(SIZES)}."
        return errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "as_of": self.as_of,
            **{name: getattr(self, name) for name in PRICE_FIELDS},
            "edited": list(self.edited),
            "tuning_open": self.tuning_open,
            "retires_on": self.retires_on,
            "size": self.size,
        }


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class CostInputs:
    """What the user enters in the Estimate step, every field checked on construction.

    Whole-number fields must be ints; money fields ints or floats; `batch` and `rerank` bools
    and `vector_store` "pgvector" or "managed". `tuned_prices` is the row of the model that
    is tuned when it is not the base model (distillation onto a smaller one): the tuned
    input, output, training and hosting prices are then its. Build one from a form or JSON
    with `CostInputs.from_mapping`, which converts numeric strings and fills gaps with
    `defaults_for`.
    """

    monthly_queries: int
    output_tokens: int
    prompt_tokens: int
    tuned_prompt_tokens: int
    cached_share: float
    context_tokens: int
    question_tokens: int
    embedding_per_m: float
    vector_store_per_month: float
    rerank_per_1k: float
    corpus_tokens: int
    reembeds_per_year: int
    training_tokens: int
    epochs: int
    retrains_per_year: int
    retrain_fixed_cost: float
    labelled_pairs_needed: int
    labelling_cost_per_pair: float
    engineer_hourly: float
    prompt_build_hours: int
    retrieval_build_hours: int
    tuning_build_hours: int
    prompt_upkeep_hours: int
    retrieval_upkeep_hours: int
    tuning_upkeep_hours: int
    prices: Prices
    batch: bool
    rerank: bool
    vector_store: str
    tuned_prices: Prices | None = None

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        for name in ESTIMATE_FIELDS:
            value, error = checked(name, getattr(self, name))
            if error:
                errors[name] = error
            else:
                object.__setattr__(self, name, value)
        for name in CHOICE_FIELDS:
            _, error = checked_choice(name, getattr(self, name))
            if error:
                errors[name] = error
        if not isinstance(self.prices, Prices):
            errors["prices"] = "Choose a model from the price table."
        if self.tuned_prices is not None and not isinstance(self.tuned_prices, Prices):
            errors["tuned_model"] = "Choose a model from the price table, or none."
        if errors:
            raise InvalidEstimate(errors)

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        *,
        prices: Prices,
        answers: Mapping[str, object] | None = None,
        tuned_prices: Prices | None = None,
    ) -> CostInputs:
        """Build an estimate from form or JSON data, naming every bad field at once.

        Numbers may arrive as numbers or as strings: "1500", "0.15", "2e6" and "200,000"
        (commas strictly between groups of three digits) are read; "1,5", "abc", "NaN" and
        "inf" are refused. `batch` and `rerank` take true or false, `vector_store` "pgvector"
        or "managed". A missing, None or blank field takes its default from
        `defaults_for(answers, prices)`. A price field (`input_per_m` ... `hosting_per_hour`)
        overrides the figure of the row it belongs to (the tuned row's for the tuned model's
        prices, when there is one), and the ones that differ are listed in its `edited`.
        Any other key is refused, so a misspelt field is never silently ignored.
        """
        if not isinstance(prices, Prices):
            raise TypeError("prices must be a Prices row")
        if not isinstance(data, Mapping):
            raise InvalidEstimate(
                {"estimate": "Send the estimate as an object of field names and numbers."}
            )
        defaults = defaults_for(answers or {}, prices)
        errors: dict[str, str] = {}
        values: dict[str, int | float | bool | str] = {}
        overrides: dict[str, int | float] = {}
        for name in INPUT_FIELDS:
            raw = data.get(name)
            if is_blank(raw):
                if name in defaults:
                    values[name] = defaults[name]
                continue
            value, error = checked_choice(name, raw) if name in CHOICE_FIELDS else parsed(name, raw)
            if error:
                errors[name] = error
            elif name in PRICE_FIELDS:
                if value != getattr(_row_of(name, prices, tuned_prices), name):
                    overrides[name] = value
            else:
                values[name] = value
        for key in data:
            if key not in INPUT_FIELDS:
                errors[str(key)] = "Unknown field."
        if errors:
            raise InvalidEstimate(errors)
        if tuned_prices is not None:
            tuned_prices = _edited(tuned_prices, overrides, TUNED_PRICE_FIELDS)
            overrides = {k: v for k, v in overrides.items() if k not in TUNED_PRICE_FIELDS}
        prices = _edited(prices, overrides, PRICE_FIELDS)
        return cls(prices=prices, tuned_prices=tuned_prices, **values)

    @property
    def tuned_row(self) -> Prices:
        """The row the tuned model's prices come from."""
        return self.tuned_prices or self.prices

    def with_value(self, name: str, value: int | float) -> CostInputs:
        """This estimate with one numeric input changed, a price field included."""
        if name in TUNED_PRICE_FIELDS and self.tuned_prices is not None:
            return replace(self, tuned_prices=replace(self.tuned_prices, **{name: value}))
        if name in PRICE_FIELDS:
            return replace(self, prices=replace(self.prices, **{name: value}))
        if name not in ESTIMATE_FIELDS:
            raise KeyError(name)
        return replace(self, **{name: value})

    def value_of(self, name: str) -> int | float:
        if name in PRICE_FIELDS:
            return getattr(_row_of(name, self.prices, self.tuned_prices), name)
        return getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        """Every input, the prices with their date included: the snapshot's "inputs"."""
        return {
            **{name: getattr(self, name) for name in ESTIMATE_FIELDS},
            **{name: getattr(self, name) for name in CHOICE_FIELDS},
            "prices": self.prices.to_dict(),
            "tuned_prices": None if self.tuned_prices is None else self.tuned_prices.to_dict(),
        }


def _row_of(name: str, prices: Prices, tuned_prices: Prices | None) -> Prices:
    if name in TUNED_PRICE_FIELDS and tuned_prices is not None:
        return tuned_prices
    return prices


def _edited(row: Prices, overrides: Mapping[str, int | float], names: tuple[str, ...]) -> Prices:
    changed = {name: value for name, value in overrides.items() if name in names}
    if not changed:
        return row
    return replace(row, **changed, edited=(*row.edited, *changed))
