"""The optional numbers step as a person uses it: a real Chromium against the live server.

Every assertion is about what the page shows. Playwright's `expect` waits for the htmx preview
(posted 600 ms after the last keystroke) to be swapped in, so nothing here sleeps.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from advisor import selectors, services
from advisor.models import ModelPrice
from tests.accessibility import AxeChecks
from tests.factories import ProjectFactory, answered_decision
from tests.test_browser import get_recommendation, log_in, review_url, watch_console

pytestmark = pytest.mark.browser

# Knowledge and behaviour while scaling, with some labelled pairs: cost decides whether
# fine-tuning joins retrieval, so the numbers do (at these prices retrieval stays cheaper).
FT_ANSWERS = {
    "problem": "both",
    "data_change": "occasional",
    "latency": "interactive",
    "cost": "scaling",
    "labeled_data": "some",
}
# The default volume for "scaling"; with no hosting fee, retrieval is cheaper at it.
DEFAULT_VOLUME = "200000"
HIGH_VOLUME = "3000000"
API_MODEL = "GPT-4o mini (OpenAI API)"
AZURE_MODEL = "GPT-4o mini (Azure OpenAI)"
AS_OF = date(2024, 11, 1)
PLACEHOLDER = "Change a figure, or choose “Show the numbers”"
FIX_LIST = "Some figures need fixing before the numbers can be worked out:"


# --- Helpers --------------------------------------------------------------------------------


def price_rows() -> tuple[ModelPrice, ModelPrice]:
    """The two rows these tests use: the data migration's rows are gone after a flush."""
    prices = {
        "as_of": AS_OF,
        "input_per_m": Decimal("0.15"),
        "output_per_m": Decimal("0.60"),
        "tuned_input_per_m": Decimal("0.30"),
        "tuned_output_per_m": Decimal("1.20"),
        "training_per_m": Decimal("3.00"),
    }
    api, _ = ModelPrice.objects.get_or_create(
        model=API_MODEL, defaults={**prices, "hosting_per_hour": Decimal("0")}
    )
    azure, _ = ModelPrice.objects.get_or_create(
        model=AZURE_MODEL, defaults={**prices, "hosting_per_hour": Decimal("1.70")}
    )
    return api, azure


def model_label(row: ModelPrice) -> str:
    return f"{row.model} (prices of {row.as_of:%-d %b %Y})"


def estimate_url(live_server, decision, price: ModelPrice | None = None) -> str:
    url = f"{live_server.url}/decisions/{decision.pk}/estimate/"
    return f"{url}?price={price.pk}" if price else url


def estimate_path(decision) -> re.Pattern[str]:
    return re.compile(rf"/decisions/{decision.pk}/estimate/(\?.*)?$")


def mark_document(page: Page) -> None:
    # A flag on window survives only while the document is never reloaded.
    page.evaluate("window.__noReload = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__noReload") is True, "that was a full page load"


def preview(page: Page):
    return page.locator("#estimate-preview")


def volume_field(page: Page):
    return page.get_by_role("textbox", name="Queries a month", exact=True)


def type_into(field, text: str) -> None:
    """Replace the field's figure key by key, as a person types over it."""
    field.select_text()
    field.press_sequentially(text)


def hosting_field(page: Page):
    return page.get_by_role("textbox", name="Tuned model hosting ($ an hour)", exact=True)


def choose_model(page: Page, row: ModelPrice) -> None:
    """Choose a model and wait for its prices to replace the form (the select's own value
    changes at once; the form's record of the row it was priced with only when the new form
    is swapped in)."""
    page.get_by_label("Model and price list").select_option(label=model_label(row))
    expect(page.locator("input[name=loaded_price]")).to_have_value(str(row.pk))


def cost_chart(page: Page):
    return page.get_by_role("img", name=re.compile(r"^Cumulative cost over 24 months"))


def cost_desc(page: Page):
    return preview(page).locator("svg.chart-cost desc")


def cost_totals(page: Page):
    """The last column of the cost table: each approach's total over the horizon."""
    return preview(page).locator(".estimate-table").first.locator("tbody tr td:last-child")


def summary_at(volume: str) -> re.Pattern[str]:
    return re.compile(rf"^At {int(volume):,} queries a month, your numbers put ")


def expect_summary(page: Page, volume: str):
    summary = preview(page).get_by_text(summary_at(volume))
    expect(summary).to_be_visible()
    return summary


