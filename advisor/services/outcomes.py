"""Writes to outcomes: what a team shipped after a decision, and how it went."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from advisor.domain.engine import Approach
from advisor.domain.outcome_rules import ship_date_error
from advisor.domain.refusals import Refused
from advisor.models import AuditEvent, Decision, Outcome, OutcomeMetric
from advisor.services.audit import audit_record

NOT_COMPLETE = "Outcomes can be recorded once the decision is complete."

# (name, value, unit) and, when the figure measures one of the snapshot's pilot metrics, its
# key: as the metrics formset hands them over.
Metric = tuple[str, Decimal, str] | tuple[str, Decimal, str, str]


@transaction.atomic
def outcome_record(
    *,
    decision: Decision,
    user: AbstractBaseUser,
    approach: str,
    shipped_on: date,
    notes: str = "",
    metrics: Iterable[Metric] = (),
) -> Outcome:
    """Record what was shipped after a completed decision, with any number of metrics.

    Raises Refused for a decision still in progress and ValidationError for values the
    form should have refused (an unknown approach, a date to come, a metric too large)."""
    if not decision.is_complete:
        raise Refused(NOT_COMPLETE)
    if error := ship_date_error(shipped_on, today=timezone.localdate()):
        raise ValidationError({"shipped_on": error})
    outcome = Outcome(
        decision=decision,
        approach=approach,
        shipped_on=shipped_on,
        notes=notes.strip(),
        created_by=user,
        author_name=user.get_username(),
    )
    outcome.full_clean()
    rows = [
        OutcomeMetric(
            outcome=outcome,
            name=name.strip(),
            value=value,
            unit=unit.strip(),
            pilot_key=pilot[0] if pilot else "",
        )
        for name, value, unit, *pilot in metrics
    ]
    pilot_keys = {metric["key"] for metric in decision.recommendation.pilot_metrics or []}
    if any(row.pilot_key and row.pilot_key not in pilot_keys for row in rows):
        raise ValidationError({"metrics": "A metric names a pilot metric the decision lacks."})
    for row in rows:
        row.full_clean(exclude=["outcome"])
    outcome.save()
    OutcomeMetric.objects.bulk_create(rows)
    _audit(
        user,
        decision,
        AuditEvent.Action.OUTCOME_RECORDED,
        f"recorded an outcome of “{decision.title}”: {_shipped(outcome)}",
    )
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: Outcome, user: AbstractBaseUser) -> None:
    """Remove an outcome recorded by mistake, with its metrics."""
    decision = outcome.decision
    outcome.delete()
    _audit(
        user,
        decision,
        AuditEvent.Action.OUTCOME_DELETED,
        f"deleted an outcome of “{decision.title}”: {_shipped(outcome)}",
    )


def _shipped(outcome: Outcome) -> str:
    return f"{Approach.label_of(outcome.approach)} shipped {outcome.shipped_on:%-d %b %Y}"


def _audit(
    user: AbstractBaseUser, decision: Decision, action: AuditEvent.Action, summary: str
) -> None:
    audit_record(
        actor=user,
        team=decision.project.team,
        project=decision.project,
        decision=decision,
        action=action,
        summary=summary,
    )
