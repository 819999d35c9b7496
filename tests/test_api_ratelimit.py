"""POST /api/v1/evaluate is limited per address: past the limit, 429 with a JSON error and
Retry-After (the seconds until the window ends, as the share pages say), counted before the
body is read."""

from __future__ import annotations

import json
from types import SimpleNamespace
from unittest import mock

import pytest
from django.test import Client, override_settings

from advisor.web import ratelimit
from tests.factories import RAG_ANSWERS

URL = "/api/v1/evaluate"
LIMIT = 3
# 42 seconds into a minute: the window ends in 18.
NOW = 1_800_000_042.5

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture
def frozen_clock():
    # The limit counts in fixed one-minute windows: a fixed clock keeps every request of a
    # test in one window and makes the seconds left known.
    with mock.patch.object(ratelimit, "time", SimpleNamespace(time=lambda: NOW)):
        yield


def client(ip: str = "203.0.113.20") -> Client:
    return Client(REMOTE_ADDR=ip)


def evaluate(api: Client, body: bytes | str | None = None):
    data = json.dumps({"answers": RAG_ANSWERS}) if body is None else body
    return api.post(URL, data=data, content_type="application/json")


@override_settings(API_RATE_LIMIT_PER_MINUTE=LIMIT)
def test_the_request_past_the_limit_gets_429_with_retry_after():
    api = client()

    served = [evaluate(api).status_code for _ in range(LIMIT)]
    limited = evaluate(api)

    assert served == [200] * LIMIT
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/json"
    assert limited.json() == {"error": "Too many requests: wait a minute."}
    assert limited["Retry-After"] == "18"


@override_settings(API_RATE_LIMIT_PER_MINUTE=LIMIT)
def test_another_address_is_not_limited():
    api = client("203.0.113.21")
    for _ in range(LIMIT + 2):
        evaluate(api)

    assert evaluate(api).status_code == 429
    assert evaluate(client("203.0.113.22")).status_code == 200


@override_settings(API_RATE_LIMIT_PER_MINUTE=LIMIT)
def test_bad_requests_count_and_the_limit_comes_before_the_body_is_read():
    api = client("203.0.113.23")
    # Refused bodies and methods count like any request.
    statuses = [
        evaluate(api, b"not json").status_code,
        api.get(URL).status_code,
        evaluate(api, "[]").status_code,
    ]

    with mock.patch("advisor.api.json.loads") as parse:
        too_big = api.post(
            URL, data=b"{}", content_type="application/json", CONTENT_LENGTH="999999999"
        )
        broken = evaluate(api, b"\xff{")

    assert statuses == [400, 405, 400]
    assert (too_big.status_code, broken.status_code) == (429, 429)
    parse.assert_not_called()


@override_settings(API_RATE_LIMIT_PER_MINUTE=LIMIT)
def test_the_next_window_starts_the_count_again():
    api = client("203.0.113.24")
    for _ in range(LIMIT + 1):
        evaluate(api)

    with mock.patch.object(ratelimit, "time", SimpleNamespace(time=lambda: NOW + 18)):
        assert evaluate(api).status_code == 200


@override_settings(SHARE_RATE_LIMIT_PER_MINUTE=1)
def test_a_share_page_past_its_limit_gives_the_same_retry_after():
    visitor = client("203.0.113.25")
    visitor.get("/s/no-such-link/")

    limited = visitor.get("/s/no-such-link.json")

    assert limited.status_code == 429
    assert limited.json() == {"error": "Too many requests: wait a minute."}
    assert limited["Retry-After"] == "18"
