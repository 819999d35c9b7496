"""Whether an exported decision can be imported, with every fault in the sentences that
docs/exports.md lists.

The models of advisor.domain.schemas.decision check each key, and SENTENCES words what they
find, by the key's path and the kind of fault. What a model cannot say, because it relates
keys or needs the clock, is a rule (RULES). Sentences come by part of the file, in the order
of PARTS: a part with a key missing or malformed gets one sentence naming it, as the rest of
that part cannot be read; any other part one sentence per fault.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import InvalidOperation
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from advisor.domain import charts
from advisor.domain.lifecycle import ACCEPTED, PROPOSED, refusal
from advisor.domain.outcome_rules import ship_date_error
from advisor.domain.questions import QUESTION_KEYS
from advisor.domain.schemas.decision import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    READABLE_VERSIONS,
    DecisionExport,
)
from advisor.domain.schemas.fields import read_day, read_moment
from advisor.domain.schemas.sentences import (
    ANY_WORD,
    APPROACH,
    DATE_RANGE,
    NOT_TEXT,
    OUT_OF_RANGE,
    TEXT,
    TOO_LONG,
    WORD,
    Path,
    Sentence,
    worded,
)
from advisor.domain.schemas.team_answers import TEAM_SENTENCES

NOT_AN_EXPORT = "This is not a decision exported from Advisor."

# Each top-level key belongs to the part of the file its sentences name.
PARTS = {
    "decision": "the decision",
    "started_at": "the decision",
    "lifecycle": "the decision",
    "review_by": "the decision",
    "answers": "the answers",
    "refine_answers": "the refine answers",
    "recommendation": "the recommendation",
    "status_history": "the status history",
    "outcomes": "the outcomes",
    "links": "the links",
    "estimate_inputs": "the numbers' inputs",
}


class InvalidExport(ValueError):
    """Raised with one sentence per fault, so the import can list them all."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Fault:
    """One thing wrong at `path`: a sentence, or (sentence None) a key missing or malformed."""

    path: Path
    sentence: str | None = None
    missing: str | None = None
    # Faults with one sentence and one scope are said once (one per list, item or metric).
    scope: Path = ()
    # Worded, but the value cannot be read either (a date out of range): rules skip it.
    unreadable: bool = False


def checked_export(document: object, *, now: datetime, today: date) -> DecisionExport:
    """`document` as the model of its version when it can be imported as it is; otherwise
    InvalidExport naming every fault. Nothing may be in the future of `now` and `today`."""
    if not isinstance(document, Mapping) or document.get("format") != EXPORT_FORMAT:
        raise InvalidExport([NOT_AN_EXPORT])
    version = document.get("version")
    # Compared, not looked up, as before: a version that is a list is simply another one.
    model = next((m for known, m in READABLE_VERSIONS.items() if known == version), None)
    if model is None:
        raise InvalidExport(
            [
                f"This file is in version {version!r} of the export format; "
                f"this Advisor reads version {EXPORT_VERSION}."
            ]
        )
    try:
        export, faults = model.model_validate(document), []
    except ValidationError as error:
        export = None
        faults = [fault for e in error.errors() if (fault := _fault(e, document))]
    faults = _with_rules(document, faults, now=now, today=today)
    if faults:
        raise InvalidExport(_sentences(faults))
    assert export is not None  # no fault, so the model read it
    return export


# --- What the models find, in words ----------------------------------------------------------


VERDICT = "A verdict in the rationale is not one Advisor knows."
METRIC_TEXT = "A metric's name (80) or unit (20 characters) is too long."

