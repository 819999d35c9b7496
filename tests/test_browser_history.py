"""The timeline's filters, search and the team dashboard in a real Chromium, with axe checks.

Playwright's `expect` waits for htmx swaps to settle, so nothing here sleeps.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from advisor.models import Answer, Comment, Decision, Outcome, StatusChange
from tests.accessibility import AxeChecks
from tests.factories import ProjectFactory, decided
from tests.test_browser import log_in, watch_console

pytestmark = pytest.mark.browser


@pytest.fixture
def project(user):
    project = ProjectFactory(created_by=user, name="Support bot")
    accepted = decided(project, title="Answer from the manuals", lifecycle="accepted")
    StatusChange.objects.create(
        decision=accepted, from_status="proposed", to_status="accepted", actor_name="ana"
    )
    Outcome.objects.create(
        decision=accepted, approach="rag", shipped_on=dt.date(2026, 3, 10), author_name="ben"
    )
    Answer.objects.create(
        decision=accepted, question="problem", value="knowledge", note="The manuals change weekly"
    )
    Comment.objects.create(decision=accepted, author_name="ana", body="Billing asked for this")
    decided(project, title="Tone of voice", approach="fine_tuning")
    Decision.objects.filter(project=project).update(
        completed_at=timezone.now(), review_by=dt.date(2026, 1, 1)
    )
    return project


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def titles(page: Page):
    return page.locator("#history tbody th[scope=row] > a:first-child")


def test_filters_swap_the_timeline_and_keep_the_address_honest(
    page: Page, live_server, user, project
):
    errors, failed = watch_console(page)
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    expect(titles(page)).to_have_count(2)
    expect(page.locator("#history")).to_contain_text("Accepted by ana on")
    page.evaluate("window.__noReload = true")

    page.get_by_label("Status").select_option("accepted")
    page.get_by_role("button", name="Apply filters").click()

    expect(titles(page)).to_have_text(["Answer from the manuals"])
    expect(page.get_by_text("1 decision matches these filters.")).to_be_visible()
    assert "status=accepted" in page.url
    assert page.evaluate("window.__noReload") is True, "the filter reloaded the page"

    page.get_by_role("link", name="Clear filters").click()
    expect(titles(page)).to_have_count(2)
    assert "status=" not in page.url
    assert errors == [], "console errors:\n" + "\n".join(errors)
    assert failed == [], "failed requests:\n" + "\n".join(failed)


def test_filters_work_without_javascript(no_js_page, live_server, user, project):
    page = no_js_page
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}{project.get_absolute_url()}")

    page.get_by_label("Approach").select_option("fine_tuning")
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"approach=fine_tuning"))
    expect(titles(page)).to_have_text(["Tone of voice"])


def test_search_from_the_top_bar_then_on_the_page(page: Page, live_server, user, project):
    errors, failed = watch_console(page)
    log_in(page, live_server, user)

    page.get_by_label("Search decisions").first.fill("manuals")
    page.get_by_role("button", name="Search", exact=True).first.click()

    page.wait_for_url(re.compile(r"/search/\?q=manuals"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Answer from the manuals")).to_be_visible()
    expect(results).to_contain_text("The manuals change weekly")

    page.evaluate("window.__noReload = true")
    page.get_by_label("Words to find").fill("billing")
    page.locator("#results").get_by_role("button", name="Search").click()
    expect(results).to_contain_text("Comment: Billing asked for this")
    assert "q=billing" in page.url
    assert page.evaluate("window.__noReload") is True
    assert errors == [], "console errors:\n" + "\n".join(errors)
    assert failed == [], "failed requests:\n" + "\n".join(failed)


def test_history_search_and_dashboard_have_no_axe_violations(
    page: Page, live_server, user, project
):
    axe = AxeChecks()

    def check(name: str) -> None:
        axe.check(page, name)

    log_in(page, live_server, user)
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    expect(page.locator("#history")).to_contain_text("Shipped Retrieval (RAG)")
    check("project page with its timeline")
    page.goto(f"{live_server.url}{project.get_absolute_url()}?started_from=someday&status=rejected")
    expect(page.get_by_text("No decisions match these filters")).to_be_visible()
    check("timeline with a filter error and no match")
    page.goto(f"{live_server.url}/search/?q=manuals")
    expect(page.locator("#results")).to_contain_text("1 decision found")
    check("search results")
    page.goto(f"{live_server.url}/search/")
    check("search prompt")
    page.goto(f"{live_server.url}/teams/{project.team.pk}/dashboard/")
    expect(page.get_by_role("img", name="Status now")).to_be_visible()
    check("team dashboard")

    axe.assert_clean()
