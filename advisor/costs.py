"""The numbers behind the advice: cost over 24 months, latency budget and time to ship.

Pure Python and deterministic, like advisor/engine.py: the standard library and the engine's
`Approach`, nothing from Django, so every figure is checked by hand in tests/test_costs.py and
every formula is written out in docs/cost-model.md. Bump COST_MODEL_VERSION whenever a formula,
a default or a sentence changes; saved decisions keep the version they were computed with.

All money is in US dollars. Q is the monthly query volume; prompt, context and output are
tokens per request; prices are dollars per million tokens, so "/ 1e6" turns tokens into
millions of tokens. r is retrains_per_year (how often the data changes enough to act on it).

Prompt engineering
    upfront = 0
    running = Q x (prompt x input + output x output_price) / 1e6

Retrieval (RAG)
    corpus_embedding = corpus x embedding / 1e6
    upfront = corpus_embedding
    running = Q x ((prompt + context) x input + output x output_price) / 1e6
            + Q x prompt x embedding / 1e6              embedding each question
            + vector_store                              per month
            + corpus_embedding x r / 12                 re-embedding at each data change

Fine-tuning (no retrieved context: the knowledge is trained in)
    training_run = training_tokens x epochs x training_price / 1e6
    upfront = labelled_pairs_needed x labelling_cost_per_pair + training_run
    running = hosting_per_hour x 730
            + Q x (prompt x tuned_input + output x tuned_output) / 1e6
            + training_run x r / 12                     retraining at each data change

For every approach, month 1 costs upfront + running and every later month costs running, so
the cumulative cost after m months is upfront + m x running. Cost per query is the running
(month 2) cost divided by Q, fixed costs included; it is 0 when Q is 0, there being no query to
divide by.

Each cumulative cost is a + b x Q in the query volume (and affine in every other single
input), so break-even points and sensitivity thresholds are solved exactly. The arithmetic is
done on fractions.Fraction (every float converts exactly), and only the results are turned
back into floats: comparisons never depend on rounding.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from advisor.engine import Approach

COST_MODEL_VERSION = "2026.11.1"

HORIZON_MONTHS = 24
HOURS_PER_MONTH = 730
MILLION = 1_000_000

PE = Approach.PROMPT_ENGINEERING
RAG = Approach.RAG
FT = Approach.FINE_TUNING

# The approaches that get a cost curve. Retrieval plus fine-tuning has no curve of its own:
# it pays both bills, and the question the curves answer is which of the two wins.
COSTED_APPROACHES = (PE, RAG, FT)


class InvalidEstimate(ValueError):
    """Raised with one clear sentence per bad field, keyed by the field's name."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


# --- The inputs: names, labels, bounds ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InputField:
    """One numeric input: its label, whether it is a whole number, and its allowed range.

    `unit` names what a whole number counts ("queries a month"); `cost_of` and `per` say what
    a dollar figure pays for ("hosting the tuned model", "an hour"). Both feed the sentences of
    `sensitivity`.
    """

    name: str
    label: str
    whole: bool
    maximum: int
    minimum: int = 0
    unit: str = ""
    cost_of: str = ""
    per: str = ""


def _count(name: str, label: str, maximum: int, unit: str, minimum: int = 0) -> InputField:
    return InputField(name, label, True, maximum, minimum, unit=unit)


def _dollars(name: str, label: str, maximum: int, cost_of: str, per: str) -> InputField:
    return InputField(name, label, False, maximum, cost_of=cost_of, per=per)


PER_MILLION = " per million tokens"
TOKENS_PER_REQUEST = 2_000_000  # far beyond any model's context window
PRICE_PER_MILLION = 10_000  # dollars per million tokens; list prices are below $100

FIELDS: dict[str, InputField] = {
    field.name: field
    for field in (
        _count("monthly_queries", "Queries a month", 10**10, "queries a month"),
        _count(
            "prompt_tokens",
            "Prompt tokens per request",
            TOKENS_PER_REQUEST,
            "prompt tokens per request",
        ),
        _count(
            "context_tokens",
            "Retrieved-context tokens per request",
            TOKENS_PER_REQUEST,
            "retrieved-context tokens per request",
        ),
        _count(
            "output_tokens",
            "Output tokens per request",
            TOKENS_PER_REQUEST,
            "output tokens per request",
        ),
        _dollars(
            "vector_store_per_month",
            "Vector store hosting ($ a month)",
            1_000_000,
            "vector store hosting",
            " a month",
        ),
        _dollars(
            "embedding_per_m",
            "Embedding ($ per million tokens)",
            PRICE_PER_MILLION,
            "embedding",
            PER_MILLION,
        ),
        _count("corpus_tokens", "Corpus size (tokens)", 10**12, "tokens in the corpus"),
        _count("training_tokens", "Training set size (tokens)", 10**11, "training tokens"),
        _count("epochs", "Training epochs", 100, "training epochs", minimum=1),
        _count("retrains_per_year", "Retraining runs a year", 365, "retraining runs a year"),
        _count(
            "labelled_pairs_needed",
            "Labelled pairs still to build",
            10**8,
            "labelled pairs still to build",
        ),
        _dollars(
            "labelling_cost_per_pair",
            "Labelling cost ($ a pair)",
            10_000,
            "labelling",
            " a pair",
        ),
        _dollars(
            "input_per_m",
            "Input ($ per million tokens)",
            PRICE_PER_MILLION,
            "the base model's input",
            PER_MILLION,
        ),
        _dollars(
            "output_per_m",
            "Output ($ per million tokens)",
            PRICE_PER_MILLION,
            "the base model's output",
            PER_MILLION,
        ),
        _dollars(
            "tuned_input_per_m",
            "Tuned model input ($ per million tokens)",
            PRICE_PER_MILLION,
            "the tuned model's input",
            PER_MILLION,
        ),
        _dollars(
            "tuned_output_per_m",
            "Tuned model output ($ per million tokens)",
            PRICE_PER_MILLION,
            "the tuned model's output",
            PER_MILLION,
        ),
        _dollars(
            "training_per_m",
            "Training ($ per million tokens, per epoch)",
            PRICE_PER_MILLION,
            "training",
            PER_MILLION,
        ),
        _dollars(
            "hosting_per_hour",
            "Tuned model hosting ($ an hour)",
            10_000,
            "hosting the tuned model",
            " an hour",
        ),
    )
}

