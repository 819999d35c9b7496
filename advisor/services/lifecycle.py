"""Writes to a completed decision's lifecycle: status changes, superseding, the review date.

Each write locks the decision rows it changes and checks the move against the status they
have once locked, so of two people acting at once the second is refused with the reason and
nothing of theirs is written. The rules themselves are in `advisor.domain.lifecycle`.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advisor.domain import lifecycle
from advisor.domain.refusals import Refused
from advisor.models import AuditEvent, Decision, StatusChange
from advisor.services import pagecache
from advisor.services.audit import audit_record

Lifecycle = Decision.Lifecycle

NOT_COMPLETE = "Only a completed decision has a status: finish its questions first."
DATE_IN_THE_PAST = "Choose today or a later date: a review date in the past is overdue at once."
GONE = "That decision no longer exists: reload the page to see where things stand."


@transaction.atomic
def decision_status_change(
    *,
    decision: Decision,
    user: AbstractBaseUser,
    to_status: str,
    reason: str = "",
    review_by: date | None = None,
) -> Decision:
    """Accept, reject or deprecate a completed decision; return it as saved.

    Accepting sets the review date: `review_by` when given, else the default from the answers
    (`lifecycle.default_review_date`). Superseding goes through `decision_supersede`.
    """
    (locked,) = _locked(decision.pk)
    _refuse_unless_complete(locked)
    if message := lifecycle.refusal(locked.lifecycle, to_status):
        raise Refused(message)
    if to_status == Lifecycle.ACCEPTED:
        locked.review_by = _review_date(locked, review_by)
    _move(locked, to_status, user=user, reason=reason)
    return locked


@transaction.atomic
def decision_supersede(
    *, decision: Decision, replaced_by: Decision, user: AbstractBaseUser, reason: str = ""
) -> Decision:
    """Mark the accepted `decision` as superseded by `replaced_by`; return it as saved.

    The link goes both ways (`replaced_by.supersedes` is `decision`) and a proposed
    replacement is accepted in the same transaction, so the two never disagree.
    """
    if decision.pk == replaced_by.pk:
        raise Refused("A decision cannot supersede itself: choose another one.")
    old, new = _locked(decision.pk, replaced_by.pk)
    _refuse_unless_complete(old)
    if message := lifecycle.refusal(old.lifecycle, Lifecycle.SUPERSEDED, superseding=True):
        raise Refused(message)
    if message := replacement_refusal(old=old, new=new):
        raise Refused(message)
    new.supersedes = old
    if new.lifecycle == Lifecycle.PROPOSED:
        new.review_by = _review_date(new, None)
        _move(new, Lifecycle.ACCEPTED, user=user, reason=reason)
    else:
        new.save(update_fields=["supersedes", "updated_at"])
    _move(old, Lifecycle.SUPERSEDED, user=user, reason=reason, replaced_by=new)
    return old


def replacement_refusal(*, old: Decision, new: Decision) -> str | None:
    """Why `new` cannot replace `old`, or None when it can."""
    if new.project_id != old.project_id:
        return "Only a decision of the same project can supersede this one."
    if not new.is_complete:
        return f"“{new.title}” is not complete yet: finish its questions first."
    if new.lifecycle not in lifecycle.MAY_REPLACE:
        return f"“{new.title}” is {new.lifecycle}, so it cannot replace another decision."
    if new.supersedes_id is not None:
        return f"“{new.title}” already supersedes another decision; it can replace only one."
    return None


@transaction.atomic
def decision_review_date_set(
    *, decision: Decision, user: AbstractBaseUser, review_by: date
) -> Decision:
    """Set when an accepted decision should be looked at again; return it as saved."""
    (locked,) = _locked(decision.pk)
    if not (locked.is_complete and locked.lifecycle == Lifecycle.ACCEPTED):
        raise Refused("Only an accepted decision has a review date: accept it first.")
    locked.review_by = _review_date(locked, review_by)
    locked.save(update_fields=["review_by", "updated_at"])
    audit_record(
        actor=user,
        team=locked.project.team,
        project=locked.project,
        decision=locked,
        action=AuditEvent.Action.REVIEW_DATE_SET,
        summary=f"set “{locked.title}” to be reviewed by {locked.review_by:%-d %b %Y}",
    )
    return locked


def _locked(*pks: int) -> list[Decision]:
    """The decisions, row-locked in the order of their ids (so two writers locking the same
    pair never wait on each other crosswise), returned in the order asked."""
    rows = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("project__team", "recommendation")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    found = {row.pk: row for row in rows}
    if len(found) != len(pks):
        raise Refused(GONE)
    return [found[pk] for pk in pks]


def _refuse_unless_complete(decision: Decision) -> None:
    if not decision.is_complete:
        raise Refused(NOT_COMPLETE)


def _review_date(decision: Decision, given: date | None) -> date:
    today = timezone.localdate()
    if given is None:
        snapshot = decision.recommendation.answers
        answers = {item["question"]: item["answer"] for item in snapshot}
        return lifecycle.default_review_date(answers, accepted_on=today)
    if given < today:
        raise Refused(DATE_IN_THE_PAST)
    return given


def _move(
    decision: Decision,
    to_status: str,
    *,
    user: AbstractBaseUser,
    reason: str,
    replaced_by: Decision | None = None,
) -> None:
    """Save the new status with its history row and audit event (the caller has checked it)."""
    StatusChange.objects.create(
        decision=decision,
        from_status=decision.lifecycle,
        to_status=to_status,
        replaced_by=replaced_by,
        actor=user,
        actor_name=user.get_username(),
        reason=reason,
    )
    decision.lifecycle = to_status
    if to_status != Lifecycle.ACCEPTED:
        # Only an accepted decision is reviewed; a replaced or retired one has nothing due.
        decision.review_by = None
    decision.save(update_fields=["lifecycle", "review_by", "supersedes", "updated_at"])
    pagecache.share_pages_forget(decision.share_links.all())  # they show the status
    summary = f"marked “{decision.title}” as {to_status}"
    if replaced_by is not None:
        summary += f" by “{replaced_by.title}”"
    if to_status == Lifecycle.ACCEPTED:
        summary += f", to be reviewed by {decision.review_by:%-d %b %Y}"
    audit_record(
        actor=user,
        team=decision.project.team,
        project=decision.project,
        decision=decision,
        action=AuditEvent.Action.STATUS_CHANGED,
        summary=summary,
    )
