"""Teams: creating them, invites, roles and membership, the audit trail, deleting projects."""

from __future__ import annotations

import re
from datetime import timedelta
from html import escape

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor import services
from advisor.models import AuditEvent, Decision, Invite, Membership, Project, Role, Team
from advisor.models.teams import INVITE_DAYS
from tests.conftest import HX, client_for
from tests.factories import (
    RAG_ANSWERS,
    DecisionFactory,
    ProjectFactory,
    UserFactory,
    completed_decision,
    member,
)

pytestmark = pytest.mark.django_db

LAST_OWNER_DEMOTE = "A team needs at least one owner: make someone else an owner first."
LAST_OWNER_LEAVE = (
    "You are the team's last owner, so you cannot leave: make someone else an owner first."
)
INVITE_UNUSABLE = (
    "This invite link cannot be used: it has expired, been revoked or been used already. "
    "Ask a team owner for a new one."
)


def section(html: str, marker: str) -> str:
    """The markup from `marker` (an id or aria attribute) to the end of its <section>."""
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def team_activity(client: Client, team: Team) -> str:
    return section(client.get(team.get_absolute_url()).text, "team-activity-heading")


def project_activity(client: Client, project: Project) -> str:
    return section(client.get(project.get_absolute_url()).text, '"activity-heading"')


def activity_line(actor: str, summary: str) -> str:
    return f'<span class="fw-semibold">{escape(actor)}</span> {escape(summary)}'


def membership_of(team: Team, user) -> Membership:
    return Membership.objects.get(team=team, user=user)


def role_url(team: Team, user) -> str:
    return reverse("advisor:member_role", args=[team.pk, membership_of(team, user).pk])


def remove_url(team: Team, user) -> str:
    return reverse("advisor:member_remove", args=[team.pk, membership_of(team, user).pk])


def accept_url(invite: Invite) -> str:
    return reverse("advisor:invite_accept", args=[invite.token])


# --- Creating teams -------------------------------------------------------------------------


def test_team_create_makes_the_creator_owner_and_records_it(user):
    team = services.team_create(user=user, name="Research")

    assert list(team.memberships.values_list("user", "role")) == [(user.pk, Role.OWNER)]
    event = AuditEvent.objects.get(team=team)
    assert (event.action, event.actor, event.actor_name, event.summary) == (
        AuditEvent.Action.TEAM_CREATED,
        user,
        user.username,
        "created “Research”",
    )


def test_creating_a_team_through_the_page_lands_on_it_as_owner(client_logged_in, user):
    response = client_logged_in.post(reverse("advisor:team_create"), {"name": "Research"})

    team = Team.objects.get(name="Research")
    assert response["Location"] == team.get_absolute_url()
    assert membership_of(team, user).role == Role.OWNER
    page = client_logged_in.get(response["Location"]).text
    assert "Team “Research” created." in page
    assert "You are owner." in page


def test_a_new_account_gets_a_personal_team_it_owns(client):
    password = "plum-lantern-orbit-42"
    response = client.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.com",
            "username": "newcomer",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 302
    newcomer = get_user_model().objects.get(username="newcomer")
    (membership,) = Membership.objects.filter(user=newcomer).select_related("team")
    assert (membership.team.name, membership.role) == ("newcomer's team", Role.OWNER)
    assert AuditEvent.objects.get(team=membership.team).summary == "created “newcomer's team”"


def test_team_create_personal_names_the_team_after_the_user():
    alice = UserFactory(username="alice")

    team = services.team_create_personal(user=alice)

    assert team.name == "alice's team"
    assert membership_of(team, alice).role == Role.OWNER


def test_the_team_list_shows_each_team_with_the_users_role_and_member_count(
    client_logged_in, user, team
):
    member(team, Role.EDITOR)
    member(team, Role.VIEWER)
    other = services.team_create(user=UserFactory(), name="Elsewhere")
    Membership.objects.create(team=other, user=user, role=Role.VIEWER)

    text = client_logged_in.get(reverse("advisor:team_list")).text

    rows = re.findall(
        r'">([^<]*)</a></th>\s*<td data-label="Your role">([^<]*)</td>\s*'
        r'<td data-label="Members">([^<]*)</td>',
        text,
    )
    assert sorted(rows) == sorted([(team.name, "Owner", "3"), ("Elsewhere", "Viewer", "2")])


