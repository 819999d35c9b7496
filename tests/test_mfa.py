"""Two-factor sign-in (allauth's MFA: an authenticator app's codes and recovery codes), and a
team owner requiring it of the team's members."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from advisor.models import AuditEvent, Role, Team
from tests.conftest import HX
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    ProjectFactory,
    UserFactory,
    completed_decision,
    member,
)
from tests.test_accounts import (
    HOME,
    assert_advisor_page,
    field_error,
    form_alert,
    h1,
    is_logged_in,
    log_in,
    page,
)

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TWO_FACTOR_PAGE = "/accounts/2fa/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


def code_now(secret: str = SECRET) -> str:
    """The code an authenticator app shows now, by allauth's own TOTP arithmetic."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_totp(user, secret: str = SECRET) -> list[str]:
    """Turn on two-factor sign-in for `user`, as the set-up page does; their recovery codes."""
    TOTP.activate(user, secret)
    return RecoveryCodes.activate(user).generate_codes()


def logged_in_by_form(user) -> Client:
    client = Client()
    assert log_in(client, user.username).url == HOME
    return client


def confirmed_again(client: Client) -> Client:
    """Typed the password again, as the two-factor settings ask before any change."""
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def logged_in_with_code(user) -> Client:
    client = Client()
    assert log_in(client, user.username).url == AUTHENTICATE
    assert client.post(AUTHENTICATE, {"code": code_now()}).url == HOME
    return client


def messages_of(response) -> str:
    return page(response).by_id("messages").text


# --- Setting it up -------------------------------------------------------------------------------


def test_the_account_pages_link_to_two_factor_sign_in(client_logged_in):
    response = client_logged_in.get("/accounts/password/change/")

    (nav,) = page(response).find_all("nav", **{"aria-label": "Account settings"})
    assert {a.text: a.attrs["href"] for a in nav.find_all("a")}["Two-factor sign-in"] == (
        TWO_FACTOR_PAGE
    )


def test_setting_up_an_authenticator_app_turns_two_factor_sign_in_on(user):
    client = logged_in_by_form(user)

    index = client.get(TWO_FACTOR_PAGE)
    assert h1(index) == "Two-factor sign-in"
    assert "Off: logging in asks for your password only." in index.text
    # Changing it asks for the password again first.
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked.url == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    back = client.post(asked.url, {"password": PASSWORD})
    assert back.url == "/accounts/2fa/totp/activate/"
    setup = client.get("/accounts/2fa/totp/activate/")
    assert h1(setup) == "Set up an authenticator app"
    (qr,) = [img for img in page(setup).find_all("img") if "QR code" in img.attrs["alt"]]
    assert qr.attrs["src"].startswith("data:image/svg+xml;base64,")
    secret = page(setup).by_id("authenticator_secret").attrs["value"]

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert "Incorrect code." in field_error(wrong, "code")
    assert not Authenticator.objects.filter(user=user).exists()

    done = client.post("/accounts/2fa/totp/activate/", {"code": code_now(secret)}, follow=True)

    # On, and the recovery codes are shown once set up, to keep.
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert done.redirect_chain == [("/accounts/2fa/recovery-codes/", 302)]
    assert h1(done) == "Recovery codes"
    (codes,) = page(done).find_all("ul", **{"aria-label": "Unused recovery codes"})
    assert len(codes.find_all("li")) == 10
    assert "On: logging in asks for a code" in client.get(TWO_FACTOR_PAGE).text


def test_turning_it_off_asks_first_and_then_logging_in_needs_the_password_only(user):
    with_totp(user)
    client = confirmed_again(logged_in_with_code(user))

    confirm = client.get("/accounts/2fa/totp/deactivate/")
    assert h1(confirm) == "Turn off two-factor sign-in"
    client.post("/accounts/2fa/totp/deactivate/")

    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert log_in(Client(), user.username).url == HOME


# --- Logging in with it --------------------------------------------------------------------------


