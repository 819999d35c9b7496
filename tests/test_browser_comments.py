"""Comments and outcomes as people use them: a real Chromium against the live server.

Every assertion is about what the page shows; Playwright's `expect` waits for htmx swaps to
settle, so nothing here sleeps. Each person gets a browser context of their own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from advisor import services
from advisor.models import Comment, Outcome, Role
from tests.accessibility import AxeChecks
from tests.factories import ProjectFactory, completed_decision, member
from tests.test_browser import log_in, watch_console
from tests.test_browser_sharing import assert_not_reloaded, mark_document, url_of

pytestmark = pytest.mark.browser


@pytest.fixture
def new_page(browser):
    """A page in a browser context of its own: another person, or no JavaScript."""
    contexts = []

    def open_page(**context_args) -> Page:
        contexts.append(browser.new_context(**context_args))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def comments(page: Page):
    return page.locator("#comments")


def outcomes(page: Page):
    return page.locator("#outcomes")


def post_comment(page: Page, text: str) -> None:
    page.get_by_role("textbox", name="Your comment").fill(text)
    page.get_by_role("button", name="Post comment").click()


@pytest.fixture
def decision(team, user):
    """A completed decision of the logged-in user's team; the advice is RAG."""
    return completed_decision(project=ProjectFactory(team=team, created_by=user))


def post_without_htmx(page: Page, form: str, button: str) -> None:
    """Submit a form as a browser without JavaScript would: htmx never saw this copy of it."""
    page.locator(form).evaluate("form => form.replaceWith(form.cloneNode(true))")
    page.get_by_role("button", name=button).click()


# --- Comments -------------------------------------------------------------------------------


def test_a_member_comments_and_deletes_with_htmx_and_a_viewer_comments_too(
    page: Page, live_server, team, decision, new_page
):
    editor = member(team, Role.EDITOR, username="eddie-editor")
    errors, failed = watch_console(page)
    log_in(page, live_server, editor)
    page.goto(url_of(live_server, decision.get_absolute_url()))
    expect(comments(page).get_by_text("No comments yet.")).to_be_visible()

    mark_document(page)
    post_comment(page, "Start with RAG?\nThe docs change weekly.")
    expect(comments(page).get_by_role("status")).to_have_text("Comment posted.")
    entry = comments(page).locator("li.comment")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("eddie-editor")
    expect(entry.locator(".preserve-lines")).to_have_text(
        "Start with RAG?\nThe docs change weekly."
    )
    box = page.get_by_role("textbox", name="Your comment")
    expect(box).to_have_value("")
    expect(box).to_be_focused()
    assert_not_reloaded(page)

    viewer = member(team, Role.VIEWER, username="vera-viewer")
    other = new_page()
    log_in(other, live_server, viewer)
    other.goto(url_of(live_server, decision.get_absolute_url()))
    expect(comments(other).locator("li.comment")).to_have_count(1)
    # Not hers to delete.
    expect(comments(other).get_by_role("button", name="Delete your comment")).to_have_count(0)
    post_comment(other, "Agreed, <b>RAG</b> first.")
    expect(comments(other).locator("li.comment")).to_have_count(2)
    expect(comments(other).get_by_text("Agreed, <b>RAG</b> first.")).to_be_visible()

    page.get_by_role("button", name="Post comment").click()
    expect(comments(page).get_by_text("Write your comment first: it is empty.")).to_be_visible()
    expect(box).to_be_focused()

    page.get_by_role("button", name="Delete your comment “Start with RAG?").click()
    expect(comments(page).get_by_role("status")).to_have_text("Comment deleted.")
    # The viewer's comment, posted meanwhile, comes in with the refreshed list.
    expect(comments(page).locator("li.comment")).to_have_count(1)
    expect(comments(page).locator("li.comment")).to_contain_text("vera-viewer")
    assert_not_reloaded(page)
    assert list(Comment.objects.values_list("author_name", flat=True)) == ["vera-viewer"]
    # The one refusal, the empty comment, is answered 400 with its error; nothing else fails.
    assert [line.split()[0] for line in failed] == ["400"]
    unexpected = [line for line in errors if "status of 400" not in line]
    assert unexpected == [], "console errors:\n" + "\n".join(unexpected)


