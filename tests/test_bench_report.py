"""The arithmetic behind docs/performance.md (bench/report.py), without running a benchmark."""

from __future__ import annotations

import pytest

from bench import report


def _row(name: str, rps: float, p95: float = 10.0) -> dict:
    return {
        "name": name,
        "label": name,
        "rps": rps,
        "bare_rps": 2000,
        "round_ratios": [rps / 2000],
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "p99_ms": p95 * 2,
        "non_2xx_3xx": 0,
        "socket_errors": 0,
    }


def _results(step_rps: float, project_rps: tuple[float, float], queries: tuple[int, int]) -> dict:
    measured = [
        _row("bare", 2000),
        _row("peer_step_post", 150),
        _row("step_post", step_rps),
        _row("share_get", 1200),
        _row("result_get", 1100),
        _row("project_10", project_rps[0]),
        _row("project_10000", project_rps[1]),
    ]
    pages = [
        {"page": "advisor:project_detail (10 decisions)", "queries": queries[0]},
        {"page": "advisor:project_detail (10,000 decisions)", "queries": queries[1]},
    ]
    check = {"lost": {"answers": 0}, "broken": {"server_errors": 0}, "passed": True}
    return {"wrk": measured, "queries": {"pages": pages}, "load": {"plain": {"check": check}}}


def test_ratio_divides_and_survives_a_zero_base():
    assert report.ratio(500, 2000) == 0.25
    assert report.ratio(5, 0) == 0.0


def test_each_endpoint_is_a_ratio_to_the_bare_view():
    rows = report.by_name(report.ratio_rows(_results(600, (600, 550), (9, 9))["wrk"]))
    assert rows["bare"]["ratio"] == 1.0
    assert rows["step_post"]["ratio"] == pytest.approx(0.3)
    assert rows["peer_step_post"]["ratio"] == pytest.approx(0.075)


def test_goals_met():
    met = {goal["goal"]: goal["met"] for goal in report.goals(_results(600, (600, 550), (9, 9)))}
    assert all(met.values()), met
    assert list(met) == [
        "wizard step POST >= 1.5x the formtools peer",
        "result_get >= 0.12x bare",
        "project_10 >= 0.09x bare",
        "project_10000 >= 0.09x bare",
        "project page: same query count at 10 and 10,000 decisions",
        "share_get >= 0.35x bare",
        "load (plain): nothing lost, nothing half-written, no 5xx",
    ]


def test_goals_missed_are_reported_as_missed():
    goals = report.goals(_results(200, (600, 150), (9, 10)))
    missed = {goal["goal"] for goal in goals if not goal["met"]}
    assert missed == {
        "wizard step POST >= 1.5x the formtools peer",
        "project_10000 >= 0.09x bare",
        "project page: same query count at 10 and 10,000 decisions",
    }
    assert next(g for g in goals if "1.5x the formtools" in g["goal"])["measured"] == "1.3x"


def test_the_figures_with_no_goal_yet_are_listed_after_the_endpoints():
    results = _results(600, (600, 550), (9, 9))
    results["wrk"] += [_row("round_30", 100, p95=240.4), _row("api_evaluate", 500)]
    results["emails"] = {"emails": 50, "median_ms": 480.2, "p95_ms": 930.6, "max_ms": 990.0}
    results["lighthouse"] = {
        "page": "result page",
        "lcp_ms": 1599.5,
        "performance": 1,
        "runs": [{"lcp_ms": 1599.5, "performance": 1}, {"lcp_ms": 1633.0, "performance": 0.98}],
    }

    rows = report.also_measured(results)

    assert [(row["what"], row["measured"]) for row in rows] == [
        ("round_30", "0.05x bare"),
        ("api_evaluate", "0.25x bare"),
        ("worker: from enqueue to sent email", "median 480 ms, p95 931 ms"),
        ("Lighthouse, mobile: result page", "LCP 1,600 ms, performance 1.00"),
    ]
    assert rows[0]["detail"] == "p50 120 ms, p95 240 ms"
    assert rows[3]["detail"] == "each run: 1,600 ms (1.00), 1,633 ms (0.98)"


def test_page_profiles_give_each_bucket_in_milliseconds_for_both_pages():
    def profile(ms: float, shares: dict[str, float]) -> dict:
        buckets = [{"bucket": name, "share": share} for name, share in shares.items()]
        return {"iterations": 10, "statuses": {200: 10}, "ms_per_request": ms, "buckets": buckets}

    section = report._page_profiles(
        {
            "result_get": profile(20.0, {"database": 0.5, "templates": 0.5}),
            "project_10000": profile(40.0, {"templates": 0.75, "middleware": 0.25}),
        }
    )
    assert "| database | 10.0 (50%) | 0.0 (0%) |" in section
    assert "| templates | 10.0 (50%) | 30.0 (75%) |" in section
    assert "| middleware | 0.0 (0%) | 10.0 (25%) |" in section