ESTIMATE_FIELDS: tuple[str, ...] = (
    "monthly_queries",
    "prompt_tokens",
    "context_tokens",
    "output_tokens",
    "vector_store_per_month",
    "embedding_per_m",
    "corpus_tokens",
    "training_tokens",
    "epochs",
    "retrains_per_year",
    "labelled_pairs_needed",
    "labelling_cost_per_pair",
)
PRICE_FIELDS: tuple[str, ...] = (
    "input_per_m",
    "output_per_m",
    "tuned_input_per_m",
    "tuned_output_per_m",
    "training_per_m",
    "hosting_per_hour",
)
NUMERIC_FIELDS = ESTIMATE_FIELDS + PRICE_FIELDS

# Upper bound of every numeric input: beyond these a figure is a typo, not an estimate.
LIMITS: dict[str, float] = {name: FIELDS[name].maximum for name in NUMERIC_FIELDS}
MINIMUMS: dict[str, float] = {name: FIELDS[name].minimum for name in NUMERIC_FIELDS}


def _check(name: str, value: object) -> tuple[int | float | None, str | None]:
    """A constructor's value for `name`, normalised, or the sentence explaining the fault.

    Whole-number fields take an int; money fields take an int, float or Decimal (the price
    table stores Decimals). Bools are refused: JSON's `true` is not a count.
    """
    spec = FIELDS[name]
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None, "Enter a whole number." if spec.whole else "Enter a number."
    if spec.whole and not isinstance(value, int):
        return None, "Enter a whole number."
    return _in_range(spec, value)


def _in_range(
    spec: InputField, value: int | float | Decimal
) -> tuple[int | float | None, str | None]:
    # Ints are always finite (and may be too large for a float, so they are not converted).
    if isinstance(value, Decimal) and not value.is_finite():
        return None, "Enter a finite number."
    if isinstance(value, float) and not math.isfinite(value):
        return None, "Enter a finite number."
    if value < spec.minimum:
        if spec.minimum == 0:
            return None, "This cannot be negative."
        return None, f"This must be at least {spec.minimum:,}."
    if value > spec.maximum:
        return None, f"This must be at most {spec.maximum:,}."
    if spec.whole:
        if value != int(value):
            return None, "Enter a whole number."
        return int(value), None
    # + 0.0 turns a negative zero into a plain one, so it never shows as "-0.0".
    return float(value) + 0.0, None


# Digits with an optional decimal part and exponent, ASCII only; or digits grouped in threes
# by commas ("200,000"). A lone comma ("1,5") is refused rather than guessed at: in half the
# world it is a decimal point.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)
NOT_A_NUMBER = "Enter a number such as 1500 or 0.15 (commas only between thousands)."


