"""A person's own account: downloading their data, and deleting the account so that the teams
keep their decisions with "a former member" where the person's name was."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisor import services
from advisor.domain.people import FORMER_MEMBER
from advisor.models import (
    AnswerRound,
    AuditEvent,
    Comment,
    Decision,
    Kind,
    Outbox,
    Recommendation,
    Respondent,
    Role,
    Team,
)
from tests.conftest import client_for
from tests.factories import (
    PASSWORD,
    RAG_ANSWERS,
    DecisionFactory,
    MembershipFactory,
    ProjectFactory,
    UserFactory,
    answers_requested,
    completed_decision,
    member,
    team_decision,
)

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("advisor:account")
DATA = reverse("advisor:account_data")
DELETE = reverse("advisor:account_delete")
# A name no page would show by chance, so "not in the page" means what it says.
DANA = "dana-quokka"


def users():
    return get_user_model().objects


def download(client: Client) -> dict:
    response = client.get(DATA)
    assert response.status_code == 200
    return json.loads(response.content)


def comment(decision: Decision, user, body: str) -> Comment:
    return services.comment_add(decision=decision, user=user, body=body)


# --- Downloading one's data -------------------------------------------------------------------


@pytest.fixture
def dana(team):
    """An editor of `team` (owned by the logged-in user) who has done a bit of everything."""
    return member(team, Role.EDITOR, username=DANA, email="dana@example.com")


def test_the_download_is_an_attachment_of_json_kept_out_of_caches(dana):
    response = client_for(dana).get(DATA)

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="advisor-account-data.json"'
    assert response["Cache-Control"] == "no-store"


def test_the_download_holds_the_persons_own_data_in_every_section(user, team, project, dana):
    decision = completed_decision(project=project, title="Support bot")
    comment(decision, dana, "Mine, in the team")
    comment(decision, user, "The owner's, not mine")
    services.outcome_record(
        decision=decision,
        user=dana,
        approach="rag",
        shipped_on=date(2026, 1, 5),
        notes="Went well",
        metrics=[("p95 latency", Decimal("640"), "ms")],
    )
    asked = DecisionFactory(project=project, created_by=user, title="Asked of us")
    services.round_ask(decision=asked, user=user, people=[dana])
    services.answer_save(decision=asked, step=1, value="knowledge", note="Docs", user=dana)
    services.notification_settings_save(user=dana, kinds_off={Kind.COMMENT})
    started = services.decision_start(project=project, user=dana, title="Dana's own")

    data = download(client_for(dana))

    assert data["format"] == "advisor-account-data"
    profile = data["profile"]
    assert profile["username"] == DANA
    assert profile["email_addresses"] == [
        {"email": "dana@example.com", "primary": True, "verified": True}
    ]
    assert profile["date_joined"]
    assert "last_login" in profile
    assert [(m["team"], m["role"]) for m in data["memberships"]] == [(team.name, "editor")]
    assert [c["text"] for c in data["comments"]] == ["Mine, in the team"]
    assert data["comments"][0]["decision"]["title"] == "Support bot"
    (outcome,) = data["outcomes"]
    assert (outcome["approach"], outcome["shipped_on"], outcome["notes"]) == (
        "rag",
        "2026-01-05",
        "Went well",
    )
    assert outcome["metrics"] == [{"name": "p95 latency", "value": "640.0000", "unit": "ms"}]
    (answer_set,) = data["answer_sets"]
    assert answer_set["decision"]["title"] == "Asked of us"
    assert answer_set["submitted_at"] is None
    assert answer_set["answers"] == [{"question": "problem", "value": "knowledge", "note": "Docs"}]
    assert [d["id"] for d in data["decisions_started"]] == [started.pk]
    settings = {s["kind"]: s["on"] for s in data["notification_settings"]}
    assert settings[Kind.COMMENT] is False
    assert settings[Kind.INVITE] is True
    summaries = [e["summary"] for e in data["audit_entries"]]
    assert f"{DANA} commented on “Support bot”" in summaries
    assert f"{DANA} started the decision “Dana's own”" in summaries
    assert all(summary.startswith(DANA) for summary in summaries)


def test_the_download_holds_nothing_of_other_people_or_other_teams(user, team, project, dana):
    decision = completed_decision(project=project, title="Support bot")
    comment(decision, user, "The owner's remark")
    services.outcome_record(decision=decision, user=user, approach="rag", shipped_on=date.today())
    elsewhere = completed_decision(title="Elsewhere")  # a team dana is not in
    comment(elsewhere, elsewhere.created_by, "A stranger's remark")
    # Dana's comment in a second team she belongs to is hers, and in the file.
    other_team = elsewhere.project.team
    MembershipFactory(team=other_team, user=dana, role=Role.VIEWER)
    comment(elsewhere, dana, "Mine, in the other team")

    body = client_for(dana).get(DATA).content.decode()
    data = json.loads(body)

    assert [c["text"] for c in data["comments"]] == ["Mine, in the other team"]
    assert data["outcomes"] == []
    assert data["answer_sets"] == []
    for stranger in ("The owner's remark", "A stranger's remark", user.username, user.email):
        assert stranger not in body
    assert {e["team"] for e in data["audit_entries"]} <= {team.name, other_team.name}


def test_the_download_holds_the_entries_that_name_the_person(user, team, dana):
    membership = dana.memberships.get(team=team)
    services.membership_change_role(membership=membership, role=Role.VIEWER, user=user)

    summaries = [e["summary"] for e in download(client_for(dana))["audit_entries"]]

    assert f"{user.username} changed {DANA} from editor to viewer" in summaries


def test_the_download_leaves_out_a_team_the_person_has_left(team, project, dana):
    decision = completed_decision(project=project, title="Support bot")
    comment(decision, dana, "Before I left")
    services.membership_remove(membership=dana.memberships.get(team=team), user=dana)

    data = download(client_for(dana))

    assert data["comments"] == []
    assert data["memberships"] == []
    assert data["audit_entries"] == []


def some_of_everything(project, dana, n: int) -> None:
    """A comment, an outcome with a metric and an answer set of dana's."""
    decision = completed_decision(project=project, title=f"Decision {n}")
    comment(decision, dana, f"Remark {n}")
    services.outcome_record(
        decision=decision,
        user=dana,
        approach="rag",
        shipped_on=date.today(),
        metrics=[("m", Decimal(n), "")],
    )
    asked = DecisionFactory(project=project, created_by=project.created_by)
    services.round_ask(decision=asked, user=project.created_by, people=[dana])
    services.answer_save(decision=asked, step=1, value="knowledge", note="", user=dana)


