"""What each approach costs over the horizon, where a tuned approach and its rival break even,
and which single input would flip the cheaper of the two (the package docstring has the
formulas)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from advisor.domain.costs.estimate import CostInputs
from advisor.domain.costs.inputs import LIMITS, NUMERIC_FIELDS
from advisor.domain.engine import Approach

HORIZON_MONTHS = 24
HOURS_PER_MONTH = 730
MILLION = 1_000_000
SEARCHES_PER_FEE = 1_000  # reranker prices are per 1,000 searches
BATCH_FACTOR = Fraction(1, 2)  # the batch APIs' discount on tokens

PE = Approach.PROMPT_ENGINEERING
RAG = Approach.RAG
FT = Approach.FINE_TUNING
RAG_FT = Approach.RAG_PLUS_FINE_TUNING

# Every approach has a cost curve; retrieval plus fine-tuning pays retrieval's costs and the
# tuned model's, the retrieved context at the tuned model's rates.
COSTED_APPROACHES = (PE, RAG, FT, RAG_FT)

# (the tuned approach, the rival it would replace)
Pair = tuple[Approach, Approach]


def rivals(problem: str) -> Pair:
    """What the numbers compare for a problem: fine-tuning against prompt engineering for
    behaviour; for knowledge and both, retrieval plus fine-tuning against retrieval (a tuned
    model never carries the knowledge, so it is always priced with the retrieved context)."""
    return (FT, PE) if problem == "behavior" else (RAG_FT, RAG)


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


@dataclass(frozen=True, slots=True)
class Choices:
    """The estimate's choices, which scale or switch items rather than enter them as figures."""

    batch: bool
    rerank: bool
    managed_store: bool

    @classmethod
    def of(cls, estimate: CostInputs) -> Choices:
        return cls(estimate.batch, estimate.rerank, estimate.vector_store == "managed")


Items = list[tuple[str, str, Fraction]]


def _exact(estimate: CostInputs) -> dict[str, Fraction]:
    return {name: Fraction(estimate.value_of(name)) for name in NUMERIC_FIELDS}


def _items(v: Mapping[str, Fraction], c: Choices) -> dict[Approach, tuple[Items, Items]]:
    """The formulas of the package docstring, item by item: (upfront, running) per approach."""
    q = v["monthly_queries"]
    tokens = BATCH_FACTOR if c.batch else Fraction(1)  # every per-token price, batched or not
    prompt, tuned_prompt = v["prompt_tokens"], v["tuned_prompt_tokens"]
    context, output, share = v["context_tokens"], v["output_tokens"], v["cached_share"]
    hourly = v["engineer_hourly"]
    corpus_embedding = v["corpus_tokens"] * v["embedding_per_m"] / MILLION
    training_run = v["training_tokens"] * v["epochs"] * v["training_per_m"] / MILLION
    # The prompt's fixed prefix is read at the cached rate, the rest at the full one.
    prompt_price = prompt * ((1 - share) * v["input_per_m"] + share * v["cached_input_per_m"])
    output_price = output * v["output_per_m"]
    tuned_output = output * v["tuned_output_per_m"]

    def per_month(tokens_times_price: Fraction) -> Fraction:
        return q * tokens_times_price * tokens / MILLION

    def people(*hours: str) -> Fraction:
        return hourly * sum((v[name] for name in hours), Fraction(0))

    base_tokens = per_month(prompt_price + output_price)
    rag_tokens = per_month(prompt_price + context * v["input_per_m"] + output_price)
    tuned_tokens = per_month(tuned_prompt * v["tuned_input_per_m"] + tuned_output)
    tuned_rag_tokens = per_month((tuned_prompt + context) * v["tuned_input_per_m"] + tuned_output)

    retrieval_once: Items = [("corpus_embedding", "Embedding the corpus", corpus_embedding)]
    retrieval_monthly: Items = [
        (
            "question_embedding",
            "Embedding each question",
            per_month(v["question_tokens"] * v["embedding_per_m"]),
        ),
        (
            "reranking",
            "Reranking the results",
            q * v["rerank_per_1k"] / SEARCHES_PER_FEE if c.rerank else Fraction(0),
        ),
        (
            "vector_store",
            "Managed vector store" if c.managed_store else "pgvector in your database",
            v["vector_store_per_month"] if c.managed_store else Fraction(0),
        ),
        (
            "re_embedding",
            "Re-embedding the corpus after data changes",
            corpus_embedding * v["reembeds_per_year"] / 12,
        ),
    ]
    tuning_once: Items = [
        (
            "labelling",
            "Building the labelled pairs",
            v["labelled_pairs_needed"] * v["labelling_cost_per_pair"],
        ),
        ("training", "The first training run", training_run),
    ]
    tuning_monthly: Items = [
        ("hosting", "Hosting the tuned model", v["hosting_per_hour"] * HOURS_PER_MONTH),
        (
            "retraining",
            "Retraining, evaluating and releasing when the behaviour changes",
            (training_run + v["retrain_fixed_cost"]) * v["retrains_per_year"] / 12,
        ),
    ]

    def build(*hours: str) -> tuple[str, str, Fraction]:
        return ("build_people", "Engineering time to build", people(*hours))

    def upkeep(*hours: str) -> tuple[str, str, Fraction]:
        return ("upkeep_people", "Engineering time to keep it running", people(*hours))

    return {
        PE: (
            [build("prompt_build_hours")],
            [("inference", "Model tokens", base_tokens), upkeep("prompt_upkeep_hours")],
        ),
        RAG: (
            [*retrieval_once, build("prompt_build_hours", "retrieval_build_hours")],
            [
                ("inference", "Model tokens, retrieved context included", rag_tokens),
                *retrieval_monthly,
                upkeep("prompt_upkeep_hours", "retrieval_upkeep_hours"),
            ],
        ),
        FT: (
            [*tuning_once, build("prompt_build_hours", "tuning_build_hours")],
            [
                ("inference", "Tuned model tokens", tuned_tokens),
                *tuning_monthly,
                upkeep("prompt_upkeep_hours", "tuning_upkeep_hours"),
            ],
        ),
        RAG_FT: (
            [
                *retrieval_once,
                *tuning_once,
                build("prompt_build_hours", "retrieval_build_hours", "tuning_build_hours"),
            ],
            [
                (
                    "inference",
                    "Tuned model tokens, retrieved context included",
                    tuned_rag_tokens,
                ),
                *retrieval_monthly,
                *tuning_monthly,
                upkeep("prompt_upkeep_hours", "retrieval_upkeep_hours", "tuning_upkeep_hours"),
            ],
        ),
    }