def _parse(name: str, raw: object) -> tuple[int | float | None, str | None]:
    """A value from a form or JSON: numbers as they are, numeric strings converted."""
    spec = FIELDS[name]
    if isinstance(raw, str):
        text = raw.strip()
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        if not _NUMBER.fullmatch(text):
            return None, NOT_A_NUMBER
        # Decimal keeps "1e400" finite, so it is refused as too large, not as infinite.
        return _in_range(spec, Decimal(text))
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        return None, NOT_A_NUMBER
    return _in_range(spec, raw)


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass(frozen=True, slots=True)
class Prices:
    """One row of the dated price table, in US dollars.

    `as_of` is the ISO date the prices were read from the vendor; a `datetime.date` is
    accepted and stored as its ISO string, and Decimal prices are stored as floats. `edited`
    names the prices the user changed from the table's row, whose date then no longer
    applies to them.
    """

    model: str
    as_of: str
    input_per_m: float
    output_per_m: float
    tuned_input_per_m: float
    tuned_output_per_m: float
    training_per_m: float
    hosting_per_hour: float
    edited: tuple[str, ...] = ()

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
        for name in PRICE_FIELDS:
            value, error = _check(name, getattr(self, name))
            if error:
                errors[name] = error
            else:
                object.__setattr__(self, name, value)
        edited = self.edited
        if isinstance(edited, list | tuple) and all(name in PRICE_FIELDS for name in edited):
            object.__setattr__(self, "edited", tuple(n for n in PRICE_FIELDS if n in edited))
        else:
            errors["edited"] = f"List only price fields: {', '.join(PRICE_FIELDS)}."
        if errors:
            raise InvalidEstimate(errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "as_of": self.as_of,
            **{name: getattr(self, name) for name in PRICE_FIELDS},
            "edited": list(self.edited),
        }


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Estimate:
    """What the user enters in the Estimate step, every field checked on construction.

    Whole-number fields must be ints; money fields ints or floats. Build one from a form or
    JSON with `Estimate.from_mapping`, which converts numeric strings and fills gaps with
    `defaults_for`.
    """

    monthly_queries: int
    prompt_tokens: int
    context_tokens: int
    output_tokens: int
    prices: Prices
    vector_store_per_month: float
    embedding_per_m: float
    corpus_tokens: int
    training_tokens: int
    epochs: int
    retrains_per_year: int
    labelled_pairs_needed: int
    labelling_cost_per_pair: float

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        for name in ESTIMATE_FIELDS:
            value, error = _check(name, getattr(self, name))
            if error:
                errors[name] = error
            else:
                object.__setattr__(self, name, value)
        if not isinstance(self.prices, Prices):
            errors["prices"] = "Choose a model from the price table."
        if errors:
            raise InvalidEstimate(errors)

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        *,
        prices: Prices,
        answers: Mapping[str, str] | None = None,
    ) -> Estimate:
        """Build an estimate from form or JSON data, naming every bad field at once.

        Numbers may arrive as numbers or as strings: "1500", "0.15", "2e6" and "200,000"
        (commas strictly between groups of three digits) are read; "1,5", "abc", "NaN" and
        "inf" are refused. A missing, None or blank field takes its default from
        `defaults_for(answers, prices)`. A price field (`input_per_m` ... `hosting_per_hour`)
        overrides the row's figure, and the ones that differ are listed in `prices.edited`.
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
        values: dict[str, int | float] = {}
        overrides: dict[str, int | float] = {}
        for name in NUMERIC_FIELDS:
            raw = data.get(name)
            if _is_blank(raw):
                if name in defaults:
                    values[name] = defaults[name]
                continue
            value, error = _parse(name, raw)
            if error:
                errors[name] = error
            elif name in PRICE_FIELDS:
                if value != getattr(prices, name):
                    overrides[name] = value
            else:
                values[name] = value
        for key in data:
            if key not in FIELDS:
                errors[str(key)] = "Unknown field."
        if errors:
            raise InvalidEstimate(errors)
        if overrides:
            prices = replace(prices, **overrides, edited=(*prices.edited, *overrides))
        return cls(prices=prices, **values)

    def with_value(self, name: str, value: int | float) -> Estimate:
        """This estimate with one numeric input changed, a price field included."""
        if name in PRICE_FIELDS:
            return replace(self, prices=replace(self.prices, **{name: value}))
        if name not in ESTIMATE_FIELDS:
            raise KeyError(name)
        return replace(self, **{name: value})

    def value_of(self, name: str) -> int | float:
        source = self.prices if name in PRICE_FIELDS else self
        return getattr(source, name)

    def to_dict(self) -> dict[str, Any]:
        """Every input, the prices with their date included: the snapshot's "inputs"."""
        return {
            **{name: getattr(self, name) for name in ESTIMATE_FIELDS},
            "prices": self.prices.to_dict(),
        }


# --- Defaults ---------------------------------------------------------------------------------

# Defaults that follow from the five answers. When an answer is missing or unknown, the middle
# choice stands in: an estimate can be made before the wizard is finished.
RETRAINS_PER_YEAR = {"frequent": 12, "occasional": 4, "rare": 1}
PAIRS_NEEDED = {"none": 1_000, "some": 500, "plenty": 0}
MONTHLY_QUERIES = {"early_stage": 10_000, "scaling": 200_000, "high_volume": 2_000_000}

FIXED_DEFAULTS: dict[str, int | float] = {
    "prompt_tokens": 800,
    "context_tokens": 2_000,
    "output_tokens": 300,
    "vector_store_per_month": 70.0,
    "embedding_per_m": 0.02,
    "corpus_tokens": 5_000_000,
    "training_tokens": 2_000_000,
    "epochs": 3,
    "labelling_cost_per_pair": 5.0,
}

# Where each default comes from, for the form's help text and docs/cost-model.md.
DEFAULT_SOURCES: dict[str, str] = {
    "monthly_queries": (
        "Our assumption, from the cost answer: 10,000 a month early on, 200,000 while "
        "scaling, 2,000,000 at high volume."
    ),
    "prompt_tokens": "Our assumption: instructions, a few examples and the question.",
    "context_tokens": "Our assumption: three to five retrieved passages.",
    "output_tokens": "Our assumption: an answer of a few paragraphs.",
    "vector_store_per_month": "Our assumption: a small managed vector database plan.",
    "embedding_per_m": (
        "List price of a small hosted embedding model (OpenAI text-embedding-3-small, as "
        "published from January 2024); check your vendor's page."
    ),
    "corpus_tokens": "Our assumption: a few thousand documents of a few pages each.",
    "training_tokens": "Our assumption: about 1,000 pairs of about 2,000 tokens.",
    "epochs": "Our assumption: a typical number of passes for a hosted fine-tuning job.",
    "retrains_per_year": (
        "From the data-change answer: monthly when it changes often (12), quarterly when "
        "occasionally (4), yearly when rarely (1), as in the framework's yearly syllabus."
    ),
    "labelled_pairs_needed": (
        "Our assumption, from the labelled-data answer: 1,000 pairs to build from none, 500 "
        "more when you have some, none when you have plenty."
    ),
    "labelling_cost_per_pair": "Our assumption: a few minutes of an expert's time per pair.",
}