def test_the_download_takes_the_same_queries_however_much_there_is(project, dana):
    client = client_for(dana)
    some_of_everything(project, dana, 0)
    with CaptureQueriesContext(connection) as one:
        client.get(DATA)
    for n in range(1, 6):
        some_of_everything(project, dana, n)

    with CaptureQueriesContext(connection) as six:
        data = download(client)

    assert len(data["comments"]) == 6
    assert len(data["answer_sets"]) == 6
    # The session and the user, then the selector's eleven.
    assert len(six) == len(one) == 13


# --- The account page -------------------------------------------------------------------------


def test_the_account_page_offers_the_download_and_the_deletion(dana):
    page = client_for(dana).get(ACCOUNT)

    assert page.status_code == 200
    assert f'href="{DATA}"' in page.text
    assert f'action="{DELETE}"' in page.text
    assert 'name="password"' in page.text
    assert f'href="{ACCOUNT}"' in page.text  # the nav's "Signed in as" leads here


def test_the_page_lists_the_teams_deleted_with_the_account_and_their_decisions(db):
    alone = UserFactory(username="solo")
    own = services.team_create_personal(user=alone)
    project = ProjectFactory(team=own, created_by=alone)
    completed_decision(project=project)
    DecisionFactory(project=project)

    page = client_for(alone).get(ACCOUNT).text

    assert "deleted with your account" in page
    assert f"<li>{own.name}: 2 decisions</li>" in page.replace("&#x27;", "'")


# --- The last owner -----------------------------------------------------------------------------