def test_comments_without_javascript(live_server, team, decision, new_page):
    viewer = member(team, Role.VIEWER)
    page = new_page(java_script_enabled=False)
    log_in(page, live_server, viewer)
    page.goto(url_of(live_server, decision.get_absolute_url()))

    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Comments on")
    expect(page.get_by_text("Write your comment first: it is empty.")).to_be_visible()

    post_comment(page, "Read it: makes sense.")
    page.wait_for_url(url_of(live_server, f"{decision.get_absolute_url()}#comments"))
    expect(page.get_by_role("status").filter(has_text="Comment posted.")).to_be_visible()
    expect(comments(page).get_by_text("Read it: makes sense.")).to_be_visible()

    comments(page).get_by_role("button", name="Delete your comment “Read it: makes sense.”").click()
    page.wait_for_url(url_of(live_server, f"{decision.get_absolute_url()}#comments"))
    expect(page.get_by_role("status").filter(has_text="Comment deleted.")).to_be_visible()
    expect(comments(page).get_by_text("No comments yet.")).to_be_visible()


# --- Outcomes -------------------------------------------------------------------------------


def test_an_editor_records_an_outcome_with_more_metric_rows(
    page: Page, live_server, user, decision
):
    errors, _ = watch_console(page)
    log_in(page, live_server, user)
    page.goto(url_of(live_server, decision.get_absolute_url()))
    mark_document(page)
    expect(outcomes(page).locator("form.outcome-form")).to_have_count(0)
    outcomes(page).get_by_role("link", name="Record an outcome").click()
    form = outcomes(page).locator("form.outcome-form")
    expect(form.get_by_label("Approach actually shipped")).to_be_focused()

    form.get_by_label("Approach actually shipped").select_option(label="Fine-tuning")
    form.get_by_label("Shipped on").fill("2026-01-05")
    form.get_by_label("What happened (optional)").fill(
        "RAG answers were right but the tone was not."
    )
    # The pilot's metrics come first, prefilled; the empty rows follow them.
    pilot = len(decision.recommendation.pilot_metrics)
    for row, (name, value, unit) in enumerate(
        [("quality pass rate", "87", "%"), ("p95 latency", "640", "ms"), ("errors", "3", "")]
    ):
        fields = form.locator("fieldset.metric-row").nth(pilot + row)
        fields.get_by_label("Metric").fill(name)
        fields.get_by_label("Value").fill(value)
        fields.get_by_label("Unit (optional)").fill(unit)
    page.get_by_role("button", name="Add more metric rows").click()
    expect(form.locator("fieldset.metric-row")).to_have_count(pilot + 6)
    fourth = form.locator("fieldset.metric-row").nth(pilot + 3).get_by_label("Metric")
    expect(fourth).to_be_focused()
    expect(form.get_by_label("What happened (optional)")).to_have_value(
        "RAG answers were right but the tone was not."
    )
    fourth.fill("monthly cost")
    form.locator("fieldset.metric-row").nth(pilot + 3).get_by_label("Value").fill("1200")
    form.locator("fieldset.metric-row").nth(pilot + 3).get_by_label("Unit (optional)").fill(
        "$ / month"
    )
    page.get_by_role("button", name="Record outcome").click()

    expect(outcomes(page).get_by_role("status")).to_have_text("Outcome recorded: Fine-tuning.")
    item = outcomes(page).locator("li.outcome-item")
    expect(item).to_have_count(1)
    expect(item.get_by_role("heading", level=3)).to_have_text("Fine-tuning shipped 5 Jan 2026")
    expect(item).to_contain_text("Not the recommendation")
    expect(item).to_contain_text("Shipped Fine-tuning, not the recommended Retrieval (RAG).")
    metrics = item.get_by_role("table")
    expect(metrics.get_by_role("row")).to_have_count(5)
    expect(metrics.get_by_role("row", name="monthly cost 1,200 $ / month")).to_be_visible()
    expect(form.locator("fieldset.metric-row")).to_have_count(pilot + 3)
    assert_not_reloaded(page)
    assert Outcome.objects.get().metrics.count() == 4
    assert errors == [], "console errors:\n" + "\n".join(errors)


