"""Measure one endpoint with wrk: throughput and latency percentiles, as a dict.

Requests and headers are written to a file that bench/wrk.lua replays, so a POST can cycle
over many decisions and steps (every request a real save) and carry the session cookie, the
CSRF header and `HX-Request` like htmx does.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import requests

LUA = Path(__file__).with_name("wrk.lua")
PERCENTILES = ("p50_ms", "p95_ms", "p99_ms", "mean_ms")


@dataclass
class Endpoint:
    name: str
    label: str
    requests: list[tuple[str, str, str]]  # method, path, url-encoded body ("" for none)
    headers: dict[str, str] = field(default_factory=dict)


def measure(
    base_url: str,
    endpoint: Endpoint,
    *,
    workdir: Path,
    duration: int,
    warmup: int,
    connections: int,
    threads: int,
) -> dict:
    """Warm up, then measure; the warm-up's figures are thrown away."""
    script = workdir / f"wrk-{endpoint.name}.txt"
    lines = [f"H\t{name}\t{value}" for name, value in endpoint.headers.items()]
    lines += [f"R\t{method}\t{path}\t{body}" for method, path, body in endpoint.requests]
    script.write_text("\n".join(lines) + "\n")
    if warmup:
        _wrk(base_url, script, warmup, connections, threads)
    result = _wrk(base_url, script, duration, connections, threads)
    seconds = result["duration_us"] / 1e6
    return {
        "name": endpoint.name,
        "label": endpoint.label,
        "requests": result["requests"],
        "rps": result["requests"] / seconds,
        "p50_ms": result["p50_ms"],
        "p95_ms": result["p95_ms"],
        "p99_ms": result["p99_ms"],
        "mean_ms": result["mean_ms"],
        "max_ms": result["max_ms"],
        "non_2xx_3xx": result["non_2xx_3xx"],
        "socket_errors": result["socket_errors"],
        "connections": connections,
        "threads": threads,
        "duration_s": duration,
        # Measured on its own, the bare view is its own reference.
        "bare_rps": result["requests"] / seconds,
        "round_ratios": [1.0],
    }


def compare(
    base_url: str,
    endpoint: Endpoint,
    bare: Endpoint,
    *,
    rounds: int,
    seconds: int,
    control_seconds: int,
    workdir: Path,
    warmup: int,
    connections: int,
    threads: int,
) -> dict:
    """The endpoint in `rounds` runs of `seconds`, each right after a run of the bare view.

    Each bare run starts once the server has answered what the run before left queued (see
    `_drain`). Throughput is over all rounds; each round gives a ratio to its own bare run
    (`round_ratios`); latency percentiles are the median of the rounds' (wrk's histograms
    cannot be merged from outside).
    """
    options = {"workdir": workdir, "connections": connections, "threads": threads}
    if warmup:
        measure(base_url, endpoint, duration=warmup, warmup=0, **options)
    controls, runs = [], []
    for _ in range(rounds):
        _drain(base_url, bare)
        controls.append(measure(base_url, bare, duration=control_seconds, warmup=0, **options))
        runs.append(measure(base_url, endpoint, duration=seconds, warmup=0, **options))
    requests = sum(run["requests"] for run in runs)
    elapsed = sum(run["requests"] / run["rps"] for run in runs if run["rps"])
    return {
        **runs[0],
        "requests": requests,
        "rps": requests / elapsed if elapsed else 0.0,
        "bare_rps": median(control["rps"] for control in controls),
        "round_ratios": [
            run["rps"] / control["rps"] for run, control in zip(runs, controls, strict=True)
        ],
        **{key: median(run[key] for run in runs) for key in PERCENTILES},
        "max_ms": max(run["max_ms"] for run in runs),
        "non_2xx_3xx": sum(run["non_2xx_3xx"] for run in runs),
        "socket_errors": sum(run["socket_errors"] for run in runs),
        "duration_s": seconds * rounds,
        "rounds": rounds,
        "control_seconds": control_seconds,
    }


def _drain(base_url: str, bare: Endpoint) -> None:
    """Wait until gunicorn has answered the requests wrk left behind. wrk stops at its time
    without waiting for the answers, and the requests queued on the listening socket are still
    answered one by one: after a slow endpoint, over a second of them, which would otherwise
    slow the next bare run and flatter the endpoint's ratio. One bare request, queued behind
    them, comes back when they are done."""
    method, path, _ = bare.requests[0]
    requests.request(method, base_url + path, headers=bare.headers, timeout=60)


def _wrk(base_url: str, script: Path, duration: int, connections: int, threads: int) -> dict:
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", str(LUA), base_url,
    ]  # fmt: skip
    env = {**os.environ, "BENCH_REQUESTS": str(script)}
    output = subprocess.run(  # noqa: S603 (wrk with our own arguments)
        command, env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    return json.loads(line.removeprefix("BENCH_JSON "))


def version() -> str:
    result = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)  # noqa: S607
    return (result.stdout or result.stderr).splitlines()[0].split(" Copyright")[0]
