"""Writes to share links: creating, revoking, and counting the views of one."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from advisor.domain.refusals import Refused
from advisor.models import AuditEvent, Decision, ShareLink
from advisor.services import pagecache
from advisor.services.audit import audit_record
from advisor.tokens import well_formed

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


# The share page's one statement, written out: the busiest public request skips building it
# with the ORM each time. The same conditions as ShareLink.objects.live().with_token().
# The table's name is the only thing put in; the values are parameters.
_VISIT = (
    f"UPDATE {ShareLink._meta.db_table} SET view_count = view_count + 1, "  # noqa: S608
    "last_viewed_at = %s "
    "WHERE token = %s AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > %s)"
)


def share_record_visit(*, token: str, counted: bool) -> bool:
    """Whether the link with this token opens now, in one statement; a `counted` visit is
    also a view, added in the database so that concurrent views are all counted."""
    if not counted or not well_formed(token):
        return ShareLink.objects.live().with_token(token).exists()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_VISIT, [now, token, now])
        return cursor.rowcount == 1