# --- Invites --------------------------------------------------------------------------------


def test_invite_create_lasts_seven_days_and_records_it(user, team):
    before = timezone.now()

    invite = services.invite_create(team=team, user=user, role=Role.VIEWER, note="Bob")

    assert INVITE_DAYS == 7
    assert before + timedelta(days=7) <= invite.expires_at <= timezone.now() + timedelta(days=7)
    assert (invite.role, invite.created_by, invite.is_usable) == (Role.VIEWER, user, True)
    event = AuditEvent.objects.get(team=team)
    assert (event.action, event.actor_name, event.summary) == (
        AuditEvent.Action.INVITE_CREATED,
        user.username,
        "created an invite for Bob as viewer",
    )


def test_creating_an_invite_with_htmx_shows_it_in_the_invites_section(client_logged_in, team):
    response = client_logged_in.post(
        reverse("advisor:invite_create", args=[team.pk]),
        {"email": "bob@example.com", "role": Role.VIEWER, "note": "Bob"},
        headers=HX,
    )

    invite = Invite.objects.get(team=team)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="invites"' in response.text
    assert "Invite emailed to bob@example.com" in response.text
    assert f"http://testserver{accept_url(invite)}" in response.text


def test_creating_an_invite_without_htmx_goes_back_to_the_invites(client_logged_in, team):
    response = client_logged_in.post(
        reverse("advisor:invite_create", args=[team.pk]),
        {"email": "eve@example.com", "role": Role.EDITOR},
    )

    assert response["Location"] == f"{team.get_absolute_url()}#invites"
    assert Invite.objects.get(team=team).role == Role.EDITOR


def test_pending_invites_are_listed_for_owners(client_logged_in, user, team):
    invite = services.invite_create(team=team, user=user, role=Role.EDITOR, note="Bob")

    text = client_logged_in.get(team.get_absolute_url()).text

    invites = section(text, 'id="invites"')
    assert f"http://testserver{accept_url(invite)}" in invites
    assert "Bob" in invites


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_pending_invites_are_not_shown_to_editors_or_viewers(user, team, role):
    invite = services.invite_create(team=team, user=user, role=Role.EDITOR, note="Bob")
    client = client_for(member(team, role))

    text = client.get(team.get_absolute_url()).text

    assert invite.token not in text
    assert 'id="invites"' not in text
    assert "only owners can change roles and invite people" in text


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.OWNER])
def test_joining_through_an_invite_gives_the_invites_role(user, team, role):
    invite = services.invite_create(team=team, user=user, role=role)
    joiner = UserFactory()
    client = client_for(joiner)

    page = client.get(accept_url(invite))
    response = client.post(accept_url(invite), follow=True)

    assert f"You have been invited to join as <strong>{role}</strong>" in page.text
    assert response.redirect_chain == [(team.get_absolute_url(), 302)]
    assert f"Welcome to “{team.name}”: you joined as {role}." in response.text
    assert membership_of(team, joiner).role == role
    invite.refresh_from_db()
    assert (invite.accepted_by, invite.is_usable) == (joiner, False)


def test_an_invite_works_once(user, team):
    invite = services.invite_create(team=team, user=user, role=Role.EDITOR)
    first, second = UserFactory(), UserFactory()
    services.invite_accept(token=invite.token, user=first)

    with pytest.raises(services.InviteNotUsable) as refused:
        services.invite_accept(token=invite.token, user=second)

    assert refused.value.message == INVITE_UNUSABLE
    assert not Membership.objects.filter(team=team, user=second).exists()


def test_a_used_invite_link_shows_a_page_that_says_so(user, team):
    invite = services.invite_create(team=team, user=user, role=Role.EDITOR)
    services.invite_accept(token=invite.token, user=UserFactory())
    client = client_for(UserFactory())

    page = client.get(accept_url(invite))
    post = client.post(accept_url(invite))

    for response in (page, post):
        assert response.status_code == 404
        assert "This invite link cannot be used" in response.text
    assert team.memberships.count() == 2


def expire(invite: Invite) -> None:
    invite.expires_at = timezone.now() - timedelta(minutes=1)
    invite.save(update_fields=["expires_at"])


