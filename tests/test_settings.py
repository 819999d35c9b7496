"""The settings module: the database the suite runs on, and production's refusals and headers."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.db import connection

PRODUCTION_ENV = {
    # Not DJANGO_ALLOW_ASYNC_UNSAFE, which conftest sets for Playwright and production never has.
    **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    # Production sends real email; without an SMTP host `check --deploy` says so (mail.E001).
    "EMAIL_HOST": "smtp.example.com",
}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_suite_runs_on_the_database_it_was_given(db):
    # Guards CI: a PostgreSQL run that silently fell back to SQLite would prove nothing.
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )

    assert connection.vendor == expected


def test_refuses_to_start_with_debug_off_and_no_secret_key_in_one_line():
    result = run_python("import config.settings", {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""})

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Advisor will not start: set DJANGO_SECRET_KEY, or DJANGO_DEBUG=1 on a development "
        "machine (see docs/deploy.md)."
    ]


def test_debug_is_off_unless_asked_for():
    environment = {name: value for name, value in PRODUCTION_ENV.items() if name != "DJANGO_DEBUG"}

    result = run_python("import config.settings as s; print(s.DEBUG)", environment)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_check_deploy_is_clean_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


PRODUCTION_RESPONSE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# Rendering needs no collectstatic manifest for this check.
plain = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
override_settings(STORAGES=plain).enable()
response = Client().get("/accounts/login/", secure=True)
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "csrf_cookie": str(response.cookies["csrftoken"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "plain_http": Client().get("/accounts/login/").status_code,
}))
"""


def test_a_production_response_carries_the_security_headers():
    result = run_python(PRODUCTION_RESPONSE, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    headers = seen["headers"]

    assert seen["status"] == 200
    assert seen["plain_http"] == 301  # redirected to HTTPS
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "; secure" in seen["csrf_cookie"].lower()
    assert "httponly" in seen["csrf_cookie"].lower()
    assert seen["session_cookie_secure"] is True
    assert seen["session_cookie_httponly"] is True


@pytest.mark.postgres
def test_postgresql_connections_prepare_statements_and_never_compile_queries(db):
    # JIT compiled the search to machine code on every run (45 ms of 120); prepared
    # statements plan the hot queries once per connection (docs/deploy.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    assert connection.connection.prepare_threshold == 5


def test_jit_and_server_side_binding_can_be_given_back_for_a_pooler():
    code = (
        "from config import settings; print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/advisor",
        "DATABASE_SERVER_SIDE_BINDING": "0",
        "DATABASE_JIT": "1",
    }
    result = run_python(f"import json; {code}", env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {}
