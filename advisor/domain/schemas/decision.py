"""The JSON export of a decision (advisor.selectors.documents.decision_export) as pydantic
models: the shape every exported file has, the shape an import reads, and, generated from them,
docs/schemas/decision-export.schema.json.

The models say what each key holds; advisor.domain.schemas.decision_rules says how keys
relate (a history that could have happened, times in order, the answers the snapshot was
computed from) and words every fault as the import shows it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from advisor.domain.costs import INPUT_FIELDS
from advisor.domain.costs.latency import TARGET_MS_LIMIT
from advisor.domain.questions import QUESTIONS, Question
from advisor.domain.refine import (
    CORPUS_TOKENS_LIMIT,
    CORPUS_TOKENS_PROMPT,
    REFINE_KEYS,
    refine_question,
    refine_title,
)
from advisor.domain.schemas.fields import (
    ApproachName,
    Day,
    Moment,
    StatusName,
    StrictModel,
    VerdictName,
)
from advisor.domain.schemas.team_answers import SnapshotTeamAnswers

# The format's name and version: bump EXPORT_VERSION when a key changes meaning or
# disappears, or when keys are added that an older Advisor would drop without a word, and keep
# the older versions in READABLE_VERSIONS, each with a model that reads its files into the
# current shape, so every file exported so far still imports.
EXPORT_FORMAT = "advisor.decision"
# Version 2 added the refine step's answers and the snapshot's refine answers, plan, pilot
# metrics and confidence; version 3 the snapshot's team answers. A decision is written in the
# oldest version that holds it (1 for one saved before the refine step, 2 for one a single
# person answered), so any Advisor that can read it does.
EXPORT_VERSION = 3
REFINE_VERSION = 2
FIRST_VERSION = 1

# The columns' limits (advisor.models); tests/test_schemas.py checks they still agree.
TITLE_MAX_LENGTH = 160
NOTE_MAX_LENGTH = 2000
RULES_VERSION_MAX_LENGTH = 20
REASON_MAX_LENGTH = 1000
OUTCOME_NOTES_MAX_LENGTH = 4000
METRIC_NAME_MAX_LENGTH = 80
METRIC_UNIT_MAX_LENGTH = 20
# A metric's value is below this in size (the column holds 12 digits before the point).
METRIC_VALUE_LIMIT = Decimal(10) ** 12


# Python's str.strip() decides what is blank: the models read patterns with Python's re.
Title = Annotated[str, StringConstraints(max_length=TITLE_MAX_LENGTH, pattern=r"\S")]
Note = Annotated[str, StringConstraints(max_length=NOTE_MAX_LENGTH)]
RulesVersion = Annotated[str, StringConstraints(max_length=RULES_VERSION_MAX_LENGTH)]
Reason = Annotated[str, StringConstraints(max_length=REASON_MAX_LENGTH)]
OutcomeNotes = Annotated[str, StringConstraints(max_length=OUTCOME_NOTES_MAX_LENGTH)]
MetricName = Annotated[str, StringConstraints(min_length=1, max_length=METRIC_NAME_MAX_LENGTH)]
MetricUnit = Annotated[str, StringConstraints(max_length=METRIC_UNIT_MAX_LENGTH)]
PilotKey = Annotated[str, StringConstraints(min_length=1, max_length=32)]


def _metric_value(value: object) -> Decimal:
    if not isinstance(value, str):
        raise PydanticCustomError("decimal_type", "A metric's value is a decimal as text.")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise PydanticCustomError("decimal_parsing", "This is not a decimal number.") from None
    if not number.is_finite() or abs(number) >= METRIC_VALUE_LIMIT:
        raise PydanticCustomError("decimal_range", "The value is out of range.")
    return number


MetricValue = Annotated[
    Decimal,
    BeforeValidator(_metric_value),
    WithJsonSchema(
        {
            "type": "string",
            "description": 'A decimal number as text, such as "640.5", below 10^12 in size.',
        }
    ),
]


def _names(value: object) -> object:
    return value if isinstance(value, list) else []


def _name(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _people(value: object) -> object:
    return value if isinstance(value, dict) else None


def _by_key(value: object) -> object:
    return value if isinstance(value, dict) else {}


# Names are kept when they are text and otherwise ignored: "people" is the key a team edits
# or drops to share a file without names, and the import never refuses a file over it.
Name = Annotated[str | None, BeforeValidator(_name)]
Names = Annotated[list[Name], BeforeValidator(_names)]


# Keys every export has that the import does not need, or takes as they come: described in
# the schema, never checked (files that imported before still do).
AnyText = Annotated[Any, WithJsonSchema({"type": "string"})]
ExportedAt = Annotated[Any, WithJsonSchema({"type": "string", "format": "date-time"})]
SourceUrl = Annotated[Any, WithJsonSchema({"type": "string", "format": "uri"})]


# --- The decision and its recommendation (what the share link's JSON also holds) --------------


class ExportHead(StrictModel):
    """The decision's names and when it was completed."""

    title: Title
    project: AnyText
    """The name of the project it was exported from."""
    completed_at: Moment


