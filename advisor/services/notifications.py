"""Notifications: emails rendered from `templates/emails/`, team webhook messages, and what
each person has chosen to get.

Every notification goes through `notify` or `webhook_post` into the outbox (services/outbox.py),
in the caller's transaction; the worker sends it after the commit.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from advisor import selectors
from advisor.models import (
    OPTIONAL_KINDS,
    Comment,
    Decision,
    Invite,
    Kind,
    NotificationOptOut,
    Outbox,
    Team,
)
from advisor.services.outbox import outbox_add

UNSUBSCRIBE_SALT = "advisor.notifications.unsubscribe"


def site_url(path: str) -> str:
    """`path` as an absolute address of the site (settings.SITE_URL): no request to ask."""
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(*, user: AbstractBaseUser, kind: str) -> str:
    token = signing.dumps({"user": user.pk, "kind": str(kind)}, salt=UNSUBSCRIBE_SALT)
    return site_url(reverse("advisor:unsubscribe", args=[token]))


@transaction.atomic
def notify(
    *,
    kind: str,
    user: AbstractBaseUser | None = None,
    email: str,
    key: str,
    template: str,
    context: dict,
) -> Outbox | None:
    """Email `templates/emails/<template>.txt` (its `subject` partial and body) and `.html` to
    `email`, unless `user` has turned `kind` off; `key` names this notification, so a second
    call with it writes nothing. Returns the outbox row, or None when nothing was written.

    Emails to a user carry a one-click unsubscribe link for the kind (body and
    List-Unsubscribe header); links in `context` must be absolute (`site_url`).
    """
    if not email:
        return None
    optional = user is not None and kind in OPTIONAL_KINDS
    if optional and selectors.notification_is_off(user=user, kind=kind):
        return None
    unsubscribe = unsubscribe_url(user=user, kind=kind) if optional else ""
    context = {
        **context,
        "site_url": settings.SITE_URL,
        "kind_label": Kind(kind).label.lower(),
        "unsubscribe_url": unsubscribe,
        "settings_url": site_url(reverse("advisor:notification_settings")),
    }
    subject = render_to_string(f"emails/{template}.txt#subject", context)
    return outbox_add(
        kind=kind,
        recipient=email,
        user=user,
        key=key,
        # One line: a line break in a header would be refused by the mailer.
        subject=re.sub(r"\s+", " ", subject).strip(),
        # Templates end with blank lines around their tags; the message ends with one newline.
        text_body=render_to_string(f"emails/{template}.txt", context).strip() + "\n",
        html_body=render_to_string(f"emails/{template}.html", context),
        unsubscribe_url=unsubscribe,
    )


@transaction.atomic
def webhook_post(*, team: Team, kind: str, key: str, text: str) -> Outbox | None:
    """Post `text` to the team's Slack-compatible incoming webhook (`{"text": ...}`), through
    the outbox and its retries; nothing when the team has none.

    `&`, `<` and `>` are escaped as Slack asks, so a title such as "<!channel>" stays text
    instead of notifying the whole channel.
    """
    if not team.webhook_url:
        return None
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return outbox_add(kind=kind, recipient=team.webhook_url, key=key, text_body=text)


def account_email_send(*, email: str, subject: str, text: str, html: str = "") -> Outbox | None:
    """An email allauth wrote (password reset, address confirmation), sent like the others.

    Each is new (a second reset request wants a second email), hence a fresh key. It carries
    no unsubscribe link: it answers what the person has just asked for.
    """
    if not html:
        html = render_to_string("emails/account.html", {"text": text, "subject": subject})
    return outbox_add(
        kind=Kind.ACCOUNT,
        recipient=email,
        key=f"account-{uuid.uuid4().hex}",
        subject=subject,
        text_body=text,
        html_body=html,
    )


# --- The kinds this module sends itself ------------------------------------------------------


def invite_notify(*, invite: Invite) -> Outbox | None:
    """Email a new invite to its address. The link is the same as the one shown to owners, so
    copying it still works; an account that already has the address can turn invites off."""
    user = get_user_model().objects.filter(email__iexact=invite.email).order_by("pk").first()
    return notify(
        kind=Kind.INVITE,
        user=user,
        email=invite.email,
        key=f"invite-{invite.pk}",
        template="invite",
        context={
            "team_name": invite.team.name,
            "role": invite.get_role_display().lower(),
            "invited_by": invite.created_by.get_username() if invite.created_by else "",
            "invite_url": site_url(invite.get_absolute_url()),
            "expires_at": invite.expires_at,
        },
    )


def comment_notify(*, comment: Comment) -> list[Outbox]:
    """Email a new comment to those who took part in the decision, but not to its author."""
    decision = comment.decision
    context = {
        "decision_title": decision.title,
        "project_name": decision.project.name,
        "author": comment.author_name,
        "body": comment.body,
        "decision_url": site_url(reverse("advisor:decision_detail", args=[decision.pk])),
    }
    people = selectors.decision_participants(decision).exclude(pk=comment.author_id)
    sent = (
        notify(
            kind=Kind.COMMENT,
            user=person,
            email=person.email,
            key=f"comment-{comment.pk}-{person.pk}",
            template="comment",
            context=context,
        )
        for person in people
    )
    return [row for row in sent if row is not None]


def decision_completed_notify(decision: Decision) -> Outbox | None:
    """Tell the team's webhook that `decision` was completed, with its approach."""
    team = decision.project.team
    text = render_to_string(
        "emails/decision_completed_webhook.txt",
        {
            "decision_title": decision.title,
            "project_name": decision.project.name,
            "approach": decision.recommendation.get_approach_display(),
            "completed_by": decision.completed_by_name,
            "decision_url": site_url(decision.get_absolute_url()),
        },
    )
    return webhook_post(
        team=team,
        kind=Kind.DECISION_COMPLETED,
        key=f"decision-completed-{decision.pk}",
        text=text.strip(),
    )


# --- What each person gets ---------------------------------------------------------------------


@transaction.atomic
def notification_settings_save(*, user: AbstractBaseUser, kinds_off: set[str]) -> None:
    """Turn off exactly `kinds_off` (of the optional kinds) for `user`, the others on."""
    kinds_off = {kind for kind in kinds_off if kind in OPTIONAL_KINDS}
    NotificationOptOut.objects.filter(user=user).exclude(kind__in=kinds_off).delete()
    for kind in kinds_off:
        NotificationOptOut.objects.get_or_create(user=user, kind=kind)


@transaction.atomic
def notification_unsubscribe(*, token: str) -> str | None:
    """Turn off the kind a signed unsubscribe token names for its user, and return that kind;
    None when the token is not one of ours or its account is gone. No login: the signature
    is the proof, and doing it twice changes nothing."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    kind = data.get("kind") if isinstance(data, dict) else None
    user = get_user_model().objects.filter(pk=data.get("user") if kind else None).first()
    if user is None or kind not in OPTIONAL_KINDS:
        return None
    NotificationOptOut.objects.get_or_create(user=user, kind=kind)
    return kind
