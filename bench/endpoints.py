"""What wrk measures: each endpoint's requests and headers, from a real login.

Logged-in endpoints carry the session cookie of a login through allauth's form; writes add the
CSRF header and `HX-Request`, as htmx sends them. The goals' endpoints come first, then those
measured with no goal yet (issue 18).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from urllib.parse import urlencode

import requests
from django.urls import reverse

from advisor import selectors
from advisor.domain.questions import QUESTIONS
from advisor.management.commands.seed_demo import DEMO_ANSWERS
from advisor.models import Answer
from bench import client, wrk
from bench.forms import form_fields
from bench.seed import Fixtures

# A word in every title of the 10,000-decision project ("Decision 1" to "Decision 10000").
SEARCH_WORDS = "decision"
# The figure a person types on the numbers step before htmx posts the form for a preview.
TYPED_QUERIES = "250000"


def endpoints(base_url: str, fixtures: Fixtures) -> list[wrk.Endpoint]:
    """What wrk measures, with the session and CSRF token of a real login."""
    browser = requests.Session()
    client.login(browser, base_url, fixtures.owner, fixtures.password)
    peer = reverse("bench_peer")
    # The GET starts the peer wizard's state in the session, as a user opening it would.
    wizard = browser.get(base_url + peer, headers=client.headers(browser)).text
    prefix = re.search(r'name="([\w-]+)-current_step"', wizard)[1]
    logged_in = client.headers(browser)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    writes = client.headers(browser, write=True) | form
    # Steps 1 to 4 only: each answers with the next question, in the app and in the peer.
    peer_posts = [
        ("POST", peer, urlencode({f"{prefix}-current_step": q.key, f"{q.key}-value": value}))
        for q in QUESTIONS[:4]
        for value in q.values
    ]
    # Each pass gives every (decision, step) another value than the last, so each POST saves;
    # neighbours in the list are different decisions, so concurrent POSTs rarely wait for the
    # same row lock (one user filling in 16 tabs of the same decision is not the case timed).
    step_posts = [
        (
            "POST",
            reverse("advisor:decision_step", args=[decision, step]),
            urlencode({"value": _nth(QUESTIONS[step - 1].values, n + rounds), "nav": "next"}),
        )
        for rounds in range(3)
        for step in range(1, 5)
        for n, decision in enumerate(fixtures.step_decisions)
    ]

    project = "advisor:project_detail"
    goals = [
        wrk.Endpoint("bare", "bare HttpResponse view", _get("bench_bare")),
        wrk.Endpoint("peer_step_post", "formtools + crispy peer, step POST", peer_posts, writes),
        wrk.Endpoint("step_post", "wizard step POST (htmx, answer saved)", step_posts, writes),
        wrk.Endpoint(
            "share_get", "share page GET", _get("advisor:share_page", fixtures.share_token)
        ),
        wrk.Endpoint(
            "result_get",
            "result page GET",
            _get("advisor:decision_detail", fixtures.result_decision),
            logged_in,
        ),
        wrk.Endpoint(
            "project_10",
            "project page GET, 10 decisions",
            _get(project, fixtures.small_project),
            logged_in,
        ),
        wrk.Endpoint(
            "project_10000",
            "project page GET, 10,000 decisions",
            _get(project, fixtures.large_project),
            logged_in,
        ),
    ]
    return goals + _no_goal_yet(base_url, browser, fixtures)


def _no_goal_yet(
    base_url: str, browser: requests.Session, fixtures: Fixtures
) -> list[wrk.Endpoint]:
    logged_in = client.headers(browser)
    rounds = [
        wrk.Endpoint(
            f"round_{size}",
            f"team answers page GET, {size} people disagreeing",
            _get("advisor:decision_detail", decision),
            logged_in,
        )
        for size, decision in fixtures.round_decisions.items()
    ]
    search = f"{reverse('advisor:search')}?{urlencode({'q': SEARCH_WORDS})}"
    return [
        *rounds,
        wrk.Endpoint(
            "estimate_preview",
            "numbers step preview POST (htmx)",
            [_estimate_preview(base_url, browser, fixtures.estimate_decision)],
            client.headers(browser, write=True)
            | {"Content-Type": "application/x-www-form-urlencoded"},
        ),
        wrk.Endpoint(
            "api_evaluate",
            "API evaluate POST, with an estimate",
            [("POST", reverse("advisor:api_evaluate"), json.dumps(_evaluate_body()))],
            {"Content-Type": "application/json"},
        ),
        wrk.Endpoint(
            "search_10000",
            "search GET, a word in all 10,000 titles",
            [("GET", search, "")],
            logged_in,
        ),
        wrk.Endpoint(
            "dashboard_10000",
            "team dashboard GET, 10,000 decisions",
            _get("advisor:team_dashboard", fixtures.team),
            logged_in,
        ),
    ]


def _get(name: str, *args) -> list[tuple[str, str, str]]:
    return [("GET", reverse(name, args=args), "")]


def _estimate_preview(base_url: str, browser: requests.Session, decision: int) -> tuple:
    """The POST the numbers step's form makes (hx-post) when a figure is typed: every field
    as the page rendered it, the monthly queries changed, no submit button."""
    path = reverse("advisor:decision_estimate", args=[decision])
    page = browser.get(base_url + path, headers=client.headers(browser))
    fields = form_fields(page.text, path) | {"monthly_queries": TYPED_QUERIES}
    return ("POST", path, urlencode(fields))


def _evaluate_body() -> dict:
    """The five answers and the numbers step's figures a client would send."""
    answers = {
        question.key: value for question, (value, _) in zip(QUESTIONS, DEMO_ANSWERS, strict=True)
    }
    estimate = {
        "model": selectors.price_default().model,
        "monthly_queries": int(TYPED_QUERIES),
        "latency_target_ms": 2000,
        "rerank": False,
        "vector_store": "pgvector",
    }
    return {"answers": answers, "estimate": estimate}


def _nth(values: tuple[str, ...], n: int) -> str:
    return values[n % len(values)]


def check(base_url: str, endpoint: wrk.Endpoint) -> None:
    """One request as wrk will send it must succeed, or the figures would time an error."""
    method, path, body = endpoint.requests[0]
    response = requests.request(
        method, base_url + path, data=body or None, headers=endpoint.headers,
        allow_redirects=False, timeout=10,
    )  # fmt: skip
    if response.status_code != 200 or "HX-Redirect" in response.headers:
        raise RuntimeError(f"{endpoint.name}: {method} {path} answered {response.status_code}")


def rewritten(fixtures: Fixtures, since: float) -> int:
    """How many of the answer rows the step POSTs cycle over were saved during the run."""
    after = datetime.fromtimestamp(since, tz=UTC)
    return Answer.objects.filter(
        decision_id__in=fixtures.step_decisions, updated_at__gte=after
    ).count()