def _totals(v: Mapping[str, Fraction], c: Choices) -> dict[Approach, tuple[Fraction, Fraction]]:
    """(upfront, running) per approach, exact."""
    return {
        approach: (
            sum((amount for *_, amount in upfront), Fraction(0)),
            sum((amount for *_, amount in running), Fraction(0)),
        )
        for approach, (upfront, running) in _items(v, c).items()
    }


def _horizon_gap(v: Mapping[str, Fraction], c: Choices, pair: Pair) -> Fraction:
    """The tuned approach's cost over the horizon minus its rival's: at or below 0, the tuned
    approach wins."""
    totals = _totals(v, c)
    (tuned_up, tuned_run), (rival_up, rival_run) = totals[pair[0]], totals[pair[1]]
    return tuned_up + HORIZON_MONTHS * tuned_run - (rival_up + HORIZON_MONTHS * rival_run)


def _gap_line(
    v: Mapping[str, Fraction], c: Choices, pair: Pair, name: str
) -> tuple[Fraction, Fraction]:
    """The horizon gap as `at_zero + slope x value` in the single input `name`.

    Every formula is affine in each numeric input taken alone, so two evaluations give the
    line exactly (an input below its minimum, like 0 epochs, is only a point on that line).
    """
    at_zero = _horizon_gap({**v, name: Fraction(0)}, c, pair)
    at_one = _horizon_gap({**v, name: Fraction(1)}, c, pair)
    return at_zero, at_one - at_zero


def cost_breakdown(estimate: CostInputs) -> dict[Approach, CostBreakdown]:
    """Each approach's one-off and monthly costs, item by item (dollars, unrounded)."""
    return {
        approach: CostBreakdown(
            approach=approach,
            upfront=tuple(CostItem(k, label, float(amount)) for k, label, amount in upfront),
            running=tuple(CostItem(k, label, float(amount)) for k, label, amount in running),
        )
        for approach, (upfront, running) in _items(_exact(estimate), Choices.of(estimate)).items()
    }