def open_numbers(page: Page, live_server, user, price: ModelPrice | None = None):
    decision = answered_decision(FT_ANSWERS, project=ProjectFactory(created_by=user))
    log_in(page, live_server, user)
    page.goto(estimate_url(live_server, decision, price))
    expect(page.get_by_role("heading", level=1, name="Your numbers (optional)")).to_be_visible()
    return decision


# --- Live preview with htmx -----------------------------------------------------------------


def test_typing_a_volume_updates_the_preview_in_place(page: Page, live_server, user):
    api, _ = price_rows()
    decision = open_numbers(page, live_server, user, api)
    field = volume_field(page)
    expect(field).to_have_value(DEFAULT_VOLUME)
    expect(preview(page).get_by_text(PLACEHOLDER)).to_be_visible()
    mark_document(page)

    type_into(field, "2000000")
    expect_summary(page, "2000000")
    expect(preview(page)).to_contain_text("your numbers put retrieval at")
    expect(cost_chart(page)).to_be_visible()
    desc_before = cost_desc(page).text_content()
    totals_before = cost_totals(page).all_text_contents()
    assert len(totals_before) == 4, totals_before

    type_into(field, HIGH_VOLUME)
    summary = expect_summary(page, HIGH_VOLUME)
    expect(summary).to_contain_text("your numbers put retrieval at")
    expect(cost_desc(page)).not_to_have_text(desc_before)
    expect(cost_totals(page)).not_to_have_text(totals_before)
    expect(preview(page)).to_contain_text(f"at {int(HIGH_VOLUME):,} queries a month")

    expect(field).to_be_focused()
    expect(field).to_have_value(HIGH_VOLUME)
    expect(page).to_have_url(estimate_url(live_server, decision, api))
    assert_not_reloaded(page)


def test_choosing_another_model_loads_its_prices(page: Page, live_server, user):
    api, azure = price_rows()
    open_numbers(page, live_server, user, api)
    expect(hosting_field(page)).to_have_value(re.compile(r"^0(\.0*)?$"))
    type_into(volume_field(page), HIGH_VOLUME)
    expect(expect_summary(page, HIGH_VOLUME)).to_contain_text("put retrieval at")
    mark_document(page)

    page.get_by_label("Model and price list").select_option(label=model_label(azure))
    expect(hosting_field(page)).to_have_value(re.compile(r"^1\.70?$"))
    # The figure typed before the change is kept; the numbers now carry the hosting fee.
    expect(volume_field(page)).to_have_value(HIGH_VOLUME)
    summary = expect_summary(page, HIGH_VOLUME)
    expect(summary).to_contain_text("put retrieval at")
    expect(preview(page)).to_contain_text(f"Prices: {AZURE_MODEL}")
    expect(cost_chart(page)).to_be_visible()
    assert_not_reloaded(page)


def test_a_bad_figure_is_listed_with_a_link_to_its_field(page: Page, live_server, user):
    api, _ = price_rows()
    open_numbers(page, live_server, user, api)
    field = volume_field(page)
    type_into(field, "lots")

    errors = preview(page).get_by_role("alert")
    expect(errors).to_contain_text(FIX_LIST)
    expect(cost_chart(page)).to_have_count(0)
    link = errors.get_by_role("link", name="Queries a month", exact=True)
    page.get_by_role("textbox", name="Prompt tokens per request", exact=True).focus()
    link.click()
    expect(field).to_be_focused()

    type_into(field, HIGH_VOLUME)
    expect_summary(page, HIGH_VOLUME)
    expect(preview(page).get_by_text(FIX_LIST)).to_have_count(0)
    expect(cost_chart(page)).to_be_visible()


# --- Saved with the decision ----------------------------------------------------------------


def test_saved_numbers_reach_the_review_and_the_result(page: Page, live_server, user):
    api, _ = price_rows()
    decision = answered_decision(FT_ANSWERS, project=ProjectFactory(created_by=user))
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/decisions/{decision.pk}/review/")
    numbers = page.locator("section.card").filter(has_text="Your numbers (optional)")
    numbers.get_by_role("link", name="Add your numbers").click()
    page.wait_for_url(estimate_path(decision))

    choose_model(page, api)
    type_into(volume_field(page), HIGH_VOLUME)
    expect_summary(page, HIGH_VOLUME)
    page.get_by_role("button", name="Save and review").click()
    page.wait_for_url(review_url(decision.pk))
    expect(page.get_by_text(f"Saved: {int(HIGH_VOLUME):,} queries a month")).to_be_visible()

    get_recommendation(page, decision.pk)
    expect(page.get_by_role("heading", level=2, name="Retrieval (RAG)", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="The numbers it was made with")).to_be_visible()
    expect(cost_chart(page)).to_be_visible()
    # The cost answer's reason is the sentence the numbers gave, volume and all.
    reason = page.locator("table.factors").get_by_text(summary_at(HIGH_VOLUME))
    expect(reason).to_have_count(1)
    expect(reason).to_contain_text("your numbers put retrieval at")


