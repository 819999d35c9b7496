"""The settings module: the database the suite runs on, and the refusal to run unsafely."""

from __future__ import annotations

import os
import subprocess
import sys

from django.db import connection


def test_suite_runs_on_the_database_it_was_given(db):
    # Guards CI: a PostgreSQL run that silently fell back to SQLite would prove nothing.
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )

    assert connection.vendor == expected


def test_refuses_to_start_with_debug_off_and_no_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""}

    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
