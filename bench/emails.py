"""The worker's delay from enqueue to sent email, against the bench database and Redis.

The worker runs as docs/deploy.md runs it, `manage.py db_worker --no-reload` (django-tasks-db,
polling the task table every second when idle), with production settings but for the mailer:
Django's file backend writes each email to a file of its own (bench/settings.py). The emails
are invites, each written by `services.invite_create` with an address, the way an owner's
invite is: the outbox row in the request's transaction, its task enqueued when that commits.
The invites come one at a time at random intervals, as people would send them, so each delay
is the worker's own and not a queue built by the bench.

Each delay runs from the task row's `enqueued_at` (written as the invite's transaction
commits) to the outbox row's `sent_at` (written by the worker once the mail backend has
written the message), both from this machine's clock; every message is checked to be in the
files.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from advisor import services
from advisor.models import Outbox, Role
from bench.seed import Fixtures

ROOT = Path(__file__).resolve().parent.parent
EMAILS = 50
# Seconds between two invites: at random, so they fall anywhere in the worker's polling cycle.
GAP = (0.1, 1.0)
TASK = "advisor.tasks.outbox_deliver"
_MESSAGE_ID = re.compile(r"^Message-ID: <([^@>]+)@", re.MULTILINE)


def measure(env: dict[str, str], fixtures: Fixtures, *, workdir: Path) -> dict:
    """Start the worker, let it send what the seed left queued, then time EMAILS invites."""
    command = [sys.executable, "manage.py", "db_worker", "--no-reload"]
    log = (workdir / "worker.log").open("ab")
    worker = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait(lambda: not DBTaskResult.objects.ready().exists(), "the seed's emails")
        started = timezone.now()
        keys = _send_invites(fixtures)
        sent = Outbox.objects.filter(key__in=keys, status=Outbox.Status.SENT)
        _wait(lambda: sent.count() == len(keys), f"{len(keys)} invites")
    finally:
        worker.send_signal(signal.SIGTERM)  # it stops after its current task
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return _delays(keys, started)


def _send_invites(fixtures: Fixtures) -> list[str]:
    owner = get_user_model().objects.get(username=fixtures.owner)
    team = services.team_create(user=owner, name="Invites by email")
    pace = random.Random(18)  # noqa: S311 (timing jitter, not a secret)
    keys = []
    for n in range(1, EMAILS + 1):
        time.sleep(pace.uniform(*GAP))
        invite = services.invite_create(
            team=team, user=owner, role=Role.VIEWER, email=f"invited-{n}@example.com"
        )
        keys.append(f"invite-{invite.pk}")  # services.invite_notify's outbox key
    return keys


def _wait(done, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not send {what} within {timeout:.0f} s")
        time.sleep(0.2)


def _delays(keys: list[str], started: datetime) -> dict:
    sent = dict(Outbox.objects.filter(key__in=keys).values_list("pk", "sent_at"))
    tasks = DBTaskResult.objects.filter(task_path=TASK, enqueued_at__gte=started)
    total, waiting = [], []
    for task in tasks:
        if at := sent.get(task.args_kwargs["args"][0]):
            total.append((at - task.enqueued_at).total_seconds())
            waiting.append((task.started_at - task.enqueued_at).total_seconds())
    missing = set(keys) - _written(Path(settings.EMAIL_DIR))
    if missing or len(total) != len(keys):
        raise RuntimeError(f"emails not written or not timed: {sorted(missing) or len(total)}")
    total.sort()
    waiting.sort()
    return {
        "emails": len(keys),
        "backend": settings.MAILERS["default"]["BACKEND"],
        "worker": "manage.py db_worker --no-reload",
        "gap_s": list(GAP),
        "median_ms": _percentile(total, 0.5) * 1000,
        "p95_ms": _percentile(total, 0.95) * 1000,
        "max_ms": total[-1] * 1000,
        "median_wait_ms": _percentile(waiting, 0.5) * 1000,
        "delays_ms": [round(seconds * 1000, 1) for seconds in total],
    }


def _written(folder: Path) -> set[str]:
    """The outbox keys of the messages in the mail backend's files (their Message-IDs' left
    part); a file can hold several, written in the same second."""
    return {
        key
        for path in folder.iterdir()
        for key in _MESSAGE_ID.findall(path.read_text(errors="replace"))
    }


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
