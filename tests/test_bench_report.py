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


def _results(step_rps: float, project_p95: tuple[float, float], queries: tuple[int, int]) -> dict:
    measured = [
        _row("bare", 2000),
        _row("peer_step_post", 150),
        _row("step_post", step_rps),
        _row("share_get", 1200),
        _row("result_get", 1100),
        _row("project_10", 600, project_p95[0]),
        _row("project_10000", 550, project_p95[1]),
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
    rows = report.by_name(report.ratio_rows(_results(600, (10, 12), (9, 9))["wrk"]))
    assert rows["bare"]["ratio"] == 1.0
    assert rows["step_post"]["ratio"] == pytest.approx(0.3)
    assert rows["peer_step_post"]["ratio"] == pytest.approx(0.075)


def test_goals_met():
    met = {goal["goal"]: goal["met"] for goal in report.goals(_results(600, (10, 12), (9, 9)))}
    assert all(met.values()), met


def test_goals_missed_are_reported_as_missed():
    goals = report.goals(_results(400, (10, 20), (9, 10)))
    missed = {goal["goal"] for goal in goals if not goal["met"]}
    assert missed == {
        "wizard step POST >= 0.25x bare",
        "wizard step POST >= 3x the formtools peer",
        "project page: same query count at 10 and 10,000 decisions",
        "project page: p95 at 10,000 within 1.5x of 10",
    }
    assert next(g for g in goals if "3x the formtools" in g["goal"])["measured"] == "2.7x"
