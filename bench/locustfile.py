"""The Monday-morning rush: each user, logged in, decides again and again.

One decision is: start it, answer the five questions (an htmx POST each), complete it, share
it. Every write the server acknowledges is appended to $BENCH_ACKS (one JSON line each), so
bench/load.py can count afterwards that every acknowledged write is in PostgreSQL. When a
request fails (a worker killed mid-request, say), the user abandons that decision and starts a
new one, as a person would after an error. $BENCH_HOSTS lists the app servers; each request
goes to the next one in turn, so a user's session hops between instances. The users logged in
through the login form before the run (bench/load.py says why); $BENCH_SESSIONS holds their
cookies.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import django
from locust import HttpUser, between, events, task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.urls import resolve, reverse  # noqa: E402 (needs django.setup())

from advisor.domain.questions import QUESTIONS  # noqa: E402
from bench import client  # noqa: E402

SESSIONS = json.loads(Path(os.environ["BENCH_SESSIONS"]).read_text())
PROJECT = int(os.environ["BENCH_PROJECT"])
HOSTS = os.environ["BENCH_HOSTS"].split(",")
ACKS = Path(os.environ["BENCH_ACKS"])
LOGINS = itertools.cycle(SESSIONS.values())
STATUSES: Counter[str] = Counter()
TIMES: dict[str, list[float]] = defaultdict(list)


def _ack(kind: str, **fields) -> None:
    # Written and closed at once: a record must survive however the run ends.
    with ACKS.open("a") as acks:
        acks.write(json.dumps({"kind": kind, **fields}) + "\n")


class DecisionMaker(HttpUser):
    wait_time = between(0.05, 0.3)
    host = HOSTS[0]

    def on_start(self) -> None:
        self.turn = itertools.cycle(HOSTS)
        for name, value in next(LOGINS).items():
            # The same key (domain, path, name) as the server's Set-Cookie, so it replaces these.
            self.client.cookies.set(name, value, domain="127.0.0.1", path="/", secure=True)

    def post(self, path: str, data: dict, name: str):
        return self.client.post(
            next(self.turn) + path,
            data=data,
            headers=client.headers(self.client, write=True),
            allow_redirects=False,
            name=name,
        )

    @task
    def decide(self) -> None:
        started = self.post(
            reverse("advisor:decision_create", args=[PROJECT]), {"title": "Rush"}, "start"
        )
        if started.status_code != 302:
            return
        decision = resolve(urlsplit(started.headers["Location"]).path).kwargs["pk"]
        _ack("start", decision=decision)
        for step, question in enumerate(QUESTIONS, start=1):
            value = random.choice(question.values)  # noqa: S311 (not security)
            url = reverse("advisor:decision_step", args=[decision, step])
            answered = self.post(url, {"value": value, "note": "", "nav": "next"}, "step")
            if answered.status_code != 200 or "HX-Redirect" in answered.headers:
                return
            _ack("answer", decision=decision, question=question.key, value=value)
        url = reverse("advisor:decision_complete", args=[decision])
        completed = self.post(url, {}, "complete")
        result = reverse("advisor:decision_detail", args=[decision])
        # A refusal is an HX-Redirect too, but to a step rather than to the result.
        if completed.status_code != 200 or completed.headers.get("HX-Redirect") != result:
            return
        _ack("complete", decision=decision)
        url = reverse("advisor:share_create", args=[decision])
        if self.post(url, {"expires": "30"}, "share").status_code == 200:
            _ack("share", decision=decision)


@events.request.add_listener
def _count(name, response, response_time, **kwargs) -> None:
    status = getattr(response, "status_code", 0) or 0
    STATUSES[f"{name} {status}"] += 1
    TIMES[name].append(response_time)


@events.test_stop.add_listener
def _summarise(**kwargs) -> None:
    summary = {"statuses": dict(STATUSES), "times_ms": {k: sorted(v) for k, v in TIMES.items()}}
    ACKS.with_suffix(".summary.json").write_text(json.dumps(summary))
