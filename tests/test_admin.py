"""The admin: every model is there, and it cannot put a decision into a state the wizard forbids."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from advisor import services
from advisor.models import Answer, AuditEvent, Project, Recommendation, Role
from tests.factories import MembershipFactory, completed_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "project",
        "decision",
        "answer",
        "recommendation",
        "team",
        "invite",
        "sharelink",
        "auditevent",
        "modelprice",
        "answerround",
    ],
)
def test_every_model_has_a_working_changelist(admin_client, model):
    decision = completed_decision()
    services.share_create(decision=decision, user=decision.created_by, expires_in_days=7)
    services.invite_create(team=decision.project.team, user=decision.created_by, role="viewer")

    response = admin_client.get(f"/admin/advisor/{model}/")

    assert response.status_code == 200


def test_recommendations_can_be_neither_edited_nor_deleted(admin_client):
    recommendation = completed_decision().recommendation
    url = f"/admin/advisor/recommendation/{recommendation.pk}"

    page = admin_client.get(f"{url}/change/").text
    delete = admin_client.post(f"{url}/delete/", {"post": "yes"})

    assert 'name="headline"' not in page
    assert delete.status_code == 403
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()


def test_a_decision_status_and_answers_are_read_only_in_the_admin(admin_client):
    decision = completed_decision()

    page = admin_client.get(f"/admin/advisor/decision/{decision.pk}/change/").text
    answer = decision.answers.first()
    answer_page = admin_client.get(f"/admin/advisor/answer/{answer.pk}/change/").text

    assert 'name="status"' not in page
    assert 'name="current_step"' not in page
    assert 'name="answers-0-value"' not in page
    assert 'name="value"' not in answer_page


@pytest.mark.parametrize("model", ["decision", "project"])
def test_deleting_a_decision_or_project_takes_its_snapshot_along(admin_client, model):
    decision = completed_decision()
    obj = decision if model == "decision" else decision.project

    response = admin_client.post(f"/admin/advisor/{model}/{obj.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Recommendation.objects.exists()
    assert not Answer.objects.exists()


def test_answers_cannot_be_deleted_on_their_own(admin_client):
    answer = completed_decision().answers.first()

    response = admin_client.post(f"/admin/advisor/answer/{answer.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Answer.objects.filter(pk=answer.pk).exists()


@pytest.fixture
def staff_client(client):
    """A staff member (not a superuser) with every advisor permission, in one team."""
    staff = get_user_model().objects.create_user("staff", "staff@example.com", "pw")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="advisor"))
    client.force_login(staff)
    client.team = MembershipFactory(user=staff, role=Role.OWNER).team
    return client


def test_staff_see_only_their_teams_in_the_admin(staff_client):
    own = completed_decision(project__team=staff_client.team, project__name="Own project")
    completed_decision(project__name="Someone else's project")

    listing = staff_client.get("/admin/advisor/project/").text
    decisions = staff_client.get("/admin/advisor/decision/").text
    other = Project.objects.exclude(pk=own.project.pk).get()

    assert "Own project" in listing
    assert "Someone else" not in listing
    assert own.title in decisions
    assert staff_client.get(f"/admin/advisor/project/{other.pk}/change/").status_code == 302


def test_admin_bulk_delete_cannot_reach_another_team(staff_client):
    other = completed_decision().project

    staff_client.post(
        "/admin/advisor/project/",
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )

    assert Project.objects.filter(pk=other.pk).exists()


def test_the_audit_trail_is_read_only_in_the_admin(admin_client):
    completed_decision()
    event = AuditEvent.objects.first()

    response = admin_client.post(f"/admin/advisor/auditevent/{event.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_staff_who_are_not_superusers_cannot_change_teams_or_delete_projects(staff_client):
    team = staff_client.team
    owner = MembershipFactory(team=team, role=Role.OWNER).user
    mine = team.memberships.get(user__username="staff")
    theirs = team.memberships.get(user=owner)
    project = completed_decision(project__team=team).project

    change = staff_client.post(
        f"/admin/advisor/team/{team.pk}/change/",
        {
            "name": team.name,
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "2",
            "memberships-0-id": mine.pk,
            "memberships-0-team": team.pk,
            "memberships-0-user": mine.user_id,
            "memberships-0-role": "owner",
            "memberships-1-id": theirs.pk,
            "memberships-1-team": team.pk,
            "memberships-1-user": owner.pk,
            "memberships-1-role": "viewer",
        },
    )
    delete = staff_client.post(f"/admin/advisor/project/{project.pk}/delete/", {"post": "yes"})

    assert change.status_code == 403
    assert delete.status_code == 403
    theirs.refresh_from_db()
    assert theirs.role == Role.OWNER
    assert Project.objects.filter(pk=project.pk).exists()


def test_an_admin_edit_drops_the_cached_share_pages_it_changes(
    admin_client, django_capture_on_commit_callbacks
):
    decision = completed_decision(project__name="Help centre", title="Support bot")
    link = services.share_create(decision=decision, user=decision.created_by, expires_in_days=None)
    visitor = Client()
    assert "Help centre" in visitor.get(link.get_absolute_url()).text
    project = decision.project

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/admin/advisor/project/{project.pk}/change/",
            {
                "team": project.team_id,
                "name": "Support desk",
                "description": "",
                "created_by": project.created_by_id,
            },
        )

    project.refresh_from_db()
    assert project.name == "Support desk"
    page = visitor.get(link.get_absolute_url()).text
    assert "Support desk" in page
    assert "Help centre" not in page