def cost_curves(estimate: CostInputs) -> dict[Approach, CostCurve]:
    """Monthly and cumulative cost over HORIZON_MONTHS for every approach, and each one's
    cost per query (see the package docstring)."""
    q = estimate.monthly_queries
    curves = {}
    for approach, (upfront, running) in _totals(_exact(estimate), Choices.of(estimate)).items():
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


def horizon_cost(estimate: CostInputs, approach: Approach) -> Fraction:
    """The exact cost of `approach` over the whole horizon: upfront + 24 x running."""
    upfront, running = _totals(_exact(estimate), Choices.of(estimate))[approach]
    return upfront + HORIZON_MONTHS * running


def cheaper_over_horizon(estimate: CostInputs, pair: Pair) -> Approach:
    """Whichever of the pair (tuned, rival) costs less over the horizon; a tie goes to the
    tuned approach, matching `break_even_volume` ("no more than")."""
    return pair[0] if _horizon_gap(_exact(estimate), Choices.of(estimate), pair) <= 0 else pair[1]


def break_even_volume(estimate: CostInputs, pair: Pair) -> int | None:
    """The smallest monthly volume at which the tuned approach of `pair` costs no more than
    its rival over the horizon.

    0 when it is already no dearer with no queries at all; None ("never within the horizon")
    when its fixed cost is higher and its cost per query is not lower, or when the crossing
    lies beyond LIMITS["monthly_queries"]. Every other input is held as entered.
    """
    at_zero, slope = _gap_line(_exact(estimate), Choices.of(estimate), pair, "monthly_queries")
    if at_zero <= 0:
        return 0
    if slope >= 0:
        return None
    volume = math.ceil(at_zero / -slope)
    return volume if volume <= LIMITS["monthly_queries"] else None


def break_even_month(estimate: CostInputs, pair: Pair) -> int | None:
    """At the entered volume, the first month (1-based) whose cumulative cost of the tuned
    approach is at or below its rival's, or None when that never happens within the horizon."""
    totals = _totals(_exact(estimate), Choices.of(estimate))
    (tuned_up, tuned_run), (rival_up, rival_run) = totals[pair[0]], totals[pair[1]]
    for month in range(1, HORIZON_MONTHS + 1):
        if tuned_up + month * tuned_run <= rival_up + month * rival_run:
            return month
    return None


def cost_summary(estimate: CostInputs, pair: Pair) -> str:
    """One or two sentences on which of the pair the numbers favour, and why: the engine's
    cost evidence quotes it (see `cost_comparison`)."""
    tuned_approach, rival_approach = pair
    tuned, rival = horizon_cost(estimate, tuned_approach), horizon_cost(estimate, rival_approach)
    tuned_name, rival_name = _name(tuned_approach), _name(rival_approach)
    volume = break_even_volume(estimate, pair)
    at = f"At {estimate.monthly_queries:,} queries a month"
    if tuned <= rival:
        text = (
            f"{at}, your numbers put {tuned_name} at {_whole_dollars(tuned)} over "
            f"{HORIZON_MONTHS} months against {_whole_dollars(rival)} for {rival_name}."
        )
        if volume:
            text += f" It pays for itself from {volume:,} queries a month."
        return text
    text = (
        f"{at}, your numbers put {rival_name} at {_whole_dollars(rival)} over "
        f"{HORIZON_MONTHS} months against {_whole_dollars(tuned)} for {tuned_name}."
    )
    if volume is None:
        return (
            text + f" {_title(tuned_name)} does not pay for itself at any volume within that time."
        )
    if volume == 0:
        return text + " The tuned model costs more per query, so more traffic widens the gap."
    return text + f" {_title(tuned_name)} would pay for itself from {volume:,} queries a month."


# The approaches as the sentences name them, mid-sentence.
NAMES = {
    PE: "prompt engineering",
    RAG: "retrieval",
    FT: "fine-tuning",
    RAG_FT: "retrieval plus fine-tuning",
}


def _name(approach: Approach) -> str:
    return NAMES[approach]


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]


def _whole_dollars(amount: Fraction) -> str:
    return f"${float(amount):,.0f}"


def cost_comparison(estimate: CostInputs, problem: str) -> tuple[bool, str]:
    """Whether the tuned approach costs no more than what it would replace over the horizon
    (`rivals(problem)`), and the sentence why."""
    pair = rivals(problem)
    return cheaper_over_horizon(estimate, pair) is pair[0], cost_summary(estimate, pair)
