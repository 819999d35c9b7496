"""With Redis, the signed-in user comes beside the session in one round trip
(advisor/web/sessions.py), and a change to the user applies on the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisor import services
from tests.conftest import client_for
from tests.factories import UserFactory

PROJECTS = reverse("advisor:project_list")


@pytest.fixture
def sessions_in_redis(redis_cache):
    with override_settings(SESSION_ENGINE="advisor.web.sessions"):
        yield redis_cache


@pytest.fixture
def person(db):
    return UserFactory(username="sam-sessions")


def user_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PROJECTS)
    assert response.status_code == 200
    return [q["sql"] for q in queries if 'FROM "auth_user"' in q["sql"].split("WHERE")[0]]


def test_the_user_is_read_from_the_database_once_then_beside_the_session(sessions_in_redis, person):
    client = client_for(person)

    first = user_queries(client)
    second = user_queries(client)

    assert len(first) == 1
    assert second == []
    assert "sam-sessions" in client.get(PROJECTS).text


def test_a_deactivated_user_is_signed_out_on_the_next_request(
    sessions_in_redis, person, django_capture_on_commit_callbacks
):
    client = client_for(person)
    user_queries(client)  # the copy is kept

    with django_capture_on_commit_callbacks(execute=True):
        person.is_active = False
        person.save(update_fields=["is_active"])

    assert client.get(PROJECTS).status_code == 302


def test_a_password_changed_elsewhere_signs_this_session_out(
    sessions_in_redis, person, django_capture_on_commit_callbacks
):
    client = client_for(person)
    user_queries(client)

    # The copy is dropped, so the session's hash is checked against the new password's.
    with django_capture_on_commit_callbacks(execute=True):
        person.set_password("an entirely new secret 42")
        person.save(update_fields=["password"])

    assert client.get(PROJECTS).status_code == 302


def test_a_deleted_account_is_signed_out_on_the_next_request(
    sessions_in_redis, person, django_capture_on_commit_callbacks
):
    client = client_for(person)
    user_queries(client)

    with django_capture_on_commit_callbacks(execute=True):
        services.account_delete(user=person)

    assert client.get(PROJECTS).status_code == 302


def test_a_renamed_user_is_shown_by_the_new_name(
    sessions_in_redis, person, django_capture_on_commit_callbacks
):
    client = client_for(person)
    user_queries(client)

    with django_capture_on_commit_callbacks(execute=True):
        person.username = "sam-renamed"
        person.save(update_fields=["username"])

    assert "sam-renamed" in client.get(PROJECTS).text
