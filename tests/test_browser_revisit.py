"""Revisiting a decision and comparing two, as people do it: a real Chromium against the live
server, with htmx and without JavaScript, and axe on the pages with a comparison.

Every assertion is about what the page shows; Playwright's `expect` waits for htmx swaps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from advisor import services
from advisor.models import Decision, Role
from tests.accessibility import AxeChecks
from tests.factories import RAG_ANSWERS, ProjectFactory, completed_decision, member
from tests.test_browser import (
    RAG_PATH,
    answer,
    get_recommendation,
    log_in,
    result_url,
    start_decision,
    step_url,
    watch_console,
)
from tests.test_browser_sharing import assert_not_reloaded, mark_document, url_of

pytestmark = pytest.mark.browser

MOVED = (
    "1 answer and 3 verdicts changed; the approach moved from Retrieval (RAG) to "
    "Prompt engineering."
)
STAYED = "1 answer changed; the approach stayed Retrieval (RAG)."


@pytest.fixture
def no_js_page(browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def comparison(page: Page):
    return page.locator(".comparison")


def answer_row(page: Page, title: str):
    return (
        comparison(page)
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=title, exact=True))
        .first
    )


def revisit(page: Page, decision_pk: int) -> int:
    """Press Revisit on a result page; returns the new decision's pk, at its step 1."""
    page.get_by_role("button", name="Revisit this decision").click()
    page.wait_for_url(re.compile(r"/decisions/\d+/step/1/$"))
    new_pk = int(re.search(r"/decisions/(\d+)/", page.url).group(1))
    assert new_pk != decision_pk
    return new_pk


def revisited_decision(old: Decision, answers: dict[str, str]) -> Decision:
    """A completed revisit of `old` with these answers, made through the services."""
    user = old.created_by
    new = services.decision_revisit(decision=old, user=user)
    for step, value in enumerate(answers.values(), start=1):
        services.answer_save(decision=new, step=step, value=value)
    services.decision_complete(decision=new, user=user)
    new.refresh_from_db()
    return new


# --- Revisit --------------------------------------------------------------------------------


def test_revisit_one_changed_answer_shows_what_changed(page: Page, live_server, user):
    errors, failed = watch_console(page)
    project = ProjectFactory(created_by=user)
    log_in(page, live_server, user)
    old_pk = start_decision(page, live_server, project, "Support bot answers")
    for step, value in enumerate(RAG_PATH, start=1):
        answer(page, old_pk, step, value, note="Prices change weekly" if step == 1 else "")
    get_recommendation(page, old_pk)
    expect(page.get_by_role("heading", level=2, name="Retrieval (RAG)")).to_be_visible()

    new_pk = revisit(page, old_pk)
    expect(page.get_by_role("status").filter(has_text="were copied into this new")).to_be_visible()
    expect(page.get_by_text("Revisiting “Support bot answers”")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisit of “Support bot answers”")
    # The old answer and note are filled in; change the answer, keep the note.
    expect(page.get_by_role("radio", name=re.compile("^It lacks information"))).to_be_checked()
    expect(page.locator("#id_note")).to_have_value("Prices change weekly")
    answer(page, new_pk, 1, "behavior")
    for step, value in enumerate(RAG_PATH[1:], start=2):
        answer(page, new_pk, step, value)
    get_recommendation(page, new_pk)

    expect(page.get_by_role("heading", level=2, name="Prompt engineering")).to_be_visible()
    expect(
        page.get_by_role("heading", level=2, name="What changed since “Support bot answers”")
    ).to_be_visible()
    expect(comparison(page).get_by_text(MOVED, exact=True)).to_be_visible()
    page.get_by_text("Each answer and verdict, before and after").click()
    changed = answer_row(page, "Knowledge or behaviour")
    expect(changed).to_contain_text("It lacks information")
    expect(changed).to_contain_text("It behaves the wrong way")
    expect(changed).to_contain_text("Answer changed")
    expect(answer_row(page, "Latency tolerance")).to_contain_text("Same")
    expect(comparison(page)).to_contain_text("Prompt engineering (changed)")

    page.get_by_role("link", name="“Support bot answers”", exact=True).click()
    page.wait_for_url(result_url(old_pk))
    expect(page.get_by_role("heading", level=3, name="Revisited by")).to_be_visible()
    expect(page.get_by_role("link", name="Revisit of “Support bot answers”")).to_be_visible()
    expect(comparison(page)).to_have_count(0)

    assert errors == [], "console errors:\n" + "\n".join(errors)
    assert failed == [], "failed requests:\n" + "\n".join(failed)


def test_a_viewer_compares_but_has_no_revisit_button(page: Page, live_server, team):
    viewer = member(team, Role.VIEWER)
    old = completed_decision(project=ProjectFactory(team=team), title="Support bot answers")
    log_in(page, live_server, viewer)
    page.goto(url_of(live_server, old.get_absolute_url()))

    expect(page.get_by_role("link", name="Compare with another decision")).to_be_visible()
    expect(page.get_by_role("button", name="Revisit this decision")).to_have_count(0)


# --- Compare --------------------------------------------------------------------------------


def test_compare_two_decisions_with_htmx(page: Page, live_server, user):
    old = completed_decision(project=ProjectFactory(created_by=user), title="Support bot answers")
    moved = revisited_decision(old, {**RAG_ANSWERS, "problem": "behavior"})
    stayed = revisited_decision(old, {**RAG_ANSWERS, "latency": "interactive"})
    stayed.title = "Chat latency"
    stayed.save(update_fields=["title"])
    log_in(page, live_server, user)
    page.goto(url_of(live_server, old.get_absolute_url()))

    page.get_by_role("link", name="Compare with another decision").click()
    expect(page.get_by_role("heading", level=1, name="Compare decisions")).to_be_visible()
    expect(page.get_by_label("First decision")).to_have_value(str(old.pk))
    mark_document(page)
    page.get_by_label("Second decision").select_option(str(stayed.pk))
    page.get_by_role("button", name="Compare").click()

    expect(page.get_by_role("status").filter(has_text=STAYED)).to_be_visible()
    expect(answer_row(page, "Latency tolerance")).to_contain_text("Answer changed")
    expect(comparison(page)).to_contain_text("Retrieval (RAG) (the same)")
    expect(page).to_have_url(re.compile(rf"\?a={old.pk}&b={stayed.pk}$"))
    expect(page.get_by_role("button", name="Compare")).to_be_focused()
    assert_not_reloaded(page)

    # Either order: the earlier decision is "before".
    page.get_by_label("First decision").select_option(str(moved.pk))
    page.get_by_label("Second decision").select_option(str(old.pk))
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("status").filter(has_text=MOVED)).to_be_visible()
    assert_not_reloaded(page)

    page.get_by_label("Second decision").select_option(str(moved.pk))
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("status").filter(has_text="You chose “")).to_contain_text("twice")
    expect(comparison(page)).to_have_count(0)

    # The address kept the last choice: a reload shows the same.
    page.reload()
    expect(page.get_by_role("status").filter(has_text="twice")).to_be_visible()


