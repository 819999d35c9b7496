"""Lighthouse's mobile run of the result page, against gunicorn with production settings.

The same pinned CLI and Chromium as tests/test_lighthouse.py (scripts/ensure-lighthouse and
scripts/ensure-chromium install them), but with Lighthouse's default form factor, mobile: a
slow 4G link and a CPU slowed down 4x, simulated. The test uses the desktop preset because on
these shared machines the mobile score moves with others' load; here it is reported, not
held to a budget, as the median of RUNS runs, each in a Chromium of its own. The page is
opened logged in as its owner: the session cookie goes in a header (`--extra-headers`).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from statistics import median

import requests
from django.urls import reverse

from bench import client, server
from bench.seed import Fixtures

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".cache" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# As tests/conftest.py starts Chromium.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
RUNS = 3
ATTEMPTS = 3  # a run Lighthouse fails to record (NO_NAVSTART, say) is made again


def ensure() -> None:
    """Install Lighthouse and Chromium when missing, before the run spends minutes elsewhere."""
    for script in ("ensure-chromium", "ensure-lighthouse"):
        subprocess.run([ROOT / "scripts" / script], check=True)  # noqa: S603 (the repo's own)


def measure(env: dict[str, str], fixtures: Fixtures, *, workdir: Path) -> dict:
    app = server.start(env, workdir / "gunicorn-lighthouse.log")
    try:
        browser = requests.Session()
        client.login(browser, app.url, fixtures.owner, fixtures.password)
        url = app.url + reverse("advisor:decision_detail", args=[fixtures.result_decision])
        headers = workdir / "lighthouse-headers.json"
        headers.write_text(json.dumps(client.headers(browser)))
        runs = [_recorded(url, workdir / f"lighthouse-{n}.json", headers) for n in range(RUNS)]
    finally:
        app.stop()
    return {
        "page": "result page",
        "form_factor": "mobile (Lighthouse's default)",
        "runs": runs,
        "lcp_ms": median(run["lcp_ms"] for run in runs),
        "performance": median(run["performance"] for run in runs),
        "lighthouse": _version(),
    }


def _recorded(url: str, out: Path, headers: Path) -> dict:
    for _ in range(ATTEMPTS):
        report = _lighthouse(url, out, headers)
        if not report.get("runtimeError"):
            break
    else:
        raise RuntimeError(f"Lighthouse could not record {url}: {report['runtimeError']}")
    # A redirect (to the login page, say) would have measured another page.
    if report["finalDisplayedUrl"] != url:
        raise RuntimeError(f"Lighthouse was sent from {url} to {report['finalDisplayedUrl']}")
    return {
        "lcp_ms": report["audits"]["largest-contentful-paint"]["numericValue"],
        "performance": report["categories"]["performance"]["score"],
    }


def _lighthouse(url: str, out: Path, headers: Path) -> dict:
    out.unlink(missing_ok=True)  # an earlier attempt's report
    command = [
        str(LIGHTHOUSE), url,
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        "--only-categories=performance",
        "--output=json", f"--output-path={out}", "--quiet",
        "--disable-full-page-screenshot",
        f"--extra-headers={headers}",
    ]  # fmt: skip
    result = subprocess.run(  # noqa: S603 (the pinned CLI with our own arguments)
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    report = json.loads(out.read_text()) if out.exists() else {}
    # Lighthouse exits 1 when it could not record the page; the report then says why.
    if result.returncode != 0 and not report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    return report


def _version() -> str:
    package = LIGHTHOUSE.parent.parent / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"]