SENTENCES = (
    Sentence(("*",), OUT_OF_RANGE, DATE_RANGE),
    Sentence(("decision", "title"), TEXT, "The decision needs a title of 160 characters or fewer."),
    Sentence(("lifecycle",), WORD, "“{input}” is not a status Advisor knows."),
    Sentence(("answers", "*"), frozenset({"union_tag_invalid"}), None),
    Sentence(
        ("answers", "*", "*", "value"),
        ANY_WORD,
        "“{input}” is not an answer to “{title}” (one of: {choices}).",
    ),
    Sentence(("answers", "*", "*", "note"), TEXT, "The note on “{title}” is too long or not text."),
    Sentence(("recommendation", "approach"), WORD, APPROACH),
    Sentence(("recommendation", "ladder_step"), WORD, APPROACH),
    Sentence(
        ("recommendation", "headline"), NOT_TEXT, "The recommendation's headline must be text."
    ),
    Sentence(
        ("recommendation", "next_step"), NOT_TEXT, "The recommendation's next_step must be text."
    ),
    Sentence(
        ("recommendation", "rules_version"),
        NOT_TEXT,
        "The recommendation's rules_version must be text.",
    ),
    Sentence(
        ("recommendation", "rules_version"),
        frozenset({"string_too_long"}),
        "The rules version is too long.",
    ),
    Sentence(
        ("recommendation", "next_steps", "*"),
        NOT_TEXT,
        "The recommendation's next_steps must be a list of text.",
        once_per=2,
    ),
    Sentence(
        ("recommendation", "trade_offs", "*"),
        NOT_TEXT,
        "The recommendation's trade_offs must be a list of text.",
        once_per=2,
    ),
    Sentence(("recommendation", "rationale", "*", "rag"), WORD, VERDICT, once_per=3),
    Sentence(("recommendation", "rationale", "*", "fine_tuning"), WORD, VERDICT, once_per=3),
    Sentence(("status_history", "*", "from"), ANY_WORD, None),
    Sentence(("status_history", "*", "to"), ANY_WORD, None),
    Sentence(
        ("status_history", "*", "reason"),
        TEXT,
        "A status change's reason is too long or not text.",
    ),
    Sentence(
        ("outcomes", "*", "approach"),
        WORD,
        "An outcome names “{input}”, not an approach Advisor knows.",
    ),
    Sentence(
        ("outcomes", "*", "shipped_on"),
        frozenset({"day_missing"}),
        "An outcome needs the date it shipped.",
    ),
    Sentence(("outcomes", "*", "notes"), TEXT, "An outcome's notes are too long or not text."),
    Sentence(
        ("outcomes", "*", "metrics", "*", "value"),
        frozenset({"decimal_range"}),
        "The metric “{name}” has a value out of range.",
    ),
    Sentence(("outcomes", "*", "metrics", "*", "name"), TOO_LONG, METRIC_TEXT, once_per=4),
    Sentence(("outcomes", "*", "metrics", "*", "unit"), TOO_LONG, METRIC_TEXT, once_per=4),
    Sentence(
        ("estimate_inputs", "inputs", "*"),
        frozenset({"literal_error", "int_type", "float_type", "bool_type", "string_type"}),
        "The numbers' inputs name unknown figures or hold something not a number or choice.",
        once_per=2,
    ),
    Sentence(
        ("estimate_inputs", "rerank"),
        frozenset({"bool_type"}),
        "The numbers' rerank setting must be true or false.",
    ),
    Sentence(
        ("estimate_inputs", "latency_target_ms"),
        frozenset({"int_type", "greater_than_equal", "less_than_equal"}),
        "The latency target must be a whole number of milliseconds.",
    ),
    *TEAM_SENTENCES,
)


def _fault(error: ErrorDetails, document: Mapping[str, Any]) -> Fault | None:
    """The model's error as a fault; None when a rule words it instead."""
    path, kind = tuple(error["loc"]), error["type"]
    if kind == "literal_error" and isinstance(error["input"], list | dict):
        kind = "list_or_object"
    for row in SENTENCES:
        if kind in row.faults and _under(path, row.path):
            if row.text is None:
                return None
            scope = path[: row.once_per] if row.once_per else path
            sentence = worded(row.text, error, document)
            return Fault(path, sentence, scope=scope, unreadable=kind in OUT_OF_RANGE)
    return Fault(path, missing=_missing_key(error))


def _under(path: Path, pattern: Path) -> bool:
    return len(path) >= len(pattern) and all(
        part == "*" or part == found for part, found in zip(pattern, path, strict=False)
    )


def _missing_key(error: ErrorDetails) -> str | None:
    if error["type"] == "missing":
        return str(error["loc"][-1])
    if error["type"] == "union_tag_not_found":
        return str(error.get("ctx", {}).get("discriminator", "")).strip("'") or None
    return None


