"""Load without loss: locust runs the rush, then PostgreSQL is asked whether anything is lost.

Three runs, each into a project of its own: one server; one server with a worker killed by
SIGKILL halfway (gunicorn starts another); two servers on two ports sharing the database and
Redis, every user's requests alternating between them. After each, every write locust saw
acknowledged must be in the database, and no decision may be half-written. The two-server run
also shows a session made on one server working on the other, and one rate-limit counter in
Redis counting requests to both.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse

from advisor import services
from advisor.domain.questions import QUESTIONS, STEP_COUNT
from advisor.models import Answer, Decision, Recommendation, ShareLink, Team
from bench import client, server
from bench.seed import LOAD_USERS, Fixtures

# One locust user per seeded member of the load team. They all log in from 127.0.0.1, and
# allauth allows 30 logins a minute per address (its default "login" limit), so more than
# about 25 would be refused with 429 before the run starts.
USERS = LOAD_USERS


def run_all(env: dict[str, str], fixtures: Fixtures, *, workdir: Path, run_time: int) -> dict:
    results = {}
    one = server.start(env, workdir / "gunicorn-load.log")
    try:
        sessions = log_in(one, fixtures)
        (workdir / "sessions.json").write_text(json.dumps(sessions))
        results["plain"] = _scenario("plain", [one], fixtures, workdir, run_time)
    finally:
        one.stop()
    one = server.start(env, workdir / "gunicorn-kill.log")
    try:
        results["sigkill"] = _scenario("sigkill", [one], fixtures, workdir, run_time, kill=True)
    finally:
        one.stop()
    pair = [server.start(env, workdir / f"gunicorn-pair-{n}.log") for n in (1, 2)]
    try:
        results["two_instances"] = _scenario("two_instances", pair, fixtures, workdir, run_time)
        results["two_instances"]["shared_state"] = shared_state(pair, fixtures)
    finally:
        for instance in pair:
            instance.stop()
    return results


def _scenario(
    name: str,
    servers: list[server.Server],
    fixtures: Fixtures,
    workdir: Path,
    run_time: int,
    *,
    kill: bool = False,
) -> dict:
    owner = get_user_model().objects.get(username=fixtures.owner)
    team = Team.objects.get(pk=fixtures.load_team)
    project = services.project_create(user=owner, team=team, name=f"Load: {name}")
    acks = workdir / f"acks-{name}.jsonl"
    acks.unlink(missing_ok=True)
    env = {
        **os.environ,
        "BENCH_SESSIONS": str(workdir / "sessions.json"),
        "BENCH_PROJECT": str(project.pk),
        "BENCH_HOSTS": ",".join(instance.url for instance in servers),
        "BENCH_ACKS": str(acks),
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "--users", str(USERS), "--spawn-rate", str(USERS),
        "--run-time", f"{run_time}s", "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    log = (workdir / f"locust-{name}.log").open("w")
    locust = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    kills = []
    if kill:
        killer = threading.Thread(target=_kill_worker, args=(servers[0], acks, run_time / 2, kills))
        killer.start()
    locust.wait()
    if kill:
        killer.join()
    summary = json.loads(acks.with_suffix(".summary.json").read_text())
    return {
        "users": USERS,
        "run_time_s": run_time,
        "servers": [instance.url for instance in servers],
        "kills": kills,
        "locust": _traffic(summary),
        "check": verify(acks, project.pk, summary),
    }


def log_in(instance: server.Server, fixtures: Fixtures) -> dict[str, dict[str, str]]:
    """Each load user's cookies after logging in through allauth's form.

    Done before the runs, not inside them: a login hashes a password (about 1.2 s of CPU with
    Django's PBKDF2 here), and 20 of them would fill the first half of a 60-second run on
    2 cores. Sessions live in PostgreSQL, so they serve every run and both instances.
    """

    def one(username: str) -> tuple[str, dict[str, str]]:
        browser = requests.Session()
        client.login(browser, instance.url, username, fixtures.password)
        return username, {cookie.name: cookie.value for cookie in browser.cookies}

    with ThreadPoolExecutor(max_workers=server.WORKERS * 2) as pool:
        return dict(pool.map(one, fixtures.load_users))


def _kill_worker(instance: server.Server, acks: Path, after: float, kills: list[dict]) -> None:
    """SIGKILL one gunicorn worker mid-run, then note the worker the master starts instead."""
    time.sleep(after)
    before = instance.worker_pids()
    victim = before[0]
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        after_kill = instance.worker_pids()
        if victim not in after_kill and len(after_kill) == len(before):
            break
        time.sleep(0.2)
    kills.append(
        {
            "killed": victim,
            "acknowledged_before": _lines(acks),
            "workers_before": before,
            "workers_after": after_kill,
        }
    )


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def _traffic(summary: dict) -> dict:
    statuses = Counter()
    for key, count in summary["statuses"].items():
        statuses[key.rsplit(" ", 1)[1]] += count
    times = sorted(t for values in summary["times_ms"].values() for t in values)

    def percentile(share: float) -> float:
        return times[min(len(times) - 1, int(share * len(times)))] if times else 0.0

    return {
        "requests": sum(statuses.values()),
        "by_status": dict(sorted(statuses.items())),
        "server_errors": sum(n for status, n in statuses.items() if status.startswith("5")),
        "failed_connections": statuses.get("0", 0),
        "by_request": summary["statuses"],
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
    }


def verify(acks: Path, project: int, summary: dict) -> dict:
    """Count rows: every acknowledged write present, no half-written decision anywhere."""
    text = acks.read_text() if acks.exists() else ""  # no write acknowledged at all
    records = [json.loads(line) for line in text.splitlines() if line]
    kinds = Counter(record["kind"] for record in records)
    decisions = Decision.objects.filter(project_id=project)
    started = {record["decision"] for record in records if record["kind"] == "start"}
    answers = {
        (record["decision"], record["question"]): record["value"]
        for record in records
        if record["kind"] == "answer"
    }
    completed = {record["decision"] for record in records if record["kind"] == "complete"}
    shared = Counter(record["decision"] for record in records if record["kind"] == "share")
    stored_answers = {
        (decision, question): value
        for decision, question, value in Answer.objects.filter(
            decision__project_id=project
        ).values_list("decision_id", "question", "value")
    }
    snapshots = set(
        Recommendation.objects.filter(decision__project_id=project).values_list(
            "decision_id", flat=True
        )
    )
    links = Counter(
        ShareLink.objects.filter(decision__project_id=project).values_list("decision_id", flat=True)
    )
    complete = Decision.Status.COMPLETE
    valid = {question.key: question.values for question in QUESTIONS}
    invalid_answers = (
        sum(
            Answer.objects.filter(question=key).exclude(value__in=values).count()
            for key, values in valid.items()
        )
        + Answer.objects.exclude(question__in=valid).count()
    )
    lost = {
        "decisions": len(started - set(decisions.values_list("pk", flat=True))),
        "answers": sum(1 for key, value in answers.items() if stored_answers.get(key) != value),
        "recommendations": len(completed - snapshots),
        "share_links": sum(1 for pk, count in shared.items() if links[pk] < count),
    }
    broken = {
        # These look at the whole database, not only this run's project.
        "duplicate_recommendations": Recommendation.objects.values("decision")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
        "complete_without_recommendation": Decision.objects.filter(
            status=complete, recommendation__isnull=True
        ).count(),
        "recommendation_of_incomplete_decision": Recommendation.objects.exclude(
            decision__status=complete
        ).count(),
        "complete_with_fewer_than_five_answers": decisions.filter(status=complete)
        .annotate(n=Count("answers"))
        .filter(n__lt=STEP_COUNT)
        .count(),
        "invalid_answer_values": invalid_answers,
        "server_errors": _traffic(summary)["server_errors"],
    }
    return {
        "acknowledged": dict(kinds),
        "in_database": {
            "decisions": decisions.count(),
            "complete": decisions.filter(status=complete).count(),
            "answers": len(stored_answers),
            "recommendations": len(snapshots),
            "share_links": sum(links.values()),
        },
        "lost": lost,
        "broken": broken,
        "passed": not any(lost.values()) and not any(broken.values()),
    }


def shared_state(pair: list[server.Server], fixtures: Fixtures) -> dict:
    """A session made on one server works on the other; both count in one Redis counter."""
    first, second = pair
    browser = requests.Session()
    client.login(browser, first.url, fixtures.owner, fixtures.password)
    page = browser.get(
        second.url + reverse("advisor:project_list"),
        headers=client.headers(browser),
        allow_redirects=False,
    )
    session = {
        "logged_in_on": first.url,
        "project_list_on": second.url,
        "status": page.status_code,
        "shows_username": f"Signed in as {fixtures.owner}" in page.text,
    }
    return {"session": session, "rate_limit": _shared_counter(pair, fixtures)}


def _shared_counter(pair: list[server.Server], fixtures: Fixtures) -> dict:
    store = redis.Redis.from_url(os.environ["REDIS_URL"])
    path = reverse("advisor:share_page", args=[fixtures.share_token])
    for _ in range(3):  # a minute boundary between the requests starts a new window: retry
        window = int(time.time() // 60)
        # Django's Redis cache key: "<prefix>:<version>:<key>"; the key is advisor.web.ratelimit's.
        key = f"{settings.CACHES['default']['KEY_PREFIX']}:1:ratelimit:share:127.0.0.1:{window}"
        readings = [int(store.get(key) or 0)]
        for instance in pair:
            requests.get(instance.url + path, timeout=10)
            readings.append(int(store.get(key) or 0))
        if int(time.time() // 60) == window:
            return {
                "redis_key": key,
                "readings": readings,
                "counted_by_both": readings[2] - readings[0] == 2,
            }
    raise RuntimeError("could not read the rate-limit counter within one minute window")
