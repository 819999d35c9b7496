"""The team dashboard in a real Chromium: it fits a laptop screen, does not scroll sideways on
a phone, its bars open the decisions they count, its period works with and without
JavaScript, and axe finds nothing.

Playwright's `expect` waits for htmx swaps to settle, so nothing here sleeps.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from advisor.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TEAM, DEMO_USERNAME
from advisor.models import Decision, Team
from tests.accessibility import AxeChecks
from tests.factories import busy_decisions
from tests.test_browser import log_in, watch_console

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The whole dashboard within one and a half laptop screens.
MAX_HEIGHT = 1.5 * LAPTOP["height"]
DECISIONS = 200


def log_in_demo(page: Page, live_server) -> Team:
    call_command("seed_demo", stdout=StringIO())
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(DEMO_USERNAME)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/projects/$"))
    return Team.objects.get(name=DEMO_TEAM, members__username=DEMO_USERNAME)


def log_in_busy(page: Page, live_server, user, project) -> Team:
    busy_decisions(project, DECISIONS)
    log_in(page, live_server, user)
    return project.team


def open_dashboard(page: Page, live_server, team: Team, query: str = "") -> None:
    page.goto(f"{live_server.url}/teams/{team.pk}/dashboard/{query}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard of {team.name}")


def page_size(page: Page) -> dict[str, int]:
    return page.evaluate(
        """() => ({
            height: document.documentElement.scrollHeight,
            scrollWidth: document.documentElement.scrollWidth,
            clientWidth: document.documentElement.clientWidth,
        })"""
    )


@pytest.mark.parametrize("data", ["demo", "busy"])
def test_the_dashboard_fits_a_laptop_and_a_phone(page: Page, live_server, user, project, data):
    errors, failed = watch_console(page)
    if data == "demo":
        team = log_in_demo(page, live_server)
    else:
        team = log_in_busy(page, live_server, user, project)

    page.set_viewport_size(LAPTOP)
    open_dashboard(page, live_server, team)
    expect(page.get_by_role("img", name="Status now")).to_be_visible()
    laptop = page_size(page)
    page.set_viewport_size(PHONE)
    open_dashboard(page, live_server, team)
    phone = page_size(page)

    assert laptop["height"] <= MAX_HEIGHT, f"{data} at 1280 wide: {laptop}"
    assert phone["scrollWidth"] <= phone["clientWidth"], f"{data} at 390 wide: {phone}"
    assert errors == [], "console errors:\n" + "\n".join(errors)
    assert failed == [], "failed requests:\n" + "\n".join(failed)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Recommended approach", "Fine-tuning"),
        ("Status now", "Accepted"),
        ("Reviews of accepted decisions", "Overdue"),
        ("Outcomes against the pilot's targets", "Missed a target"),
    ],
)
def test_clicking_a_bar_lists_the_decisions_it_counts(
    page: Page, live_server, user, project, name, label
):
    team = log_in_busy(page, live_server, user, project)
    page.set_viewport_size(LAPTOP)
    open_dashboard(page, live_server, team)
    chart = page.locator("section.dashboard-chart").filter(
        has=page.get_by_role("heading", name=name)
    )
    bar = chart.get_by_role("link", name=re.compile(rf"^{re.escape(label)}: \d+ decisions"))
    count = int(re.search(r": (\d+) decisions", bar.get_attribute("aria-label")).group(1))

    bar.click()

    page.wait_for_url(re.compile(r"/search/\?"))
    results = page.locator("#results")
    expect(results).to_contain_text(f"{count} decisions found with the filters above")
    expect(page.get_by_label("Team")).to_have_value(str(team.pk))
    expect(results.locator("ol.search-results > li")).to_have_count(min(count, 20))


def test_clicking_a_month_lists_that_months_decisions(page: Page, live_server, user, project):
    team = log_in_busy(page, live_server, user, project)
    open_dashboard(page, live_server, team)
    column = page.get_by_role("img", name=re.compile("^Decisions completed")).locator("..")
    month = column.get_by_role("link").last
    count = int(re.search(r": (\d+) decision", month.get_attribute("aria-label")).group(1))

    month.click()

    page.wait_for_url(re.compile(r"/search/\?.*completed_to="))
    expect(page.locator("#results")).to_contain_text(
        f"{count} decision{'s' if count != 1 else ''} found with the filters above"
    )
    first = Decision.objects.filter(project=project).order_by("-completed_at", "-pk").first()
    expect(page.get_by_role("link", name=first.title, exact=True)).to_be_visible()


def test_the_period_swaps_the_dashboard_and_keeps_the_address(
    page: Page, live_server, user, project
):
    errors, failed = watch_console(page)
    team = log_in_busy(page, live_server, user, project)
    open_dashboard(page, live_server, team)
    page.evaluate("window.__noReload = true")

    page.get_by_label("Period", exact=True).select_option("3")
    page.get_by_role("button", name="Show").click()

    expect(page.locator(".kpi").first).to_contain_text("completed, last 3 months")
    assert "period=3" in page.url
    assert page.evaluate("window.__noReload") is True
    assert errors == [], "console errors:\n" + "\n".join(errors)
    assert failed == [], "failed requests:\n" + "\n".join(failed)


def test_the_period_works_without_javascript(browser, live_server, user, project):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    team = log_in_busy(page, live_server, user, project)
    open_dashboard(page, live_server, team)

    page.get_by_label("Period", exact=True).select_option("all")
    page.get_by_role("button", name="Show").click()

    page.wait_for_url(re.compile(r"period=all"))
    expect(page.locator(".kpi").first).to_contain_text(f"{DECISIONS} decisions completed")
    context.close()


def test_the_dashboard_and_its_lists_have_no_axe_violations(page: Page, live_server, user, project):
    axe = AxeChecks()
    team = log_in_busy(page, live_server, user, project)

    def check(name: str) -> None:
        page.mouse.move(0, 0)  # nothing hovered: a hovered bar's highlight is not the page
        axe.check(page, name)

    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        open_dashboard(page, live_server, team)
        check(f"dashboard at {viewport['width']} wide")
    page.set_viewport_size(LAPTOP)
    page.locator("details.chart-data summary").first.click()
    expect(page.locator("details.chart-data table").first).to_be_visible()
    check("dashboard with a table open")
    open_dashboard(page, live_server, team, "?period=forever")
    expect(page.get_by_text("Choose one of the periods offered.")).to_be_visible()
    check("dashboard with a bad period")
    page.get_by_role("link", name=re.compile(r"^Accepted: \d+ decisions")).click()
    expect(page.locator("#results")).to_contain_text("found with the filters above")
    check("the decisions behind a bar")

    axe.assert_clean()


def test_a_team_with_no_decisions_yet_has_no_axe_violations(page: Page, live_server, user, team):
    axe = AxeChecks()
    log_in(page, live_server, user)
    open_dashboard(page, live_server, team)
    expect(page.get_by_text("No completed decisions in the last 12 months")).to_be_visible()
    page.mouse.move(0, 0)
    axe.check(page, "empty dashboard")
    axe.assert_clean()
