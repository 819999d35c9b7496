"""Where a wizard step POST spends its time: pyinstrument over ~200 in-process requests.

The requests go through Django's test client, so the whole middleware stack, the view, the
service's transaction and the fragment's rendering run as under gunicorn, minus the socket.
The summary sorts every sampled moment into a few buckets by the innermost library it was in,
so "database" means time inside the ORM or psycopg, wherever it was called from.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pyinstrument import Profiler

from advisor.domain.questions import QUESTIONS
from bench.seed import Fixtures

# Checked in this order: the first match names a frame and everything it calls that does not
# match one of its own. Below a frame of the first four, only those four can take over: the
# helpers the template engine, the ORM or a form call (escaping, reverse(), dates, the app's
# template tags) count as the rendering, the query or the form that called them.
BUCKETS = (
    ("database: ORM, psycopg and the wait for PostgreSQL", ("/django/db/", "/psycopg")),
    ("templates: Django's engine and crispy-forms", ("/django/template", "/crispy_")),
    ("forms: validation and widgets", ("/django/forms/",)),
    ("logging: the JSON request log line", ("/logging/",)),
    ("app code: advisor/ views, services, selectors", ("/advisor/",)),
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
    posts = [partial(client.post, url, data) for url, data in _posts(fixtures, iterations)]
    return _profiled(posts, output)


def profile_pages(fixtures: Fixtures, *, iterations: int, workdir: Path) -> dict:
    """The same buckets for the result page and the project page of 10,000 decisions, the
    two pages furthest from their goals; their trees go to `workdir` (not committed)."""
    client = Client(SERVER_NAME="127.0.0.1")
    assert client.login(username=fixtures.owner, password=fixtures.password)
    pages = {
        "result_get": reverse("advisor:decision_detail", args=[fixtures.result_decision]),
        "project_10000": reverse("advisor:project_detail", args=[fixtures.large_project]),
    }
    return {
        name: _profiled([partial(client.get, url)] * iterations, workdir / f"profile_{name}.txt")
        for name, url in pages.items()
    }


def _profiled(requests: list[Callable[[], HttpResponse]], output: Path) -> dict:
    """pyinstrument over `requests` (after one more to warm up: templates compiled, the
    connection open), the tree written to `output`, the time sorted into BUCKETS."""
    requests[0]()
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        statuses = Counter(request().status_code for request in requests)
    elapsed = time.perf_counter() - started
    output.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    root = profiler.last_session.root_frame()
    buckets: Counter[str] = Counter()
    hottest: Counter[str] = Counter()
    _walk(root, OTHER, "", buckets, hottest)
    total = sum(buckets.values()) or 1.0
    return {
        "iterations": len(requests),
        "statuses": dict(statuses),
        "ms_per_request": elapsed * 1000 / len(requests),
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


STICKY = frozenset(name for name, _ in BUCKETS[:4])


def _bucket(file_path: str, inherited: str) -> str:
    for n, (name, markers) in enumerate(BUCKETS):
        if inherited in STICKY and n >= len(STICKY):
            break
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