def test_the_last_owner_of_a_team_with_members_cannot_delete_until_they_hand_it_over(
    user, team, dana, client_logged_in
):
    page = client_logged_in.get(ACCOUNT).text

    assert "You are the last owner of this team" in page
    assert f'href="{team.get_absolute_url()}"' in page
    assert f'href="{reverse("advisor:team_delete", args=[team.pk])}"' in page
    assert 'name="password"' not in page
    assert f'href="{DATA}"' in page  # the download stays

    refused = client_logged_in.post(DELETE, {"password": PASSWORD}, follow=True)

    assert users().filter(pk=user.pk).exists()
    assert f"the last owner of “{team.name}”" in refused.text

    membership = dana.memberships.get(team=team)
    services.membership_change_role(membership=membership, role=Role.OWNER, user=user)
    done = client_logged_in.post(DELETE, {"password": PASSWORD})

    assert done.status_code == 302
    assert done["Location"] == reverse("account_login")
    assert not users().filter(pk=user.pk).exists()
    assert Team.objects.filter(pk=team.pk).exists()


def test_a_team_whose_only_member_is_the_person_is_deleted_with_the_account(db):
    alone = UserFactory()
    own = services.team_create_personal(user=alone)
    decision = completed_decision(project=ProjectFactory(team=own, created_by=alone))

    response = client_for(alone).post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302
    assert not Team.objects.filter(pk=own.pk).exists()
    assert not Decision.objects.filter(pk=decision.pk).exists()


# --- Confirming -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "error"),
    [("", "This field is required."), ("not-my-password", "Incorrect password.")],
)
def test_a_wrong_password_is_shown_next_to_the_field_and_deletes_nothing(dana, password, error):
    response = client_for(dana).post(DELETE, {"password": password})

    assert response.status_code == 400
    assert 'aria-describedby="id_password_helptext id_password_error"' in response.text
    shown = response.text.split('<div id="id_password_error" class="invalid-feedback">')[1]
    assert shown.split("</div>")[0].strip() == (
        f'<span id="error_1_id_password"><strong>{error}</strong></span>'
    )
    assert users().filter(pk=dana.pk).exists()
    assert dana.memberships.exists()


def test_deleting_needs_a_post_with_the_csrf_token(dana):
    client = client_for(dana, enforce_csrf_checks=True)

    assert client.post(DELETE, {"password": PASSWORD}).status_code == 403
    assert client_for(dana).get(DELETE).status_code == 405
    assert users().filter(pk=dana.pk).exists()


def test_after_deleting_the_person_is_logged_out(dana):
    client = client_for(dana)

    client.post(DELETE, {"password": PASSWORD})

    assert client.get(ACCOUNT)["Location"].startswith(reverse("account_login"))


# --- What the team keeps ------------------------------------------------------------------------


def test_after_deletion_every_page_and_export_says_a_former_member(
    user, team, client_logged_in, django_capture_on_commit_callbacks
):
    project = ProjectFactory(team=team, created_by=user, name="Help centre")
    decision = team_decision(project=project, created_by=user, names=[DANA])
    dana = users().get(username=DANA)
    comment(decision, dana, "Ship it")
    services.outcome_record(decision=decision, user=dana, approach="rag", shipped_on=date.today())
    services.decision_status_change(decision=decision, user=dana, to_status="accepted")
    own = completed_decision(project=project, created_by=dana, title="Dana's decision")
    link = services.share_create(decision=own, user=dana, expires_in_days=7)
    assert DANA in client_logged_in.get(decision.get_absolute_url()).text  # its snapshot cached

    with django_capture_on_commit_callbacks(execute=True):  # the cached snapshot forgotten
        services.account_delete(user=dana)

    pages = {
        "result": client_logged_in.get(decision.get_absolute_url()).text,
        "own result": client_logged_in.get(own.get_absolute_url()).text,
        "project": client_logged_in.get(project.get_absolute_url()).text,
        "team": client_logged_in.get(team.get_absolute_url()).text,
        "markdown": client_logged_in.get(reverse("advisor:decision_export_md", args=[own.pk])).text,
        "json": client_logged_in.get(reverse("advisor:decision_export_json", args=[decision.pk])),
        "csv": client_logged_in.get(reverse("advisor:project_export_csv", args=[project.pk])),
    }
    pages["json"] = pages["json"].content.decode()
    pages["csv"] = pages["csv"].content.decode()
    for name, text in pages.items():
        assert DANA not in text, name
    assert "a former member</span>" in pages["result"]  # the comment
    assert f"Recorded by {FORMER_MEMBER}" in pages["result"]
    assert f'<th scope="col">{FORMER_MEMBER}' in pages["result"]  # the team's answers
    assert f"Started by {FORMER_MEMBER}" in pages["own result"]
    assert f"{FORMER_MEMBER}, <time" in pages["own result"]  # the share link's maker
    assert f"Accepted by {FORMER_MEMBER}" in pages["project"]
    assert (
        f'<td data-label="By">{FORMER_MEMBER}</td>' in pages["project"]
    )  # who started "Dana's decision"
    assert "left by deleting their account" in pages["team"]
    assert f'deciders: "{FORMER_MEMBER}"' in pages["markdown"]
    assert FORMER_MEMBER in pages["json"]
    assert FORMER_MEMBER in pages["csv"]
    snapshot = Recommendation.objects.get(decision=decision).team_answers
    assert FORMER_MEMBER in [person["name"] for person in snapshot["people"]]
    assert DANA not in json.dumps(snapshot)
    link.refresh_from_db()
    assert link.created_by is None
    assert link.is_live


