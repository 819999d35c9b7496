"""One's own account in a real Chromium: downloading one's data, being held back as a team's
last owner, handing the team over, then deleting the account and leaving "a former member"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from advisor import services
from advisor.models import Role
from tests.accessibility import AxeChecks
from tests.factories import PASSWORD, ProjectFactory, UserFactory, completed_decision, member
from tests.test_browser import log_in, watch_console

pytestmark = pytest.mark.browser


def test_download_then_hand_over_the_team_and_delete_the_account(
    page: Page, live_server, user, team, browser
):
    colleague = member(team, Role.EDITOR, username="cora-colleague")
    decision = completed_decision(project=ProjectFactory(team=team, created_by=user))
    services.comment_add(decision=decision, user=user, body="My remark")
    errors, failed = watch_console(page)
    axe = AxeChecks()
    log_in(page, live_server, user)

    page.get_by_role("link", name=f"Signed in as {user.username}").click()
    expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["profile"]["username"] == user.username
    assert [c["text"] for c in data["comments"]] == ["My remark"]
    # A download leaves the page where it is, the pointer on the button: off it, so axe checks
    # the page at rest rather than a hover colour caught half-way through its transition.
    page.mouse.move(0, 0)

    # The last owner of a team with another member is held back, with the way out linked.
    expect(page.get_by_role("note")).to_contain_text(team.name)
    expect(page.get_by_label("Your password")).to_have_count(0)
    axe.check(page, "account page, last owner")
    page.get_by_role("link", name="make someone else an owner").click()
    expect(page.get_by_role("heading", level=1, name=team.name)).to_be_visible()
    services.membership_change_role(
        membership=colleague.memberships.get(team=team), role=Role.OWNER, user=user
    )

    page.goto(f"{live_server.url}/settings/account/")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Incorrect password.")).to_be_visible()
    expect(page.get_by_label("Your password")).to_have_attribute("aria-invalid", "true")
    axe.check(page, "account page, wrong password")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    assert not get_user_model().objects.filter(pk=user.pk).exists()

    # The colleague still has the decision; the remark is "a former member"'s.
    other = browser.new_context().new_page()
    log_in(other, live_server, colleague)
    other.goto(f"{live_server.url}{decision.get_absolute_url()}")
    expect(other.locator("#comments")).to_contain_text("a former member")
    expect(other.locator("#comments")).to_contain_text("My remark")
    expect(other.locator("body")).not_to_contain_text(user.username)
    other.context.close()

    axe.assert_clean()
    assert [line.split()[0] for line in failed] == ["400"]
    unexpected = [line for line in errors if "status of 400" not in line]
    assert unexpected == [], "console errors:\n" + "\n".join(unexpected)


def test_the_page_names_the_teams_deleted_with_the_account(page: Page, live_server, db):
    alone = UserFactory(username="sol-alone")
    own = services.team_create_personal(user=alone)
    completed_decision(project=ProjectFactory(team=own, created_by=alone))
    axe = AxeChecks()
    log_in(page, live_server, alone)

    page.goto(f"{live_server.url}/settings/account/")

    expect(page.get_by_role("listitem").filter(has_text=own.name)).to_have_text(
        f"{own.name}: 1 decision"
    )
    axe.check(page, "account page, a team of one's own")
    axe.assert_clean()
