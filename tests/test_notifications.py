"""Notifications with the locmem mailer: who gets each kind, in plain text and HTML with
absolute links, the unsubscribe link and the settings page, and nothing sent twice."""

from __future__ import annotations

import json
import re
import zoneinfo
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import default_task_backend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor import selectors, services
from advisor.domain.lifecycle import ACCEPTED
from advisor.models import Kind, NotificationOptOut, Outbox, Role, Team
from tests.conftest import HX, client_for, delivered
from tests.factories import (
    ProjectFactory,
    UserFactory,
    answered_decision,
    answers_requested,
    in_status,
    member,
)
from tests.test_settings import PRODUCTION_ENV, run_python

pytestmark = pytest.mark.django_db

SITE = "https://advisor.example"
LINK = re.compile(r"https?://[^\s\"<>]+")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def html_of(message) -> str:
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def links(message) -> list[str]:
    return LINK.findall(message.body)


def unsubscribe_path(message) -> str:
    (link,) = [url for url in links(message) if "/unsubscribe/" in url]
    return urlsplit(link).path


def assert_well_formed(message) -> None:
    """Plain text and HTML, every link absolute and on the site, a Message-ID from the key."""
    assert message.body.strip()
    assert "<html" in html_of(message)
    assert links(message)
    assert all(url.startswith(SITE) for url in links(message)), links(message)
    assert re.fullmatch(r"<[\w.-]+@advisor\.example>", message.extra_headers["Message-ID"])


