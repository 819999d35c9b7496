"""Settings for the test suite: the real settings with faster hashing and plain static files."""

import os
import tempfile
from pathlib import Path

# The suite runs with development settings unless told otherwise (DEBUG is off by default);
# the tests of production's settings start their own processes with DJANGO_DEBUG=0.
os.environ.setdefault("DJANGO_DEBUG", "1")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks are kept, not run: tests run them explicitly (tests/conftest.py `deliver`), and the one
# test of the real worker enqueues into the database itself (tests/test_worker.py).
TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
# The API's tests post far more than a minute's worth from one address (hypothesis examples);
# tests/test_api_ratelimit.py sets a small limit to test it.
API_RATE_LIMIT_PER_MINUTE = 1_000_000

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the in-memory default: in-memory SQLite shares one cache between threads and
    # fails concurrent writers with "table is locked", which the real file database never does.
    # One file per test run, so two runs side by side never share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"advisor-test-{os.getpid()}.sqlite3")
    }
    # Without WAL, dropping the test database leaves no -wal and -shm files behind.
    del DATABASES["default"]["OPTIONS"]["init_command"]  # noqa: F405
