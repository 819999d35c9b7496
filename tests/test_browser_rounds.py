"""Deciding as a team in a real Chromium: three people in three browser contexts (one of them
without JavaScript) answer on their own, see where they disagree, and the editor settles it.

Every assertion is about what the page shows; axe checks each page of the journey.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from advisor.models import Role
from tests.accessibility import AxeChecks
from tests.factories import member
from tests.test_browser import answer, log_in, start_decision, watch_console
from tests.test_browser_sharing import new_page, url_of

pytestmark = pytest.mark.browser
__all__ = ["new_page"]  # the fixture, imported for the other people's contexts

KNOWLEDGE = ["knowledge", "occasional", "async", "early_stage", "none"]
BEHAVIOUR = ["behavior", *KNOWLEDGE[1:]]


def answer_all(page: Page, decision_pk: int, values: list[str], note: str = "") -> None:
    for step, value in enumerate(values, start=1):
        answer(page, decision_pk, step, value, note if step == 1 else "")


def round_section(page: Page):
    return page.locator("#round")


def test_three_people_answer_alone_see_the_disagreement_and_the_editor_settles_it(
    page: Page,
    live_server,
    user,
    team,
    project,
    new_page,
):
    viewer = member(team, Role.VIEWER, username="vera-viewer")
    editor = member(team, Role.EDITOR, username="erin-editor")
    axe = AxeChecks()
    errors, failed = watch_console(page)

    # The owner starts the decision, answers the first question, then asks the team.
    log_in(page, live_server, user)
    pk = start_decision(page, live_server, project, "Support answers")
    page.get_by_role("link", name="Ask the team to answer too").click()
    expect(page.get_by_role("heading", name="Ask the team for their answers")).to_be_visible()
    axe.check(page, "ask")
    page.get_by_role("button", name="Ask").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one person")
    page.get_by_label("vera-viewer (viewer)").check()
    page.get_by_label("erin-editor (editor)").check()
    page.get_by_role("button", name="Ask").click()
    expect(round_section(page)).to_contain_text("3 still to answer")
    axe.check(page, "round, open")

    # The owner gives their own answers and submits; they see only their own so far.
    page.get_by_role("link", name="Answer the questions").click()
    answer_all(page, pk, KNOWLEDGE, note="Customers ask about plans")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", name="Everyone's answers")).to_be_visible()
    expect(round_section(page)).to_contain_text("2 still to answer")

    # The editor looks before answering: nobody's answers are shown to them.
    editor_page = new_page()
    log_in(editor_page, live_server, editor)
    editor_page.goto(url_of(live_server, f"/decisions/{pk}/"))
    expect(round_section(editor_page)).to_contain_text("Your answers are requested")
    expect(editor_page.get_by_text("once you submit yours")).to_be_visible()
    expect(editor_page.get_by_text("Customers ask about plans")).to_have_count(0)

    # The asked viewer answers without JavaScript, differently, and then sees both.
    viewer_page = new_page(java_script_enabled=False)
    log_in(viewer_page, live_server, viewer)
    viewer_page.goto(url_of(live_server, f"/decisions/{pk}/"))
    viewer_page.get_by_role("link", name="Answer the questions").click()
    answer_all(viewer_page, pk, BEHAVIOUR, note="Answers sound robotic")
    viewer_page.get_by_role("button", name="Submit my answers").click()
    table = viewer_page.locator("table.team-answers")
    expect(table).to_contain_text("Customers ask about plans")
    expect(table).to_contain_text("Answers sound robotic")
    expect(table.get_by_text("Changes the recommendation")).to_be_visible()
    expect(viewer_page.get_by_role("button", name="Close the answers")).to_have_count(0)

    # The owner closes the round; the editor who never answered is shown as such.
    page.reload()
    expect(page.locator("table.team-answers")).to_contain_text("Answers sound robotic")
    axe.check(page, "round, two answers in")  # axe needs JavaScript: not the viewer's page
    page.get_by_role("button", name="Close the answers").click()
    expect(page.locator("table.team-answers")).to_contain_text("did not answer")
    settle = page.locator("#settle-problem")
    settle.get_by_role("radio", name=re.compile("lacks information")).check()
    settle.get_by_role("button", name="Settle").click()
    expect(settle.get_by_role("alert")).to_contain_text("say in a short note why")
    axe.check(page, "settling, with an error")
    settle = page.locator("#settle-problem")
    settle.get_by_label("Why this answer").fill("Plans change monthly; docs first")
    settle.get_by_role("button", name="Settle").click()
    expect(page.get_by_role("status").filter(has_text="Every question is settled")).to_be_visible()

    # The review holds the settled answers; the recommendation keeps everyone's.
    page.get_by_role("link", name="Continue to the review").click()
    expect(page.get_by_role("heading", name="Review the settled answers")).to_be_visible()
    page.get_by_role("button", name="Get recommendation").click()
    expect(page.get_by_role("heading", name="How the team answered")).to_be_visible()
    expect(page.locator("table.team-answers")).to_contain_text("Plans change monthly")
    expect(page.get_by_role("heading", level=2, name="Retrieval (RAG)")).to_be_visible()
    axe.check(page, "result")

    # The two refusals (nobody chosen to ask, a settle without its note) are answered 400 with
    # their errors; nothing else fails.
    assert [line.split()[0] for line in failed] == ["400", "400"]
    assert [line for line in errors if "status of 400" not in line] == []
    axe.assert_clean()
