"""The optional refine step as a person uses it: after the fifth question, with and without
JavaScript, through the review to a result that shows the plan, the pilot and the confidence."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from advisor.domain.questions import STEP_COUNT
from tests.accessibility import AxeChecks
from tests.factories import ProjectFactory, answered_decision
from tests.test_browser import (
    RAG_PATH,
    answer,
    expect_refine,
    expect_review,
    expect_step,
    get_recommendation,
    log_in,
    radio,
    start_decision,
)
from tests.test_browser_sharing import assert_not_reloaded, mark_document

pytestmark = pytest.mark.browser


def refine_radio(page: Page, label: str):
    return page.get_by_role("radio", name=re.compile(rf"^{re.escape(label)}"))


def refine_item(page: Page):
    return page.locator("section").filter(
        has=page.get_by_role("heading", level=3, name="Refine the advice (optional)")
    )


def test_refine_step_with_htmx_reaches_a_result_with_its_plan(page: Page, live_server, user):
    project = ProjectFactory(created_by=user)
    log_in(page, live_server, user)
    pk = start_decision(page, live_server, project, "Support bot answers")
    mark_document(page)
    for step in range(1, STEP_COUNT):
        answer(page, pk, step, RAG_PATH[step - 1])
    radio(page, STEP_COUNT, RAG_PATH[-1]).check()
    page.get_by_role("button", name="Next", exact=True).click()
    expect_refine(page, pk)
    progress = page.get_by_text("All 5 questions answered: refine the advice (optional)")
    expect(progress).to_be_visible()
    axe = AxeChecks()
    axe.check(page, "refine step")

    refine_radio(page, "Not yet").check()
    page.get_by_label("About how many tokens").fill("1,5")
    page.get_by_label("Note on “Where the data may go” (optional)").fill("EU only")
    page.get_by_role("button", name="Save and review").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    expect(page.get_by_text("Size of the documents: Enter a whole number").first).to_be_visible()
    expect(refine_radio(page, "Not yet")).to_be_checked()
    axe.check(page, "refine step with an error")

    page.get_by_label("Note on “Where the data may go” (optional)").fill("")
    page.get_by_label("About how many tokens").fill("200,000")
    refine_radio(page, "Within a region").check()
    page.get_by_label("Note on “Where the data may go” (optional)").fill("EU only")
    page.get_by_role("button", name="Save and review").click()
    expect_review(page, pk)
    review = refine_item(page)
    expect(review).to_contain_text("Not yet")
    expect(review).to_contain_text("200,000 tokens")
    expect(review).to_contain_text("EU only")
    axe.check(page, "review with refine answers")

    review.get_by_role("link", name="Edit the answers to “Refine the advice”").click()
    expect_refine(page, pk)
    expect(page.get_by_label("About how many tokens")).to_have_value("200,000")
    expect(refine_radio(page, "Within a region")).to_be_checked()
    page.get_by_role("link", name="Skip", exact=True).click()
    expect_review(page, pk)
    assert_not_reloaded(page)

    get_recommendation(page, pk)
    level = re.compile(r"(High|Medium|Low) confidence\.")
    expect(page.locator("#confidence")).to_contain_text(level)
    plan = page.locator("ol.plan > li")
    expect(plan.first).to_contain_text("Build the evaluation set")
    expect(plan.nth(1)).to_contain_text("When:")
    pilot = page.get_by_role("table").filter(has_text="Better when")
    expect(pilot.get_by_role("row")).not_to_have_count(1)
    expect(page.get_by_role("heading", level=3, name="Refine answers")).to_be_visible()
    axe.check(page, "result with a plan")
    axe.assert_clean()


def test_refine_step_without_javascript(browser, live_server, user):
    decision = answered_decision(project=ProjectFactory(created_by=user), created_by=user)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/decisions/{decision.pk}/review/")
        expect_review(page, decision.pk)
        page.get_by_role("link", name="Refine the advice", exact=True).click()
        expect_refine(page, decision.pk)

        refine_radio(page, "Yes").check()
        page.get_by_label("About how many tokens").fill("99999999999999")
        page.get_by_role("button", name="Save and review").click()
        expect(page.get_by_text("This must be at most 1,000,000,000,000.").first).to_be_visible()
        page.get_by_label("About how many tokens").fill("")
        page.get_by_role("button", name="Save and review").click()
        expect_review(page, decision.pk)
        expect(refine_item(page)).to_contain_text("Citations")

        page.get_by_role("link", name="Back", exact=True).click()
        expect_refine(page, decision.pk)
        page.get_by_role("link", name="Back", exact=True).click()
        expect_step(page, decision.pk, STEP_COUNT)
    finally:
        context.close()