def test_logging_in_asks_for_the_app_code_after_the_password(user):
    with_totp(user)
    client = Client()

    after_password = log_in(client, user.username)

    assert after_password.url == AUTHENTICATE
    assert not is_logged_in(client)
    prompt = client.get(AUTHENTICATE)
    assert h1(prompt) == "Enter your sign-in code"

    wrong = client.post(AUTHENTICATE, {"code": "123456"})
    assert "Incorrect code." in field_error(wrong, "code")
    assert not is_logged_in(client)

    right = client.post(AUTHENTICATE, {"code": code_now()})
    assert right.url == HOME
    assert is_logged_in(client)


def test_a_wrong_password_never_reaches_the_code_step(user):
    with_totp(user)

    response = log_in(Client(), user.username, "not-the-password")

    assert response.status_code == 400
    assert form_alert(response) == "The username and/or password you specified are not correct."


def test_the_code_page_without_a_password_first_sends_to_the_login():
    response = Client().get(AUTHENTICATE)

    assert response.url == "/accounts/login/"


def test_a_recovery_code_logs_in_once(user):
    codes = with_totp(user)
    first = Client()
    log_in(first, user.username)

    assert first.post(AUTHENTICATE, {"code": codes[0]}).url == HOME
    assert is_logged_in(first)

    again = Client()
    log_in(again, user.username)
    response = again.post(AUTHENTICATE, {"code": codes[0]})
    assert "Incorrect code." in field_error(response, "code")
    assert not is_logged_in(again)


def test_an_app_code_works_once(user):
    with_totp(user)
    code = code_now()
    first, second = Client(), Client()
    log_in(first, user.username)
    log_in(second, user.username)

    assert first.post(AUTHENTICATE, {"code": code}).url == HOME
    assert "Incorrect code." in field_error(second.post(AUTHENTICATE, {"code": code}), "code")


def test_the_admin_logs_in_through_the_same_steps():
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    with_totp(admin)
    client = Client()

    assert client.get("/admin/").url == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/?next=/admin/").url == "/accounts/login/?next=%2Fadmin%2F"
    assert log_in(client, "root", next="/admin/").url == AUTHENTICATE
    assert client.get("/admin/").status_code == 302
    assert client.post(AUTHENTICATE, {"code": code_now()}).url == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- The MFA pages are Advisor pages -------------------------------------------------------------

MFA_PAGES = [
    TWO_FACTOR_PAGE,
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/reauthenticate/",
    AUTHENTICATE,
]


@pytest.mark.parametrize("url", MFA_PAGES)
def test_two_factor_page_is_an_advisor_page(user, url):
    if url == "/accounts/2fa/totp/activate/":
        client = confirmed_again(logged_in_by_form(user))
    elif url == AUTHENTICATE:
        with_totp(user)
        client = Client()
        log_in(client, user.username)
    else:
        with_totp(user)
        client = logged_in_with_code(user)
        if url != "/accounts/2fa/reauthenticate/":
            confirmed_again(client)

    assert_advisor_page(client.get(url))


# --- A team that requires it ---------------------------------------------------------------------


@pytest.fixture
def strict_team(team):
    Team.objects.filter(pk=team.pk).update(require_two_factor=True)
    team.refresh_from_db()
    return team


def team_pages(team, user) -> list[str]:
    project = ProjectFactory(team=team, created_by=user)
    decision = completed_decision(project=project, created_by=user)
    return [
        team.get_absolute_url(),
        reverse("advisor:team_dashboard", args=[team.pk]),
        reverse("advisor:team_reviews", args=[team.pk]),
        project.get_absolute_url(),
        reverse("advisor:project_export_csv", args=[project.pk]),
        decision.get_absolute_url(),
        reverse("advisor:decision_export_md", args=[decision.pk]),
    ]


def test_a_member_without_two_factor_is_sent_to_set_it_up(strict_team, user):
    viewer = member(strict_team, Role.VIEWER)
    client = logged_in_by_form(viewer)

    for url in team_pages(strict_team, user):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, TWO_FACTOR_PAGE), url

    landing = client.get(strict_team.get_absolute_url(), follow=True)
    assert h1(landing) == "Two-factor sign-in"
    assert (
        f"The team “{strict_team.name}” requires two-factor sign-in. Set it up to open its pages."
        in messages_of(landing)
    )
    # htmx gets a full-page redirect there, not a fragment.
    assert client.get(strict_team.get_absolute_url(), headers=HX)["HX-Redirect"] == (
        TWO_FACTOR_PAGE
    )