def defaults_for(answers: Mapping[str, str], prices: Prices) -> dict[str, int | float]:
    """A default for every estimate field, following the answers where they bear on it.

    The price row is accepted so that callers need not change if a default ever depends on
    the model; none does today. Sources: DEFAULT_SOURCES and docs/cost-model.md.
    """
    return {
        "monthly_queries": MONTHLY_QUERIES.get(_answer(answers, "cost"), 200_000),
        **FIXED_DEFAULTS,
        "retrains_per_year": RETRAINS_PER_YEAR.get(_answer(answers, "data_change"), 4),
        "labelled_pairs_needed": PAIRS_NEEDED.get(_answer(answers, "labeled_data"), 500),
    }


def _answer(answers: Mapping[str, str], key: str) -> str:
    value = answers.get(key)
    return value if isinstance(value, str) else ""


# --- Costs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CostItem:
    key: str
    label: str
    amount: float


@dataclass(frozen=True, slots=True)
class CostBreakdown:
    """What one approach pays once (in month 1) and every month, item by item."""

    approach: Approach
    upfront: tuple[CostItem, ...]
    running: tuple[CostItem, ...]


@dataclass(frozen=True, slots=True)
class CostCurve:
    """One approach's cost over the horizon; `monthly` and `cumulative` have 24 entries."""

    approach: Approach
    upfront: float
    monthly: tuple[float, ...]
    cumulative: tuple[float, ...]
    per_query: float

    @property
    def total(self) -> float:
        return self.cumulative[-1]


Items = list[tuple[str, str, Fraction]]


def _exact(estimate: Estimate) -> dict[str, Fraction]:
    return {name: Fraction(estimate.value_of(name)) for name in NUMERIC_FIELDS}


def _items(v: Mapping[str, Fraction]) -> dict[Approach, tuple[Items, Items]]:
    """The formulas of the module docstring, item by item: (upfront, running) per approach."""
    q = v["monthly_queries"]
    prompt, context, output = v["prompt_tokens"], v["context_tokens"], v["output_tokens"]
    changes_a_month = v["retrains_per_year"] / 12
    corpus_embedding = v["corpus_tokens"] * v["embedding_per_m"] / MILLION
    training_run = v["training_tokens"] * v["epochs"] * v["training_per_m"] / MILLION
    base_tokens = (prompt * v["input_per_m"] + output * v["output_per_m"]) / MILLION
    rag_tokens = ((prompt + context) * v["input_per_m"] + output * v["output_per_m"]) / MILLION
    tuned_tokens = (prompt * v["tuned_input_per_m"] + output * v["tuned_output_per_m"]) / MILLION
    return {
        PE: ([], [("inference", "Model tokens", q * base_tokens)]),
        RAG: (
            [("corpus_embedding", "Embedding the corpus", corpus_embedding)],
            [
                ("inference", "Model tokens, retrieved context included", q * rag_tokens),
                (
                    "question_embedding",
                    "Embedding each question",
                    q * prompt * v["embedding_per_m"] / MILLION,
                ),
                ("vector_store", "Vector store hosting", v["vector_store_per_month"]),
                (
                    "re_embedding",
                    "Re-embedding the corpus after data changes",
                    corpus_embedding * changes_a_month,
                ),
            ],
        ),
        FT: (
            [
                (
                    "labelling",
                    "Building the labelled pairs",
                    v["labelled_pairs_needed"] * v["labelling_cost_per_pair"],
                ),
                ("training", "The first training run", training_run),
            ],
            [
                ("hosting", "Hosting the tuned model", v["hosting_per_hour"] * HOURS_PER_MONTH),
                ("inference", "Tuned model tokens", q * tuned_tokens),
                ("retraining", "Retraining after data changes", training_run * changes_a_month),
            ],
        ),
    }


def _totals(v: Mapping[str, Fraction]) -> dict[Approach, tuple[Fraction, Fraction]]:
    """(upfront, running) per approach, exact."""
    return {
        approach: (
            sum((amount for *_, amount in upfront), Fraction(0)),
            sum((amount for *_, amount in running), Fraction(0)),
        )
        for approach, (upfront, running) in _items(v).items()
    }


def _horizon_gap(v: Mapping[str, Fraction]) -> Fraction:
    """Fine-tuning's cost over the horizon minus RAG's: at or below 0, fine-tuning wins."""
    totals = _totals(v)
    (ft_up, ft_run), (rag_up, rag_run) = totals[FT], totals[RAG]
    return ft_up + HORIZON_MONTHS * ft_run - (rag_up + HORIZON_MONTHS * rag_run)