def to(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


# --- Invites ---------------------------------------------------------------------------------


def test_an_invite_is_emailed_and_its_link_still_works_when_copied(user, team):
    client = client_for(user)
    url = reverse("advisor:invite_create", args=[team.pk])

    with delivered():
        response = client.post(url, {"email": "nina@example.com", "role": Role.VIEWER})

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["nina@example.com"]
    assert message.subject == f"{user.username} invited you to “{team.name}” on Advisor"
    assert_well_formed(message)
    invite = team.invites.get()
    assert f"{SITE}{invite.get_absolute_url()}" in message.body
    assert f'href="{SITE}{invite.get_absolute_url()}"' in html_of(message)
    # No account has the address yet, so there is nobody to unsubscribe.
    assert "/unsubscribe/" not in message.body
    assert "List-Unsubscribe" not in message.extra_headers
    # The owner still sees the same link to copy, and it works.
    page = client.get(team.get_absolute_url()).text
    assert f"http://testserver{invite.get_absolute_url()}" in page
    assert "nina@example.com" in page
    assert client_for(UserFactory()).get(invite.get_absolute_url()).status_code == 200


def test_a_new_invite_needs_an_email_address(user, team):
    response = client_for(user).post(
        reverse("advisor:invite_create", args=[team.pk]), {"role": Role.VIEWER}
    )

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not team.invites.exists()


def test_the_team_page_shows_which_account_accepted_which_invite(user, team):
    invite = services.invite_create(team=team, user=user, role=Role.EDITOR, email="n@example.com")
    services.invite_accept(token=invite.token, user=UserFactory(username="nina"))

    page = client_for(user).get(team.get_absolute_url()).text

    used = page[page.index("Invites used") :]
    assert "n@example.com" in used
    assert "nina" in used


def test_an_invite_to_someone_with_an_account_can_be_unsubscribed(user, team):
    existing = UserFactory(email="known@example.com")

    with delivered():
        services.invite_create(team=team, user=user, role=Role.EDITOR, email="KNOWN@example.com")

    (message,) = mail.outbox
    link = f"{SITE}{unsubscribe_path(message)}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'href="{link}"' in html_of(message)
    Client().get(unsubscribe_path(message))
    assert NotificationOptOut.objects.filter(user=existing, kind=Kind.INVITE).exists()


# --- Comments --------------------------------------------------------------------------------


@pytest.fixture
def discussed(team, user):
    """A decision started by `user` (the owner), completed by an editor, and commented on by a
    viewer; another viewer never took part. Returns the decision and those people."""
    people = {
        "creator": user,
        "completer": member(team, Role.EDITOR, username="cora"),
        "commenter": member(team, Role.VIEWER, username="carl"),
        "bystander": member(team, Role.VIEWER, username="bob"),
    }
    decision = answered_decision(project=ProjectFactory(team=team, created_by=user))
    services.decision_complete(decision=decision, user=people["completer"])
    decision.refresh_from_db()
    services.comment_add(decision=decision, user=people["commenter"], body="First!")
    return decision, people


def test_a_comment_is_emailed_to_those_who_took_part_but_not_its_author(discussed):
    decision, people = discussed
    client = client_for(people["completer"])

    with delivered():
        response = client.post(
            reverse("advisor:comment_create", args=[decision.pk]), {"body": "Ship <it> & see"}
        )

    assert response.status_code == 302
    assert to(mail.outbox) == sorted([people["creator"].email, people["commenter"].email])
    message = mail.outbox[0]
    assert message.subject == f"cora commented on “{decision.title}”"
    assert "Ship <it> & see" in message.body
    assert "Ship &lt;it&gt; &amp; see" in html_of(message)
    assert f"{SITE}{decision.get_absolute_url()}" in message.body
    assert_well_formed(message)
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/unsubscribe/")


def test_someone_who_left_the_team_hears_no_more_of_its_decisions(discussed):
    decision, people = discussed
    people["commenter"].memberships.all().delete()

    assert list(selectors.decision_participants(decision)) == [
        people["creator"],
        people["completer"],
    ]


def test_the_unsubscribe_link_needs_no_login_and_turns_off_only_its_kind(discussed):
    decision, people = discussed
    with delivered():
        services.comment_add(decision=decision, user=people["completer"], body="One")
    creator_message = next(m for m in mail.outbox if m.to == [people["creator"].email])

    page = Client().get(unsubscribe_path(creator_message))

    assert page.status_code == 200
    assert "You will no longer get emails about new comments" in page.text
    assert set(NotificationOptOut.objects.values_list("user", "kind")) == {
        (people["creator"].pk, Kind.COMMENT)
    }
    mail.outbox.clear()
    with delivered():
        services.comment_add(decision=decision, user=people["completer"], body="Two")
        services.invite_create(
            team=decision.project.team,
            user=people["creator"],
            role=Role.VIEWER,
            email=people["creator"].email,
        )
    assert to(m for m in mail.outbox if "commented" in m.subject) == [people["commenter"].email]
    assert [m.subject for m in mail.outbox if m.to == [people["creator"].email]] == [
        f"{people['creator'].username} invited you to “{decision.project.team.name}” on Advisor"
    ]


def test_mail_apps_may_unsubscribe_with_one_post_and_bad_tokens_change_nothing(user):
    url = services.unsubscribe_url(user=user, kind=Kind.REVIEW_DIGEST)
    path = urlsplit(url).path

    one_click = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    forged = Client().get(path.replace(path[-6:-1], "AAAAA"))
    other_salt = Client().get(f"/unsubscribe/{path.split('/')[2].swapcase()}/")

    assert one_click.status_code == 200
    assert (forged.status_code, other_salt.status_code) == (404, 404)
    assert list(NotificationOptOut.objects.values_list("kind", flat=True)) == [Kind.REVIEW_DIGEST]


# --- The settings page ------------------------------------------------------------------------


def test_the_settings_page_has_a_labelled_checkbox_for_each_kind_and_saves_them(user):
    client = client_for(user)
    url = reverse("advisor:notification_settings")
    NotificationOptOut.objects.create(user=user, kind=Kind.COMMENT)

    page = client.get(url).text

    for kind in (Kind.INVITE, Kind.COMMENT, Kind.REVIEW_DIGEST, Kind.ANSWERS_REQUESTED):
        assert f'<label for="id_{kind}"' in page
        assert Kind(kind).label in page
    assert re.search(r'name="comment"[^>]*>', page).group(0).count("checked") == 0
    assert "checked" in re.search(r'name="invite"[^>]*>', page).group(0)
    assert 'href="/settings/emails/"' in page

    response = client.post(url, {"comment": "on", "invite": "on"})

    assert response.status_code == 302
    assert set(NotificationOptOut.objects.values_list("kind", flat=True)) == {
        Kind.ANSWERS_REQUESTED,
        Kind.DEADLINE_REMINDER,
        Kind.ALL_ANSWERED,
        Kind.REVIEW_DIGEST,
    }
    assert "Your email settings are saved." in client.get(url).text


def test_the_settings_form_needs_its_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("advisor:notification_settings"), {})

    assert response.status_code == 403
    assert not NotificationOptOut.objects.exists()


