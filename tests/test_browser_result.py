"""The result page's first screen in a real Chromium: what a reader sees before scrolling.

At 1280 x 900 the approach, its confidence, the plan's first stage and the approaches side by
side must all end above the fold, for the demo's decisions and for the heaviest first screens
(a decision made with numbers, whose cards carry figures, and a team's decision). The section
links lead to their parts, and at phone width the page does not scroll sideways. Back after
completing shows the result again, and the outcome form can be left with Cancel.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from advisor.management.commands.seed_demo import DEMO_PASSWORD, DEMO_PROJECT, DEMO_USERNAME
from advisor.models import Decision, Role
from tests.accessibility import AxeChecks
from tests.factories import answered_decision, completed_decision, member, team_decision
from tests.test_browser import get_recommendation, log_in, result_url, review_url
from tests.test_share_costs import decision_with_numbers

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# What must be on the first screen, by the element that holds it.
ABOVE_THE_FOLD = {
    "the approach": "#approach-heading",
    "its confidence": "#confidence",
    "the plan's first stage": "#first-stage",
    "the approaches side by side": "#alternatives",
}


def below_the_fold(page: Page) -> dict[str, float]:
    """Each first-screen part whose bottom edge lies below the viewport, with that edge."""
    fold = page.viewport_size["height"]
    bottoms = {
        name: page.locator(selector).evaluate("e => e.getBoundingClientRect().bottom")
        for name, selector in ABOVE_THE_FOLD.items()
    }
    return {name: bottom for name, bottom in bottoms.items() if bottom > fold}


def scrolls_sideways(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_the_demo_decisions_answer_the_question_on_the_first_screen(page: Page, live_server):
    call_command("seed_demo", stdout=StringIO())
    demo = Decision.objects.filter(project__name=DEMO_PROJECT, recommendation__isnull=False)
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(DEMO_USERNAME)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/projects/$"))

    for decision in demo:
        page.goto(f"{live_server.url}{decision.get_absolute_url()}")
        expect(page.get_by_role("heading", level=1, name=decision.title)).to_be_visible()
        assert below_the_fold(page) == {}, decision.title


def test_a_first_screen_with_figures_and_a_team_still_fits(page: Page, live_server, team, user):
    costed = decision_with_numbers(project__team=team, created_by=user)
    by_team = team_decision(project__team=team, created_by=user)
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}{costed.get_absolute_url()}")
    cards = page.locator("#alternatives li")
    expect(cards).to_have_count(4)
    expect(cards.filter(has_text="Recommended")).to_contain_text("Time to ship")
    expect(cards.first).to_contain_text(re.compile(r"\d+-month cost"))
    assert below_the_fold(page) == {}

    page.goto(f"{live_server.url}{by_team.get_absolute_url()}")
    expect(page.get_by_role("link", name="Team answers")).to_be_visible()
    assert below_the_fold(page) == {}


def test_the_section_links_lead_to_each_part(page: Page, live_server, team):
    axe = AxeChecks()
    decision = decision_with_numbers(project__team=team)
    editor = member(team, Role.EDITOR)
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}{decision.get_absolute_url()}")
    sections = page.get_by_role("navigation", name="Sections of this decision")
    names = [
        "Why",
        "Numbers",
        "Answers",
        "Plan and pilot",
        "History",
        "Discussion",
        "Share and export",
    ]
    expect(sections.get_by_role("link")).to_have_text(names)
    page.mouse.move(0, 0)
    axe.check(page, "result page at 1280 x 900")

    targets = {
        "Plan and pilot": page.get_by_role("heading", name="Plan and pilot"),
        "Discussion": page.get_by_role("heading", name="Comments"),
        "Share and export": page.get_by_role("heading", name="Share this recommendation"),
        "Why": page.get_by_role("heading", name="Why", exact=True),
    }
    for name, heading in targets.items():
        sections.get_by_role("link", name=name).click()
        expect(heading).to_be_in_viewport()

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{decision.get_absolute_url()}")
    assert not scrolls_sideways(page)
    page.mouse.move(0, 0)
    axe.check(page, "result page at 390 x 844")
    axe.assert_clean()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_back_after_completing_shows_the_result_not_the_review(
    browser, live_server, user, javascript
):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    decision = answered_decision(project__created_by=user, created_by=user)
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}{decision.get_absolute_url()}")
    page.wait_for_url(review_url(decision.pk))
    get_recommendation(page, decision.pk)

    page.go_back()

    page.wait_for_url(result_url(decision.pk))
    expect(page.get_by_role("button", name="Get recommendation")).to_have_count(0)
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "This decision is complete"
    )
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_cancel_leaves_the_outcome_form_without_recording(browser, live_server, team, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    decision = completed_decision(project__team=team)
    editor = member(team, Role.EDITOR)
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}{decision.get_absolute_url()}")

    page.get_by_role("link", name="Record an outcome").click()
    page.get_by_label("What happened (optional)").fill("Half-typed, then thought better of it")
    page.get_by_role("link", name="Cancel").click()

    page.wait_for_url(re.compile(rf"/decisions/{decision.pk}/(#outcomes)?$"))
    expect(page.get_by_role("link", name="Record an outcome")).to_be_visible()
    expect(page.get_by_role("button", name="Record outcome")).to_have_count(0)
    assert not decision.outcomes.exists()
    context.close()