def test_compare_without_javascript(live_server, user, no_js_page):
    old = completed_decision(project=ProjectFactory(created_by=user), title="Support bot answers")
    new = revisited_decision(old, {**RAG_ANSWERS, "problem": "behavior"})
    page = no_js_page
    log_in(page, live_server, user)
    page.goto(url_of(live_server, f"/projects/{old.project_id}/compare/"))

    page.get_by_label("First decision").select_option(str(old.pk))
    page.get_by_label("Second decision").select_option(str(new.pk))
    page.get_by_role("button", name="Compare").click()

    page.wait_for_url(re.compile(rf"/compare/\?a={old.pk}&b={new.pk}$"))
    expect(comparison(page).get_by_text(MOVED, exact=True)).to_be_visible()
    expect(answer_row(page, "Knowledge or behaviour")).to_contain_text("Answer changed")


def test_revisit_without_javascript(live_server, user, no_js_page):
    old = completed_decision(project=ProjectFactory(created_by=user), title="Support bot answers")
    page = no_js_page
    log_in(page, live_server, user)
    page.goto(url_of(live_server, old.get_absolute_url()))

    new_pk = revisit(page, old.pk)

    expect(page).to_have_url(step_url(new_pk, 1))
    expect(page.get_by_role("status").filter(has_text="were copied into this new")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("^It lacks information"))).to_be_checked()


# --- Accessibility --------------------------------------------------------------------------


def test_revisit_and_compare_pages_have_no_axe_violations(page: Page, live_server, user):
    axe = AxeChecks()

    def check(name: str) -> None:
        axe.check(page, name)

    old = completed_decision(project=ProjectFactory(created_by=user), title="Support bot answers")
    new = revisited_decision(old, {**RAG_ANSWERS, "problem": "behavior"})
    services.decision_revisit(decision=new, user=user)
    compare = f"/projects/{old.project_id}/compare/"
    log_in(page, live_server, user)

    page.goto(url_of(live_server, new.get_absolute_url()))
    expect(comparison(page).get_by_text(MOVED, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Revisited by")).to_be_visible()
    check("result page with a comparison and a revisit")
    page.goto(url_of(live_server, old.get_absolute_url()))
    expect(page.get_by_role("heading", level=3, name="Revisited by")).to_be_visible()
    check("result page that was revisited")
    page.goto(url_of(live_server, f"{compare}?a={old.pk}&b={new.pk}"))
    expect(page.get_by_role("status").filter(has_text=MOVED)).to_be_visible()
    check("compare page with a comparison")
    page.goto(url_of(live_server, f"{compare}?a={old.pk}&b=0"))
    expect(page.get_by_text("Choose one of this project's completed decisions.")).to_be_visible()
    check("compare page with an error")
    page.goto(url_of(live_server, compare))
    expect(page.get_by_role("button", name="Compare")).to_be_visible()
    check("compare page, nothing chosen yet")
    page.goto(url_of(live_server, f"/decisions/{new.revisits.get().pk}/step/1/"))
    expect(page.get_by_text("Revisiting “")).to_be_visible()
    check("wizard of a revisit")

    axe.assert_clean()