def _gap_line(v: Mapping[str, Fraction], name: str) -> tuple[Fraction, Fraction]:
    """The horizon gap as `at_zero + slope x value` in the single input `name`.

    Every formula is affine in each input taken alone, so two evaluations give the line
    exactly (an input below its minimum, like 0 epochs, is only a point on that line).
    """
    at_zero = _horizon_gap({**v, name: Fraction(0)})
    at_one = _horizon_gap({**v, name: Fraction(1)})
    return at_zero, at_one - at_zero


def cost_breakdown(estimate: Estimate) -> dict[Approach, CostBreakdown]:
    """Each approach's one-off and monthly costs, item by item (dollars, unrounded)."""
    return {
        approach: CostBreakdown(
            approach=approach,
            upfront=tuple(CostItem(k, label, float(amount)) for k, label, amount in upfront),
            running=tuple(CostItem(k, label, float(amount)) for k, label, amount in running),
        )
        for approach, (upfront, running) in _items(_exact(estimate)).items()
    }


def cost_curves(estimate: Estimate) -> dict[Approach, CostCurve]:
    """Monthly and cumulative cost over HORIZON_MONTHS for prompt engineering, RAG and
    fine-tuning, and each one's cost per query (see the module docstring)."""
    q = estimate.monthly_queries
    curves = {}
    for approach, (upfront, running) in _totals(_exact(estimate)).items():
        curves[approach] = CostCurve(
            approach=approach,
            upfront=float(upfront),
            monthly=(float(upfront + running),) + (float(running),) * (HORIZON_MONTHS - 1),
            cumulative=tuple(
                float(upfront + month * running) for month in range(1, HORIZON_MONTHS + 1)
            ),
            per_query=float(running / q) if q else 0.0,
        )
    return curves


def horizon_cost(estimate: Estimate, approach: Approach) -> Fraction:
    """The exact cost of `approach` over the whole horizon: upfront + 24 x running."""
    upfront, running = _totals(_exact(estimate))[approach]
    return upfront + HORIZON_MONTHS * running


def cheaper_over_horizon(estimate: Estimate) -> Approach:
    """RAG or FINE_TUNING, whichever costs less over the horizon; a tie goes to fine-tuning,
    matching `break_even_volume` ("no more than RAG's")."""
    return FT if _horizon_gap(_exact(estimate)) <= 0 else RAG


def break_even_volume(estimate: Estimate) -> int | None:
    """The smallest monthly volume at which fine-tuning costs no more than RAG over the horizon.

    0 when fine-tuning is already no dearer with no queries at all; None ("never within the
    horizon") when its fixed cost is higher and its cost per query is not lower, or when the
    crossing lies beyond LIMITS["monthly_queries"]. Every other input is held as entered.
    """
    at_zero, slope = _gap_line(_exact(estimate), "monthly_queries")
    if at_zero <= 0:
        return 0
    if slope >= 0:
        return None
    volume = math.ceil(at_zero / -slope)
    return volume if volume <= LIMITS["monthly_queries"] else None


def break_even_month(estimate: Estimate) -> int | None:
    """At the entered volume, the first month (1-based) whose cumulative fine-tuning cost is at
    or below RAG's, or None when that never happens within the horizon."""
    totals = _totals(_exact(estimate))
    (ft_up, ft_run), (rag_up, rag_run) = totals[FT], totals[RAG]
    for month in range(1, HORIZON_MONTHS + 1):
        if ft_up + month * ft_run <= rag_up + month * rag_run:
            return month
    return None


def cost_summary(estimate: Estimate) -> str:
    """One or two sentences on which of RAG and fine-tuning the numbers favour, and why: the
    engine's cost evidence quotes it (with `cheaper_over_horizon(estimate) is FINE_TUNING`)."""
    rag, tuned = horizon_cost(estimate, RAG), horizon_cost(estimate, FT)
    volume = break_even_volume(estimate)
    at = f"At {estimate.monthly_queries:,} queries a month"
    if tuned <= rag:
        text = (
            f"{at}, your numbers put fine-tuning at {_whole_dollars(tuned)} over "
            f"{HORIZON_MONTHS} months against {_whole_dollars(rag)} for retrieval."
        )
        if volume:
            text += f" It pays for itself from {volume:,} queries a month."
        return text
    text = (
        f"{at}, your numbers put retrieval at {_whole_dollars(rag)} over {HORIZON_MONTHS} "
        f"months against {_whole_dollars(tuned)} for fine-tuning."
    )
    if volume is None:
        return text + " Fine-tuning does not pay for itself at any volume within that time."
    if volume == 0:
        return text + " A tuned model costs more per query, so more traffic widens the gap."
    return text + f" Fine-tuning would pay for itself from {volume:,} queries a month."


def _whole_dollars(amount: Fraction) -> str:
    return f"${float(amount):,.0f}"


# --- Sensitivity ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Threshold:
    """The value of one input at which the cheaper of RAG and fine-tuning changes.

    `direction` is "above" when raising the input makes `cheaper` win, "below" when lowering
    it does. For a whole-number input `value` is the first whole value on the other side; for
    a dollar input it is the exact crossing point (at which fine-tuning wins the tie).
    """

    field: str
    value: float
    summary: str
    direction: str
    cheaper: Approach