def test_more_metric_rows_without_javascript(live_server, user, decision, new_page):
    page = new_page(java_script_enabled=False)
    log_in(page, live_server, user)
    page.goto(url_of(live_server, decision.get_absolute_url()))
    page.get_by_role("link", name="Record an outcome").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Outcomes of")
    pilot = len(decision.recommendation.pilot_metrics)
    row = page.locator("fieldset.metric-row").nth(pilot)
    row.get_by_label("Metric").fill("p95 latency")
    row.get_by_label("Value").fill("640")

    page.get_by_role("button", name="Add more metric rows").click()
    expect(page.locator("fieldset.metric-row")).to_have_count(pilot + 6)
    expect(page.locator("fieldset.metric-row").nth(pilot).get_by_label("Metric")).to_have_value(
        "p95 latency"
    )
    page.locator("fieldset.metric-row").nth(pilot + 5).get_by_label("Metric").fill("errors")
    page.get_by_role("button", name="Record outcome").click()

    expect(page.get_by_text("Enter the value of this metric, or clear its name.")).to_be_visible()
    page.locator("fieldset.metric-row").nth(pilot + 5).get_by_label("Value").fill("0")
    page.get_by_role("button", name="Record outcome").click()
    page.wait_for_url(url_of(live_server, f"{decision.get_absolute_url()}#outcomes"))
    expect(page.get_by_role("status").filter(has_text="Outcome recorded")).to_be_visible()
    expect(outcomes(page).get_by_role("row", name="p95 latency 640")).to_be_visible()
    expect(outcomes(page).get_by_role("row", name="errors 0")).to_be_visible()


# --- Accessibility --------------------------------------------------------------------------


def test_decision_page_with_comments_and_outcomes_has_no_axe_violations(
    page: Page, live_server, user, team, decision, new_page
):
    # Axe runs in the page: every page here is checked with JavaScript on.
    axe = AxeChecks()
    check = axe.check

    viewer = member(team, Role.VIEWER)
    services.outcome_record(
        decision=decision,
        user=user,
        approach="rag",
        shipped_on=date(2025, 11, 2),
        notes="Went live for the help centre.",
        metrics=[("quality pass rate", Decimal(87), "%")],
    )
    services.outcome_record(
        decision=decision,
        user=user,
        approach="fine_tuning",
        shipped_on=date(2026, 3, 1),
        metrics=[("p95 latency", Decimal(640), "ms"), ("monthly cost", Decimal(1200), "$")],
    )
    services.comment_add(decision=decision, user=user, body="Tone still off.\nTrying a tune.")
    services.comment_add(decision=decision, user=viewer, body="Thanks for the numbers.")

    log_in(page, live_server, user)
    page.goto(url_of(live_server, decision.get_absolute_url()))
    expect(outcomes(page).locator("li.outcome-item")).to_have_count(2)
    expect(comments(page).locator("li.comment")).to_have_count(2)
    check(page, "decision page as owner, with outcomes and comments")
    outcomes(page).get_by_role("link", name="Record an outcome").click()
    outcomes(page).get_by_label("Shipped on").fill("")
    page.get_by_role("button", name="Record outcome").click()
    expect(outcomes(page).get_by_text("Enter the day it shipped.")).to_be_visible()
    page.get_by_role("button", name="Post comment").click()
    expect(comments(page).get_by_text("Write your comment first")).to_be_visible()
    check(page, "decision page as owner, with errors in both forms")

    other = new_page()
    log_in(other, live_server, viewer)
    other.goto(url_of(live_server, decision.get_absolute_url()))
    expect(other.get_by_role("link", name="Record an outcome")).to_have_count(0)
    expect(other.get_by_role("button", name="Record outcome")).to_have_count(0)
    check(other, "decision page as viewer")

    # The pages shown without JavaScript, reached here by plain posts (axe needs JavaScript).
    page.goto(url_of(live_server, decision.get_absolute_url()))
    outcomes(page).get_by_role("link", name="Record an outcome").click()
    post_without_htmx(page, "form.outcome-form", "Add more metric rows")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Outcomes of")
    check(page, "outcomes page (more rows, as without JavaScript)")
    page.goto(url_of(live_server, decision.get_absolute_url()))
    post_without_htmx(page, "#comments form:has(textarea)", "Post comment")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Comments on")
    check(page, "comments page (empty comment, as without JavaScript)")

    axe.assert_clean()
