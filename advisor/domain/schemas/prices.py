"""The price file (advisor/data/prices.json): the dated list prices Advisor ships, checked
before a single row is loaded.

`read_price_file` takes the file's text and returns the checked rows, or raises
`InvalidPriceFile` with one sentence per fault, each naming the row (its number and model)
and the field, so whoever edited the file can find every mistake in one go.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from advisor.domain.costs.estimate import SIZES
from advisor.domain.costs.inputs import LIMITS, PRICE_FIELDS
from advisor.domain.schemas.fields import Day, StrictModel


class InvalidPriceFile(ValueError):
    """The file cannot be loaded; `messages` names every fault, by row and field."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def _no_nul(value: object) -> object:
    # PostgreSQL refuses NUL in text, and no name or address needs one.
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError("nul_byte", "Text may not hold a NUL byte.")
    return value


def _money(value: object) -> object:
    # JSON numbers only: "0.15" as text or true as 1 is a mistake in a hand-edited file.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("money_type", "Give a number of US dollars.")
    return value


Text = Annotated[
    str, BeforeValidator(_no_nul), StringConstraints(strip_whitespace=True, min_length=1)
]
# Every price has the cost model's bound (10,000 dollars per million tokens, or an hour).
Money = Annotated[
    float, BeforeValidator(_money), Field(ge=0, le=min(LIMITS[name] for name in PRICE_FIELDS))
]


class PriceRow(StrictModel):
    """One model's list prices in US dollars, as read from its source on `read_on`."""

    model: Annotated[Text, StringConstraints(max_length=80)]
    """The name shown in the model list, with its provider: "GPT-5.6 Luna (OpenAI API)"."""
    provider: Annotated[Text, StringConstraints(max_length=40)]
    size: Literal[*SIZES]
    input_per_m: Money
    cached_input_per_m: Money
    output_per_m: Money
    tuned_input_per_m: Money
    tuned_output_per_m: Money
    training_per_m: Money
    """Per million training tokens, per epoch."""
    hosting_per_hour: Money
    """0 where tuned models are served per token."""
    tuning_open: bool
    """Whether the vendor takes fine-tuning jobs from new customers."""
    retires_on: Day | None
    """The base model's announced retirement, or null when none is announced."""
    source_url: Annotated[Text, StringConstraints(max_length=200, pattern=r"^https://\S+$")]
    read_on: Day
    note: Annotated[str, BeforeValidator(_no_nul), StringConstraints(max_length=200)] = ""
    default: bool = False


class PriceFile(StrictModel):
    """The whole file: its date (the newest `read_on`) and its rows."""

    as_of: Day
    rows: Annotated[list[PriceRow], Field(min_length=1)]


def read_price_file(text: str | bytes, *, today: date | None = None) -> PriceFile:
    """The checked price file from its text; InvalidPriceFile names every fault.

    Beyond each field's type and range: model names are unique, exactly one row is the
    default, no row was read after the file's date, the file's date is its newest row's,
    and, when `today` is given, no date lies in the future.
    """
    try:
        document = json.loads(text)
    except UnicodeDecodeError as error:
        raise InvalidPriceFile([f"The file is not UTF-8 text ({error.reason})."]) from error
    except json.JSONDecodeError as error:
        raise InvalidPriceFile(
            [f"The file is not JSON: {error.msg} at line {error.lineno}, column {error.colno}."]
        ) from error
    except (ValueError, RecursionError) as error:
        raise InvalidPriceFile(["The file is not JSON that can be read."]) from error
    try:
        checked = PriceFile.model_validate(document)
    except ValidationError as error:
        raise InvalidPriceFile(_sentences(error, document)) from error
    if faults := _file_faults(checked, today=today):
        raise InvalidPriceFile(faults)
    return checked


def _sentences(error: ValidationError, document: Any) -> list[str]:
    messages = []
    for detail in error.errors(include_url=False):
        where = _where(detail["loc"], document)
        messages.append(f"{where}: {detail['msg']}")
    return messages


def _where(loc: tuple[int | str, ...], document: Any) -> str:
    """ "row 2 (GPT-5.6 Luna), field input_per_m" from pydantic's location of a fault."""
    if len(loc) >= 2 and loc[0] == "rows" and isinstance(loc[1], int):
        row = loc[1]
        name = _row_model(document, row)
        label = f"row {row + 1}" + (f" ({name})" if name else "")
        return f"{label}, field {'.'.join(map(str, loc[2:]))}" if len(loc) > 2 else label
    return f"field {'.'.join(map(str, loc))}" if loc else "the file"


def _row_model(document: Any, index: int) -> str:
    try:
        name = document["rows"][index]["model"]
    except (KeyError, IndexError, TypeError):
        return ""
    return name.replace("\x00", "") if isinstance(name, str) else ""


def _file_faults(checked: PriceFile, *, today: date | None) -> list[str]:
    faults: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(checked.rows, start=1):
        label = f"row {number} ({row.model})"
        if row.model in seen:
            faults.append(f"{label}, field model: the same model as row {seen[row.model]}.")
        seen.setdefault(row.model, number)
        if row.read_on > checked.as_of:
            faults.append(f"{label}, field read_on: after the file's as_of date {checked.as_of}.")
        if today is not None and row.read_on > today:
            faults.append(f"{label}, field read_on: a date in the future.")
    defaults = [n for n, row in enumerate(checked.rows, start=1) if row.default]
    if len(defaults) != 1:
        found = ", ".join(f"row {n}" for n in defaults) or "none"
        faults.append(f"field default: exactly one row must be the default; found {found}.")
    newest = max(row.read_on for row in checked.rows)
    if checked.as_of != newest:
        faults.append(
            f"field as_of: {checked.as_of} should be the newest read_on of the rows, {newest}."
        )
    return faults
