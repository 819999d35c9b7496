"""The pure modules stay pure: importing them loads no Django at all.

The rules, the cost model, the chart and bar geometry, the lifecycle table and the search
excerpts are plain functions on plain data, so they can be tested (and reasoned about) without
a database, a request or settings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "modules",
    [
        "advisor.engine, advisor.questions",
        "advisor.costs",
        "advisor.charts",
        "advisor.compare",
        "advisor.madr",
        "advisor.bars",
        "advisor.excerpts",
        "advisor.lifecycle",
        "advisor.outcome_rules",
    ],
)
def test_importing_a_pure_module_loads_no_django(modules):
    code = (
        f"import sys, {modules}; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert completed.stdout.strip() == "[]"