class RationaleEntry(StrictModel):
    """One question's answer judged for retrieval and for fine-tuning."""

    question: str
    """The question's key."""
    answer: str
    """The answer's value."""
    rag: VerdictName
    fine_tuning: VerdictName
    why: str


class SnapshotRationaleEntry(RationaleEntry):
    """A rationale entry as saved, with the question's title and the answer's label of then."""

    question_title: str
    answer_label: str


class SnapshotChange(StrictModel):
    """A single different answer that would have led to another approach."""

    question: AnyText = None
    answer: AnyText = None
    approach: AnyText = None
    summary: str


class SnapshotAnswer(StrictModel):
    """An answer as the recommendation showed it: with its question's wording of then."""

    question: str
    question_title: str
    prompt: str
    answer: str
    answer_label: str
    note: str


class SnapshotRefineAnswer(StrictModel):
    """A refine step's answer as the recommendation showed it, with its wording of then."""

    key: Literal[*REFINE_KEYS]
    title: str
    answer: str | int
    """The choice's value, or for corpus_tokens the number of tokens."""
    answer_label: str
    note: Note


class SnapshotPlanStage(StrictModel):
    """One stage of the plan: what to do, and the trigger that justifies moving to it."""

    key: str
    title: str
    action: str
    trigger: str | None
    """Null for the first stage: it starts now."""


class SnapshotPilotMetric(StrictModel):
    """A figure the pilot measures and the threshold that counts as met."""

    key: str
    label: str
    unit: str
    better: Literal["higher", "lower"]
    threshold: int | float | None
    """Null where the team sets it (a cost per query without numbers)."""


class SnapshotConfidence(StrictModel):
    """How far the recommendation can be trusted, and why."""

    level: Literal["high", "medium", "low"]
    reason: str


class SnapshotReport(StrictModel):
    """The numbers' report as saved at completion: the "estimate" of POST /api/v1/evaluate
    (docs/schemas/evaluate-response.schema.json) at the report's "version". The import needs
    the parts the result page draws, and refuses a report it cannot draw."""

    inputs: dict[str, Any]
    curves: dict[str, Any]
    breakdown: dict[str, Any]
    latency: dict[str, Any]
    time_to_ship: dict[str, Any]


class ExportSnapshot(StrictModel):
    """The recommendation as it was frozen at completion; imported as it is."""

    approach: ApproachName
    headline: str
    rationale: list[SnapshotRationaleEntry]
    ladder_step: ApproachName
    next_step: str
    next_steps: list[str]
    trade_offs: list[str]
    would_change: list[SnapshotChange]
    rules_version: RulesVersion
    """The version of the decision rules that computed it."""
    answers: list[SnapshotAnswer]
    estimate: SnapshotReport | None
    """The numbers' report, or null when the team entered no numbers."""
    refine: list[SnapshotRefineAnswer] | None = None
    """The refine step's answers (version 2); absent in a snapshot saved before it existed."""
    plan: list[SnapshotPlanStage] | None = None
    """The staged plan, first stage first (version 2)."""
    pilot_metrics: list[SnapshotPilotMetric] | None = None
    """What the pilot measures (version 2)."""
    confidence: SnapshotConfidence | None = None
    """The confidence with its reason (version 2)."""
    team_answers: SnapshotTeamAnswers | None = None
    """How the team answered, without names (version 3); absent where one person answered."""


# The keys version 2 added to the snapshot: written only where the snapshot has them.
SNAPSHOT_ADDED = ("refine", "plan", "pilot_metrics", "confidence")
# The key version 3 added, written only for a decision a team answered.
SNAPSHOT_TEAM = "team_answers"
# The snapshot's keys every version has, in the order the share document and the export
# write them.
SNAPSHOT_FIELDS = tuple(
    name for name in ExportSnapshot.model_fields if name not in (*SNAPSHOT_ADDED, SNAPSHOT_TEAM)
)


# --- What a member's export adds -----------------------------------------------------------


class HistoryEntry(StrictModel):
    """One change of the decision's status."""

    from_: StatusName = Field(alias="from")
    to: StatusName
    at: Moment
    reason: Reason


class ExportLink(StrictModel):
    """Another decision of the project it came from."""

    title: str
    url: str


class ExportLinks(StrictModel):
    """Links to other decisions: kept as text on import, as they name another project's."""

    supersedes: ExportLink | None
    superseded_by: ExportLink | None
    revisit_of: ExportLink | None


class ExportMetric(StrictModel):
    """One measured figure of an outcome."""

    name: MetricName
    value: MetricValue
    unit: MetricUnit
    pilot: PilotKey | None = None
    """The key of the snapshot's pilot metric this figure measures (format version 2)."""


class ExportOutcome(StrictModel):
    """What was shipped, and when (a date that has come)."""

    approach: ApproachName
    shipped_on: Day
    notes: OutcomeNotes
    recorded_at: Moment
    metrics: list[ExportMetric]


