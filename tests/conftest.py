from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.tasks import default_task_backend
from django.test import Client, TestCase, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings

from advisor.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, member

# Playwright's sync API runs an event loop in the test thread; the ORM calls that the browser
# tests make around it are still ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The first run on a fresh clone builds hypothesis's text cache, which trips its speed checks;
# no example database either, so every run is reproducible from the code alone.
settings.register_profile(
    "advisor",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("advisor")

# What htmx sends with every request it makes; the views answer it with a fragment.
HX = {"HX-Request": "true"}

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium; Playwright cannot download its own browser here. A missing binary
    # makes the launch fail loudly, never a skip.
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits count in the cache; each test starts with none used.
    cache.clear()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # pytest-django puts the tests that flush the database (live_server, transaction=True)
    # last, but pytest's own reordering by parametrized session fixtures (the browser) runs
    # after it and can move them before tests that read rows only the migrations load (the
    # 2024 price rows): a flush reloads the shipped price file alone. Put them last again,
    # keeping the order otherwise.
    def flushes(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        transaction = bool(marker and marker.kwargs.get("transaction"))
        return transaction or bool({"live_server", "transactional_db"} & set(item.fixturenames))

    items.sort(key=flushes)


@pytest.fixture(autouse=True)
def _postgres_when_marked(request):
    # A test of row locks and concurrent inserts proves nothing on SQLite: it fails there,
    # never skips, so a PostgreSQL pass that fell back to SQLite cannot look green.
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: run it with DATABASE_URL=postgres://...")


@pytest.fixture(autouse=True)
def _no_tasks_left():
    # The dummy backend keeps what was enqueued in memory, across tests unless emptied.
    default_task_backend.clear()


def run_tasks() -> int:
    """Run what was enqueued and is due, as the worker would, in order; what those tasks
    enqueue for later (a retry's next try) stays enqueued. Returns how many ran."""
    ran = 0
    while due := [
        result
        for result in default_task_backend.results
        if result.task.run_after is None or result.task.run_after <= timezone.now()
    ]:
        for result in due:
            default_task_backend.results.remove(result)
            result.task.call(*result.args, **result.kwargs)
            ran += 1
    return ran


@contextmanager
def delivered():
    """`with delivered(): ...` runs the block, then what it left for after the commit (the
    outbox's enqueues) and the tasks, as the worker would: its emails are then in
    `mail.outbox`."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
    run_tasks()


def client_for(user, **defaults) -> Client:
    """A test client signed in as `user`; `defaults` go to the Client."""
    client = Client(**defaults)
    client.force_login(user)
    return client


# --- The signed-in user, their team, and its other members -----------------------------------


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def client_logged_in(user) -> Client:
    return client_for(user)


@pytest.fixture
def team(user):
    """A team of the logged-in `user`, who owns it."""
    return MembershipFactory(user=user, role=Role.OWNER).team


@pytest.fixture
def project(user, team):
    """A project of `team`, started by the logged-in `user`."""
    return ProjectFactory(team=team, created_by=user)


@pytest.fixture
def editor(team):
    return member(team, Role.EDITOR, username="erin-editor")


@pytest.fixture
def editor_client(editor) -> Client:
    return client_for(editor)


@pytest.fixture
def viewer(team):
    return member(team, Role.VIEWER, username="vera-viewer")


@pytest.fixture
def viewer_client(viewer) -> Client:
    return client_for(viewer)


REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_cache():
    """Django's Redis cache against the machine's Redis, under a prefix of its own, and
    REDIS_URL naming the same Redis, as the settings make them in production."""
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"advisor-test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=config, REDIS_URL=REDIS):
        cache = caches["default"]
        cache.set("probe", 1)  # fails here, loudly, when Redis is not running
        yield cache
        cache.clear()
