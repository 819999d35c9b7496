"""Where a wizard step POST spends its time: pyinstrument over ~200 in-process requests.

The requests go through Django's test client, so the whole middleware stack, the view, the
service's transaction and the fragment's rendering run as under gunicorn, minus the socket.
The summary sorts every sampled moment into a few buckets by the innermost library it was in,
so "database" means time inside the ORM or psycopg, wherever it was called from.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from django.test import Client
from django.urls import reverse
from pyinstrument import Profiler

from advisor.domain.questions import QUESTIONS
from bench.seed import Fixtures

# Checked innermost first: the first match names a frame and everything it calls that does not
# match one of its own.
BUCKETS = (
    ("database: ORM, psycopg and the wait for PostgreSQL", ("/django/db/", "/psycopg")),
    ("templates: Django's engine and crispy-forms", ("/django/template", "/crispy_")),
    ("forms: validation and widgets", ("/django/forms/",)),
    ("app code: advisor/ views, services, selectors", ("/advisor/",)),
    ("logging: the JSON request log line", ("/logging/",)),
    ("test client: in-process only, absent under gunicorn", ("/django/test/",)),
    (
        "Django request handling, middleware, sessions, auth",
        ("/django/", "/allauth/", "/django_htmx/"),
    ),
)
OTHER = "other: Python standard library and the rest"


def profile_step_post(fixtures: Fixtures, *, iterations: int, output: Path) -> dict:
    client = Client(SERVER_NAME="127.0.0.1", headers={"HX-Request": "true"})
    assert client.login(username=fixtures.owner, password=fixtures.password)
    posts = _posts(fixtures, iterations)
    client.post(*posts[0])  # warm: templates compiled, connection open
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        statuses = Counter(client.post(url, data).status_code for url, data in posts)
    elapsed = time.perf_counter() - started
    output.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    root = profiler.last_session.root_frame()
    buckets: Counter[str] = Counter()
    hottest: Counter[str] = Counter()
    _walk(root, OTHER, "", buckets, hottest)
    total = sum(buckets.values()) or 1.0
    return {
        "iterations": iterations,
        "statuses": dict(statuses),
        "ms_per_request": elapsed * 1000 / iterations,
        "buckets": [
            {"bucket": name, "share": seconds / total} for name, seconds in buckets.most_common()
        ],
        "hottest": [
            {"frame": name, "share": seconds / total} for name, seconds in hottest.most_common(12)
        ],
        "text": str(output.name),
    }


def _posts(fixtures: Fixtures, count: int) -> list[tuple[str, dict]]:
    """Step POSTs cycling over decisions, steps 1 to 4 and values, so each one saves."""
    posts = []
    for n in range(count):
        decision = fixtures.step_decisions[n % len(fixtures.step_decisions)]
        step = n % 4 + 1
        values = QUESTIONS[step - 1].values
        url = reverse("advisor:decision_step", args=[decision, step])
        posts.append((url, {"value": values[n % len(values)], "note": "", "nav": "next"}))
    return posts


def _bucket(file_path: str, inherited: str) -> str:
    for name, markers in BUCKETS:
        if any(marker in file_path for marker in markers):
            return name
    return inherited


def _walk(frame, bucket: str, name: str, buckets: Counter, hottest: Counter) -> None:
    if frame.is_synthetic_leaf:  # pyinstrument's "[self]": time its parent spent in itself
        buckets[bucket] += frame.time
        hottest[name] += frame.time
        return
    bucket = _bucket(frame.file_path or "", bucket)
    name = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
    for child in frame.children:
        _walk(child, bucket, name, buckets, hottest)