def revoke(invite: Invite) -> None:
    services.invite_revoke(invite=invite, user=invite.created_by)


@pytest.mark.parametrize("spoil", [expire, revoke], ids=["expired", "revoked"])
def test_expired_and_revoked_invites_are_refused(user, team, spoil):
    invite = services.invite_create(team=team, user=user, role=Role.EDITOR)
    spoil(invite)
    joiner = UserFactory()
    client = client_for(joiner)

    with pytest.raises(services.InviteNotUsable) as refused:
        services.invite_accept(token=invite.token, user=joiner)
    page = client.get(accept_url(invite))
    post = client.post(accept_url(invite))

    assert refused.value.message == INVITE_UNUSABLE
    assert (page.status_code, post.status_code) == (404, 404)
    assert "This invite link cannot be used" in post.text
    assert not Membership.objects.filter(user=joiner).exists()
    owner_page = client_for(user).get(team.get_absolute_url()).text
    assert invite.token not in owner_page
    assert "No invites waiting." in owner_page


def test_revoking_an_invite_with_htmx_removes_it_from_the_list(client_logged_in, user, team):
    invite = services.invite_create(team=team, user=user, role=Role.EDITOR, note="Carol")

    response = client_logged_in.post(
        reverse("advisor:invite_revoke", args=[team.pk, invite.pk]), headers=HX
    )

    assert "<html" not in response.text
    assert invite.token not in response.text
    assert "No invites waiting." in response.text
    invite.refresh_from_db()
    assert invite.revoked_at is not None


def test_an_invite_to_a_team_the_user_is_in_is_refused_and_left_unused(user, team):
    invite = services.invite_create(team=team, user=user, role=Role.VIEWER)
    editor = member(team, Role.EDITOR)
    client = client_for(editor)

    response = client.post(accept_url(invite), follow=True)

    assert response.redirect_chain == [(reverse("advisor:team_list"), 302)]
    assert f"You are already a member of “{team.name}”." in response.text
    assert membership_of(team, editor).role == Role.EDITOR
    invite.refresh_from_db()
    assert (invite.accepted_at, invite.accepted_by, invite.is_usable) == (None, None, True)
    # Still good for the person it was meant for.
    newcomer = UserFactory()
    services.invite_accept(token=invite.token, user=newcomer)
    assert membership_of(team, newcomer).role == Role.VIEWER


# --- Roles ----------------------------------------------------------------------------------


