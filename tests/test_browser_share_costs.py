"""An editor shares a decision made with numbers, once with the cost figures and once
without, and a visitor reads both links: a real Chromium against the live server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from advisor.models import Role
from tests.accessibility import AxeChecks
from tests.factories import member
from tests.test_browser import log_in
from tests.test_browser_sharing import share_rows, sharing, url_of
from tests.test_share_costs import decision_with_numbers

pytestmark = pytest.mark.browser

NUMBERS = "The numbers it was made with"


def test_editor_chooses_which_links_show_the_cost_figures(page: Page, live_server, team, browser):
    axe = AxeChecks()
    editor = member(team, Role.EDITOR)
    decision = decision_with_numbers(project__team=team)
    log_in(page, live_server, editor)
    page.goto(url_of(live_server, decision.get_absolute_url()))
    box = sharing(page).get_by_label("Include the cost figures")
    expect(box).not_to_be_checked()
    axe.check(page, "result page with the cost figures choice")

    page.get_by_role("button", name="Create a link").click()
    expect(share_rows(page)).to_have_count(1)
    expect(share_rows(page).first).to_contain_text("Left out")
    box = sharing(page).get_by_label("Include the cost figures")
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_role("button", name="Create a link").click()
    expect(share_rows(page)).to_have_count(2)
    expect(share_rows(page).first).to_contain_text("Included")
    with_costs = page.get_by_role("textbox", name="Share link 1", exact=True).input_value()
    without = page.get_by_role("textbox", name="Share link 2", exact=True).input_value()

    visitor = browser.new_context().new_page()
    visitor.goto(with_costs)
    expect(visitor.get_by_role("heading", name=NUMBERS)).to_be_visible()
    expect(visitor.locator("svg").first).to_be_visible()
    visitor.goto(without)
    expect(visitor.get_by_role("heading", level=1, name=decision.title)).to_be_visible()
    expect(visitor.get_by_role("heading", name=NUMBERS)).to_have_count(0)
    expect(visitor.get_by_text("whose figures this shared page does not include")).to_be_visible()
    axe.check(visitor, "share page without the cost figures")
    visitor.context.close()

    axe.assert_clean()