def sensitivity(estimate: Estimate) -> tuple[Threshold, ...]:
    """For each numeric input, in field order, the value that alone would flip which of RAG
    and fine-tuning is cheaper over the horizon, when that value is within the field's limits.

    Each cost is affine in any one input, so the flip point is solved exactly; inputs that do
    not move the gap (an input both sides pay alike, or one multiplied by a zero) are skipped.
    """
    v = _exact(estimate)
    tuned_now = _horizon_gap(v) <= 0
    found = []
    for name in NUMERIC_FIELDS:
        at_zero, slope = _gap_line(v, name)
        if slope == 0:
            continue
        crossing = -at_zero / slope
        if crossing == v[name]:
            continue
        threshold = _threshold(FIELDS[name], crossing, slope, tuned_now, v[name])
        if threshold is not None:
            found.append(threshold)
    return tuple(found)


def _threshold(
    spec: InputField, crossing: Fraction, slope: Fraction, tuned_now: bool, current: Fraction
) -> Threshold | None:
    # The gap rises with the input when slope > 0. Fine-tuning wins where the gap is <= 0,
    # so it wins below the crossing (slope > 0) or above it (slope < 0), the crossing included.
    cheaper = RAG if tuned_now else FT
    direction = "above" if (slope < 0) != tuned_now else "below"
    low, high = spec.minimum, spec.maximum
    if spec.whole:
        if direction == "above":
            first = math.ceil(crossing) if cheaper is FT else math.floor(crossing) + 1
        else:
            first = math.floor(crossing) if cheaper is FT else math.ceil(crossing) - 1
        if not low <= first <= high:
            return None
        value: float = first
        condition = _whole_condition(spec, first, direction)
    else:
        # The flipped side must hold at least one allowed value.
        if direction == "above" and (crossing > high or (crossing == high and cheaper is RAG)):
            return None
        if direction == "below" and (crossing < low or (crossing == low and cheaper is RAG)):
            return None
        value = float(crossing)
        if value == float(current):
            return None  # a crossing too close to the entered figure for a float to tell apart
        condition = _money_condition(spec, crossing, direction)
    winner, loser = ("Fine-tuning", "RAG") if cheaper is FT else ("RAG", "fine-tuning")
    return Threshold(
        field=spec.name,
        value=value,
        summary=f"{winner} becomes cheaper than {loser} {condition}.",
        direction=direction,
        cheaper=cheaper,
    )


def _whole_condition(spec: InputField, value: int, direction: str) -> str:
    if direction == "below" and value == spec.minimum:
        return f"only at {value:,} {spec.unit}"
    return f"at {value:,} or {'more' if direction == 'above' else 'fewer'} {spec.unit}"


def _money_condition(spec: InputField, crossing: Fraction, direction: str) -> str:
    # Round away from the crossing, so the sentence stays true as printed.
    up = direction == "above"
    amount = _dollar_text(crossing, up=up)
    if amount is None:
        return f"if {spec.cost_of} cost next to nothing"
    return f"if {spec.cost_of} cost {'over' if up else 'under'} {amount}{spec.per}"


def _dollar_text(amount: Fraction, *, up: bool) -> str | None:
    """Dollars with cents, or two significant digits below a dollar ($0.0035); None when the
    amount rounds down to nothing."""
    places = 2
    while amount * 10**places < 10 and places < 8:
        places += 1
    scaled = amount * 10**places
    whole = math.ceil(scaled) if up else math.floor(scaled)
    if whole == 0:
        return None
    return f"${Decimal(whole).scaleb(-places):,.{places}f}"


# --- Latency ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stage:
    """One step between the request and the first token, as a range in milliseconds."""

    name: str
    low_ms: int
    high_ms: int

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("A stage needs a name.")
        for value in (self.low_ms, self.high_ms):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError("Stage times are whole, non-negative milliseconds.")
        if self.low_ms > self.high_ms:
            raise ValueError("A stage's low time cannot exceed its high time.")


class LatencyVerdict(StrEnum):
    WITHIN = "within"  # even the slow end meets the target
    AT_RISK = "at_risk"  # the fast end meets it, the slow end does not
    OVER = "over"  # even the fast end misses it


@dataclass(frozen=True, slots=True)
class LatencyBudget:
    """Time to first token: the model's own stage plus the retrieval stages, as ranges."""

    base: Stage
    stages: tuple[Stage, ...]
    low_ms: int
    high_ms: int
    target_ms: int | None

    def __post_init__(self) -> None:
        if self.low_ms != self.base.low_ms + self.added_low_ms:
            raise ValueError("low_ms must be the base stage plus the retrieval stages.")
        if self.high_ms != self.base.high_ms + self.added_high_ms:
            raise ValueError("high_ms must be the base stage plus the retrieval stages.")

    @property
    def added_low_ms(self) -> int:
        return sum(stage.low_ms for stage in self.stages)

    @property
    def added_high_ms(self) -> int:
        return sum(stage.high_ms for stage in self.stages)

    @property
    def within_target(self) -> bool | None:
        """True when even the slow end meets the target, None when there is no target."""
        return None if self.target_ms is None else self.high_ms <= self.target_ms

    @property
    def verdict(self) -> LatencyVerdict | None:
        if self.target_ms is None:
            return None
        if self.high_ms <= self.target_ms:
            return LatencyVerdict.WITHIN
        if self.low_ms <= self.target_ms:
            return LatencyVerdict.AT_RISK
        return LatencyVerdict.OVER

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": _stage_dict(self.base),
            "stages": [_stage_dict(stage) for stage in self.stages],
            "added_low_ms": self.added_low_ms,
            "added_high_ms": self.added_high_ms,
            "low_ms": self.low_ms,
            "high_ms": self.high_ms,
            "target_ms": self.target_ms,
            "within_target": self.within_target,
            "verdict": None if self.verdict is None else str(self.verdict),
        }