# --- What relates keys -------------------------------------------------------------------------


def _completed_after_started(doc: Mapping[str, Any], *, now: datetime, **_: Any) -> list[Fault]:
    completed = read_moment(doc["decision"]["completed_at"])
    if read_moment(doc["started_at"]) <= completed <= now:
        return []
    sentence = "The decision must be completed after it was started, and not in the future."
    return [Fault(("started_at",), sentence)]


def _review_date_when_accepted(doc: Mapping[str, Any], **_: Any) -> list[Fault]:
    if doc["review_by"] is None or doc["lifecycle"] == ACCEPTED:
        return []
    return [Fault(("review_by",), "Only an accepted decision has a review date.")]


def _five_answers(doc: Mapping[str, Any], **_: Any) -> list[Fault]:
    keys = [answer["question"] for answer in doc["answers"]]
    if not all(isinstance(key, str) for key in keys):
        return [Fault(("answers",))]
    if sorted(keys) == sorted(QUESTION_KEYS):
        return []
    sentence = f"The answers must cover the five questions once each ({', '.join(QUESTION_KEYS)})."
    return [Fault(("answers",), sentence)]


def _snapshot_of_these_answers(doc: Mapping[str, Any], **_: Any) -> list[Fault]:
    # The snapshot's answers are read as they come: if they cannot be, neither can these.
    try:
        snapshot = {a["question"]: a["answer"] for a in doc["recommendation"]["answers"]}
    except KeyError as error:
        return [Fault(("answers",), missing=f"{error.args[0]}")]
    except TypeError:
        return [Fault(("answers",))]
    if snapshot == {a["question"]: a["value"] for a in doc["answers"]}:
        return []
    sentence = "The recommendation was computed from other answers than the file lists."
    return [Fault(("answers",), sentence)]


def _refine_answers_of_the_snapshot(doc: Mapping[str, Any], **_: Any) -> list[Fault]:
    """Each refine key at most once, and the ones the snapshot was computed from (none for a
    snapshot saved before the refine step existed)."""
    given = [(a["question"], a["value"]) for a in doc.get("refine_answers", [])]
    keys = [key for key, _ in given]
    if len(set(keys)) < len(keys):
        return [Fault(("refine_answers",), "The refine answers must name each key once at most.")]
    snapshot = doc["recommendation"].get("refine") or []
    if {item["key"]: item["answer"] for item in snapshot} == dict(given):
        return []
    sentence = "The recommendation was computed from other refine answers than the file lists."
    return [Fault(("refine_answers",), sentence)]


# What drawing a malformed report raises.
UNDRAWABLE = (
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    IndexError,
    ZeroDivisionError,
    InvalidOperation,
)


def _drawable_report(doc: Mapping[str, Any], **_: Any) -> list[Fault]:
    """The page draws the saved report; one it cannot draw is refused here, not there."""
    report = doc["recommendation"]["estimate"]
    if report is None:
        return []
    try:
        charts.cost_chart(report)
        charts.latency_chart(report)
        charts.ship_chart(report)
    except UNDRAWABLE as error:
        missing = f"{error.args[0]}" if isinstance(error, KeyError) else None
        return [Fault(("recommendation", "estimate"), missing=missing)]
    return []


def _possible_history(doc: Mapping[str, Any], **_: Any) -> list[Fault]:
    """Each change one the app could have made, in order, from proposed on."""
    faults, status = [], PROPOSED
    for n, change in enumerate(doc["status_history"]):
        old, new = change["from"], change["to"]
        if old != status or refusal(old, new, superseding=True):
            sentence = f"The status history cannot go from “{old}” to “{new}” after “{status}”."
            faults.append(Fault(("status_history", n), sentence))
        status = new
    return faults


def _history_ends_at_status(doc: Mapping[str, Any], **_: Any) -> list[Fault]:
    if "lifecycle" not in doc:
        return [Fault(("status_history",), missing="lifecycle")]
    history = doc["status_history"]
    status = history[-1]["to"] if history else PROPOSED
    if status == doc["lifecycle"]:
        return []
    sentence = f"The status history ends at “{status}”, not at “{doc['lifecycle']}”."
    return [Fault(("status_history",), sentence)]


