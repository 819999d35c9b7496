"""A decision's status and review date as people use them: a real Chromium, with and without
JavaScript, and axe on every page of this part."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from advisor import services
from advisor.models import Decision, Role
from tests.accessibility import AxeChecks
from tests.factories import ProjectFactory, completed_decision, member
from tests.test_browser import log_in, watch_console
from tests.test_browser_sharing import assert_not_reloaded, mark_document, new_page, url_of

pytestmark = pytest.mark.browser

__all__ = ["new_page"]  # the fixture, imported for the no-JavaScript context


def panel(page: Page):
    return page.locator("#lifecycle")


def test_editor_accepts_then_supersedes_a_decision_without_a_reload(page: Page, live_server, team):
    errors, failed = watch_console(page)
    editor = member(team, Role.EDITOR)
    project = ProjectFactory(team=team)
    old = completed_decision(project=project, title="Old way")
    completed_decision(project=project, title="New way")
    log_in(page, live_server, editor)
    page.goto(url_of(live_server, old.get_absolute_url()))
    expect(page.locator("#lifecycle-badge")).to_contain_text("Status: Proposed")

    mark_document(page)
    panel(page).get_by_label("Why (optional)").fill("The team agreed on Monday")
    panel(page).get_by_role("button", name="Accept", exact=True).click()
    expect(panel(page).get_by_text("Marked as accepted.")).to_be_visible()
    expect(page.locator("#lifecycle-badge")).to_contain_text("Status: Accepted")
    expect(panel(page).locator("tbody tr")).to_have_count(1)
    expect(panel(page).locator("tbody tr")).to_contain_text("The team agreed on Monday")

    panel(page).get_by_label("Superseded by").select_option(label="New way (proposed)")
    panel(page).get_by_role("button", name="Mark as superseded").click()
    expect(panel(page).get_by_text("Marked as superseded by “New way”.")).to_be_visible()
    expect(page.locator("#lifecycle-badge")).to_contain_text("Status: Superseded")
    assert_not_reloaded(page)

    panel(page).get_by_role("link", name="“New way”").first.click()
    expect(page.locator("#lifecycle-badge")).to_contain_text("Status: Accepted")
    expect(panel(page).get_by_role("link", name="“Old way”")).to_be_visible()
    assert errors == []
    assert failed == []


def test_without_javascript_a_status_change_answers_with_a_message(live_server, team, new_page):
    editor = member(team, Role.EDITOR)
    decision = completed_decision(project=ProjectFactory(team=team), title="No script")
    page = new_page(java_script_enabled=False)
    log_in(page, live_server, editor)
    page.goto(url_of(live_server, decision.get_absolute_url()))

    panel(page).get_by_role("button", name="Reject", exact=True).click()

    expect(page.get_by_role("status").filter(has_text="Marked as rejected.")).to_be_visible()
    expect(page.locator("#lifecycle-badge")).to_contain_text("Status: Rejected")
    assert Decision.objects.get(pk=decision.pk).lifecycle == "rejected"


def test_lifecycle_pages_have_no_axe_violations(page: Page, live_server, user, team):
    axe = AxeChecks()

    def check(name: str) -> None:
        axe.check(page, name)

    project = ProjectFactory(team=team, created_by=user)
    proposed = completed_decision(project=project, title="Still proposed")
    late = completed_decision(project=project, title="Late review")
    services.decision_status_change(decision=late, user=user, to_status="accepted")
    Decision.objects.filter(pk=late.pk).update(review_by=timezone.localdate() - timedelta(days=4))
    log_in(page, live_server, user)

    page.goto(url_of(live_server, proposed.get_absolute_url()))
    expect(panel(page).get_by_role("button", name="Accept", exact=True)).to_be_visible()
    check("decision page, proposed")
    page.goto(url_of(live_server, late.get_absolute_url()))
    expect(panel(page).get_by_text("overdue by 4 days")).to_be_visible()
    check("decision page, accepted and overdue")
    page.locator("#review_review_by").fill("2000-01-01")
    page.get_by_role("button", name="Save the review date").click()
    expect(panel(page).locator(".invalid-feedback")).to_be_visible()
    check("review date refused")
    page.goto(url_of(live_server, project.get_absolute_url()))
    expect(page.get_by_role("heading", name="Overdue reviews")).to_be_visible()
    check("project page with an overdue review")
    page.goto(url_of(live_server, f"/teams/{team.pk}/reviews/"))
    expect(page.get_by_role("heading", name="Due for review")).to_be_visible()
    check("team's due reviews")

    axe.assert_clean()