def _answer_model(question: Question) -> type[StrictModel]:
    """The raw answer to one question: its key, one of its choices and the note."""
    return create_model(
        "".join(word.title() for word in question.key.split("_")) + "Answer",
        __base__=StrictModel,
        __doc__=f"The answer to “{question.title}”: {question.prompt}",
        question=(Literal[question.key], ...),
        value=(Literal[*question.values], ...),
        note=(Note, ...),
    )


# One model per question, told apart by "question", so each lists its own choices.
ExportAnswer = Annotated[
    Union[*(_answer_model(question) for question in QUESTIONS)],
    Field(discriminator="question"),
]


def _refine_answer_model(key: str) -> type[StrictModel]:
    """The raw answer to one refine key: one of its choices (or a number of tokens) and the
    note."""
    if key == "corpus_tokens":
        value: Any = Annotated[int, Field(ge=0, le=CORPUS_TOKENS_LIMIT)]
        doc = f"The answer to “{refine_title(key)}”: {CORPUS_TOKENS_PROMPT}"
    else:
        question = refine_question(key)
        value = Literal[*question.values]
        doc = f"The answer to “{question.title}”: {question.prompt}"
    return create_model(
        "Refine" + "".join(word.title() for word in key.split("_")) + "Answer",
        __base__=StrictModel,
        __doc__=doc,
        question=(Literal[key], ...),
        value=(value, ...),
        note=(Note, ...),
    )


# One model per refine key, told apart by "question", as the answers are.
ExportRefineAnswer = Annotated[
    Union[*(_refine_answer_model(key) for key in REFINE_KEYS)],
    Field(discriminator="question"),
]


class EstimateInputs(StrictModel):
    """The numbers the team typed in the numbers step, restored with the decision."""

    inputs: dict[Literal[*INPUT_FIELDS], int | float | bool | str]
    """The figures and choices typed (the others follow the answers): docs/cost-model.md
    names them."""
    rerank: bool
    latency_target_ms: Annotated[int, Field(ge=1, le=TARGET_MS_LIMIT)] | None
    price_model: str | None
    """The price table's row, by its model's name; left empty where this Advisor has none."""
    tuned_price_model: str | None = None
    """The row of the model to tune when it is another, by its model's name."""


class TeamNames(StrictModel):
    """The names the recommendation's "team_answers" leaves out (version 3)."""

    asked_by: Name = None
    """Who asked the team for their answers."""
    people: Names = []
    """Each person asked, in the order of the team answers' "people"."""
    settled_by: Annotated[dict[str, Name], BeforeValidator(_by_key)] = {}
    """Who settled each question, by its key."""


class ExportPeople(StrictModel):
    """Every name in the file, and only here. A name that is not text is ignored."""

    completed_by: Name = None
    """Who completed the wizard, as named then."""
    status_changes: Names = []
    """Who made each status change, in the order of "status_history"."""
    outcomes: Names = []
    """Who recorded each outcome, in the order of "outcomes"."""
    team_answers: Annotated[TeamNames | None, BeforeValidator(_people)] = None
    """The names of the recommendation's team answers (version 3)."""


class DecisionExport(StrictModel):
    """A completed decision as Advisor exports it, and as its import reads it.

    Every file Advisor exports has every key below; the import needs all but "exported_at",
    "url" and "people", and ignores keys it does not know. docs/exports.md describes the
    rules that relate keys, which a JSON Schema cannot say.
    """

    format: Literal[EXPORT_FORMAT]
    version: Literal[FIRST_VERSION, REFINE_VERSION, EXPORT_VERSION]
    """3 for a decision a team answered; else 2, or 1 for a decision with nothing version 2
    added (no refine answers, no plan)."""
    exported_at: ExportedAt = None
    """When the file was made."""
    url: SourceUrl = None
    """The decision's address on the Advisor it came from."""
    decision: ExportHead
    recommendation: ExportSnapshot
    started_at: Moment
    lifecycle: StatusName
    review_by: Day | None
    """When an accepted decision is due for review."""
    status_history: list[HistoryEntry]
    """From "proposed" to "lifecycle", oldest first."""
    links: ExportLinks
    outcomes: list[ExportOutcome]
    answers: list[ExportAnswer]
    """The five questions once each, in any order."""
    refine_answers: list[ExportRefineAnswer] = []
    """The refine step's answers given, each key at most once (version 2)."""
    estimate_inputs: EstimateInputs | None
    people: Annotated[ExportPeople | None, BeforeValidator(_people)] = None
    """Drop this key to share the file without names; anything but an object counts as none."""


# Every version of the format this Advisor reads, with its model: a file of an older version
# is one of the newest without the keys the later versions added.
READABLE_VERSIONS: dict[int, type[DecisionExport]] = {
    FIRST_VERSION: DecisionExport,
    REFINE_VERSION: DecisionExport,
    EXPORT_VERSION: DecisionExport,
}
