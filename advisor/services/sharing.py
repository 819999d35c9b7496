"""Writes to share links: creating, revoking, and counting the views of one."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from advisor.domain.refusals import Refused
from advisor.models import AuditEvent, Decision, ShareLink
from advisor.services import pagecache
from advisor.services.audit import audit_record

# The choices offered for a link's life, in days; None never expires.
SHARE_EXPIRY_DAYS = (None, 7, 30, 90)


def expiry_label(days: int | None) -> str:
    return "never expires" if days is None else f"expires in {days} days"


@transaction.atomic
def share_create(
    *,
    decision: Decision,
    user: AbstractBaseUser,
    expires_in_days: int | None,
    include_costs: bool = False,
) -> ShareLink:
    """A new read-only link to a completed decision; `include_costs` makes it show the cost
    figures too (docs/security.md, "Share links")."""
    if not decision.is_complete:
        raise Refused("Only a completed decision can be shared: finish its questions first.")
    if expires_in_days not in SHARE_EXPIRY_DAYS:
        raise Refused("Choose how long the link should work.")
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    link = ShareLink.objects.create(
        decision=decision, created_by=user, expires_at=expires_at, include_costs=include_costs
    )
    costs = ", with the cost figures" if include_costs else ""
    audit_record(
        actor=user,
        team=decision.project.team,
        project=decision.project,
        decision=decision,
        action=AuditEvent.Action.SHARE_CREATED,
        summary=f"shared “{decision.title}” by link ({expiry_label(expires_in_days)}{costs})",
    )
    return link


@transaction.atomic
def share_revoke(*, link: ShareLink, user: AbstractBaseUser) -> ShareLink:
    """Stop a link from working at once. Revoking twice changes nothing."""
    revoked = ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )
    link.refresh_from_db()
    if revoked:
        decision = link.decision
        # Not what stops the link (the database is asked on every visit): the page is just
        # never read again.
        pagecache.share_pages_forget(ShareLink.objects.filter(pk=link.pk))
        audit_record(
            actor=user,
            team=decision.project.team,
            project=decision.project,
            decision=decision,
            action=AuditEvent.Action.SHARE_REVOKED,
            summary=f"revoked a share link to “{decision.title}”",
        )
    return link


def share_record_visit(*, token: str, counted: bool) -> bool:
    """Whether the link with this token opens now, in one statement; a `counted` visit is
    also a view, added with F() so that concurrent views are all counted."""
    live = ShareLink.objects.live().with_token(token)
    if not counted:
        return live.exists()
    return live.update(view_count=F("view_count") + 1, last_viewed_at=timezone.now()) == 1