def test_the_numbers_step_without_javascript(browser, live_server, user):
    api, _ = price_rows()
    decision = answered_decision(FT_ANSWERS, project=ProjectFactory(created_by=user))
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server, user)
        page.goto(estimate_url(live_server, decision, api))
        volume_field(page).fill(HIGH_VOLUME)
        page.get_by_role("button", name="Show the numbers").click()
        expect_summary(page, HIGH_VOLUME)
        expect(page.get_by_role("heading", level=1, name="Your numbers (optional)")).to_be_visible()
        expect(cost_chart(page)).to_be_visible()
        expect(volume_field(page)).to_have_value(HIGH_VOLUME)

        page.get_by_role("button", name="Save and review").click()
        page.wait_for_url(review_url(decision.pk))
        expect(page.get_by_text(f"Saved: {int(HIGH_VOLUME):,} queries a month")).to_be_visible()
    finally:
        context.close()


def test_without_javascript_another_model_is_priced_and_saved(browser, live_server, user):
    """Without htmx nothing reloads the prices when the model changes: the next press of a
    button is the first the server hears of it, so that press must show and save them."""
    api, azure = price_rows()
    decision = answered_decision(FT_ANSWERS, project=ProjectFactory(created_by=user))
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server, user)
        page.goto(estimate_url(live_server, decision, api))
        volume_field(page).fill(HIGH_VOLUME)
        page.get_by_label("Model and price list").select_option(label=model_label(azure))
        page.get_by_role("button", name="Show the numbers").click()
        expect(hosting_field(page)).to_have_value(re.compile(r"^1\.70?$"))
        expect(preview(page)).to_contain_text(f"Prices: {AZURE_MODEL}")
        expect(expect_summary(page, HIGH_VOLUME)).to_contain_text("put retrieval at")

        page.get_by_label("Model and price list").select_option(label=model_label(api))
        page.get_by_role("button", name="Save and review").click()
        page.wait_for_url(review_url(decision.pk))
        expect(page.get_by_text(f"priced with {API_MODEL}")).to_be_visible()
    finally:
        context.close()


# --- Accessibility and the console ----------------------------------------------------------


def test_numbers_pages_have_no_axe_violations(page: Page, live_server, user):
    axe = AxeChecks()

    def check(name: str) -> None:
        axe.check(page, name)

    api, _ = price_rows()
    decision = open_numbers(page, live_server, user, api)
    expect(preview(page).get_by_text(PLACEHOLDER)).to_be_visible()
    check("numbers page, before a preview")
    type_into(volume_field(page), HIGH_VOLUME)
    expect_summary(page, HIGH_VOLUME)
    expect(cost_chart(page)).to_be_visible()
    check("numbers page, with a preview")
    type_into(volume_field(page), "lots")
    expect(preview(page).get_by_text(FIX_LIST)).to_be_visible()
    check("numbers page, with errors")

    estimate = selectors.estimate_build(
        answers=FT_ANSWERS, price=api, data={"monthly_queries": HIGH_VOLUME}
    )
    services.estimate_save(decision=decision, price=api, estimate=estimate, latency_target_ms=None)
    services.decision_complete(decision=decision, user=user)
    page.goto(f"{live_server.url}{decision.get_absolute_url()}")
    expect(page.get_by_role("heading", name="The numbers it was made with")).to_be_visible()
    check("result page with numbers")

    axe.assert_clean()


def test_numbers_step_logs_no_console_errors_or_csp_violations(page: Page, live_server, user):
    errors, failed = watch_console(page)
    api, azure = price_rows()
    decision = open_numbers(page, live_server, user, azure)

    type_into(volume_field(page), HIGH_VOLUME)
    expect_summary(page, HIGH_VOLUME)
    choose_model(page, api)
    type_into(volume_field(page), "2500000")
    expect_summary(page, "2500000")
    page.get_by_role("button", name="Save and review").click()
    page.wait_for_url(review_url(decision.pk))
    expect(page.get_by_text("Saved: 2,500,000 queries a month")).to_be_visible()

    assert errors == [], "console errors:\n" + "\n".join(errors)
    assert failed == [], "failed requests:\n" + "\n".join(failed)
