"""Exports in a real Chromium: the downloads, the printed page (print media and its PDF), and
importing a decision's JSON on the project page, with and without a mistake in the file."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from advisor import services
from advisor.models import Decision, Recommendation, Role
from advisor.selectors.documents import decision_export
from tests.accessibility import AxeChecks
from tests.factories import ProjectFactory, answered_decision, member
from tests.test_browser import log_in, watch_console
from tests.test_browser_sharing import assert_not_reloaded, mark_document, url_of

pytestmark = pytest.mark.browser

LONG_NOTE = (
    "Agents paste answers from the wiki today, and half of the pages are out of date by the "
    "time a customer asks. The support lead wants sources shown next to every answer."
)


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF: its page objects, not the /Pages tree nodes."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.fixture
def typical(team):
    """A completed decision with a note on every answer, as a team would write them."""
    decision = answered_decision(project=ProjectFactory(team=team), title="Support bot answers")
    # Before completing: the snapshot keeps the notes it was completed with.
    decision.answers.update(note=LONG_NOTE)
    services.decision_complete(decision=decision, user=decision.created_by)
    decision.refresh_from_db()
    return services.decision_status_change(
        decision=decision, user=decision.created_by, to_status=Decision.Lifecycle.ACCEPTED
    )


def test_the_printed_decision_leaves_out_the_controls_and_fits_two_a4_pages(
    page: Page, live_server, user, typical
):
    log_in(page, live_server, user)
    page.goto(url_of(live_server, typical.get_absolute_url()))
    expect(page.get_by_role("heading", name="Share this recommendation")).to_be_visible()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()

    page.emulate_media(media="print")

    expect(page.get_by_role("heading", level=1, name=typical.title)).to_be_visible()
    expect(page.get_by_role("heading", name="How each answer weighs")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_hidden()
    expect(page.locator("#sharing")).to_be_hidden()
    expect(page.get_by_role("heading", name="Take this decision with you")).to_be_hidden()
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    for form in page.locator("form").all():
        expect(form).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    # The staged plan, the pilot's table and the confidence take most of a third page; the
    # same decision saved before them still fits on two (below).
    assert 1 <= pdf_pages(pdf) <= 3


def test_a_decision_saved_before_plans_still_prints_on_two_a4_pages(
    page: Page, live_server, user, typical
):
    Recommendation.objects.filter(decision=typical).update(
        refine=None, plan=None, pilot_metrics=None, confidence=None
    )
    log_in(page, live_server, user)
    page.goto(url_of(live_server, typical.get_absolute_url()))
    expect(page.get_by_role("heading", level=1, name=typical.title)).to_be_visible()

    page.emulate_media(media="print")

    assert 1 <= pdf_pages(page.pdf(format="A4")) <= 2


def test_the_print_button_opens_the_browsers_print(page: Page, live_server, user, typical):
    log_in(page, live_server, user)
    page.goto(url_of(live_server, typical.get_absolute_url()))
    page.evaluate("window.print = () => { window.__printed = true; }")

    page.get_by_role("button", name="Print or save as PDF").click()

    assert page.evaluate("window.__printed") is True


def test_the_print_button_stays_hidden_without_javascript(live_server, user, typical, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, user)
    page.goto(url_of(live_server, typical.get_absolute_url()))

    expect(page.get_by_text("use your browser's Print command")).to_be_visible()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_have_count(0)
    context.close()


def test_a_viewer_downloads_markdown_and_json(page: Page, live_server, team, typical):
    viewer = member(team, Role.VIEWER)
    log_in(page, live_server, viewer)
    page.goto(url_of(live_server, typical.get_absolute_url()))

    with page.expect_download() as markdown:
        page.get_by_role("link", name="Download as Markdown").click()
    with page.expect_download() as document:
        page.get_by_role("link", name="Download as JSON").click()

    assert markdown.value.suggested_filename == "support-bot-answers.md"
    text = markdown.value.path().read_text()
    assert text.startswith('---\nstatus: "accepted"\n')
    assert "# Support bot answers" in text
    assert document.value.suggested_filename == "support-bot-answers.json"
    assert json.loads(document.value.path().read_text())["format"] == "advisor.decision"


def test_an_editor_imports_a_decision_after_a_wrong_file(
    page: Page, live_server, user, team, typical, tmp_path
):
    errors, failed = watch_console(page)
    target = ProjectFactory(team=team, created_by=user, name="New home")
    good = decision_export(typical, base_url=live_server.url)
    wrong = {**good, "version": 99}
    (tmp_path / "good.json").write_text(json.dumps(good))
    (tmp_path / "wrong.json").write_text(json.dumps(wrong))
    log_in(page, live_server, user)
    page.goto(url_of(live_server, target.get_absolute_url()))
    mark_document(page)

    field = page.get_by_label("Exported decision (JSON)")
    field.set_input_files(tmp_path / "wrong.json")
    page.get_by_role("button", name="Import the decision").click()

    expect(page.locator("#import")).to_contain_text("this Advisor reads version 3")
    assert_not_reloaded(page)
    assert not Decision.objects.filter(project=target).exists()

    page.get_by_label("Exported decision (JSON)").set_input_files(tmp_path / "good.json")
    page.get_by_role("button", name="Import the decision").click()

    page.wait_for_url(re.compile(r"/decisions/\d+/$"))
    expect(page.get_by_text("Imported “Support bot answers” into New home.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Support bot answers")).to_be_visible()
    assert Decision.objects.get(project=target).is_complete
    # The refused import answered 400 (the browser logs that), shown next to the field.
    assert [e for e in errors if "status of 400" not in e] == []
    assert [f for f in failed if not f.startswith("400 ")] == []


def test_export_and_import_controls_have_no_axe_violations(page: Page, live_server, user, typical):
    log_in(page, live_server, user)
    axe = AxeChecks()
    for name, path in [
        ("result page with exports", typical.get_absolute_url()),
        ("project page with import", typical.project.get_absolute_url()),
    ]:
        page.goto(url_of(live_server, path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe.check(page, name)

    axe.assert_clean()