def _pilot_metrics_of_the_snapshot(doc: Mapping[str, Any], **_: Any) -> list[Fault]:
    """An outcome's figure measures one of the snapshot's pilot metrics, or none (the model
    has checked both lists' shapes already: this rule reads only what is well formed)."""
    keys = {metric["key"] for metric in doc["recommendation"].get("pilot_metrics") or []}
    sentence = "An outcome's metric names a pilot metric the recommendation does not have."
    return [
        Fault(("outcomes", n, "metrics", m, "pilot"), sentence)
        for n, outcome in enumerate(doc["outcomes"])
        for m, metric in enumerate(outcome["metrics"])
        if metric.get("pilot") is not None and metric["pilot"] not in keys
    ]


def _shipped_already(doc: Mapping[str, Any], *, today: date, **_: Any) -> list[Fault]:
    return [
        Fault(("outcomes", n, "shipped_on"), error)
        for n, outcome in enumerate(doc["outcomes"])
        if outcome["shipped_on"] is not None
        and (error := ship_date_error(read_day(outcome["shipped_on"]), today=today))
    ]


@dataclass(frozen=True)
class Rule:
    check: Callable[..., list[Fault]]
    # Checked only when nothing at, above or under these is malformed; a key of another part
    # is read as it comes, and a fault in reading it is one of this part too.
    reads: tuple[Path, ...]
    alone: bool = False  # what it finds is its part's only sentence: it explains the others
    last: bool = False  # checked only when its part has no other fault


RULES = (
    Rule(_completed_after_started, reads=(("decision", "completed_at"), ("started_at",))),
    Rule(_review_date_when_accepted, reads=(("review_by",), ("lifecycle",))),
    Rule(_five_answers, reads=(("answers",),), alone=True),
    Rule(_snapshot_of_these_answers, reads=(("answers",),), last=True),
    Rule(
        _refine_answers_of_the_snapshot,
        reads=(("refine_answers",), ("recommendation", "refine")),
        last=True,
    ),
    Rule(_drawable_report, reads=(("recommendation", "estimate"),)),
    Rule(_possible_history, reads=(("status_history",),)),
    Rule(_history_ends_at_status, reads=(("status_history",),)),
    Rule(_shipped_already, reads=(("outcomes",),)),
    Rule(
        _pilot_metrics_of_the_snapshot, reads=(("outcomes",), ("recommendation", "pilot_metrics"))
    ),
)


def _with_rules(
    doc: Mapping[str, Any], faults: list[Fault], *, now: datetime, today: date
) -> list[Fault]:
    for rule in RULES:
        part = PARTS[str(rule.reads[0][0])]
        if any(_touches(fault, path) for fault in faults for path in rule.reads):
            continue
        if rule.last and any(PARTS.get(str(fault.path[0])) == part for fault in faults):
            continue
        found = rule.check(doc, now=now, today=today)
        if rule.alone and found:
            faults = [fault for fault in faults if PARTS.get(str(fault.path[0])) != part]
        faults = faults + found
    return faults


def _touches(fault: Fault, path: Path) -> bool:
    """Whether a malformed key lies at, above or under `path`."""
    shared = min(len(fault.path), len(path))
    unreadable = fault.sentence is None or fault.unreadable
    return unreadable and fault.path[:shared] == path[:shared]


def _sentences(faults: list[Fault]) -> list[str]:
    sentences: list[str] = []
    for part in dict.fromkeys(PARTS.values()):
        found = [fault for fault in faults if PARTS[str(fault.path[0])] == part]
        unreadable = next((fault for fault in found if fault.sentence is None), None)
        if unreadable is None:
            said = dict.fromkeys((fault.sentence, fault.scope or fault.path) for fault in found)
            sentences += [sentence for sentence, _ in said if sentence]
        elif unreadable.missing:
            sentences.append(
                f"Part of the file is missing or malformed: {part} (no “{unreadable.missing}”)."
            )
        else:
            sentences.append(f"Part of the file is missing or malformed: {part}.")
    return sentences
