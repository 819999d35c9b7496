"""POST /api/v1/evaluate (advisor/api.py): its request, its answer and its errors as pydantic
models, from which docs/schemas/evaluate-*.schema.json are generated.

The view reads a request itself, with sentences of its own (engine.Answers.from_mapping, the
cost model's CostInputs.from_mapping); tests/test_schemas.py checks that the schemas accept
what it accepts and that every answer it gives matches its schema.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, create_model

from advisor.domain.costs import (
    ESTIMATE_FIELDS,
    FIELDS,
    NUMERIC_FIELDS,
    PRICE_FIELDS,
    SIZES,
    VECTOR_STORES,
)
from advisor.domain.costs.latency import TARGET_MS_LIMIT, LatencyVerdict
from advisor.domain.questions import QUESTIONS
from advisor.domain.refine import CORPUS_TOKENS_LIMIT, CORPUS_TOKENS_PROMPT, REFINE_QUESTIONS
from advisor.domain.schemas.decision import (
    RationaleEntry,
    SnapshotConfidence,
    SnapshotPilotMetric,
    SnapshotPlanStage,
)
from advisor.domain.schemas.fields import (
    ApproachName,
    Day,
    QuestionKey,
    StrictModel,
)

# --- The request -------------------------------------------------------------------------------


class ClosedModel(StrictModel):
    """A part of the request whose every key is read: one it does not know is refused."""

    model_config = ConfigDict(extra="forbid")


EvaluateAnswers = create_model(
    "EvaluateAnswers",
    __base__=ClosedModel,
    __doc__="One choice for each of the five questions (docs/decision-rules.md).",
    **{
        question.key: (
            Literal[*question.values],
            Field(description=f"{question.title}: {question.prompt}"),
        )
        for question in QUESTIONS
    },
)

# What the numbers step accepts as text: a number, "200,000" (commas only between thousands)
# or "1.5e6"; blank text, like null or a missing key, takes the figure's default.
NUMBER_TEXT = (
    r"^\s*(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
    r"|[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?)?\s*$"
)
NumberText = Annotated[str, StringConstraints(pattern=NUMBER_TEXT)]


def _figure(name: str) -> Any:
    spec = FIELDS[name]
    number = Annotated[int if spec.whole else float, Field(ge=spec.minimum, le=spec.maximum)]
    kind = "A whole number" if spec.whole else "A number"
    description = (
        f"{spec.label}. {kind} from {spec.minimum:,} to {spec.maximum:,}, or the same as text; "
        "null, blank or left out: the default for the answers and the model."
    )
    return (number | NumberText | None, Field(default=None, description=description))


EvaluateEstimate = create_model(
    "EvaluateEstimate",
    __base__=ClosedModel,
    __doc__=(
        "The team's own numbers (docs/cost-model.md): each figure the numbers step takes; a "
        "price figure overrides the model's row of the price table."
    ),
    model=(
        str | None,
        Field(
            default=None,
            description=(
                "A model of the price table (one no longer offered is still accepted); null: "
                "its default row."
            ),
        ),
    ),
    tuned_model=(
        str | None,
        Field(
            default=None,
            description=(
                "The model of the price table to tune, when it is not `model` (distillation "
                "onto a smaller model): the tuned input, output, training and hosting prices "
                "are then its; null: `model` itself."
            ),
        ),
    ),
    rerank=(
        bool | None,
        Field(
            default=None,
            description="Whether retrieval reranks its results (its fee is then charged).",
        ),
    ),
    batch=(
        bool | None,
        Field(
            default=None,
            description=(
                "Whether the requests go through a batch API at half the token prices; null: "
                "on when the latency answer is async."
            ),
        ),
    ),
    vector_store=(
        Literal[*VECTOR_STORES] | None,
        Field(
            default=None,
            description="pgvector ($0 beyond the database) or a managed store; null: pgvector.",
        ),
    ),
    latency_target_ms=(
        Annotated[int, Field(ge=1, le=TARGET_MS_LIMIT)] | None,
        Field(default=None, description="The time to first token to meet, in milliseconds."),
    ),
    **{name: _figure(name) for name in NUMERIC_FIELDS},
)


EvaluateRefine = create_model(
    "EvaluateRefine",
    __base__=ClosedModel,
    __doc__=(
        "The optional refine step (docs/decision-rules.md): any of its keys, null or left out "
        "when not known. It shapes the plan, the next steps and the confidence, never the "
        "approach."
    ),
    **{
        question.key: (
            Literal[*question.values] | None,
            Field(default=None, description=f"{question.title}: {question.prompt}"),
        )
        for question in REFINE_QUESTIONS
    },
    corpus_tokens=(
        Annotated[int, Field(ge=0, le=CORPUS_TOKENS_LIMIT)] | None,
        Field(default=None, description=CORPUS_TOKENS_PROMPT),
    ),
)


class EvaluateRequest(StrictModel):
    """The body of POST /api/v1/evaluate: a JSON object of at most 16 KB. Other keys are
    ignored."""

    answers: EvaluateAnswers
    refine: EvaluateRefine | None = None
    estimate: EvaluateEstimate | None = None
    """Adds the cost, latency and time-to-ship report, and lets the numbers decide where
    cost decides."""


# --- The answer ---------------------------------------------------------------------------------


class WouldChangeEntry(StrictModel):
    """A single different answer that would lead to another approach."""

    question: QuestionKey
    answer: str
    approach: ApproachName
    summary: str


class ReportPrices(StrictModel):
    """The price table's row used, in US dollars, with the prices the request changed."""

    model: str
    as_of: Day
    input_per_m: float
    cached_input_per_m: float
    output_per_m: float
    tuned_input_per_m: float
    tuned_output_per_m: float
    training_per_m: float
    hosting_per_hour: float
    edited: list[Literal[*PRICE_FIELDS]]
    tuning_open: bool
    """Whether the vendor takes fine-tuning jobs from new customers."""
    retires_on: Day | None
    """The base model's announced retirement, or null when none is announced."""
    size: Literal[*SIZES]
    """Sets the model's time to first token (docs/cost-model.md)."""


