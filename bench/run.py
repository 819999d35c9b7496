"""`make bench`: every figure in docs/performance.md, from one run on one machine.

The machines are shared and noisy, so absolute numbers mean little; each endpoint is reported
as a ratio to a bare Django view measured by the same wrk, against the same gunicorn, minutes
apart. The order: a fresh PostgreSQL database, migrate, seed, collectstatic, gunicorn, wrk per
endpoint, SQL queries per page, profiles of the step POST and of the result and project pages,
the worker's delay to send an email, Lighthouse on the result page, the load runs, then the
JSON in bench/results/ and docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import django
import gunicorn
import psycopg
import redis
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from bench import report, server, wrk

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORKDIR = RESULTS / "tmp"  # logs, locust's records, wrk's request files: not committed
# Overridable, so a second checkout can run the bench beside this one without sharing stores.
DATABASE = os.environ.get("BENCH_DATABASE", "advisor_bench")
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"
REDIS_PREFIX = os.environ.get("BENCH_REDIS_PREFIX", "advisor-bench")
# Each endpoint runs in ROUNDS short runs, each right after CONTROL_SECONDS of the bare view:
# on a shared machine the load from others changes within seconds, and a ratio taken from two
# adjacent runs, with the median over the rounds, moves much less than either throughput.
ROUNDS = 3
CONTROL_SECONDS = 2


def environment() -> dict[str, str]:
    """Production settings (docs/deploy.md) pointed at the bench database and Redis."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SSL_REDIRECT": "0",  # no TLS proxy in front on 127.0.0.1
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "REDIS_URL": REDIS,
        "REDIS_KEY_PREFIX": REDIS_PREFIX,
        # wrk sends thousands of share-page requests a second from one address: the limit's
        # counter still runs on every request (its cost is measured) but never answers 429.
        "ADVISOR_SHARE_RATE_LIMIT": "1000000000",
        # The same for the public API's per-IP limit.
        "ADVISOR_API_RATE_LIMIT": "1000000000",
    }


def fresh_stores() -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        name = sql.Identifier(DATABASE)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    store = redis.Redis.from_url(REDIS)
    for key in store.scan_iter(f"{REDIS_PREFIX}:*"):
        store.delete(key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds per endpoint")
    parser.add_argument("--warmup", type=int, default=3, help="wrk warm-up seconds")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--load-time", type=int, default=60, help="seconds per locust run")
    parser.add_argument("--iterations", type=int, default=200, help="profiled step POSTs")
    parser.add_argument(
        "--wrk-only",
        action="store_true",
        help="print the ratio table and stop: no queries, profile or load; writes only the "
        "scratch files in bench/results/tmp",
    )
    args = parser.parse_args()
    started = time.monotonic()
    shutil.rmtree(WORKDIR, ignore_errors=True)  # the last run's logs and records
    WORKDIR.mkdir(parents=True)
    env = environment()
    os.environ.update(env)
    machine = _machine(load_before=os.getloadavg())

    _say(f"fresh database {DATABASE}, migrate")
    fresh_stores()
    django.setup()
    _quiet_in_process_logs()
    # These import the app's models, which need django.setup() first.
    from bench import emails, endpoints, lighthouse, load, profiling, queries, seed

    if not args.wrk_only:
        lighthouse.ensure()

    call_command("migrate", verbosity=0)
    _say("seed through the services, collectstatic")
    fixtures = seed.seed()
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load in production: fresh statistics, and the
        # visibility map that lets a count read the index alone.
        cursor.execute("VACUUM ANALYZE")
    (WORKDIR / "fixtures.json").write_text(json.dumps(fixtures.as_json()))
    call_command("collectstatic", "--no-input", verbosity=0)

    _say(f"gunicorn -w {server.WORKERS}, wrk -t{args.threads} -c{args.connections}")
    app = server.start(env, WORKDIR / "gunicorn-wrk.log")
    try:
        bare, *others = endpoints.endpoints(app.url, fixtures)
        options = {"workdir": WORKDIR, "connections": args.connections, "threads": args.threads}
        _say("wrk bare")
        measured = [
            wrk.measure(app.url, bare, duration=args.duration, warmup=args.warmup, **options)
        ]
        for endpoint in others:
            endpoints.check(app.url, endpoint)
            _say(f"wrk {endpoint.name}: {ROUNDS} rounds, each after a short bare run")
            since = time.time()
            row = wrk.compare(
                app.url,
                endpoint,
                bare,
                rounds=ROUNDS,
                seconds=max(1, args.duration // ROUNDS),
                control_seconds=CONTROL_SECONDS,
                warmup=args.warmup,
                **options,
            )
            if endpoint.name == "step_post":
                row["answer_rows_rewritten"] = endpoints.rewritten(fixtures, since)
            measured.append(row)
    finally:
        app.stop()
    if args.wrk_only:
        print(report.ratio_table(measured))
        return

    _say("SQL queries per page")
    pages = queries.measure_pages(fixtures)
    _say(f"pyinstrument: {args.iterations} step POSTs")
    profile = profiling.profile_step_post(
        fixtures, iterations=args.iterations, output=RESULTS / "profile_step_post.txt"
    )
    _say(f"pyinstrument: the result and project pages, {args.iterations} GETs each")
    page_profiles = profiling.profile_pages(fixtures, iterations=args.iterations, workdir=WORKDIR)
    _say(f"worker: {emails.EMAILS} invites emailed one at a time, each delay to the email")
    mail = emails.measure(env, fixtures, workdir=WORKDIR)
    _say(f"Lighthouse, mobile: the result page, {lighthouse.RUNS} runs")
    audit = lighthouse.measure(env, fixtures, workdir=WORKDIR)
    _say(f"load: {load.USERS} users, {args.load_time}s per run, three runs")
    loads = load.run_all(env, fixtures, workdir=WORKDIR, run_time=args.load_time)

    machine |= _versions() | {"load_after": os.getloadavg()}
    machine["seconds"] = round(time.monotonic() - started)
    results = {"machine": machine, "wrk": measured, "queries": pages}
    results |= {
        "profile": profile,
        "page_profiles": page_profiles,
        "emails": mail,
        "lighthouse": audit,
        "load": loads,
    }
    for name, data in results.items():
        (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    (ROOT / "docs" / "performance.md").write_text(report.render(results))
    print(report.ratio_table(measured))
    print(report.load_lines(loads))
    # Speed is reported against goals; a lost write is a failure of the run.
    if not all(run["check"]["passed"] for run in loads.values()):
        sys.exit("bench: a load run lost a write or left a decision half-written")


def _say(message: str) -> None:
    print(f"bench {time.strftime('%H:%M:%S')}: {message}", flush=True)


def _quiet_in_process_logs() -> None:
    # The app logs a JSON line per request; in this process they would bury the progress.
    stream = (WORKDIR / "in-process.log").open("a")
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)


def _machine(load_before: tuple[float, ...]) -> dict:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text())
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu[1] if cpu else platform.processor(),
        "ram_gib": round(int(memory[1]) / 1024**2, 1) if memory else None,
        "os": platform.platform(),
        "load_before": load_before,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _versions() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 (git from PATH, as make does)
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "redis": redis.Redis.from_url(REDIS).info()["redis_version"],
        "gunicorn": gunicorn.__version__,
        "wrk": wrk.version(),
        # Not imported: importing locust monkey-patches this process with gevent.
        "locust": metadata.version("locust"),
        "commit": commit,
    }


if __name__ == "__main__":
    main()
