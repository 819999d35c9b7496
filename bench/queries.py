"""SQL queries per page, in-process with Django's test client against the bench database.

Pages are found by walking the URLconf, not listed by hand, so a page added later is counted
too; each URL's arguments come from the seeded objects by the URL's first path segment. A URL
whose arguments have no sample is reported as not measured rather than silently left out.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from advisor.domain.questions import question_at
from advisor.models import Answer
from bench.endpoints import SEARCH_WORDS
from bench.seed import Fixtures


def _samples(fixtures: Fixtures) -> dict[tuple[str, str], list[tuple[str, object]]]:
    """For (first path segment, URL argument): the objects to try, each with a label."""
    return {
        ("projects", "pk"): [("10 decisions", fixtures.small_project)],
        ("decisions", "pk"): [
            ("in progress", fixtures.step_decisions[0]),
            ("complete", fixtures.result_decision),
        ],
        ("decisions", "step"): [("", 1)],
        ("decisions", "link_pk"): [("", fixtures.share_link)],
        ("teams", "pk"): [("", fixtures.team)],
        ("teams", "invite_pk"): [("", fixtures.invite)],
        ("teams", "member_pk"): [("", fixtures.membership)],
        ("s", "token"): [("", fixtures.share_token)],
        ("invites", "token"): [("", fixtures.invite_token)],
    }


def _app_patterns() -> list[tuple[str, str, list[str]]]:
    """(URL name, route, argument names) of every named pattern in the app's namespace."""
    found = []
    for entry in get_resolver("config.urls").url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "advisor":
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and pattern.name:
                    route = str(pattern.pattern)
                    arguments = list(pattern.pattern.converters)
                    found.append((f"advisor:{pattern.name}", route, arguments))
    return found


def _urls(fixtures: Fixtures) -> list[dict]:
    samples = _samples(fixtures)
    rows = []
    for name, route, arguments in _app_patterns():
        segment = route.split("/")[0]
        missing = [arg for arg in arguments if (segment, arg) not in samples]
        if missing:
            rows.append({"page": name, "url": route, "skipped": f"no sample for {missing}"})
            continue
        variants = [("", {})]
        for arg in arguments:
            variants = [
                (" ".join(filter(None, [label, extra])), {**kwargs, arg: value})
                for label, kwargs in variants
                for extra, value in samples[(segment, arg)]
            ]
        for label, kwargs in variants:
            page = f"{name} ({label})" if label else name
            rows.append({"page": page, "url": reverse(name, kwargs=kwargs)})
    return rows


def _client(fixtures: Fixtures) -> Client:
    client = Client(SERVER_NAME="127.0.0.1")
    assert client.login(username=fixtures.owner, password=fixtures.password)
    return client


def _measure(client: Client, method: str, url: str, first: dict | None = None, **extra) -> dict:
    # The first request warms caches (templates, the connection); the second is counted.
    # A POST's first request can send other data (`first`), so the counted one still writes.
    getattr(client, method)(url, **(first or extra))
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **extra)
    return {
        "status": response.status_code,
        "queries": len(captured.captured_queries),
        "sql": [(query["sql"], float(query["time"])) for query in captured.captured_queries],
    }


def measure_pages(fixtures: Fixtures) -> dict:
    """Every GET page's status and query count, the writes the benchmark times, and the
    slowest SELECT among them all with its plan."""
    client = _client(fixtures)
    rows = []
    for row in _urls(fixtures):
        if "skipped" not in row:
            row |= _measure(client, "get", row["url"])
        rows.append(row)
    rows += _extra_rows(client, fixtures)
    # A POST-only URL answers GET with 405: listed apart, it is not a page.
    post_only = [row for row in rows if row.get("status") == 405]
    pages = [row for row in rows if row.get("status") != 405]
    slowest = _slowest_select(pages)
    for row in rows:
        row.pop("sql", None)
    return {"pages": pages, "post_only": [row["page"] for row in post_only], "slowest": slowest}


def _extra_rows(client: Client, fixtures: Fixtures) -> list[dict]:
    """The variants the benchmark times that the URL walk does not produce."""
    htmx = {"headers": {"HX-Request": "true"}}
    small = reverse("advisor:project_detail", args=[fixtures.small_project])
    large = reverse("advisor:project_detail", args=[fixtures.large_project])
    decision = fixtures.step_decisions[0]
    step = reverse("advisor:decision_step", args=[decision, 2])
    value = Answer.objects.get(decision_id=decision, question="data_change").value
    other = next(choice for choice in question_at(2).values if choice != value)
    body = {"value": value, "note": "", "nav": "next"}
    changed = {"data": {**body, "value": other}, **htmx}
    rounds = [
        (
            f"team answers page ({size} people)",
            "get",
            reverse("advisor:decision_detail", args=[pk]),
            {},
        )
        for size, pk in fixtures.round_decisions.items()
    ]
    search = f"{reverse('advisor:search')}?{urlencode({'q': SEARCH_WORDS})}"
    measured = [
        ("advisor:project_detail (10,000 decisions)", "get", large, {}),
        *rounds,
        ("search, a word in all 10,000 titles", "get", search, {}),
        ("history page 2, htmx fragment (10 decisions)", "get", f"{small}?page=2", htmx),
        ("history page 2, htmx fragment (10,000 decisions)", "get", f"{large}?page=2", htmx),
        ("POST step 2, htmx (answer changed)", "post", step, {"data": body, **htmx}),
    ]
    return [
        {"page": page, "url": url}
        | _measure(client, method, url, first=changed if method == "post" else None, **extra)
        for page, method, url, extra in measured
    ]


def _slowest_select(pages: list[dict]) -> dict | None:
    timed = [
        (seconds, sql, row["page"])
        for row in pages
        for sql, seconds in row.get("sql", [])
        if sql.lstrip().upper().startswith("SELECT")
    ]
    if not timed:
        return None
    seconds, sql, page = max(timed)
    with connection.cursor() as cursor:
        # The captured SQL has its parameters inlined, so it can be explained as it ran.
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    return {"page": page, "ms": seconds * 1000, "sql": sql, "plan": plan}
