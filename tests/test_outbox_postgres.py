"""The outbox's duplicate and retry rules where they matter, on PostgreSQL: two workers on one
row, two callers writing one notification, the digest run twice at once, and the backoff.

Marked `postgres`: on any other database these fail (tests/conftest.py), never skip.
"""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone

from advisor import services
from advisor.domain.lifecycle import ACCEPTED
from advisor.models import Outbox, Role
from tests.factories import UserFactory, answers_requested, in_status, member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_threads(*targets) -> list:
    """Run each target in a thread of its own (each with its own connection); their results."""
    results = [None] * len(targets)

    def run(index, target):
        try:
            results[index] = target()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def enqueued(monkeypatch) -> list:
    """The outbox rows handed to the worker, across threads (each thread has its own backend)."""
    calls = []
    monkeypatch.setattr(
        "advisor.services.outbox._enqueue", lambda pk, run_after=None: calls.append(pk)
    )
    return calls


def test_two_workers_on_one_row_send_it_once(monkeypatch, enqueued):
    answers_requested(UserFactory())
    row = Outbox.objects.get()
    holding, done = threading.Event(), threading.Event()
    real_send = EmailMultiAlternatives.send

    def slow_send(message):
        # The first worker holds the row's lock while the second one tries to claim it.
        holding.set()
        assert done.wait(10)
        return real_send(message)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", slow_send)

    def second():
        assert holding.wait(10)
        try:
            return services.outbox_send(outbox_id=row.pk)
        finally:
            done.set()

    first, other = in_threads(lambda: services.outbox_send(outbox_id=row.pk), second)
    again = services.outbox_send(outbox_id=row.pk)

    assert (first, other, again) == ("sent", "skipped", "skipped")
    assert len(mail.outbox) == 1
    assert Outbox.objects.get().attempts == 1


def test_two_callers_writing_one_notification_at_once_write_it_once(enqueued):
    user = UserFactory()
    both_in = threading.Barrier(2)

    def caller():
        with transaction.atomic():
            both_in.wait(10)
            row = answers_requested(user)
            # Keep the transaction open, so the other caller's insert waits on this one.
            threading.Event().wait(0.3)
            return row

    results = in_threads(caller, caller)

    assert sorted(result is None for result in results) == [False, True]
    assert Outbox.objects.count() == 1
    assert len(enqueued) == 1


def test_the_digest_run_twice_at_once_writes_each_message_once(enqueued):
    decision = in_status(ACCEPTED, review_in_days=-1)
    editor = member(decision.project.team, Role.EDITOR)
    now = timezone.now().replace(hour=12)

    results = in_threads(
        lambda: services.digests_send(now=now), lambda: services.digests_send(now=now)
    )

    assert sorted(results) == [0, 2]
    assert sorted(Outbox.objects.values_list("recipient", flat=True)) == sorted(
        [decision.created_by.email, editor.email]
    )
    assert len(enqueued) == 2


def test_a_failed_send_is_retried_with_backoff_then_marked_failed(monkeypatch, settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    retries = []
    monkeypatch.setattr(
        "advisor.services.outbox._enqueue",
        lambda pk, run_after=None: retries.append(run_after),
    )
    answers_requested(UserFactory())
    row = Outbox.objects.get()
    retries.clear()

    def down(message):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", down)
    started = timezone.now()
    outcomes = [services.outbox_send(outbox_id=row.pk) for _ in range(6)]

    assert outcomes == ["retry", "retry", "retry", "retry", "failed", "skipped"]
    delays = [(run_after - started).total_seconds() for run_after in retries]
    assert [round(delay / 60) for delay in delays] == [1, 2, 4, 8]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 5, None)
    assert row.last_error == "ConnectionRefusedError: SMTP is down"
    assert mail.outbox == []