def _stage_dict(stage: Stage) -> dict[str, Any]:
    return {"name": stage.name, "low_ms": stage.low_ms, "high_ms": stage.high_ms}


# The split is ours; the totals are the framework's: with a reranker the four retrieval stages
# add exactly 200-800 ms (20 + 30 + 100 + 50 and 80 + 150 + 400 + 170), without one 100-400 ms.
MODEL_STAGE = Stage("Model, first token", 300, 700)
EMBEDDING_STAGE = Stage("Embedding the question", 20, 80)
SEARCH_STAGE = Stage("Vector search", 30, 150)
RERANK_STAGE = Stage("Reranking the results", 100, 400)
CONTEXT_STAGE = Stage("Reading the retrieved context", 50, 170)
RETRIEVAL_MS = (200, 800)
TARGET_MS_LIMIT = 600_000  # ten minutes; anything longer is not a latency target


def latency_budget(
    *,
    rerank: bool = False,
    target_ms: int | None = None,
    retrieval: bool = True,
    base: Stage = MODEL_STAGE,
    embedding: Stage = EMBEDDING_STAGE,
    search: Stage = SEARCH_STAGE,
    rerank_stage: Stage = RERANK_STAGE,
    context: Stage = CONTEXT_STAGE,
) -> LatencyBudget:
    """The time to first token with retrieval (or, with retrieval=False, the model alone, as
    for prompt engineering and fine-tuning), compared with an optional target in ms."""
    if target_ms is not None and (
        isinstance(target_ms, bool)
        or not isinstance(target_ms, int)
        or not 0 < target_ms <= TARGET_MS_LIMIT
    ):
        raise InvalidEstimate(
            {"target_ms": f"Enter whole milliseconds between 1 and {TARGET_MS_LIMIT:,}."}
        )
    stages: tuple[Stage, ...] = ()
    if retrieval:
        stages = (
            (embedding, search, rerank_stage, context) if rerank else (embedding, search, context)
        )
    return LatencyBudget(
        base=base,
        stages=stages,
        low_ms=base.low_ms + sum(stage.low_ms for stage in stages),
        high_ms=base.high_ms + sum(stage.high_ms for stage in stages),
        target_ms=target_ms,
    )


def latency_budgets(
    *, rerank: bool = False, target_ms: int | None = None
) -> dict[Approach, LatencyBudget]:
    """One budget per approach: retrieval stages for the approaches that retrieve."""
    return {
        approach: latency_budget(
            rerank=rerank, target_ms=target_ms, retrieval=approach.uses_retrieval
        )
        for approach in Approach
    }


# --- Time to ship -----------------------------------------------------------------------------

FROM_FRAMEWORK = "framework"  # a figure the framework article gives
OUR_ASSUMPTION = "assumption"  # a figure we chose where it gives none


@dataclass(frozen=True, slots=True)
class Milestone:
    label: str
    weeks: int
    source: str = OUR_ASSUMPTION


PROMPTS_READY = Milestone("Prompts written and checked on an evaluation set", 2, OUR_ASSUMPTION)
RETRIEVAL_LIVE = Milestone("Retrieval live", 6, FROM_FRAMEWORK)
TUNED_MODEL_LIVE = Milestone("Tuned model trained, evaluated and live", 16, FROM_FRAMEWORK)
LABELLED_SET = {
    "none": Milestone("Labelled set built from scratch", 12, FROM_FRAMEWORK),
    "some": Milestone("Labelled set completed", 6, OUR_ASSUMPTION),
    "plenty": None,
}


def time_to_ship(approach: Approach, labeled_data: str) -> tuple[Milestone, ...]:
    """The milestones to a live product, in order; fine-tuning first builds its labelled set
    when the team lacks one, and retrieval plus fine-tuning ships retrieval first."""
    if labeled_data not in LABELLED_SET:
        raise InvalidEstimate({"labeled_data": f"Choose one of: {', '.join(LABELLED_SET)}."})
    approach = Approach(approach)
    if approach is PE:
        return (PROMPTS_READY,)
    path: list[Milestone] = [RETRIEVAL_LIVE] if approach.uses_retrieval else []
    if approach.uses_fine_tuning:
        labelled = LABELLED_SET[labeled_data]
        path += [labelled, TUNED_MODEL_LIVE] if labelled else [TUNED_MODEL_LIVE]
    return tuple(path)


def weeks_to_ship(approach: Approach, labeled_data: str) -> int:
    return sum(milestone.weeks for milestone in time_to_ship(approach, labeled_data))