def test_owner_changes_a_role_with_htmx_and_gets_the_members_section(client_logged_in, team):
    bob = member(team, Role.EDITOR, username="bob")

    response = client_logged_in.post(role_url(team, bob), {"role": Role.VIEWER}, headers=HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.strip().startswith('<section id="members"')
    assert 'id="invites"' not in response.text
    assert membership_of(team, bob).role == Role.VIEWER
    start = response.text.index(f'id="role-{membership_of(team, bob).pk}"')
    bob_select = response.text[start : response.text.index("</select>", start)]
    assert '<option value="viewer" selected>' in bob_select


def test_owner_changes_a_role_without_htmx_and_returns_to_the_members(client_logged_in, team):
    bob = member(team, Role.VIEWER, username="bob")

    response = client_logged_in.post(role_url(team, bob), {"role": Role.OWNER})

    assert response.status_code == 302
    assert response["Location"] == f"{team.get_absolute_url()}#members"
    assert membership_of(team, bob).role == Role.OWNER


def test_an_unknown_role_is_refused_with_a_message(client_logged_in, team):
    bob = member(team, Role.EDITOR)

    response = client_logged_in.post(role_url(team, bob), {"role": "admin"}, headers=HX)

    assert "Choose one of the roles offered." in response.text
    assert membership_of(team, bob).role == Role.EDITOR


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_only_owners_change_roles_and_invite(team, role):
    someone = member(team, role)
    other = member(team, Role.VIEWER)
    client = client_for(someone)

    change = client.post(role_url(team, other), {"role": Role.OWNER})
    invite = client.post(reverse("advisor:invite_create", args=[team.pk]), {"role": Role.OWNER})

    assert (change.status_code, invite.status_code) == (403, 403)
    assert "Only the team's owners can do that." in change.text.replace("&#x27;", "'")
    assert membership_of(team, other).role == Role.VIEWER
    assert not Invite.objects.exists()


def test_the_last_owner_cannot_demote_themselves_htmx(client_logged_in, user, team):
    response = client_logged_in.post(role_url(team, user), {"role": Role.EDITOR}, headers=HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert escape(LAST_OWNER_DEMOTE) in section(response.text, 'id="members"')
    assert membership_of(team, user).role == Role.OWNER
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGED).exists()


def test_the_last_owner_cannot_demote_themselves_plain_post(client_logged_in, user, team):
    response = client_logged_in.post(role_url(team, user), {"role": Role.VIEWER}, follow=True)

    assert response.redirect_chain == [(f"{team.get_absolute_url()}#members", 302)]
    assert escape(LAST_OWNER_DEMOTE) in response.text
    assert membership_of(team, user).role == Role.OWNER


def test_the_last_owner_cannot_leave_htmx(client_logged_in, user, team):
    member(team, Role.EDITOR)

    response = client_logged_in.post(remove_url(team, user), headers=HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert escape(LAST_OWNER_LEAVE) in section(response.text, 'id="members"')
    assert membership_of(team, user).role == Role.OWNER
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.MEMBER_REMOVED).exists()


def test_the_last_owner_cannot_leave_plain_post(client_logged_in, user, team):
    response = client_logged_in.post(remove_url(team, user), follow=True)

    assert response.redirect_chain == [(f"{team.get_absolute_url()}#members", 302)]
    assert escape(LAST_OWNER_LEAVE) in response.text
    assert Membership.objects.filter(team=team, user=user).exists()


def test_with_two_owners_one_may_demote_themselves(client_logged_in, user, team):
    member(team, Role.OWNER)

    response = client_logged_in.post(role_url(team, user), {"role": Role.EDITOR}, headers=HX)

    assert membership_of(team, user).role == Role.EDITOR
    # The section is drawn for the role the user has now: no more role forms.
    assert "You are editor; only owners can change roles" in response.text
    assert 'name="role"' not in response.text


def test_with_two_owners_one_may_leave(client_logged_in, user, team):
    other_owner = member(team, Role.OWNER)

    response = client_logged_in.post(remove_url(team, user), follow=True)

    assert response.redirect_chain == [(reverse("advisor:team_list"), 302)]
    assert f"You have left “{team.name}”." in response.text
    assert list(team.memberships.values_list("user", "role")) == [(other_owner.pk, Role.OWNER)]


def test_leaving_with_htmx_sends_the_browser_to_the_team_list(client_logged_in, user, team):
    member(team, Role.OWNER)

    response = client_logged_in.post(remove_url(team, user), headers=HX)

    assert response["HX-Redirect"] == reverse("advisor:team_list")
    assert not Membership.objects.filter(team=team, user=user).exists()


def test_a_member_leaves_and_the_team_is_gone_from_their_list(team):
    editor = member(team, Role.EDITOR)
    client = client_for(editor)

    response = client.post(remove_url(team, editor))

    assert response["Location"] == reverse("advisor:team_list")
    teams = client.get(response["Location"]).text
    assert f"You have left “{team.name}”." in teams
    assert team.get_absolute_url() not in teams
    assert client.get(team.get_absolute_url()).status_code == 404


def test_owner_removes_a_member_who_then_cannot_open_the_teams_projects(client_logged_in, team):
    bob = member(team, Role.EDITOR, username="bob")
    project = ProjectFactory(team=team)
    decision = DecisionFactory(project=project)
    bob_client = client_for(bob)
    assert bob_client.get(project.get_absolute_url()).status_code == 200

    response = client_logged_in.post(remove_url(team, bob), headers=HX)

    assert "<html" not in response.text
    assert "bob" not in section(response.text, "<tbody>")
    assert not Membership.objects.filter(team=team, user=bob).exists()
    assert bob_client.get(project.get_absolute_url()).status_code == 404
    assert bob_client.get(decision.get_absolute_url()).status_code == 404
    assert bob_client.get(team.get_absolute_url()).status_code == 404
    assert project.name not in bob_client.get(reverse("advisor:project_list")).text


def test_removing_a_member_without_htmx_returns_to_the_members(client_logged_in, team):
    bob = member(team, Role.VIEWER)

    response = client_logged_in.post(remove_url(team, bob))

    assert response["Location"] == f"{team.get_absolute_url()}#members"
    assert not Membership.objects.filter(team=team, user=bob).exists()


def test_a_viewer_cannot_remove_someone_else(team):
    viewer = member(team, Role.VIEWER)
    editor = member(team, Role.EDITOR)

    response = client_for(viewer).post(remove_url(team, editor))

    assert response.status_code == 403
    assert Membership.objects.filter(team=team, user=editor).exists()


# --- The audit trail ------------------------------------------------------------------------


def assert_one_new_event(since: int, actor, summary: str) -> tuple[str, str]:
    """Exactly one event was recorded after `since` events, by `actor`, saying `summary`."""
    assert AuditEvent.objects.count() == since + 1, summary
    event = AuditEvent.objects.first()
    assert (event.actor, event.actor_name, event.summary) == (actor, actor.username, summary)
    return actor.username, summary


def test_each_team_change_records_one_event_shown_on_the_team_page():
    owner, bob, dave = (UserFactory(username=name) for name in ("olivia", "bob", "dave"))
    lines = []

    team = services.team_create(user=owner, name="Research")
    lines.append(assert_one_new_event(0, owner, "created “Research”"))

    invite = services.invite_create(team=team, user=owner, role=Role.VIEWER, note="Bob")
    lines.append(assert_one_new_event(1, owner, "created an invite for Bob as viewer"))

    services.invite_accept(token=invite.token, user=bob)
    lines.append(assert_one_new_event(2, bob, "joined as viewer through an invite"))

    services.membership_change_role(
        membership=membership_of(team, bob), role=Role.EDITOR, user=owner
    )
    lines.append(assert_one_new_event(3, owner, "changed bob from viewer to editor"))

    carol_invite = services.invite_create(team=team, user=owner, role=Role.OWNER, note="Carol")
    services.invite_revoke(invite=carol_invite, user=owner)
    lines.append(assert_one_new_event(5, owner, "revoked an invite for Carol"))

    services.membership_remove(membership=membership_of(team, bob), user=owner)
    lines.append(assert_one_new_event(6, owner, "removed bob from the team"))

    Membership.objects.create(team=team, user=dave, role=Role.VIEWER)
    services.membership_remove(membership=membership_of(team, dave), user=dave)
    lines.append(assert_one_new_event(7, dave, "left the team"))

    activity = team_activity(client_for(owner), team)

    for actor, summary in lines:
        assert activity_line(actor, summary) in activity
    # Newest first.
    assert activity.index(activity_line(*lines[-1])) < activity.index(activity_line(*lines[0]))


def test_changing_a_role_to_the_same_role_records_nothing(user, team):
    bob = member(team, Role.EDITOR)

    services.membership_change_role(membership=membership_of(team, bob), role="editor", user=user)

    assert not AuditEvent.objects.exists()


def test_the_role_change_page_records_one_event_naming_member_and_roles(
    client_logged_in, user, team
):
    bob = member(team, Role.EDITOR, username="bob")

    client_logged_in.post(role_url(team, bob), {"role": Role.VIEWER}, headers=HX)

    event = AuditEvent.objects.get()
    assert (event.action, event.actor_name, event.summary) == (
        AuditEvent.Action.ROLE_CHANGED,
        user.username,
        "changed bob from editor to viewer",
    )
    assert activity_line(user.username, event.summary) in team_activity(client_logged_in, team)


def make_project_history(user, team) -> tuple[Project, list[str]]:
    """A project taken through every project-level change, with the summaries expected."""
    project = services.project_create(user=user, team=team, name="Support bot")
    services.project_update(
        project=project, user=user, name="Support bot v2", description="", archived=False
    )
    decision = services.decision_start(project=project, user=user, title="Tier 1 answers")
    for number, value in enumerate(RAG_ANSWERS.values(), start=1):
        services.answer_save(decision=decision, step=number, value=value)
    services.decision_complete(decision=decision, user=user)
    decision.refresh_from_db()
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    services.share_revoke(link=link, user=user)
    return project, [
        "created the project “Support bot”",
        "edited the project “Support bot v2”: renamed it from “Support bot”",
        "started the decision “Tier 1 answers”",
        "completed “Tier 1 answers”: Retrieval (RAG)",
        "shared “Tier 1 answers” by link (never expires)",
        "revoked a share link to “Tier 1 answers”",
    ]


def test_project_and_decision_events_show_on_the_project_page_not_the_team_page(
    client_logged_in, user, team
):
    project, summaries = make_project_history(user, team)

    assert AuditEvent.objects.filter(project=project).count() == len(summaries)
    on_project = project_activity(client_logged_in, project)
    on_team = team_activity(client_logged_in, team)

    for summary in summaries:
        assert activity_line(user.username, summary) in on_project
        assert escape(summary) not in on_team
    assert "Nothing recorded yet." in on_team


def test_a_deleted_account_leaves_its_work_and_its_trail_as_a_former_members(
    client_logged_in, team
):
    erin = member(team, Role.EDITOR, username="erin")
    project = services.project_create(user=erin, team=team, name="Docs search")
    decision = completed_decision(project=project, title="Search answers")
    link = services.share_create(decision=decision, user=erin, expires_in_days=7)
    events = set(AuditEvent.objects.filter(actor=erin).values_list("pk", "summary"))
    assert len(events) == 3  # project created, decision completed, link shared

    services.account_delete(user=erin)

    after = AuditEvent.objects.filter(pk__in=[pk for pk, _ in events])
    assert set(after.values_list("pk", "summary")) == events
    assert set(after.values_list("actor", "actor_name")) == {(None, "a former member")}
    project.refresh_from_db()
    decision.refresh_from_db()
    link.refresh_from_db()
    assert (project.created_by, decision.created_by, link.created_by) == (None, None, None)
    assert decision.recommendation.approach == "rag"

    project_page = client_logged_in.get(project.get_absolute_url()).text
    result_page = client_logged_in.get(decision.get_absolute_url()).text

    history = section(project_page, 'id="history"')
    assert "Search answers" in history
    assert '<td data-label="By">a former member</td>' in history
    assert activity_line("a former member", "created the project “Docs search”") in project_page
    assert "Started by a former member on" in result_page
    assert "a former member, <time" in section(result_page, 'id="sharing"')
    assert "erin" not in section(client_logged_in.get(team.get_absolute_url()).text, 'id="members"')


# --- Deleting a project ---------------------------------------------------------------------


def delete_url(project: Project) -> str:
    return reverse("advisor:project_delete", args=[project.pk])


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_only_owners_delete_projects(team, role):
    project = ProjectFactory(team=team)
    client = client_for(member(team, role))

    page = client.get(delete_url(project))
    post = client.post(delete_url(project))

    assert (page.status_code, post.status_code) == (403, 403)
    assert Project.objects.filter(pk=project.pk).exists()
    assert delete_url(project) not in client.get(project.get_absolute_url()).text


def test_the_delete_page_asks_first_and_names_the_decision_count(client_logged_in, team):
    project = ProjectFactory(team=team, name="Support bot")
    completed_decision(project=project)
    DecisionFactory(project=project)

    response = client_logged_in.get(delete_url(project))

    assert response.status_code == 200
    assert "Delete “Support bot”?" in response.text
    assert "This deletes the project and its 2 decisions" in response.text
    assert Project.objects.filter(pk=project.pk).exists()
    assert delete_url(project) in client_logged_in.get(project.get_absolute_url()).text


def test_deleting_a_project_keeps_a_line_on_the_team_page(client_logged_in, user, team):
    project = ProjectFactory(team=team, name="Support bot")
    completed_decision(project=project)
    DecisionFactory(project=project)

    response = client_logged_in.post(delete_url(project), follow=True)

    assert response.redirect_chain == [(reverse("advisor:project_list"), 302)]
    assert "Project “Support bot” and its decisions were deleted." in response.text
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not Decision.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.PROJECT_DELETED)
    summary = "deleted the project “Support bot” and its 2 decision(s)"
    assert (event.team, event.project, event.actor, event.summary) == (team, None, user, summary)
    assert activity_line(user.username, summary) in team_activity(client_logged_in, team)