# --- notify itself -----------------------------------------------------------------------------


def test_the_same_notification_is_written_and_sent_once(user):
    with delivered():
        first = answers_requested(user)
        second = answers_requested(user)

    assert first is not None
    assert second is None
    assert Outbox.objects.count() == 1
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == "<ask-1@advisor.example>"


def test_a_kind_turned_off_is_not_even_written(user):
    NotificationOptOut.objects.create(user=user, kind=Kind.ANSWERS_REQUESTED)

    assert answers_requested(user) is None
    assert not Outbox.objects.exists()


@pytest.mark.parametrize(
    ("template", "context", "subject"),
    [
        (
            "deadline_reminder",
            {"wizard_url": f"{SITE}/w/", "deadline": datetime(2026, 3, 4).date()},
            "Reminder: your answers on “Support bot” are due 4 March",
        ),
        (
            "all_answered",
            {"decision_url": f"{SITE}/d/", "count": 3},
            "Everyone has answered: “Support bot”",
        ),
        (
            "answers_requested",
            {"asked_by": "Priya", "wizard_url": f"{SITE}/w/", "deadline": None},
            "Your answers are requested: “Support bot”",
        ),
    ],
)
def test_the_templates_of_the_answer_rounds_render_in_text_and_html(
    user, template, context, subject
):
    context |= {"decision_title": "Support bot", "project_name": "Help centre"}
    with delivered():
        services.notify(
            kind=template,
            user=user,
            email=user.email,
            key=template,
            template=template,
            context=context,
        )

    (message,) = mail.outbox
    assert message.subject == subject
    assert_well_formed(message)


# --- Account emails ----------------------------------------------------------------------------


def test_a_password_reset_goes_through_the_outbox_after_the_request(client, user):
    with delivered():
        client.post("/accounts/password/reset/", {"email": user.email})
        assert mail.outbox == []

    (message,) = mail.outbox
    row = Outbox.objects.get()
    assert (row.kind, row.recipient, row.status) == (Kind.ACCOUNT, user.email, "sent")
    assert "/accounts/password/reset/key/" in message.body
    assert "<html" in html_of(message)
    assert "List-Unsubscribe" not in message.extra_headers


# --- The digest and the webhooks ---------------------------------------------------------------