def test_the_trail_loses_the_name_and_records_the_leaving_in_each_remaining_team(user, team, dana):
    second = MembershipFactory(user=dana, role=Role.VIEWER).team
    member(second, Role.OWNER)
    services.membership_change_role(
        membership=dana.memberships.get(team=team), role=Role.VIEWER, user=user
    )
    decision = completed_decision(project=ProjectFactory(team=team, created_by=user))
    comment(decision, dana, "Hello")

    services.account_delete(user=dana)

    assert not AuditEvent.objects.filter(actor_name=DANA).exists()
    assert not AuditEvent.objects.filter(summary__contains=DANA).exists()
    assert AuditEvent.objects.filter(summary=f"changed {FORMER_MEMBER} from editor to viewer")
    left = AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_DELETED)
    assert sorted(left.values_list("team", "actor", "actor_name")) == sorted(
        [(team.pk, None, FORMER_MEMBER), (second.pk, None, FORMER_MEMBER)]
    )
    assert Comment.objects.get(decision=decision).author_name == FORMER_MEMBER


def test_the_completers_name_is_erased_but_not_an_imported_stranger_of_another_name(project):
    dana = member(project.team, Role.EDITOR, username=DANA)
    mine = completed_decision(project=project, created_by=dana)
    theirs = completed_decision(project=project)

    services.account_delete(user=dana)

    assert Decision.objects.get(pk=mine.pk).completed_by_name == FORMER_MEMBER
    assert Decision.objects.get(pk=theirs.pk).completed_by_name == project.created_by.username


def test_an_unsubmitted_draft_in_an_open_round_goes_and_the_asker_hears_everyone_answered(
    user, team, project, dana
):
    other = member(team, Role.EDITOR)
    decision = DecisionFactory(project=project, created_by=user)
    services.round_ask(decision=decision, user=user, people=[dana, other])
    for person in (user, other):
        for step, value in enumerate(RAG_ANSWERS.values(), start=1):
            services.answer_save(decision=decision, step=step, value=value, user=person)
        services.round_submit(decision=decision, user=person)
    services.answer_save(decision=decision, step=1, value="knowledge", note="draft", user=dana)
    assert not Outbox.objects.filter(kind=Kind.ALL_ANSWERED).exists()

    services.account_delete(user=dana)

    answer_round = AnswerRound.objects.get(decision=decision)
    assert answer_round.respondents.count() == 2
    assert Outbox.objects.filter(kind=Kind.ALL_ANSWERED, user=user).exists()