ReportInputs = create_model(
    "ReportInputs",
    __base__=StrictModel,
    __doc__="Every input of the cost model, typed or by default, and the prices.",
    **{name: (int if FIELDS[name].whole else float, ...) for name in ESTIMATE_FIELDS},
    batch=(bool, ...),
    rerank=(bool, ...),
    vector_store=(Literal[*VECTOR_STORES], ...),
    prices=(ReportPrices, ...),
    tuned_prices=(ReportPrices | None, Field(description="The tuned model's row, if another.")),
)


class ReportCurve(StrictModel):
    """One approach's cost in US dollars: once, each month of the horizon, and in total."""

    upfront: float
    monthly: list[float]
    cumulative: list[float]
    per_query: float
    """The running cost per query, fixed costs included; 0 with no queries."""


class ReportCostItem(StrictModel):
    key: str
    label: str
    amount: float


class ReportBreakdown(StrictModel):
    """What an approach pays once (in the first month) and every month, item by item."""

    upfront: list[ReportCostItem]
    running: list[ReportCostItem]


class ReportStage(StrictModel):
    name: str
    low_ms: int
    high_ms: int


class ReportLatency(StrictModel):
    """Time to first token as a range: the model's own stage plus retrieval's."""

    base: ReportStage
    stages: list[ReportStage]
    added_low_ms: int
    added_high_ms: int
    low_ms: int
    high_ms: int
    target_ms: int | None
    within_target: bool | None
    verdict: Literal[*(str(verdict) for verdict in LatencyVerdict)] | None
    mitigations: list[str]
    """What would shorten the wait, when the slow end misses the target."""


class ReportMilestone(StrictModel):
    label: str
    weeks: int
    source: str
    start_week: int
    end_week: int


class ReportShipping(StrictModel):
    """The weeks to ship an approach, milestone by milestone."""

    milestones: list[ReportMilestone]
    weeks: int


class ReportComparison(StrictModel):
    """What the break-even and sensitivity compare: the tuned approach and its rival."""

    tuned: ApproachName
    rival: ApproachName


class ReportThreshold(StrictModel):
    """The value of one input at which the cheaper of the compared approaches changes."""

    field: Literal[*NUMERIC_FIELDS]
    value: float
    summary: str
    direction: Literal["above", "below"]
    cheaper: ApproachName


class NumbersReport(StrictModel):
    """The cost over the horizon, latency and time to ship of every approach; a completed
    decision keeps it as its recommendation's "estimate"."""

    version: str
    """The cost model's version (docs/cost-model.md)."""
    horizon_months: int
    approach: ApproachName
    labeled_data: str
    comparison: ReportComparison
    inputs: ReportInputs
    curves: dict[ApproachName, ReportCurve]
    breakdown: dict[ApproachName, ReportBreakdown]
    break_even_volume: int | None
    break_even_month: int | None
    cheaper_over_horizon: ApproachName
    summary: str
    latency: dict[ApproachName, ReportLatency]
    time_to_ship: dict[ApproachName, ReportShipping]
    sensitivity: list[ReportThreshold]
    price_warnings: list[str]
    """What to know about the price row before trusting it: prices read more than six months
    ago, fine-tuning closed to new customers, the base model retiring within the horizon.
    Only in the API's answer; a saved recommendation does not keep it."""


class EvaluateResponse(StrictModel):
    """The recommendation for the answers (status 200); nothing is saved."""

    approach: ApproachName
    approach_label: str
    headline: str
    rationale: list[RationaleEntry]
    """One entry per question, in the questions' order."""
    ladder_step: ApproachName
    next_step: str
    next_steps: list[str]
    trade_offs: list[str]
    would_change: list[WouldChangeEntry]
    plan: list[SnapshotPlanStage]
    """The staged plan: the first stage now, each later one with its trigger."""
    pilot_metrics: list[SnapshotPilotMetric]
    confidence: SnapshotConfidence
    refine: dict[str, str | int]
    """The refine answers the request gave, by key."""
    rules_version: str
    """The version of the decision rules (docs/decision-rules.md)."""
    estimate: NumbersReport = None
    """Only when the request sent an estimate."""


class EvaluateError(StrictModel):
    """Any other answer (400, 405, 413, 429): what went wrong, and for a 400 about the answers
    or the estimate, a sentence per field."""

    error: str
    errors: dict[str, str] = None
    """By field: a question's key, "refine." and a refine key, or "estimate." and the
    figure's name."""
