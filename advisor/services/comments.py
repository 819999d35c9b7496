"""Writes to comments: members' plain-text remarks on a decision."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from advisor.domain.refusals import Refused
from advisor.models import COMMENT_MAX_LENGTH, AuditEvent, Comment, Decision
from advisor.services.audit import audit_record
from advisor.services.notifications import comment_notify

COMMENT_EMPTY = "Write your comment first: it is empty."
COMMENT_TOO_LONG = f"Keep the comment to {COMMENT_MAX_LENGTH:,} characters or fewer."
NOT_THE_AUTHOR = "Only the person who wrote a comment can delete it."


class NotTheAuthor(PermissionDenied):
    """Someone else's comment: refused with the reason (403)."""

    def __init__(self) -> None:
        super().__init__(NOT_THE_AUTHOR)


@transaction.atomic
def comment_add(*, decision: Decision, user: AbstractBaseUser, body: str) -> Comment:
    """A comment by a member of the decision's team (viewers included; the selector that
    found the decision for the user has checked that). The text is kept as plain text."""
    if not decision.is_complete:
        raise Refused("Comments open once the decision is complete.")
    # Browsers send line breaks as CRLF; count and keep them as one character.
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": COMMENT_EMPTY})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError({"body": COMMENT_TOO_LONG})
    comment = Comment.objects.create(
        decision=decision, author=user, author_name=user.get_username(), body=body
    )
    audit_record(
        actor=user,
        team=decision.project.team,
        project=decision.project,
        decision=decision,
        action=AuditEvent.Action.COMMENT_ADDED,
        summary=f"commented on “{decision.title}”",
    )
    comment_notify(comment=comment)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user: AbstractBaseUser) -> None:
    """Delete one's own comment; anyone else's is refused (NotTheAuthor)."""
    if comment.author_id is None or comment.author_id != user.pk:
        raise NotTheAuthor
    decision = comment.decision
    comment.delete()
    audit_record(
        actor=user,
        team=decision.project.team,
        project=decision.project,
        decision=decision,
        action=AuditEvent.Action.COMMENT_DELETED,
        summary=f"deleted their comment on “{decision.title}”",
    )
