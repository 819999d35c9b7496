"""A team that requires two-factor sign-in shows nothing of itself, anywhere, to a member without
it: not in the project list, search or the new-project form, and not in the emails about it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advisor import selectors
from advisor.models import Project, Role, Team
from tests.conftest import client_for
from tests.factories import ProjectFactory, completed_decision, member
from tests.test_mfa import with_totp


@pytest.fixture
def strict(team, user):
    """The owner's team, requiring two-factor sign-in, with a project and a decision in it;
    the owner has an authenticator app."""
    Team.objects.filter(pk=team.pk).update(require_two_factor=True)
    team.refresh_from_db()
    with_totp(user)
    project = ProjectFactory(team=team, created_by=user, name="Strict project")
    completed_decision(project=project, created_by=user, title="Strict decision")
    return team


def test_the_project_list_and_search_leave_the_team_out_until_it_is_set_up(strict):
    editor = member(strict, Role.EDITOR)
    client = client_for(editor)

    assert "Strict project" not in client.get(reverse("advisor:project_list")).text
    assert "Strict decision" not in client.get(reverse("advisor:search"), {"q": "Strict"}).text

    with_totp(editor)

    assert "Strict project" in client.get(reverse("advisor:project_list")).text
    assert "Strict decision" in client.get(reverse("advisor:search"), {"q": "Strict"}).text


def test_a_project_cannot_be_created_in_the_team_without_two_factor(strict):
    editor = member(strict, Role.EDITOR)
    assert list(selectors.teams_for_new_project(user=editor)) == []

    response = client_for(editor).post(
        reverse("advisor:project_create"), {"team": strict.pk, "name": "Sneaked in"}
    )

    assert response.status_code == 403
    assert not Project.objects.filter(name="Sneaked in").exists()


def test_emails_about_the_team_go_only_to_members_with_two_factor(strict, user):
    editor = member(strict, Role.EDITOR)
    decision = strict.projects.get().decisions.get()
    decision.comments.create(author=editor, body="A remark")

    assert list(selectors.decision_participants(decision)) == [user]
    assert list(selectors.team_digest_recipients(team=strict)) == [user]

    with_totp(editor)

    assert set(selectors.decision_participants(decision)) == {user, editor}
    assert set(selectors.team_digest_recipients(team=strict)) == {user, editor}
