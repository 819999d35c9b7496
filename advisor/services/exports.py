"""Importing an exported decision (advisor.selectors.documents.decision_export) into a project.

The file is checked whole before anything is written, and written in one transaction: a
refused file creates nothing. docs/exports.md lists the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advisor.domain import charts, costs, lifecycle
from advisor.domain.engine import Approach, Verdict
from advisor.domain.outcome_rules import ship_date_error
from advisor.domain.questions import QUESTION_KEYS, question_for
from advisor.domain.refusals import Refused
from advisor.domain.wizard import REVIEW_STEP
from advisor.models import (
    NOTE_MAX_LENGTH,
    OUTCOME_NOTES_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Answer,
    AuditEvent,
    Decision,
    Estimate,
    ModelPrice,
    Outcome,
    OutcomeMetric,
    Project,
    Recommendation,
    StatusChange,
)
from advisor.selectors.documents import EXPORT_FORMAT, EXPORT_VERSION, SNAPSHOT_FIELDS
from advisor.services.audit import audit_record

LIFECYCLES = set(Decision.Lifecycle.values)
APPROACHES = {str(approach) for approach in Approach}
VERDICTS = {str(verdict) for verdict in Verdict}
LINK_LABELS = {
    "supersedes": "supersedes",
    "superseded_by": "superseded by",
    "revisit_of": "revisits",
}
UNKNOWN_NAME = "unknown (imported)"


@transaction.atomic
def decision_import(
    *, project: Project, user: AbstractBaseUser, document: Mapping[str, Any]
) -> Decision:
    """Recreate an exported decision, complete, in `project`.

    The answers, the recommendation snapshot (a new row, as written at completion), the
    lifecycle, review date, status history and outcomes come back as they were, with their
    dates. Links to other decisions name another project's records, so they are not restored:
    the audit line keeps them as text. Raises Refused, its `messages` naming each fault,
    having written nothing.
    """
    doc = _checked(document)
    head, rec = doc["decision"], doc["recommendation"]
    people = doc.get("people") or {}
    completed_by = people.get("completed_by") if isinstance(people, dict) else None
    decision = Decision.objects.create(
        project=project,
        title=head["title"],
        created_by=user,
        status=Decision.Status.COMPLETE,
        current_step=REVIEW_STEP,
        completed_at=_when(head["completed_at"]),
        completed_by_name=completed_by[:150] if isinstance(completed_by, str) else "",
        lifecycle=doc["lifecycle"],
        review_by=_day(doc["review_by"]),
    )
    Answer.objects.bulk_create(
        Answer(decision=decision, question=a["question"], value=a["value"], note=a["note"])
        for a in doc["answers"]
    )
    recommendation = Recommendation.objects.create(
        decision=decision, **{field: rec[field] for field in SNAPSHOT_FIELDS}
    )
    changes = StatusChange.objects.bulk_create(
        StatusChange(
            decision=decision,
            from_status=change["from"],
            to_status=change["to"],
            reason=change["reason"],
            actor_name=_name(people.get("status_changes"), n),
        )
        for n, change in enumerate(doc["status_history"])
    )
    outcomes = Outcome.objects.bulk_create(
        Outcome(
            decision=decision,
            approach=outcome["approach"],
            shipped_on=_day(outcome["shipped_on"]),
            notes=outcome["notes"],
            author_name=_name(people.get("outcomes"), n),
        )
        for n, outcome in enumerate(doc["outcomes"])
    )
    OutcomeMetric.objects.bulk_create(
        OutcomeMetric(outcome=row, name=m["name"], value=Decimal(m["value"]), unit=m["unit"])
        for row, outcome in zip(outcomes, doc["outcomes"], strict=True)
        for m in outcome["metrics"]
    )
    _restore_dates(decision, recommendation, doc, changes, outcomes)
    _estimate_restore(decision, doc["estimate_inputs"])
    audit_record(
        actor=user,
        team=project.team,
        project=project,
        decision=decision,
        action=AuditEvent.Action.DECISION_IMPORTED,
        summary=_summary(doc),
    )
    return decision


def _restore_dates(decision, recommendation, doc, changes, outcomes) -> None:
    """Put back the original times, which auto_now_add replaced on insert.

    Updates inside the transaction that creates the rows, before anyone can read them; the
    snapshot is still written once as far as any reader can tell.
    """
    Decision.objects.filter(pk=decision.pk).update(created_at=_when(doc["started_at"]))
    Recommendation.objects.filter(pk=recommendation.pk).update(
        created_at=_when(doc["decision"]["completed_at"])
    )
    for row, change in zip(changes, doc["status_history"], strict=True):
        row.created_at = _when(change["at"])
    StatusChange.objects.bulk_update(changes, ["created_at"])
    for row, outcome in zip(outcomes, doc["outcomes"], strict=True):
        row.created_at = _when(outcome["recorded_at"])
    Outcome.objects.bulk_update(outcomes, ["created_at"])


def _estimate_restore(decision: Decision, inputs: Mapping[str, Any] | None) -> None:
    if inputs is None:
        return
    # Matched by the model's name; a table without that model leaves the price empty.
    price = ModelPrice.objects.filter(model=inputs["price_model"]).first()
    Estimate.objects.create(
        decision=decision,
        price=price,
        inputs=inputs["inputs"],
        rerank=inputs["rerank"],
        latency_target_ms=inputs["latency_target_ms"],
    )


def _summary(doc: Mapping[str, Any]) -> str:
    title = doc["decision"]["title"]
    summary = f"imported “{title}” from project “{doc['decision']['project']}”"
    links = [
        f"{label} “{doc['links'][key]['title']}” ({doc['links'][key]['url']})"
        for key, label in LINK_LABELS.items()
        if doc["links"].get(key)
    ]
    return f"{summary}; in its old project it {', '.join(links)}" if links else summary


def _name(names: Any, n: int) -> str:
    name = names[n] if isinstance(names, list) and n < len(names) else None
    return name[:150] if isinstance(name, str) and name else UNKNOWN_NAME


# --- Checking the document ---------------------------------------------------------------------


# What reading a malformed part raises; caught per part, so the message can name it.
MALFORMED = (
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    IndexError,
    ZeroDivisionError,
    InvalidOperation,
)


def _checked(document: Any) -> Mapping[str, Any]:
    """The document if every part of it can be imported; Refused naming each fault."""
    if not isinstance(document, Mapping) or document.get("format") != EXPORT_FORMAT:
        raise Refused("This is not a decision exported from Advisor.")
    if document.get("version") != EXPORT_VERSION:
        raise Refused(
            f"This file is in version {document.get('version')!r} of the export format; "
            f"this Advisor reads version {EXPORT_VERSION}."
        )
    errors: list[str] = []
    checks = (
        _check_head,
        _check_answers,
        _check_snapshot,
        _check_history,
        _check_outcomes,
        _check_links,
        _check_estimate,
    )
    for check in checks:
        try:
            errors += check(document)
        except MALFORMED as error:
            errors.append(f"Part of the file is missing or malformed: {_where(check, error)}.")
    if errors:
        raise Refused(*errors)
    return document


PARTS = {
    "_check_head": "the decision",
    "_check_answers": "the answers",
    "_check_snapshot": "the recommendation",
    "_check_history": "the status history",
    "_check_outcomes": "the outcomes",
    "_check_links": "the links",
    "_check_estimate": "the numbers' inputs",
}


def _where(check, error: Exception) -> str:
    part = PARTS[check.__name__]
    return f"{part} (no “{error.args[0]}”)" if isinstance(error, KeyError) else part


def _check_head(doc: Mapping[str, Any]) -> list[str]:
    errors = []
    title = doc["decision"]["title"]
    if not isinstance(title, str) or not title.strip() or len(title) > 160:
        errors.append("The decision needs a title of 160 characters or fewer.")
    completed, started = _when(doc["decision"]["completed_at"]), _when(doc["started_at"])
    if not started <= completed <= timezone.now():
        errors.append("The decision must be completed after it was started, and not in the future.")
    if doc["lifecycle"] not in LIFECYCLES:
        errors.append(f"“{doc['lifecycle']}” is not a status Advisor knows.")
    if _day(doc["review_by"]) and doc["lifecycle"] != Decision.Lifecycle.ACCEPTED:
        errors.append("Only an accepted decision has a review date.")
    return errors


def _check_answers(doc: Mapping[str, Any]) -> list[str]:
    answers = _list(doc["answers"])
    keys = [a["question"] for a in answers]
    if sorted(keys) != sorted(QUESTION_KEYS):
        return [
            f"The answers must cover the five questions once each ({', '.join(QUESTION_KEYS)})."
        ]
    errors = []
    for answer in answers:
        question = question_for(answer["question"])
        if answer["value"] not in question.values:
            errors.append(
                f"“{answer['value']}” is not an answer to “{question.title}” "
                f"(one of: {', '.join(question.values)})."
            )
        if not isinstance(answer["note"], str) or len(answer["note"]) > NOTE_MAX_LENGTH:
            errors.append(f"The note on “{question.title}” is too long or not text.")
    snapshot = {a["question"]: a["answer"] for a in doc["recommendation"]["answers"]}
    if not errors and snapshot != {a["question"]: a["value"] for a in answers}:
        errors.append("The recommendation was computed from other answers than the file lists.")
    return errors


TEXT_LISTS = ("next_steps", "trade_offs")
REPORT_PARTS = ("inputs", "curves", "breakdown", "latency", "time_to_ship")


def _check_snapshot(doc: Mapping[str, Any]) -> list[str]:
    rec = doc["recommendation"]
    errors = []
    for field in ("approach", "ladder_step"):
        if rec[field] not in APPROACHES:
            errors.append(f"“{rec[field]}” is not an approach Advisor knows.")
    for field in ("headline", "next_step", "rules_version"):
        if not isinstance(rec[field], str):
            errors.append(f"The recommendation's {field} must be text.")
    if len(str(rec["rules_version"])) > 20:
        errors.append("The rules version is too long.")
    for field in ("rationale", "would_change", "answers"):
        _list(rec[field])
    for field in TEXT_LISTS:
        if not all(isinstance(item, str) for item in _list(rec[field])):
            errors.append(f"The recommendation's {field} must be a list of text.")
    for item in rec["rationale"]:
        _strings(item, "question", "answer", "question_title", "answer_label", "why")
        if item["rag"] not in VERDICTS or item["fine_tuning"] not in VERDICTS:
            errors.append("A verdict in the rationale is not one Advisor knows.")
    for change in rec["would_change"]:
        _strings(change, "summary")
    for answer in rec["answers"]:
        _strings(answer, "question", "question_title", "prompt", "answer", "answer_label", "note")
    if rec["estimate"] is not None:
        for part in REPORT_PARTS:
            if not isinstance(rec["estimate"][part], dict):
                raise TypeError(f"the numbers' {part} must be an object")
        # The page draws the saved report; one it cannot draw is refused here, not there.
        charts.cost_chart(rec["estimate"])
        charts.latency_chart(rec["estimate"])
        charts.ship_chart(rec["estimate"])
    return errors


def _check_history(doc: Mapping[str, Any]) -> list[str]:
    """Each change one the app could have made, in order, from proposed to the status given."""
    errors = []
    status = Decision.Lifecycle.PROPOSED
    for change in _list(doc["status_history"]):
        if change["from"] != status or lifecycle.refusal(
            change["from"], change["to"], superseding=True
        ):
            errors.append(
                f"The status history cannot go from “{change['from']}” to “{change['to']}” "
                f"after “{status}”."
            )
        status = change["to"]
        _when(change["at"])
        if not isinstance(change["reason"], str) or len(change["reason"]) > REASON_MAX_LENGTH:
            errors.append("A status change's reason is too long or not text.")
    if status != doc["lifecycle"]:
        errors.append(f"The status history ends at “{status}”, not at “{doc['lifecycle']}”.")
    return errors


def _check_outcomes(doc: Mapping[str, Any]) -> list[str]:
    errors = []
    for outcome in _list(doc["outcomes"]):
        if outcome["approach"] not in APPROACHES:
            errors.append(
                f"An outcome names “{outcome['approach']}”, not an approach Advisor knows."
            )
        shipped_on = _day(outcome["shipped_on"])
        if shipped_on is None:
            errors.append("An outcome needs the date it shipped.")
        elif error := ship_date_error(shipped_on, today=timezone.localdate()):
            errors.append(error)
        _when(outcome["recorded_at"])
        if (
            not isinstance(outcome["notes"], str)
            or len(outcome["notes"]) > OUTCOME_NOTES_MAX_LENGTH
        ):
            errors.append("An outcome's notes are too long or not text.")
        for metric in _list(outcome["metrics"]):
            _strings(metric, "name", "value", "unit")
            value = Decimal(metric["value"])
            if not value.is_finite() or abs(value) >= Decimal(10) ** 12:
                errors.append(f"The metric “{metric['name']}” has a value out of range.")
            if not metric["name"] or len(metric["name"]) > 80 or len(metric["unit"]) > 20:
                errors.append("A metric's name (80) or unit (20 characters) is too long.")
    return errors


def _check_links(doc: Mapping[str, Any]) -> list[str]:
    for key in LINK_LABELS:
        if doc["links"][key] is not None:
            _strings(doc["links"][key], "title", "url")
    return []


def _check_estimate(doc: Mapping[str, Any]) -> list[str]:
    inputs = doc["estimate_inputs"]
    if inputs is None:
        return []
    errors = []
    figures = inputs["inputs"]
    if not isinstance(figures, dict):
        raise TypeError("inputs must be an object")
    unknown = set(figures) - set(costs.NUMERIC_FIELDS)
    numbers = all(type(v) in (int, float) for v in figures.values())
    if unknown or not numbers:
        errors.append("The numbers' inputs name unknown figures or hold something not a number.")
    if not isinstance(inputs["rerank"], bool):
        errors.append("The numbers' rerank setting must be true or false.")
    target = inputs["latency_target_ms"]
    if target is not None and not (type(target) is int and 1 <= target <= 600_000):
        errors.append("The latency target must be a whole number of milliseconds.")
    if inputs["price_model"] is not None:
        _strings(inputs, "price_model")
    return errors


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError("a list was expected")
    return value


def _strings(item: Mapping[str, Any], *keys: str) -> None:
    for key in keys:
        if not isinstance(item[key], str):
            raise TypeError(f"{key} must be text")


def _when(text: Any) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time without its time zone")
    return moment


def _day(text: Any) -> date | None:
    return None if text is None else date.fromisoformat(text)