def test_writes_to_such_a_team_are_refused_too(strict_team, user):
    editor = member(strict_team, Role.EDITOR)
    project = ProjectFactory(team=strict_team, created_by=user)
    client = logged_in_by_form(editor)

    response = client.post(
        reverse("advisor:decision_create", args=[project.pk]), {"title": "Sneaked in"}
    )

    assert response["Location"] == TWO_FACTOR_PAGE
    assert not project.decisions.exists()


def test_other_teams_and_the_account_pages_stay_open(strict_team, user):
    viewer = member(strict_team, Role.VIEWER)
    own_team = MembershipFactory(user=viewer, role=Role.OWNER).team
    client = logged_in_by_form(viewer)

    for url in [
        own_team.get_absolute_url(),
        HOME,
        reverse("advisor:team_list"),
        "/accounts/password/change/",
        "/accounts/email/",
        TWO_FACTOR_PAGE,
    ]:
        assert client.get(url).status_code == 200, url


def test_once_set_up_the_team_opens(strict_team, user):
    viewer = member(strict_team, Role.VIEWER)
    client = confirmed_again(logged_in_by_form(viewer))
    setup = client.get("/accounts/2fa/totp/activate/")
    secret = page(setup).by_id("authenticator_secret").attrs["value"]

    client.post("/accounts/2fa/totp/activate/", {"code": code_now(secret)})

    assert client.get(strict_team.get_absolute_url()).status_code == 200


def test_a_lifted_requirement_lets_everyone_in_again(strict_team, user):
    viewer = member(strict_team, Role.VIEWER)
    client = logged_in_by_form(viewer)
    assert client.get(strict_team.get_absolute_url()).status_code == 302

    Team.objects.filter(pk=strict_team.pk).update(require_two_factor=False)

    assert client.get(strict_team.get_absolute_url()).status_code == 200


# --- Setting the requirement ---------------------------------------------------------------------


def settings_data(team, **overrides) -> dict:
    return {"time_zone": team.time_zone, "webhook_url": "", **overrides}


def test_an_owner_with_two_factor_requires_it_and_the_activity_says_so(team, user):
    with_totp(user)
    client = logged_in_with_code(user)
    url = reverse("advisor:team_settings", args=[team.pk])

    response = client.post(url, settings_data(team, require_two_factor="on"))

    assert response.status_code == 302
    team.refresh_from_db()
    assert team.require_two_factor
    assert AuditEvent.objects.filter(team=team).latest("pk").summary == (
        "required two-factor sign-in"
    )
    assert client.get(team.get_absolute_url()).status_code == 200

    client.post(url, settings_data(team))

    team.refresh_from_db()
    assert not team.require_two_factor
    assert AuditEvent.objects.filter(team=team).latest("pk").summary == (
        "stopped requiring two-factor sign-in"
    )


def test_an_owner_without_two_factor_cannot_require_it(client_logged_in, team):
    response = client_logged_in.post(
        reverse("advisor:team_settings", args=[team.pk]),
        settings_data(team, require_two_factor="on"),
    )

    assert response.status_code == 400
    assert "Set up two-factor sign-in for your own account first" in field_error(
        response, "require_two_factor"
    )
    team.refresh_from_db()
    assert not team.require_two_factor
    assert not AuditEvent.objects.filter(team=team, summary__contains="two-factor").exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_only_an_owner_can_require_it(team, role):
    person = member(team, role)
    with_totp(person)
    client = logged_in_with_code(person)

    response = client.post(
        reverse("advisor:team_settings", args=[team.pk]),
        settings_data(team, require_two_factor="on"),
    )

    assert response.status_code == 403
    assert escape("Only the team's owners can do that.") in response.text
    team.refresh_from_db()
    assert not team.require_two_factor


def test_the_settings_form_offers_the_requirement_to_owners(client_logged_in, team):
    response = client_logged_in.get(team.get_absolute_url())

    field = page(response).by_id("id_require_two_factor")
    assert field.attrs["type"] == "checkbox"
    labels = [
        label.text for label in page(response).find_all("label", **{"for": field.attrs["id"]})
    ]
    assert labels == ["Require two-factor sign-in"]
    assert re.search(r"sent to set it up before they can open any of the team", response.text)