def test_submitted_answers_stay_as_a_former_members_on_the_round_page(user, team, project):
    decision = DecisionFactory(project=project, created_by=user)
    dana = member(team, Role.VIEWER, username=DANA)
    services.round_ask(decision=decision, user=user, people=[dana])
    for step, value in enumerate(RAG_ANSWERS.values(), start=1):
        services.answer_save(decision=decision, step=step, value=value, user=dana)
    services.round_submit(decision=decision, user=dana)
    services.round_close(decision=decision, user=user)

    services.account_delete(user=dana)

    assert Respondent.objects.filter(round__decision=decision, user=None).count() == 1
    page = client_for(user).get(decision.get_absolute_url()).text
    assert DANA not in page
    assert f"<li>{FORMER_MEMBER}:" in page


def test_emails_to_the_person_waiting_or_sent_are_deleted(dana):
    waiting = answers_requested(dana)
    confirmation = services.account_email_send(email=dana.email, subject="Confirm", text="-")
    Outbox.objects.filter(pk=confirmation.pk).update(status=Outbox.Status.SENT)
    webhook = Outbox.objects.create(
        kind=Kind.REVIEW_DUE, recipient="https://hooks.example.com/x", key="hook", text_body="-"
    )

    services.account_delete(user=dana)

    assert not Outbox.objects.filter(pk__in=[waiting.pk, confirmation.pk]).exists()
    assert Outbox.objects.filter(pk=webhook.pk).exists()


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(db) -> Client:
    root = users().create_superuser("root", "root@example.com", "pw")
    return client_for(root)


def admin_delete_url(user) -> str:
    return reverse("admin:auth_user_delete", args=[user.pk])


def test_the_admin_refuses_to_delete_the_last_owner_naming_the_team(admin_client, user, team, dana):
    page = admin_client.get(admin_delete_url(user), follow=True)
    posted = admin_client.post(admin_delete_url(user), {"post": "yes"}, follow=True)

    for response in (page, posted):
        assert f"the last owner of “{team.name}”" in response.text
    assert users().filter(pk=user.pk).exists()


def test_the_admin_deletes_through_the_service(admin_client, user, team, dana):
    decision = completed_decision(project=ProjectFactory(team=team, created_by=user))
    comment(decision, dana, "Mine")

    response = admin_client.post(admin_delete_url(dana), {"post": "yes"})

    assert response.status_code == 302
    assert not users().filter(pk=dana.pk).exists()
    assert Comment.objects.get(decision=decision).author_name == FORMER_MEMBER
    assert AuditEvent.objects.filter(team=team, action=AuditEvent.Action.ACCOUNT_DELETED).exists()


def test_an_owner_who_becomes_the_last_one_between_check_and_delete_is_refused(
    admin_client, user, team, dana, monkeypatch
):
    # The other owner leaves between the admin's check and the deletion itself.
    monkeypatch.setattr(services, "account_delete_refusal", lambda user: None)

    single = admin_client.post(admin_delete_url(user), {"post": "yes"}, follow=True)
    bulk = bulk_delete(admin_client, [user], confirm=True)

    for response in (single, bulk):
        assert f"the last owner of “{team.name}”" in response.text
    assert users().filter(pk=user.pk).exists()


def bulk_delete(client: Client, people, *, confirm: bool):
    data = {"action": "delete_selected", "_selected_action": [p.pk for p in people]}
    if confirm:
        data["post"] = "yes"
    return client.post(reverse("admin:auth_user_changelist"), data, follow=True)


def test_the_admins_bulk_delete_refuses_while_one_of_them_is_a_last_owner(
    admin_client, user, team, dana
):
    for confirm in (False, True):
        response = bulk_delete(admin_client, [user, dana], confirm=confirm)

        assert f"the last owner of “{team.name}”" in response.text
        assert users().filter(pk__in=[user.pk, dana.pk]).count() == 2


def test_the_admins_bulk_delete_of_people_who_may_go(admin_client, team, dana):
    viewer = member(team, Role.VIEWER)

    confirmation = bulk_delete(admin_client, [dana, viewer], confirm=False)
    bulk_delete(admin_client, [dana, viewer], confirm=True)

    assert "Are you sure" in confirmation.text
    assert not users().filter(pk__in=[dana.pk, viewer.pk]).exists()
    left = AuditEvent.objects.filter(team=team, action=AuditEvent.Action.ACCOUNT_DELETED)
    assert left.count() == 2