def test_a_deleted_projects_earlier_events_stay_off_the_team_page(client_logged_in, user, team):
    project, summaries = make_project_history(user, team)

    client_logged_in.post(delete_url(project))

    on_team = team_activity(client_logged_in, team)
    assert "deleted the project “Support bot v2” and its 1 decision(s)" in on_team
    for summary in summaries:
        assert escape(summary) not in on_team


# --- Review fixes: edits through the page, long names, invites of former owners -------------


def test_editing_a_project_through_its_page_records_what_changed(client_logged_in, user, team):
    project = ProjectFactory(team=team, name="Help centre", description="", created_by=user)

    client_logged_in.post(
        reverse("advisor:project_edit", args=[project.pk]),
        {"name": "Help centre v2", "description": "", "archived": "on"},
    )

    event = AuditEvent.objects.get(action=AuditEvent.Action.PROJECT_EDITED)
    assert event.summary == (
        "edited the project “Help centre v2”: renamed it from “Help centre”, archived it"
    )
    assert activity_line(user.username, event.summary) in project_activity(
        client_logged_in, project
    )


def test_saving_a_project_unchanged_records_nothing(client_logged_in, user, team):
    project = ProjectFactory(team=team, name="Help centre", description="", created_by=user)

    client_logged_in.post(
        reverse("advisor:project_edit", args=[project.pk]),
        {"name": "Help centre", "description": ""},
    )

    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PROJECT_EDITED).exists()


