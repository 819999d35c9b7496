"""The real worker: `manage.py db_worker` as its own process, against the test database, sends
through a local SMTP server (aiosmtpd); one address refuses the first try, so it is retried."""

from __future__ import annotations

import email
import os
import signal
import socket
import subprocess
import sys
import time
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from advisor import services
from advisor.models import Outbox, Role
from tests.factories import MembershipFactory, answers_requested

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://advisor.example"
FLAKY = "flaky@example.com"


class Sink:
    """An SMTP server's message handler that keeps what it receives, and answers the first
    message to FLAKY with a temporary failure, as a mail server restarting would."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refused = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        if FLAKY in envelope.rcpt_tos and not self.refused:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sink():
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def database_tasks():
    """Enqueue into the database, as the web process does in production (the suite keeps its
    tasks in memory otherwise)."""
    task_backends["default"] = DatabaseBackend("default", {})
    yield
    del task_backends["default"]


def database_url() -> str:
    """The test database, as a URL the worker process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def start_worker(smtp_port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "ADVISOR_SITE_URL": SITE,
        # Half a second before the retry, not a minute, so the test sees it.
        "ADVISOR_OUTBOX_RETRY_SECONDS": "0.5",
        "DJANGO_LOG_FORMAT": "text",
    }
    command = ["manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"]
    return subprocess.Popen(
        [sys.executable, *command], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def test_the_worker_process_sends_the_outbox_retries_a_refusal_and_sends_nothing_twice(
    sink, database_tasks, settings
):
    settings.SITE_URL = SITE
    owner = MembershipFactory(role=Role.OWNER)
    team, user = owner.team, owner.user
    services.invite_create(team=team, user=user, role=Role.EDITOR, email="nina@example.com")
    services.invite_create(team=team, user=user, role=Role.VIEWER, email=FLAKY)
    written = [answers_requested(user, "ask-1"), answers_requested(user, "ask-1")]
    deduplicated = written.count(None)

    worker = start_worker(sink.port)
    try:
        deadline = time.monotonic() + 60
        while Outbox.objects.exclude(status=Outbox.Status.SENT).exists():
            assert worker.poll() is None, worker.stdout.read().decode()
            assert time.monotonic() < deadline, list(Outbox.objects.values("key", "status"))
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode()

    rows = {row.key: row for row in Outbox.objects.all()}
    received = sink.handler.messages
    retried = sum(row.attempts - 1 for row in rows.values())
    print(
        f"\nworker test: {len(received)} emails sent, {retried} retried, "
        f"{deduplicated} deduplicated"
    )
    assert (len(received), retried, deduplicated) == (3, 1, 1), output
    assert sorted(message["Message-ID"] for message in received) == sorted(
        f"<{key}@advisor.example>" for key in rows
    )
    assert sorted(message["To"] for message in received) == sorted(
        ["nina@example.com", FLAKY, user.email]
    )
    flaky = next(row for row in rows.values() if row.recipient == FLAKY)
    assert flaky.attempts == 2
    assert "451" in flaky.last_error
    invite = next(m for m in received if m["To"] == "nina@example.com")
    assert invite.is_multipart()
    assert [part.get_content_type() for part in invite.get_payload()] == [
        "text/plain",
        "text/html",
    ]
    assert f"{SITE}/invites/" in invite.get_payload()[0].get_payload(decode=True).decode()