# --- The report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EstimateReport:
    """Everything the result page shows and the decision snapshot keeps."""

    estimate: Estimate
    approach: Approach
    labeled_data: str
    curves: dict[Approach, CostCurve]
    breakdown: dict[Approach, CostBreakdown]
    break_even_volume: int | None
    break_even_month: int | None
    cheaper_over_horizon: Approach
    summary: str
    latency: dict[Approach, LatencyBudget]
    time_to_ship: dict[Approach, tuple[Milestone, ...]]
    sensitivity: tuple[Threshold, ...]
    version: str = COST_MODEL_VERSION

    @classmethod
    def build(
        cls,
        estimate: Estimate,
        *,
        rerank: bool = False,
        target_ms: int | None = None,
        approach: Approach,
        labeled_data: str,
    ) -> EstimateReport:
        return cls(
            estimate=estimate,
            approach=Approach(approach),
            labeled_data=labeled_data,
            curves=cost_curves(estimate),
            breakdown=cost_breakdown(estimate),
            break_even_volume=break_even_volume(estimate),
            break_even_month=break_even_month(estimate),
            cheaper_over_horizon=cheaper_over_horizon(estimate),
            summary=cost_summary(estimate),
            latency=latency_budgets(rerank=rerank, target_ms=target_ms),
            time_to_ship={a: time_to_ship(a, labeled_data) for a in Approach},
            sensitivity=sensitivity(estimate),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: money rounded to cents, cost per query to a millionth of a dollar."""
        return {
            "version": self.version,
            "horizon_months": HORIZON_MONTHS,
            "approach": str(self.approach),
            "labeled_data": self.labeled_data,
            "inputs": self.estimate.to_dict(),
            "curves": {
                str(approach): {
                    "upfront": _cents(curve.upfront),
                    "monthly": [_cents(amount) for amount in curve.monthly],
                    "cumulative": [_cents(amount) for amount in curve.cumulative],
                    "per_query": _round(curve.per_query, 6),
                }
                for approach, curve in self.curves.items()
            },
            "breakdown": {
                str(approach): {
                    part: [
                        {"key": item.key, "label": item.label, "amount": _cents(item.amount)}
                        for item in getattr(breakdown, part)
                    ]
                    for part in ("upfront", "running")
                }
                for approach, breakdown in self.breakdown.items()
            },
            "break_even_volume": self.break_even_volume,
            "break_even_month": self.break_even_month,
            "cheaper_over_horizon": str(self.cheaper_over_horizon),
            "summary": self.summary,
            "latency": {str(a): budget.to_dict() for a, budget in self.latency.items()},
            "time_to_ship": {
                str(approach): {
                    "milestones": _milestone_dicts(milestones),
                    "weeks": sum(milestone.weeks for milestone in milestones),
                }
                for approach, milestones in self.time_to_ship.items()
            },
            "sensitivity": [
                {
                    "field": threshold.field,
                    "value": threshold.value,
                    "summary": threshold.summary,
                    "direction": threshold.direction,
                    "cheaper": str(threshold.cheaper),
                }
                for threshold in self.sensitivity
            ],
        }


def estimate_report(
    estimate: Estimate,
    *,
    rerank: bool = False,
    target_ms: int | None = None,
    approach: Approach,
    labeled_data: str,
) -> dict[str, Any]:
    """The JSON-ready report saved with a decision and returned by the API."""
    return EstimateReport.build(
        estimate,
        rerank=rerank,
        target_ms=target_ms,
        approach=approach,
        labeled_data=labeled_data,
    ).to_dict()


def _milestone_dicts(milestones: tuple[Milestone, ...]) -> list[dict[str, Any]]:
    rows, week = [], 0
    for milestone in milestones:
        rows.append(
            {
                "label": milestone.label,
                "weeks": milestone.weeks,
                "source": milestone.source,
                "start_week": week,
                "end_week": week + milestone.weeks,
            }
        )
        week += milestone.weeks
    return rows


def _round(amount: float, places: int) -> float:
    # Half up on the float's exact value, so 0.125 becomes 0.13 as a person would expect.
    return float(Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _cents(amount: float) -> float:
    return _round(amount, 2)


def cost_comparison(estimate: Estimate, rival: Approach) -> tuple[bool, str]:
    """Whether fine-tuning costs no more than `rival` over the horizon, and the sentence why.

    The rival is what fine-tuning would replace: retrieval for a knowledge gap, prompt
    engineering for behaviour. Against prompt engineering a tuned model saves no tokens here
    (the same prompt, at tuned prices), so it can win only when its costs are all zero.
    """
    if rival is RAG:
        return cheaper_over_horizon(estimate) is FT, cost_summary(estimate)
    prompts, tuned = horizon_cost(estimate, PE), horizon_cost(estimate, FT)
    at = f"At {estimate.monthly_queries:,} queries a month"
    if tuned <= prompts:
        return True, (
            f"{at}, your numbers put fine-tuning at {_whole_dollars(tuned)} over "
            f"{HORIZON_MONTHS} months against {_whole_dollars(prompts)} for prompt engineering."
        )
    return False, (
        f"{at}, your numbers put prompt engineering at {_whole_dollars(prompts)} over "
        f"{HORIZON_MONTHS} months against {_whole_dollars(tuned)} for fine-tuning, whose "
        "training, hosting and pricier tokens buy no saving on the prompt."
    )
