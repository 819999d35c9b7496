"""The outbox: every email and webhook message is a row written in the transaction that caused
it, then sent by the worker (`advisor/tasks.py`), retried here with backoff, never twice once
sent.

Delivery is at least once: a row is marked sent in the same transaction that holds its lock
while sending, so a worker that dies after the server accepted the message but before the
commit leaves it pending, and it is sent again. The receiver can tell by the Message-ID, which is
the row's idempotency key.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from advisor.models import Outbox
from advisor.models.teams import validate_webhook_url

# A pending row this long past its time has lost its task (a worker killed mid-send, a web
# process gone between the commit and the enqueue): the hourly digest run enqueues it again.
STALE_AFTER = timedelta(minutes=15)
WEBHOOK_TIMEOUT_SECONDS = 10


def outbox_add(
    *,
    kind: str,
    recipient: str,
    key: str,
    text_body: str,
    user: AbstractBaseUser | None = None,
    subject: str = "",
    html_body: str = "",
    unsubscribe_url: str = "",
) -> Outbox | None:
    """Write one message to the outbox and have the worker send it once the caller's
    transaction commits; None when a message with this key was written before.

    The key is unique in the table: of two callers at the same moment, one inserts and the
    other's insert fails and finds the row (get_or_create retries the read), so it is enqueued
    once.
    """
    with transaction.atomic():
        row, created = Outbox.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "recipient": recipient,
                "user": user,
                "subject": subject,
                "text_body": text_body,
                "html_body": html_body,
                "unsubscribe_url": unsubscribe_url,
            },
        )
        if not created:
            return None
        transaction.on_commit(partial(_enqueue, row.pk))
    return row


def _enqueue(outbox_id: int, run_after: datetime | None = None) -> None:
    # The tasks call back into this module, so they are imported when first needed.
    from advisor.tasks import outbox_deliver

    task = outbox_deliver.using(run_after=run_after) if run_after else outbox_deliver
    task.enqueue(outbox_id)


@transaction.atomic
def outbox_send(*, outbox_id: int) -> str:
    """Send one pending row and say what became of it: "sent", "retry", "failed", or
    "skipped" when it is sent already, failed for good, or held by another worker."""
    row = (
        Outbox.objects.select_for_update(skip_locked=True)
        .filter(pk=outbox_id, status=Outbox.Status.PENDING)
        .first()
    )
    if row is None:
        return "skipped"
    row.attempts += 1
    try:
        _post_webhook(row) if row.is_webhook else _send_email(row)
    except Exception as error:
        # Any failure of the mail server or the webhook (refused, timed out, an error) is
        # worth another try.
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            row.status = Outbox.Status.FAILED
            row.next_attempt_at = None
        else:
            delay = settings.OUTBOX_RETRY_SECONDS * 2 ** (row.attempts - 1)
            row.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            transaction.on_commit(partial(_enqueue, row.pk, row.next_attempt_at))
    else:
        row.status = Outbox.Status.SENT
        row.sent_at = timezone.now()
        row.next_attempt_at = None
    row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "sent_at"])
    return "retry" if row.status == Outbox.Status.PENDING else row.status


def outbox_requeue_stale(*, now: datetime | None = None) -> int:
    """Enqueue again the pending rows whose task was lost; the claim in `outbox_send` keeps a
    row that still has its task from being sent twice."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = Outbox.objects.filter(
        Q(next_attempt_at__lt=cutoff) | Q(next_attempt_at__isnull=True, created_at__lt=cutoff),
        status=Outbox.Status.PENDING,
    ).values_list("pk", flat=True)
    count = 0
    for pk in stale:
        _enqueue(pk)
        count += 1
    return count


def message_id(row: Outbox) -> str:
    return f"<{row.key}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>"


def _send_email(row: Outbox) -> None:
    headers = {"Message-ID": message_id(row)}
    if row.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        # RFC 8058: mail apps may unsubscribe with one POST, without opening the page.
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient],
        headers=headers,
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    message.send()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead the post to a plain-http or internal address the URL check would
    have refused; it fails the try instead."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _post_webhook(row: Outbox) -> None:
    # Checked again here: the address was valid when saved, and the rules may have tightened.
    validate_webhook_url(row.recipient)
    request = urllib.request.Request(  # noqa: S310 (https only, checked above)
        row.recipient,
        data=json.dumps({"text": row.text_body}).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "Advisor"},
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirects)
    with opener.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise OSError(f"the webhook answered {response.status}")