def at(hour: int, zone: str = "UTC") -> datetime:
    """Today at `hour` o'clock in `zone`, as an aware datetime."""
    today = timezone.localdate()
    return datetime(today.year, today.month, today.day, hour, tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.fixture
def posted(monkeypatch) -> list[dict]:
    """The webhook posts the worker makes, caught before they leave the machine."""
    bodies = []

    class Response:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

    def fake_open(self, request, timeout=None):
        bodies.append({"url": request.full_url, **json.loads(request.data)})
        return Response()

    monkeypatch.setattr("urllib.request.OpenerDirector.open", fake_open)
    return bodies


def test_the_digest_goes_to_editors_and_owners_at_the_teams_morning_once_a_day(user, posted):
    decision = in_status(ACCEPTED, review_in_days=-2, title="Tagging")
    team = decision.project.team
    Team.objects.filter(pk=team.pk).update(
        time_zone="Asia/Tokyo", webhook_url="https://hooks.example.com/T1"
    )
    editor = member(team, Role.EDITOR)
    member(team, Role.VIEWER)
    in_status(ACCEPTED, review_in_days=30, title="Not yet")

    with delivered():
        early = services.digests_send(now=at(7, "Asia/Tokyo"))
        on_time = services.digests_send(now=at(8, "Asia/Tokyo"))
        again = services.digests_send(now=at(20, "Asia/Tokyo"))

    assert (early, again) == (0, 0)
    assert on_time == 3  # the owner, the editor, and the webhook
    assert to(mail.outbox) == sorted([decision.created_by.email, editor.email])
    message = mail.outbox[0]
    assert "Tagging" in message.body
    assert "overdue by 2 days" in message.body
    assert "Not yet" not in message.body
    assert_well_formed(message)
    (post,) = posted
    assert post["url"] == "https://hooks.example.com/T1"
    assert "Reviews due in" in post["text"]
    assert "Tagging" in post["text"]


def test_the_send_digests_command_only_enqueues(capsys):
    call_command("send_digests")

    (result,) = default_task_backend.results
    assert result.task.name == "digests_run"
    assert "the worker sends it" in capsys.readouterr().out


def test_a_completed_decision_is_posted_to_the_team_webhook_with_its_title_escaped(posted):
    decision = answered_decision(title="<!channel> Bot & co")
    Team.objects.filter(pk=decision.project.team_id).update(
        webhook_url="https://hooks.example.com/T2"
    )

    with delivered():
        services.decision_complete(decision=decision, user=decision.created_by)

    (post,) = posted
    assert post["text"].startswith("Decision completed: “&lt;!channel&gt; Bot &amp; co”")
    assert f"{SITE}{decision.get_absolute_url()}" in post["text"]


def test_a_team_without_a_webhook_posts_nothing(posted):
    with delivered():
        services.decision_complete(decision=answered_decision(), user=UserFactory())

    assert posted == []
    assert not Outbox.objects.exists()


# --- Team settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"time_zone": "Mars/Olympus", "webhook_url": ""}, "Select a valid choice."),
        ({"time_zone": "UTC", "webhook_url": "http://hooks.example.com/x"}, "Give an https://"),
        ({"time_zone": "UTC", "webhook_url": "https://127.0.0.1/x"}, "not a local one"),
        ({"time_zone": "UTC", "webhook_url": "https://10.1.2.3/x"}, "not a local one"),
        ({"time_zone": "UTC", "webhook_url": "https://localhost/x"}, "not a local one"),
    ],
    ids=["zone", "http", "loopback", "private", "localhost"],
)
def test_team_settings_refuse_unknown_zones_and_webhooks_that_are_not_public_https(
    user, team, data, error
):
    response = client_for(user).post(reverse("advisor:team_settings", args=[team.pk]), data)

    assert response.status_code == 400
    assert error in response.text
    team.refresh_from_db()
    assert (team.time_zone, team.webhook_url) == ("UTC", "")


def test_an_owner_sets_the_time_zone_and_webhook_on_the_team_page(user, team):
    client = client_for(user)
    data = {"time_zone": "America/New_York", "webhook_url": "https://hooks.example.com/T3"}

    response = client.post(reverse("advisor:team_settings", args=[team.pk]), data, headers=HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Team settings saved." in response.text
    team.refresh_from_db()
    assert (team.time_zone, team.webhook_url) == tuple(data.values())
    assert (
        "set the time zone to America/New_York and set a chat webhook"
        in client.get(team.get_absolute_url()).text
    )


# --- Settings refusal ----------------------------------------------------------------------------


def test_production_refuses_the_immediate_task_backend_in_one_line():
    backend = "django.tasks.backends.immediate.ImmediateBackend"
    result = run_python(
        "import config.settings", {**PRODUCTION_ENV, "ADVISOR_TASKS_BACKEND": backend}
    )

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Advisor will not start: with DEBUG off it needs a task worker, not the immediate backend "
        "(see docs/deploy.md)."
    ]


def test_retries_back_off_then_fail_and_a_sent_row_is_never_sent_again(user, monkeypatch):
    answers_requested(user)
    row = Outbox.objects.get()

    def down(self):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", down)
    results = []
    for _ in range(5):
        results.append(services.outbox_send(outbox_id=row.pk))
        row.refresh_from_db()
        if row.next_attempt_at:
            assert (
                timedelta(seconds=59)
                < row.next_attempt_at - timezone.now()
                < timedelta(seconds=60 * 2 ** (row.attempts - 1) + 1)
            )
    assert results == ["retry"] * 4 + ["failed"]
    assert (row.status, row.attempts) == ("failed", 5)
    assert row.last_error == "ConnectionRefusedError: SMTP is down"
    assert services.outbox_send(outbox_id=row.pk) == "skipped"
    assert mail.outbox == []


def test_a_row_already_sent_is_not_sent_again_when_its_task_runs_twice(user):
    answers_requested(user)
    row = Outbox.objects.get()

    first = services.outbox_send(outbox_id=row.pk)
    second = services.outbox_send(outbox_id=row.pk)

    assert (first, second) == ("sent", "skipped")
    assert len(mail.outbox) == 1
