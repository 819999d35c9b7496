"""The wizard as a person uses it: a real Chromium against the live server, with and without JS.

Every assertion is about what the page shows. Playwright's `expect` waits for htmx swaps to
settle, so nothing here sleeps.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from advisor import services
from advisor.domain.questions import QUESTION_KEYS, STEP_COUNT, question_for
from advisor.management.commands.seed_demo import DEMO_PASSWORD, DEMO_PROJECT, DEMO_USERNAME
from advisor.models import Decision
from tests.accessibility import AxeChecks
from tests.factories import (
    PASSWORD,
    DecisionFactory,
    ProjectFactory,
    answered_decision,
    completed_decision,
)

pytestmark = pytest.mark.browser

# Knowledge gap, data revised now and then, nobody waiting, early stage, no labelled pairs.
RAG_PATH = ("knowledge", "occasional", "async", "early_stage", "none")
CHOICE_REQUIRED = "Choose one of the answers to continue."

# Reports every CSP violation as a console error, in case the browser's own report is missed.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


# --- Helpers --------------------------------------------------------------------------------


def title_of(step: int) -> str:
    return question_for(QUESTION_KEYS[step - 1]).title


def label_of(step: int, value: str) -> str:
    return question_for(QUESTION_KEYS[step - 1]).choice(value).label


def radio(page: Page, step: int, value: str):
    """The radio button of one choice, found by its visible label."""
    label = label_of(step, value)
    return page.get_by_role("radio", name=re.compile(rf"^{re.escape(label)}"))


def step_url(decision_pk: int, step: int) -> re.Pattern[str]:
    return re.compile(rf"/decisions/{decision_pk}/step/{step}/(\?.*)?$")


def review_url(decision_pk: int) -> re.Pattern[str]:
    return re.compile(rf"/decisions/{decision_pk}/review/$")


def result_url(decision_pk: int) -> re.Pattern[str]:
    return re.compile(rf"/decisions/{decision_pk}/$")


def log_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/projects/$"))
    expect(page.get_by_text(f"Signed in as {user.username}")).to_be_visible()


def start_decision(page: Page, live_server, project, title: str) -> int:
    """Start a decision from the project page; returns its pk, read from the address bar."""
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    page.locator("#id_title").fill(title)
    page.get_by_role("button", name="Start the five questions").click()
    page.wait_for_url(re.compile(r"/decisions/\d+/step/1/$"))
    return int(re.search(r"/decisions/(\d+)/", page.url).group(1))


def expect_step(page: Page, decision_pk: int, step: int) -> None:
    expect(page).to_have_url(step_url(decision_pk, step))
    expect(page.get_by_text(f"Step {step} of {STEP_COUNT}", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=title_of(step))).to_be_visible()


def answer(page: Page, decision_pk: int, step: int, value: str, note: str = "") -> None:
    """Answer the step on screen and go on; waits for the next page to be shown."""
    expect_step(page, decision_pk, step)
    radio(page, step, value).check()
    if note:
        page.locator("#id_note").fill(note)
    page.get_by_role("button", name="Next", exact=True).click()
    if step == STEP_COUNT:
        # The optional refine step comes next: skipped here (tests/test_browser_refine.py).
        expect_refine(page, decision_pk)
        page.get_by_role("link", name="Skip", exact=True).click()
        expect_review(page, decision_pk)
    else:
        expect_step(page, decision_pk, step + 1)


def expect_refine(page: Page, decision_pk: int) -> None:
    expect(page).to_have_url(re.compile(rf"/decisions/{decision_pk}/refine/$"))
    expect(page.get_by_role("heading", level=2, name="Refine the advice")).to_be_visible()


def expect_review(page: Page, decision_pk: int) -> None:
    expect(page).to_have_url(review_url(decision_pk))
    expect(page.get_by_role("heading", level=2, name="Review your answers")).to_be_visible()


def review_item(page: Page, step: int):
    return page.locator(".review-item").filter(has_text=f"{step}. {title_of(step)}")


def get_recommendation(page: Page, decision_pk: int) -> None:
    page.get_by_role("button", name="Get recommendation").click()
    page.wait_for_url(result_url(decision_pk))
    expect(page.get_by_text("Recommended approach", exact=True)).to_be_visible()


def history_row(page: Page, decision_title: str):
    return page.locator("#history tbody tr").filter(has_text=decision_title)


# --- The wizard with htmx -------------------------------------------------------------------


def test_whole_wizard_with_htmx_reaches_a_result(page: Page, live_server, user):
    project = ProjectFactory(created_by=user)
    log_in(page, live_server, user)
    pk = start_decision(page, live_server, project, "Support bot answers")
    expect(page.get_by_role("heading", level=1, name="Support bot answers")).to_be_visible()

    # A flag on window survives only while the document is never reloaded.
    page.evaluate("window.__noReload = true")
    note = "Policies change twice a year, see <b>bold</b> & co."
    for step, value in enumerate(RAG_PATH, start=1):
        answer(page, pk, step, value, note=note if step == 2 else "")

    assert page.evaluate("window.__noReload") is True, "a step was a full page load"
    for step, value in enumerate(RAG_PATH, start=1):
        expect(review_item(page, step)).to_contain_text(label_of(step, value))
    # The note is shown as typed: the markup is text, not a bold element.
    expect(review_item(page, 2).get_by_text(note, exact=True)).to_be_visible()
    expect(page.locator("#wizard b")).to_have_count(0)

    get_recommendation(page, pk)
    expect(page.get_by_role("heading", level=2, name="Retrieval (RAG)")).to_be_visible()
    expect(page.get_by_role("heading", name="How each answer weighs")).to_be_visible()
    factors = page.get_by_role("table").filter(has_text="Your answer")
    expect(factors.locator("tbody tr")).to_have_count(STEP_COUNT)
    expect(page.get_by_role("heading", name="What you give up")).to_be_visible()
    expect(page.get_by_role("heading", name="What would change the advice")).to_be_visible()
    expect(page.get_by_role("heading", name="The answers it was computed from")).to_be_visible()
    expect(page.get_by_text(note, exact=True)).to_be_visible()
    expect(page.locator("article b")).to_have_count(0)

    page.get_by_role("link", name=f"Back to {project.name}").click()
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/$"))
    row = history_row(page, "Support bot answers")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Proposed")  # a completed decision starts as proposed
    expect(row).to_contain_text("Retrieval (RAG)")
    expect(row.get_by_role("link", name=re.compile("^Continue"))).to_have_count(0)


def test_newcomer_with_the_demo_login_creates_a_project_and_decides(page: Page, live_server):
    call_command("seed_demo", stdout=StringIO())
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("#id_login").fill(DEMO_USERNAME)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    demo_row = page.get_by_role("row").filter(has_text=DEMO_PROJECT)
    expect(demo_row).to_contain_text("Retrieval (RAG)")

    page.get_by_role("link", name="New project").click()
    page.get_by_label("Project name").fill("Brand-voice support bot")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1, name="Brand-voice support bot")).to_be_visible()
    expect(page.get_by_text("No decisions yet")).to_be_visible()
    page.locator("#id_title").fill("Tone of replies")
    page.get_by_role("button", name="Start the five questions").click()
    page.wait_for_url(re.compile(r"/decisions/\d+/step/1/$"))
    pk = int(re.search(r"/decisions/(\d+)/", page.url).group(1))
    behaviour_path = ("behavior", "rare", "interactive", "scaling", "plenty")
    for step, value in enumerate(behaviour_path, start=1):
        answer(page, pk, step, value)
    get_recommendation(page, pk)
    expect(page.get_by_role("heading", level=2, name="Fine-tuning")).to_be_visible()

    page.get_by_role("link", name="Back to Brand-voice support bot").click()
    expect(history_row(page, "Tone of replies")).to_contain_text("Fine-tuning")
    page.get_by_role("link", name="Projects", exact=True).first.click()
    expect(page.get_by_role("row").filter(has_text="Brand-voice support bot")).to_contain_text(
        "Fine-tuning"
    )


def test_back_button_in_the_form_keeps_the_answers(page: Page, live_server, user):
    project = ProjectFactory(created_by=user)
    log_in(page, live_server, user)
    pk = start_decision(page, live_server, project, "Back and forth")
    answer(page, pk, 1, "knowledge")
    answer(page, pk, 2, "rare")

    radio(page, 3, "realtime").check()
    page.get_by_role("button", name="Back", exact=True).click()
    expect_step(page, pk, 2)
    expect(radio(page, 2, "rare")).to_be_checked()
    expect(radio(page, 2, "frequent")).not_to_be_checked()

    page.get_by_role("button", name="Next", exact=True).click()
    expect_step(page, pk, 3)
    # Back saved the valid choice made on step 3 before leaving it.
    expect(radio(page, 3, "realtime")).to_be_checked()


def test_browser_back_button_shows_the_previous_step_with_its_answer(page: Page, live_server, user):
    project = ProjectFactory(created_by=user)
    log_in(page, live_server, user)
    pk = start_decision(page, live_server, project, "Browser history")
    answer(page, pk, 1, "behavior")
    answer(page, pk, 2, "frequent")
    expect_step(page, pk, 3)

    page.go_back()
    expect_step(page, pk, 2)
    expect(radio(page, 2, "frequent")).to_be_checked()
    expect(page.get_by_role("heading", level=1, name="Browser history")).to_have_count(1)

    # The restored page is a working step: going on still follows the wizard.
    page.get_by_role("button", name="Next", exact=True).click()
    expect_step(page, pk, 3)


def test_browser_back_after_another_tab_completed_shows_the_result(page: Page, live_server, user):
    project = ProjectFactory(created_by=user)
    log_in(page, live_server, user)
    pk = start_decision(page, live_server, project, "Two tabs")
    for step, value in enumerate(RAG_PATH, start=1):
        answer(page, pk, step, value)
    services.decision_complete(decision=Decision.objects.get(pk=pk), user=user)  # the other tab

    page.go_back()

    expect(page).to_have_url(result_url(pk))
    expect(page.get_by_role("heading", level=2, name="Retrieval (RAG)")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def test_continue_from_the_project_page_resumes_at_the_first_open_question(
    page: Page, live_server, user
):
    decision = DecisionFactory(project=ProjectFactory(created_by=user), created_by=user)
    services.answer_save(decision=decision, step=1, value="knowledge")
    services.answer_save(decision=decision, step=2, value="frequent")
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}{decision.project.get_absolute_url()}")
    row = history_row(page, decision.title)
    expect(row).to_contain_text("In progress: question 3 of 5")
    expect(row).to_contain_text("Not yet")
    row.get_by_role("link", name=f"Continue “{decision.title}”").click()
    page.wait_for_url(step_url(decision.pk, 3))
    expect_step(page, decision.pk, 3)
    for value in ("realtime", "interactive", "async"):
        expect(radio(page, 3, value)).not_to_be_checked()


def test_enter_in_a_step_means_next_not_back(page: Page, live_server, user):
    project = ProjectFactory(created_by=user)
    log_in(page, live_server, user)
    pk = start_decision(page, live_server, project, "Keyboard only")
    answer(page, pk, 1, "knowledge")

    radio(page, 2, "rare").check()
    radio(page, 2, "rare").press("Enter")

    expect_step(page, pk, 3)


def test_next_without_a_choice_shows_the_error_inline(page: Page, live_server, user):
    project = ProjectFactory(created_by=user)
    log_in(page, live_server, user)
    pk = start_decision(page, live_server, project, "Forgetful")
    answer(page, pk, 1, "both")

    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_text(CHOICE_REQUIRED)).to_be_visible()
    expect_step(page, pk, 2)

    # Fixing it moves on, and the error is gone.
    radio(page, 2, "occasional").check()
    page.get_by_role("button", name="Next", exact=True).click()
    expect_step(page, pk, 3)
    expect(page.get_by_text(CHOICE_REQUIRED)).to_have_count(0)


def test_edit_from_review_returns_to_review(page: Page, live_server, user):
    decision = answered_decision(project=ProjectFactory(created_by=user), created_by=user)
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/decisions/{decision.pk}/review/")
    expect_review(page, decision.pk)
    expect(review_item(page, 2)).to_contain_text(label_of(2, "occasional"))

    page.get_by_role("link", name=f"Edit answer to “{title_of(2)}”").click()
    expect(page).to_have_url(re.compile(rf"/decisions/{decision.pk}/step/2/\?return_to=review$"))
    expect(page.get_by_role("heading", level=2, name=title_of(2))).to_be_visible()
    expect(radio(page, 2, "occasional")).to_be_checked()
    radio(page, 2, "frequent").check()
    page.get_by_role("button", name="Save and review").click()

    expect_review(page, decision.pk)
    expect(review_item(page, 2)).to_contain_text(label_of(2, "frequent"))
    expect(review_item(page, 2)).not_to_contain_text(label_of(2, "occasional"))


# --- Without JavaScript ---------------------------------------------------------------------


def test_whole_wizard_without_javascript(browser, live_server, user):
    project = ProjectFactory(created_by=user)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server, user)
        pk = start_decision(page, live_server, project, "No script")

        # A validation error is a full page too.
        page.get_by_role("button", name="Next", exact=True).click()
        page.wait_for_url(step_url(pk, 1))
        expect(page.get_by_text(CHOICE_REQUIRED)).to_be_visible()

        for step, value in enumerate(RAG_PATH, start=1):
            answer(page, pk, step, value, note="Plain post" if step == 4 else "")
        get_recommendation(page, pk)
        expect(page.get_by_role("heading", level=2, name="Retrieval (RAG)")).to_be_visible()
        expect(page.get_by_text("Plain post", exact=True)).to_be_visible()
    finally:
        context.close()


# --- Accessibility --------------------------------------------------------------------------


def test_pages_have_no_axe_violations(page: Page, live_server, user, team):
    axe = AxeChecks()

    def check(name: str) -> None:
        axe.check(page, name)

    page.goto(f"{live_server.url}/accounts/login/")
    check("login page")
    log_in(page, live_server, user)
    expect(page.get_by_role("heading", name="No projects yet")).to_be_visible()
    check("project list, empty")
    page.get_by_role("link", name="New project").click()
    page.wait_for_url(re.compile(r"/projects/new/$"))
    check("new project form")

    project = ProjectFactory(created_by=user)
    result = completed_decision(project=project, created_by=user)
    review = answered_decision(project=project, created_by=user)
    open_step = DecisionFactory(project=project, created_by=user)

    page.goto(f"{live_server.url}/projects/")
    expect(page.get_by_role("link", name=project.name)).to_be_visible()
    check("project list, with projects")
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    expect(history_row(page, result.title)).to_contain_text("Proposed")
    check("project page with history")
    page.goto(f"{live_server.url}/decisions/{open_step.pk}/step/1/")
    expect_step(page, open_step.pk, 1)
    check("wizard step")
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_text(CHOICE_REQUIRED)).to_be_visible()
    check("wizard step with a validation error")
    page.goto(f"{live_server.url}/decisions/{review.pk}/review/")
    expect_review(page, review.pk)
    check("review page")
    page.goto(f"{live_server.url}{result.get_absolute_url()}")
    expect(page.get_by_role("heading", level=2, name="Retrieval (RAG)")).to_be_visible()
    check("result page")
    page.goto(f"{live_server.url}/projects/{project.pk}/edit/")
    expect(page.get_by_role("heading", name="Edit project")).to_be_visible()
    check("edit project form")
    page.goto(f"{live_server.url}/projects/?archived=1")
    expect(page.get_by_text("No archived projects.")).to_be_visible()
    check("archived projects, empty")
    ProjectFactory(created_by=user, name="Shelved pilot", archived=True)
    page.reload()
    expect(page.get_by_role("link", name="Shelved pilot")).to_be_visible()
    check("archived projects")
    page.goto(f"{live_server.url}/projects/999999/")
    expect(page.get_by_role("heading", name="This page does not exist")).to_be_visible()
    check("not found page")

    axe.assert_clean()


# --- Console and CSP ------------------------------------------------------------------------


def watch_console(page: Page) -> tuple[list[str], list[str]]:
    """Console errors (CSP violations included) and failed requests, as they happen."""
    errors: list[str] = []
    failed: list[str] = []
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    page.on(
        "requestfailed",
        # A request the browser cancels because the page navigated on (Back and Forward
        # reload the page) is not a failure anyone sees; every other failed request is.
        lambda request: (
            None
            if request.failure == "net::ERR_ABORTED"
            else failed.append(f"failed {request.url}: {request.failure}")
        ),
    )
    return errors, failed


def test_wizard_logs_no_console_errors_or_csp_violations(page: Page, live_server, user):
    errors, failed = watch_console(page)

    project = ProjectFactory(created_by=user)
    log_in(page, live_server, user)
    pk = start_decision(page, live_server, project, "Quiet console")
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_text(CHOICE_REQUIRED)).to_be_visible()
    answer(page, pk, 1, RAG_PATH[0])
    answer(page, pk, 2, RAG_PATH[1])
    page.get_by_role("button", name="Back", exact=True).click()
    expect_step(page, pk, 2)
    page.go_back()
    expect_step(page, pk, 3)
    page.go_forward()
    expect_step(page, pk, 2)
    page.get_by_role("button", name="Next", exact=True).click()
    for step in range(3, STEP_COUNT + 1):
        answer(page, pk, step, RAG_PATH[step - 1])
    page.get_by_role("link", name=f"Edit answer to “{title_of(1)}”").click()
    expect_step(page, pk, 1)
    page.get_by_role("button", name="Save and review").click()
    expect_review(page, pk)
    get_recommendation(page, pk)
    expect(page.get_by_role("heading", level=2, name="Retrieval (RAG)")).to_be_visible()

    # The one refusal, Next without a choice, is answered 400 with its error; nothing else fails.
    assert [line.split()[0] for line in failed] == ["400"]
    unexpected = [line for line in errors if "status of 400" not in line]
    assert unexpected == [], "console errors:\n" + "\n".join(unexpected)
