"""Importing an exported decision (advisor.selectors.documents.decision_export) into a project.

The file is checked whole before anything is written (advisor.domain.schemas: the export's
models and the rules that relate its keys), and written in one transaction: a refused file
creates nothing. docs/exports.md lists the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advisor.domain.refusals import Refused
from advisor.domain.schemas import DecisionExport, InvalidExport, checked_export
from advisor.domain.schemas.decision import SNAPSHOT_ADDED, SNAPSHOT_FIELDS, ExportPeople
from advisor.domain.schemas.team_answers import with_names
from advisor.domain.wizard import REVIEW_STEP
from advisor.models import (
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
from advisor.services.audit import audit_record

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

    The answers (the refine step's too), the recommendation snapshot (a new row, as written
    at completion, with the team's answers named again from "people"), the lifecycle, review
    date, status history and outcomes come back as they were, with their dates. Links to
    other decisions name another project's records, so they are not restored: the audit line
    keeps them as text. Raises Refused, its `messages` naming each fault, having written
    nothing.
    """
    try:
        doc = checked_export(document, now=timezone.now(), today=timezone.localdate())
    except InvalidExport as error:
        raise Refused(*error.messages) from error
    people = doc.people
    decision = Decision.objects.create(
        project=project,
        title=doc.decision.title,
        created_by=user,
        status=Decision.Status.COMPLETE,
        current_step=REVIEW_STEP,
        completed_at=doc.decision.completed_at,
        completed_by_name=(people.completed_by or "")[:150] if people else "",
        lifecycle=doc.lifecycle,
        review_by=doc.review_by,
    )
    Answer.objects.bulk_create(
        Answer(decision=decision, question=a.question, value=str(a.value), note=a.note)
        for a in [*doc.answers, *doc.refine_answers]
    )
    # The snapshot and the typed figures are stored as the file holds them: the models check
    # them but would reorder their keys. What version 2 added stays null where it is absent.
    snapshot = document["recommendation"]
    recommendation = Recommendation.objects.create(
        decision=decision,
        **{field: snapshot[field] for field in SNAPSHOT_FIELDS},
        **{field: snapshot.get(field) for field in SNAPSHOT_ADDED},
        team_answers=_team_answers(snapshot, people),
    )
    changes = StatusChange.objects.bulk_create(
        StatusChange(
            decision=decision,
            from_status=change.from_,
            to_status=change.to,
            reason=change.reason,
            actor_name=_name(people and people.status_changes, n),
        )
        for n, change in enumerate(doc.status_history)
    )
    outcomes = Outcome.objects.bulk_create(
        Outcome(
            decision=decision,
            approach=outcome.approach,
            shipped_on=outcome.shipped_on,
            notes=outcome.notes,
            author_name=_name(people and people.outcomes, n),
        )
        for n, outcome in enumerate(doc.outcomes)
    )
    OutcomeMetric.objects.bulk_create(
        OutcomeMetric(outcome=row, name=m.name, value=m.value, unit=m.unit, pilot_key=m.pilot or "")
        for row, outcome in zip(outcomes, doc.outcomes, strict=True)
        for m in outcome.metrics
    )
    _restore_dates(decision, recommendation, doc, changes, outcomes)
    _estimate_restore(decision, doc, document)
    audit_record(
        actor=user,
        team=project.team,
        project=project,
        decision=decision,
        action=AuditEvent.Action.DECISION_IMPORTED,
        summary=_summary(doc),
    )
    return decision


def _restore_dates(decision, recommendation, doc: DecisionExport, changes, outcomes) -> None:
    """Put back the original times, which auto_now_add replaced on insert.

    Updates inside the transaction that creates the rows, before anyone can read them; the
    snapshot is still written once as far as any reader can tell.
    """
    Decision.objects.filter(pk=decision.pk).update(created_at=doc.started_at)
    Recommendation.objects.filter(pk=recommendation.pk).update(created_at=doc.decision.completed_at)
    for row, change in zip(changes, doc.status_history, strict=True):
        row.created_at = change.at
    StatusChange.objects.bulk_update(changes, ["created_at"])
    for row, outcome in zip(outcomes, doc.outcomes, strict=True):
        row.created_at = outcome.recorded_at
    Outcome.objects.bulk_update(outcomes, ["created_at"])


def _estimate_restore(decision: Decision, doc: DecisionExport, document: Mapping) -> None:
    inputs = doc.estimate_inputs
    if inputs is None:
        return
    # Matched by the model's name; a table without that model leaves the price empty.
    price = ModelPrice.objects.filter(model=inputs.price_model).first()
    tuned = ModelPrice.objects.filter(model=inputs.tuned_price_model).first()
    Estimate.objects.create(
        decision=decision,
        price=price,
        tuned_price=tuned if inputs.tuned_price_model else None,
        inputs=document["estimate_inputs"]["inputs"],
        rerank=inputs.rerank,
        latency_target_ms=inputs.latency_target_ms,
    )


def _summary(doc: DecisionExport) -> str:
    summary = f"imported “{doc.decision.title}” from project “{doc.decision.project}”"
    links = [
        f"{label} “{link.title}” ({link.url})"
        for key, label in LINK_LABELS.items()
        if (link := getattr(doc.links, key))
    ]
    return f"{summary}; in its old project it {', '.join(links)}" if links else summary


def _team_answers(snapshot: Mapping[str, Any], people: ExportPeople | None) -> dict | None:
    """The team's answers with their names back from "people", so the result page shows
    them as it did; None for a decision one person answered."""
    team = snapshot.get("team_answers")
    if team is None:
        return None
    names = people.team_answers if people else None
    return with_names(
        team,
        asked_by=names.asked_by if names else None,
        people=names.people if names else [],
        settled_by=names.settled_by if names else {},
        unknown=UNKNOWN_NAME,
    )


def _name(names: list[str | None] | None, n: int) -> str:
    name = names[n] if names and n < len(names) else None
    return name[:150] if name else UNKNOWN_NAME
