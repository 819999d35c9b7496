"""What each approach costs over the horizon, where RAG and fine-tuning break even, and which
single input would flip the cheaper of the two (see the package docstring for the formulas)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from advisor.domain.costs.estimate import CostInputs
from advisor.domain.costs.inputs import FIELDS, LIMITS, NUMERIC_FIELDS, InputField
from advisor.domain.engine import Approach

HORIZON_MONTHS = 24
HOURS_PER_MONTH = 730
MILLION = 1_000_000

PE = Approach.PROMPT_ENGINEERING
RAG = Approach.RAG
FT = Approach.FINE_TUNING

# The approaches that get a cost curve. Retrieval plus fine-tuning has no curve of its own:
# it pays both bills, and the question the curves answer is which of the two wins.
COSTED_APPROACHES = (PE, RAG, FT)


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


def _exact(estimate: CostInputs) -> dict[str, Fraction]:
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


def cost_breakdown(estimate: CostInputs) -> dict[Approach, CostBreakdown]:
    """Each approach's one-off and monthly costs, item by item (dollars, unrounded)."""
    return {
        approach: CostBreakdown(
            approach=approach,
            upfront=tuple(CostItem(k, label, float(amount)) for k, label, amount in upfront),
            running=tuple(CostItem(k, label, float(amount)) for k, label, amount in running),
        )
        for approach, (upfront, running) in _items(_exact(estimate)).items()
    }


def cost_curves(estimate: CostInputs) -> dict[Approach, CostCurve]:
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


def horizon_cost(estimate: CostInputs, approach: Approach) -> Fraction:
    """The exact cost of `approach` over the whole horizon: upfront + 24 x running."""
    upfront, running = _totals(_exact(estimate))[approach]
    return upfront + HORIZON_MONTHS * running


def cheaper_over_horizon(estimate: CostInputs) -> Approach:
    """RAG or FINE_TUNING, whichever costs less over the horizon; a tie goes to fine-tuning,
    matching `break_even_volume` ("no more than RAG's")."""
    return FT if _horizon_gap(_exact(estimate)) <= 0 else RAG


def break_even_volume(estimate: CostInputs) -> int | None:
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


def break_even_month(estimate: CostInputs) -> int | None:
    """At the entered volume, the first month (1-based) whose cumulative fine-tuning cost is at
    or below RAG's, or None when that never happens within the horizon."""
    totals = _totals(_exact(estimate))
    (ft_up, ft_run), (rag_up, rag_run) = totals[FT], totals[RAG]
    for month in range(1, HORIZON_MONTHS + 1):
        if ft_up + month * ft_run <= rag_up + month * rag_run:
            return month
    return None


def cost_summary(estimate: CostInputs) -> str:
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


def sensitivity(estimate: CostInputs) -> tuple[Threshold, ...]:
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


def cost_comparison(estimate: CostInputs, rival: Approach) -> tuple[bool, str]:
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
