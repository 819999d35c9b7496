"""What an operator relies on: health probes, request ids in JSON logs, and the Redis cache."""

from __future__ import annotations

import io
import json
import logging
import uuid
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import RequestFactory, override_settings
from redis.connection import Connection

from advisor.web import ratelimit
from advisor.web.requestlog import HEADER, NO_REQUEST, JsonFormatter, RequestIdFilter
from tests.conftest import REDIS
from tests.test_settings import PRODUCTION_ENV, run_python


def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: any query would raise here.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_the_database_and_the_cache(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_readyz_is_unavailable_when_the_database_is_down(client, db):
    with mock.patch("advisor.views.health._database", side_effect=OperationalError("down")):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "error: OperationalError",
        "cache": "ok",
    }


def test_readyz_is_unavailable_when_the_cache_keeps_nothing(client, db):
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["cache"] == "error: LookupError"


def test_probes_are_not_redirected_to_https_in_production():
    code = (
        "import django; django.setup(); from django.test import Client; c = Client(); "
        "print(c.get('/healthz').status_code, c.get('/accounts/login/').status_code)"
    )
    result = run_python(code, PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]


def test_every_response_carries_a_fresh_request_id(client):
    first, second = client.get("/healthz")[HEADER], client.get("/healthz")[HEADER]

    assert first != second
    assert uuid.UUID(first)


def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(client):
    kept = client.get("/healthz", headers={HEADER: "lb-7f3a9c21"})
    replaced = client.get("/healthz", headers={HEADER: "x" * 65 + "\n<script>"})

    assert kept[HEADER] == "lb-7f3a9c21"
    assert uuid.UUID(replaced[HEADER])


@pytest.fixture
def log_lines():
    """Lines the configured handler would write during the test, parsed as JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_each_request_logs_one_json_line_with_its_id(client, db, log_lines):
    response = client.get("/healthz", headers={HEADER: "lb-11112222"})

    lines = [line for line in log_lines() if line["logger"] == "advisor.request"]
    assert response.status_code == 200
    assert len(lines) == 1
    assert lines[0] | {"time": None, "duration_ms": None} == {
        "time": None,
        "level": "INFO",
        "logger": "advisor.request",
        "message": "GET /healthz 200",
        "request_id": "lb-11112222",
        "method": "GET",
        "path": "/healthz",
        "status": 200,
        "duration_ms": None,
    }


def test_other_loggers_lines_during_a_request_carry_its_id(client, db, log_lines):
    client.get("/projects/999999/", headers={HEADER: "lb-33334444"})  # a redirect to login
    client.get("/no-such-page/", headers={HEADER: "lb-55556666"})  # Django logs the 404

    by_logger = {(line["logger"], line["request_id"]) for line in log_lines()}
    assert ("django.request", "lb-55556666") in by_logger
    assert ("advisor.request", "lb-33334444") in by_logger


def test_lines_outside_a_request_say_so(log_lines):
    logging.getLogger("advisor.test").warning("cron ran", extra={"overdue": 3})

    (line,) = log_lines()
    assert line["request_id"] == NO_REQUEST
    assert line["overdue"] == 3
    assert line["message"] == "cron ran"


def test_an_exception_is_logged_with_its_traceback(log_lines):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("advisor.test").exception("failed")

    (line,) = log_lines()
    assert "ValueError: broken" in line["exception"]


SETTINGS_SEEN = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.CACHES['default'], settings.SESSION_ENGINE]))"
)


def test_redis_url_switches_the_cache_and_the_session_reads_to_redis():
    result = run_python(SETTINGS_SEEN, {**PRODUCTION_ENV, "REDIS_URL": REDIS})

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": "advisor",
        },
        "advisor.web.sessions",  # cached_db's, with the session's user beside it
    ]


def test_without_redis_sessions_are_read_from_the_database_only():
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != "REDIS_URL"}
    result = run_python(SETTINGS_SEEN, env)

    assert result.returncode == 0, result.stderr
    cache, sessions = json.loads(result.stdout)
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert sessions == "django.contrib.sessions.backends.db"


def test_share_rate_limits_count_in_redis_across_processes(redis_cache):
    request = RequestFactory().get("/s/anything/", REMOTE_ADDR="203.0.113.9")

    verdicts = [ratelimit.over_limit(request, scope="share", limit=3) for _ in range(4)]

    assert verdicts == [False, False, False, True]
    # The counter lives in Redis, where every worker and server reads the same number.
    client = ratelimit.redis_client(REDIS)
    (key,) = client.keys(redis_cache.make_key("ratelimit:share:*"))
    assert int(client.get(key)) == 4
    # Counted in one round trip, and still made to expire: two windows at most.
    assert 0 < client.ttl(key) <= 120


def test_a_share_rate_limit_count_is_one_round_trip_to_redis(redis_cache):
    request = RequestFactory().get("/s/anything/", REMOTE_ADDR="203.0.113.10")
    ratelimit.over_limit(request, scope="share", limit=3)  # connected, window started
    send = Connection.send_packed_command

    with mock.patch.object(
        Connection, "send_packed_command", autospec=True, side_effect=send
    ) as sent:
        ratelimit.over_limit(request, scope="share", limit=3)

    assert sent.call_count == 1


def test_a_share_page_from_the_cache_costs_one_round_trip_to_redis(redis_cache):
    request = RequestFactory().get("/s/anything/", REMOTE_ADDR="203.0.113.11")
    entry = {"url": "http://testserver/s/anything/", "html": "<p>the page</p>"}
    redis_cache.set("page", entry)
    ratelimit.over_limit(request, scope="share", limit=3)  # connected, window started
    send = Connection.send_packed_command

    with mock.patch.object(
        Connection, "send_packed_command", autospec=True, side_effect=send
    ) as sent:
        limited, read = ratelimit.over_limit_reading(request, scope="share", limit=2, read="page")
        missing = ratelimit.over_limit_reading(request, scope="share", limit=2, read="absent")

    assert (limited, read) == (False, entry)  # decoded as the cache encoded it
    assert missing == (True, None)  # the third request in the window, past a limit of two
    assert sent.call_count == 2


def test_readyz_uses_redis_when_configured(client, db, redis_cache):
    response = client.get("/readyz")

    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert redis_cache.get("readyz:probe") == "ok"
