"""The estimate's numeric inputs: names, labels, bounds, and how a typed value is read."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal


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
    a dollar figure pays for ("hosting the tuned model", "an hour"), or for a share (`share`,
    0 to 1) what it is a share of. They feed the sentences of `sensitivity`.
    """

    name: str
    label: str
    whole: bool
    maximum: int
    minimum: int = 0
    unit: str = ""
    cost_of: str = ""
    per: str = ""
    share: bool = False


def _count(name: str, label: str, maximum: int, unit: str, minimum: int = 0) -> InputField:
    return InputField(name, label, True, maximum, minimum, unit=unit)


def _dollars(name: str, label: str, maximum: int, cost_of: str, per: str) -> InputField:
    return InputField(name, label, False, maximum, cost_of=cost_of, per=per)


def _share(name: str, label: str, of: str) -> InputField:
    return InputField(name, label, False, 1, cost_of=of, share=True)


PER_MILLION = " per million tokens"
TOKENS_PER_REQUEST = 2_000_000  # far beyond any model's context window
PRICE_PER_MILLION = 10_000  # dollars per million tokens; list prices are below $100
HOURS = 100_000  # fifty years of one engineer's working hours

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
            "tuned_prompt_tokens",
            "Prompt tokens per request after tuning",
            TOKENS_PER_REQUEST,
            "prompt tokens per request after tuning",
        ),
        _share(
            "cached_share", "Cached share of the prompt (0 to 1)", "the cached share of the prompt"
        ),
        _count(
            "output_tokens",
            "Output tokens per request",
            TOKENS_PER_REQUEST,
            "output tokens per request",
        ),
        _count(
            "context_tokens",
            "Retrieved-context tokens per request",
            TOKENS_PER_REQUEST,
            "retrieved-context tokens per request",
        ),
        _count(
            "question_tokens",
            "Question tokens embedded per request",
            TOKENS_PER_REQUEST,
            "question tokens per request",
        ),
        _dollars(
            "embedding_per_m",
            "Embedding ($ per million tokens)",
            PRICE_PER_MILLION,
            "embedding",
            PER_MILLION,
        ),
        _dollars(
            "vector_store_per_month",
            "Managed vector store ($ a month)",
            1_000_000,
            "the managed vector store",
            " a month",
        ),
        _dollars(
            "rerank_per_1k",
            "Reranker ($ per 1,000 searches)",
            10_000,
            "reranking",
            " per 1,000 searches",
        ),
        _count("corpus_tokens", "Corpus size (tokens)", 10**12, "tokens in the corpus"),
        _count(
            "reembeds_per_year", "Corpus re-embeddings a year", 365, "corpus re-embeddings a year"
        ),
        _count("training_tokens", "Training set size (tokens)", 10**11, "training tokens"),
        _count("epochs", "Training epochs", 100, "training epochs", minimum=1),
        _count("retrains_per_year", "Retraining runs a year", 365, "retraining runs a year"),
        _dollars(
            "retrain_fixed_cost",
            "Evaluation and release per retraining ($)",
            1_000_000,
            "evaluating and releasing each retraining",
            "",
        ),
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
            "engineer_hourly",
            "Engineering ($ an hour, loaded)",
            10_000,
            "an engineer's hour",
            "",
        ),
        _count("prompt_build_hours", "Prompt work to build (hours)", HOURS, "hours of prompt work"),
        _count(
            "retrieval_build_hours",
            "Retrieval to build (hours)",
            HOURS,
            "hours to build retrieval",
        ),
        _count("tuning_build_hours", "Tuning to build (hours)", HOURS, "hours to build the tuning"),
        _count(
            "prompt_upkeep_hours",
            "Prompt upkeep (hours a month)",
            HOURS,
            "hours a month of prompt upkeep",
        ),
        _count(
            "retrieval_upkeep_hours",
            "Retrieval upkeep (hours a month)",
            HOURS,
            "hours a month of retrieval upkeep",
        ),
        _count(
            "tuning_upkeep_hours",
            "Tuned model upkeep (hours a month)",
            HOURS,
            "hours a month of tuned-model upkeep",
        ),
        _dollars(
            "input_per_m",
            "Input ($ per million tokens)",
            PRICE_PER_MILLION,
            "the base model's input",
            PER_MILLION,
        ),
        _dollars(
            "cached_input_per_m",
            "Cached input ($ per million tokens)",
            PRICE_PER_MILLION,
            "the base model's cached input",
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

# The estimate's own figures, grouped as the numbers step shows them (FIELD_GROUPS).
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "Traffic": ("monthly_queries", "output_tokens"),
    "Prompt": ("prompt_tokens", "tuned_prompt_tokens", "cached_share"),
    "Retrieval": (
        "context_tokens",
        "question_tokens",
        "embedding_per_m",
        "vector_store_per_month",
        "rerank_per_1k",
        "corpus_tokens",
        "reembeds_per_year",
    ),
    "Tuning": (
        "training_tokens",
        "epochs",
        "retrains_per_year",
        "retrain_fixed_cost",
        "labelled_pairs_needed",
        "labelling_cost_per_pair",
    ),
    "People": (
        "engineer_hourly",
        "prompt_build_hours",
        "retrieval_build_hours",
        "tuning_build_hours",
        "prompt_upkeep_hours",
        "retrieval_upkeep_hours",
        "tuning_upkeep_hours",
    ),
}
ESTIMATE_FIELDS: tuple[str, ...] = tuple(name for group in FIELD_GROUPS.values() for name in group)
PRICE_FIELDS: tuple[str, ...] = (
    "input_per_m",
    "cached_input_per_m",
    "output_per_m",
    "tuned_input_per_m",
    "tuned_output_per_m",
    "training_per_m",
    "hosting_per_hour",
)
# The prices of the model that is tuned: the tuned row's when one is chosen (distillation onto
# another model), else the base row's.
TUNED_PRICE_FIELDS: tuple[str, ...] = (
    "tuned_input_per_m",
    "tuned_output_per_m",
    "training_per_m",
    "hosting_per_hour",
)
NUMERIC_FIELDS = ESTIMATE_FIELDS + PRICE_FIELDS

# Choices rather than figures: no threshold is sought for them (they are not affine in
# anything), and they are read as true/false or one of a few words.
VECTOR_STORES = ("pgvector", "managed")
CHOICE_FIELDS: dict[str, str] = {
    "batch": "Run the requests through the batch API (half price, results within 24 hours)",
    "rerank": "Rerank the retrieved passages",
    "vector_store": "Vector store",
}
INPUT_FIELDS: tuple[str, ...] = NUMERIC_FIELDS + tuple(CHOICE_FIELDS)

# Upper bound of every numeric input: beyond these a figure is a typo, not an estimate.
LIMITS: dict[str, float] = {name: FIELDS[name].maximum for name in NUMERIC_FIELDS}
MINIMUMS: dict[str, float] = {name: FIELDS[name].minimum for name in NUMERIC_FIELDS}


def checked_choice(name: str, value: object) -> tuple[bool | str | None, str | None]:
    """A choice's value, or the sentence explaining the fault."""
    if name == "vector_store":
        if value in VECTOR_STORES:
            return value, None
        return None, f"Choose one of: {', '.join(VECTOR_STORES)}."
    if isinstance(value, bool):
        return value, None
    return None, "Send true or false."


def checked(name: str, value: object) -> tuple[int | float | None, str | None]:
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


def parsed(name: str, raw: object) -> tuple[int | float | None, str | None]:
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


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())
