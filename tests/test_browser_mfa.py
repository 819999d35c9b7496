"""Two-factor sign-in as people use it: a real Chromium against the live server, with axe on
every two-factor page. Each person gets a browser context of their own."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from advisor.models import Role
from tests.accessibility import AxeChecks
from tests.factories import PASSWORD, member
from tests.test_browser import log_in, watch_console
from tests.test_browser_sharing import new_page, url_of  # noqa: F401 (a fixture)
from tests.test_mfa import code_now

pytestmark = pytest.mark.browser


def test_turning_on_an_authenticator_app_and_logging_in_with_its_code(
    page: Page, live_server, user
):
    axe = AxeChecks()
    errors, failed = watch_console(page)
    log_in(page, live_server, user)

    # From the account menu to the two-factor page.
    page.get_by_role("link", name=f"Signed in as {user.username}").click()
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1, name="Two-factor sign-in")).to_be_visible()
    expect(page.get_by_text("Off: logging in asks for your password only.")).to_be_visible()
    axe.check(page, "two-factor page, off")

    # Turning it on asks for the password again first.
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", level=1, name="Confirm it is you")).to_be_visible()
    axe.check(page, "confirm with the password")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1, name="Set up an authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    axe.check(page, "authenticator set-up")
    secret = page.get_by_label("Or type this key into the app").input_value()
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    axe.check(page, "authenticator set-up, wrong code")
    page.get_by_label("Authenticator code").fill(code_now(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1, name="Recovery codes")).to_be_visible()
    expect(
        page.get_by_role("list", name="Unused recovery codes").get_by_role("listitem")
    ).to_have_count(10)
    axe.check(page, "recovery codes")
    page.get_by_role("link", name="Back to two-factor sign-in").click()
    expect(page.get_by_text("On: logging in asks for a code")).to_be_visible()
    axe.check(page, "two-factor page, on")

    # Next time, the password is not enough.
    page.get_by_role("button", name="Log out").click()
    page.goto(url_of(live_server, "/accounts/login/"))
    page.locator("#id_login").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Enter your sign-in code")).to_be_visible()
    axe.check(page, "sign-in code")
    page.get_by_label("Code").fill(code_now(secret))
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(re.compile(r"/projects/$"))
    expect(page.get_by_text(f"Signed in as {user.username}")).to_be_visible()
    # The one refusal, the wrong code, is answered 400 with its error; nothing else fails.
    assert [line.split()[0] for line in failed] == ["400"]
    assert [line for line in errors if "status of 400" not in line] == []
    axe.assert_clean()


def test_a_team_that_requires_it_sends_a_member_to_set_it_up(
    live_server,
    team,
    new_page,  # noqa: F811
):
    axe = AxeChecks()
    team.require_two_factor = True
    team.save(update_fields=["require_two_factor"])
    viewer = member(team, Role.VIEWER)
    page = new_page()
    log_in(page, live_server, viewer)

    page.get_by_role("link", name="Teams", exact=True).click()
    page.get_by_role("link", name=team.name, exact=True).click()

    expect(page.get_by_role("heading", level=1, name="Two-factor sign-in")).to_be_visible()
    expect(page.get_by_text(f"The team “{team.name}” requires two-factor sign-in.")).to_be_visible()
    axe.check(page, "two-factor page with the team's message")
    axe.assert_clean()