def test_a_long_username_still_gets_a_personal_team(client):
    username = "u" * 150

    response = client.post(
        "/accounts/signup/",
        {
            "email": "long@example.com",
            "username": username,
            "password1": "a sturdy pass phrase 42",
            "password2": "a sturdy pass phrase 42",
        },
    )

    assert response.status_code == 302
    team = Membership.objects.get(user__username=username).team
    assert len(team.name) <= Team._meta.get_field("name").max_length
    assert team.name.endswith("'s team")


def test_a_renamed_long_project_fits_the_audit_trail(user, team):
    project = ProjectFactory(team=team, name="a" * 120, created_by=user)

    services.project_update(
        project=project, user=user, name="b" * 120, description="new", archived=True
    )

    assert "b" * 120 in AuditEvent.objects.get(action=AuditEvent.Action.PROJECT_EDITED).summary


@pytest.mark.parametrize("change", ["demote", "remove"])
def test_an_owner_who_is_demoted_or_removed_can_no_longer_let_people_in(user, team, change):
    former = member(team, Role.OWNER)
    invite = services.invite_create(team=team, user=former, role=Role.OWNER)
    others = services.invite_create(team=team, user=user, role=Role.VIEWER)
    membership = membership_of(team, former)

    if change == "demote":
        services.membership_change_role(membership=membership, role=Role.EDITOR, user=user)
    else:
        services.membership_remove(membership=membership, user=user)

    invite.refresh_from_db()
    others.refresh_from_db()
    assert invite.revoked_at is not None
    assert others.revoked_at is None
    assert client_for(former).get(accept_url(invite)).status_code == 404


def test_an_invite_opened_by_a_member_says_so_and_offers_no_join(client_logged_in, team):
    owner = member(team, Role.OWNER)
    invite = services.invite_create(team=team, user=owner, role=Role.VIEWER)

    text = client_logged_in.get(accept_url(invite)).text

    assert "You are already a member of this team" in text
    assert "Join the team" not in text
    invite.refresh_from_db()
    assert invite.accepted_at is None


def test_deleting_a_team_asks_first_then_takes_its_work_and_links_along(
    client_logged_in, user, team
):
    done = completed_decision(project=ProjectFactory(team=team, created_by=user))
    link = services.share_create(decision=done, user=user, expires_in_days=None)
    member(team, Role.VIEWER)
    url = reverse("advisor:team_delete", args=[team.pk])

    page = client_logged_in.get(url).text
    response = client_logged_in.post(url, follow=True)

    assert "for its 2 members, with its 1 project and 1 decision" in page
    assert response.redirect_chain[-1][0] == reverse("advisor:team_list")
    assert f"Team “{team.name}” and its projects were deleted." in response.text
    assert not Team.objects.filter(pk=team.pk).exists()
    assert not Project.objects.filter(pk=done.project_id).exists()
    assert Client().get(link.get_absolute_url()).status_code == 404
