"""Teams, invites and share links as people use them: a real Chromium against the live server.

Every assertion is about what the page shows. Playwright's `expect` waits for htmx swaps to
settle, so nothing here sleeps. Logged-out visitors and second users get a browser context of
their own, so no cookie leaks from one person to another.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import Page, expect

from advisor import services
from advisor.models import Outbox, Role, ShareLink
from tests.accessibility import AxeChecks
from tests.factories import (
    DecisionFactory,
    MembershipFactory,
    ProjectFactory,
    TeamFactory,
    UserFactory,
    completed_decision,
    member,
)
from tests.test_browser import log_in, watch_console

pytestmark = pytest.mark.browser

SHARE_URL = r"/s/[A-Za-z0-9_-]+/$"
INVITE_URL = r"/invites/[A-Za-z0-9_-]+/$"
SIGNUP_PASSWORD = "plum-orchard-lantern-47"


# --- Helpers --------------------------------------------------------------------------------


def emailed_link(*, to: str) -> str:
    """The address-confirmation link of the last email to `to`, as the worker would send it."""
    body = Outbox.objects.filter(recipient=to).latest("pk").text_body
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body).group(1)


@pytest.fixture
def new_page(browser):
    """A page in a browser context of its own (another person, or no JavaScript)."""
    contexts = []

    def open_page(**context_args) -> Page:
        context = browser.new_context(**context_args)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def url_of(live_server, path: str) -> str:
    return f"{live_server.url}{path}"


def sharing(page: Page):
    return page.locator("#sharing")


def share_rows(page: Page):
    return sharing(page).locator("tbody tr")


def mark_document(page: Page) -> None:
    # A flag on window survives only while the document is never reloaded.
    page.evaluate("window.__noReload = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__noReload") is True, "that was a full page load"


def grant_clipboard(page: Page, live_server) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)


def create_share_link(page: Page, expires: str) -> None:
    """Create a link with htmx, and wait for it to be first in the list."""
    page.get_by_label("Link works for").select_option(label=expires)
    page.get_by_role("button", name="Create a link").click()
    expect(page.get_by_text("New link created: it is first in the list.")).to_be_visible()


# --- Share links ----------------------------------------------------------------------------


def test_editor_shares_copies_and_revokes_a_link(page: Page, live_server, team, new_page):
    editor = member(team, Role.EDITOR)
    decision = completed_decision(project=ProjectFactory(team=team))
    rec = decision.recommendation
    grant_clipboard(page, live_server)
    log_in(page, live_server, editor)
    page.goto(url_of(live_server, decision.get_absolute_url()))
    expect(page.get_by_role("heading", name="Share this recommendation")).to_be_visible()
    expect(sharing(page).get_by_text("No share links yet.")).to_be_visible()

    mark_document(page)
    create_share_link(page, "7 days")
    expect(page).to_have_url(url_of(live_server, decision.get_absolute_url()))
    assert_not_reloaded(page)
    expect(share_rows(page)).to_have_count(1)
    field = page.get_by_role("textbox", name="Share link 1", exact=True)
    expect(field).to_have_value(re.compile(rf"^{re.escape(live_server.url)}{SHARE_URL}"))
    expect(field).to_be_focused()
    # "7 days" was the choice sent, not the form's default of 30.
    created_at = ShareLink.objects.get(decision=decision).created_at
    expires = date_format(timezone.localtime(created_at + timedelta(days=7)), "j M Y")
    expect(share_rows(page).first).to_contain_text(expires)
    expect(share_rows(page).first).to_contain_text(editor.username)

    row = share_rows(page).first
    row.get_by_role("button", name="Copy", exact=True).click()
    expect(row.get_by_role("button", name="Copied", exact=True)).to_be_visible()
    share_url = field.input_value()
    assert page.evaluate("navigator.clipboard.readText()") == share_url

    visitor = new_page()
    response = visitor.goto(share_url)
    assert response.status == 200
    expect(visitor.get_by_role("heading", level=2, name=rec.get_approach_display())).to_be_visible()
    expect(visitor.get_by_text(rec.headline, exact=True)).to_be_visible()
    expect(visitor.get_by_role("heading", level=1, name=decision.title)).to_be_visible()
    expect(visitor.get_by_role("button", name="Log out")).to_have_count(0)
    expect(visitor.locator("form")).to_have_count(0)
    expect(visitor.get_by_text("Share this recommendation")).to_have_count(0)

    page.get_by_role("button", name="Revoke share link 1").click()
    expect(page.get_by_text("Link revoked: it no longer opens.")).to_be_visible()
    expect(share_rows(page).first).to_contain_text("Revoked")
    expect(page.get_by_role("textbox", name="Share link 1", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Revoke"))).to_have_count(0)
    assert_not_reloaded(page)

    response = visitor.goto(share_url)
    assert response.status == 404
    expect(
        visitor.get_by_role("heading", level=1, name="This link does not open anything")
    ).to_be_visible()
    expect(visitor.get_by_text(rec.headline, exact=True)).to_have_count(0)


def test_a_refused_share_form_shows_its_error_in_place(page: Page, live_server, user):
    # htmx leaves 4xx responses out of the page by default; Advisor's config swaps a 400 in,
    # which is how a form comes back with its errors.
    decision = completed_decision(project=ProjectFactory(created_by=user))
    log_in(page, live_server, user)
    page.goto(url_of(live_server, decision.get_absolute_url()))
    mark_document(page)
    # A value the form does not offer, as a stale or tampered page would send.
    page.get_by_label("Link works for").evaluate(
        "select => { select.options[0].value = '5'; select.selectedIndex = 0; }"
    )

    page.get_by_role("button", name="Create a link").click()

    expect(sharing(page).get_by_text("Choose one of the lengths offered.")).to_be_visible()
    expect(page.locator("#messages .alert")).to_have_count(0)
    assert_not_reloaded(page)
    assert not ShareLink.objects.exists()


def test_share_link_without_javascript(live_server, user, new_page):
    decision = completed_decision(project=ProjectFactory(created_by=user))
    page = new_page(java_script_enabled=False)
    log_in(page, live_server, user)
    page.goto(url_of(live_server, decision.get_absolute_url()))

    page.get_by_label("Link works for").select_option(label="90 days")
    page.get_by_role("button", name="Create a link").click()
    page.wait_for_url(url_of(live_server, f"{decision.get_absolute_url()}#sharing"))
    expect(page.get_by_role("status").filter(has_text="Share link created")).to_be_visible()
    expect(share_rows(page)).to_have_count(1)
    expect(page.get_by_role("textbox", name="Share link 1", exact=True)).to_have_value(
        re.compile(rf"^{re.escape(live_server.url)}{SHARE_URL}")
    )
    # The field is there to select and copy by hand; the Copy button needs JavaScript.
    expect(page.get_by_role("button", name="Copy")).to_have_count(0)
    expect(sharing(page).locator("[data-copy]")).to_be_hidden()

    page.get_by_role("button", name="Revoke share link 1").click()
    page.wait_for_url(url_of(live_server, f"{decision.get_absolute_url()}#sharing"))
    expect(page.get_by_role("status").filter(has_text="Share link revoked")).to_be_visible()
    expect(share_rows(page).first).to_contain_text("Revoked")
    expect(page.get_by_role("textbox", name="Share link 1", exact=True)).to_have_count(0)


# --- Teams ----------------------------------------------------------------------------------


def test_owner_invites_a_viewer_who_joins_and_can_only_read(
    page: Page, live_server, user, team, new_page
):
    project = ProjectFactory(team=team, created_by=user, name="Claims triage")
    log_in(page, live_server, user)
    page.goto(url_of(live_server, team.get_absolute_url()))
    expect(page.get_by_text("No invites waiting.")).to_be_visible()

    mark_document(page)
    page.get_by_role("combobox", name=re.compile(r"^Role\*?$")).select_option(label="Viewer")
    page.get_by_label("Their email address").fill("priya@example.com")
    page.get_by_label("Who is it for?").fill("Priya")
    page.get_by_role("button", name="Send invite").click()
    expect(
        page.get_by_text(
            "Invite emailed to priya@example.com. You can also copy its link from the list below."
        )
    ).to_be_visible()
    invites = page.locator("#invites tbody tr")
    expect(invites).to_have_count(1)
    expect(invites.first).to_contain_text("Priya")
    expect(invites.first).to_contain_text("Viewer")
    field = page.get_by_role("textbox", name="Invite link 1", exact=True)
    expect(field).to_be_focused()
    expect(field).to_have_value(re.compile(rf"^{re.escape(live_server.url)}{INVITE_URL}"))
    assert_not_reloaded(page)
    invite_url = field.input_value()

    newcomer = UserFactory()
    other = new_page()
    log_in(other, live_server, newcomer)
    other.goto(invite_url)
    expect(other.get_by_role("heading", level=1, name=f"Join “{team.name}”")).to_be_visible()
    expect(other.get_by_text("You have been invited to join as viewer.")).to_be_visible()
    other.get_by_role("button", name="Join the team").click()
    other.wait_for_url(url_of(live_server, team.get_absolute_url()))
    expect(
        other.get_by_role("status").filter(
            has_text=f"Welcome to “{team.name}”: you joined as viewer."
        )
    ).to_be_visible()
    expect(other.get_by_role("heading", level=1, name=team.name)).to_be_visible()
    expect(other.get_by_role("button", name="Send invite")).to_have_count(0)

    other.get_by_role("link", name="Projects of this team").click()
    project_row = other.get_by_role("row").filter(has_text=project.name)
    expect(project_row).to_contain_text("read only")
    project_row.get_by_role("link", name=project.name).click()
    expect(other.get_by_role("heading", level=1, name=project.name)).to_be_visible()
    expect(
        other.get_by_text(f"You are a viewer in {team.name}: you can read these decisions")
    ).to_be_visible()
    expect(other.get_by_role("button", name="Start the five questions")).to_have_count(0)
    expect(other.get_by_role("link", name="Edit project")).to_have_count(0)

    response = other.goto(invite_url)
    assert response.status == 404
    expect(
        other.get_by_role("heading", level=1, name="This invite link cannot be used")
    ).to_be_visible()


def test_owner_changes_a_role_and_cannot_leave_as_last_owner(page: Page, live_server, user, team):
    viewer = member(team, Role.VIEWER)
    log_in(page, live_server, user)
    team_url = url_of(live_server, team.get_absolute_url())
    page.goto(team_url)
    role = page.get_by_label(f"Role of {viewer.username}", exact=True)
    expect(role).to_have_value(Role.VIEWER)

    mark_document(page)
    # Tag the section on screen: once htmx has swapped in the server's copy, the tag is gone.
    page.evaluate("document.getElementById('members').dataset.before = 'change'")
    role.select_option(label="Editor")
    page.get_by_role("button", name=f"Save the role of {viewer.username}").click()
    expect(page.locator("#members[data-before]")).to_have_count(0)
    expect(page.get_by_label(f"Role of {viewer.username}", exact=True)).to_have_value(Role.EDITOR)
    expect(page.locator("#members").get_by_role("alert")).to_have_count(0)
    expect(page).to_have_url(team_url)
    assert_not_reloaded(page)

    page.get_by_role("button", name="Leave the team").click()
    refusal = page.locator("#members").get_by_role("alert")
    expect(refusal).to_have_text(
        "You are the team's last owner, so you cannot leave: make someone else an owner first."
    )
    expect(page).to_have_url(team_url)
    expect(page.get_by_role("heading", level=1, name=team.name)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=user.username)).to_have_count(1)
    assert_not_reloaded(page)

    # The change was saved: a fresh load shows it, and the activity says who made it.
    page.reload()
    expect(page.get_by_label(f"Role of {viewer.username}", exact=True)).to_have_value(Role.EDITOR)
    expect(page.get_by_text(f"changed {viewer.username} from viewer to editor")).to_be_visible()


def test_new_visitor_signs_up_and_gets_a_team_of_their_own(page: Page, live_server, db):
    page.goto(url_of(live_server, "/accounts/signup/"))
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Username").fill("dana")
    page.get_by_role("textbox", name=re.compile(r"^Password\*?$")).fill(SIGNUP_PASSWORD)
    page.get_by_label("Password (again)").fill(SIGNUP_PASSWORD)
    page.get_by_role("button", name="Create account").click()

    # Not in yet: the address is confirmed first, by the link emailed to it.
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_text("Confirmation email sent to dana@example.com.")).to_be_visible()
    page.goto(url_of(live_server, emailed_link(to="dana@example.com")))
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(url_of(live_server, "/projects/"))
    expect(page.get_by_text("Signed in as dana")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("heading", name="No projects yet")).to_be_visible()
    expect(page.get_by_role("link", name="Create your first project")).to_be_visible()

    page.get_by_role("link", name="Teams", exact=True).click()
    row = page.get_by_role("row").filter(has_text="dana's team")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").first).to_have_text("Owner")


# --- Accessibility --------------------------------------------------------------------------


def test_sharing_and_team_pages_have_no_axe_violations(
    page: Page, live_server, user, team, new_page
):
    axe = AxeChecks()
    check = axe.check

    viewer = member(team, Role.VIEWER)
    services.invite_create(team=team, user=user, role=Role.EDITOR, note="Priya")
    project = ProjectFactory(team=team, created_by=user)
    decision = completed_decision(project=project)
    services.share_create(decision=decision, user=user, expires_in_days=7)
    revoked = services.share_create(decision=decision, user=user, expires_in_days=None)
    services.share_revoke(link=revoked, user=user)
    live = ShareLink.objects.live().get(decision=decision)
    in_progress = DecisionFactory(project=project, created_by=user, title="Half way")
    services.answer_save(decision=in_progress, step=1, value="knowledge")
    other_team = TeamFactory()
    other_owner = MembershipFactory(team=other_team, role=Role.OWNER).user
    invite = services.invite_create(team=other_team, user=other_owner, role=Role.EDITOR)

    # Logged out.
    page.goto(url_of(live_server, "/accounts/signup/"))
    expect(page.get_by_role("heading", name="Create your Advisor account")).to_be_visible()
    check(page, "signup page")
    page.goto(url_of(live_server, "/accounts/password/reset/"))
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    check(page, "password reset page")
    page.goto(url_of(live_server, live.get_absolute_url()))
    expect(page.get_by_role("heading", level=1, name=decision.title)).to_be_visible()
    check(page, "share page, logged out")
    response = page.goto(url_of(live_server, "/s/no-such-link/"))
    assert response.status == 404
    expect(page.get_by_role("heading", name="This link does not open anything")).to_be_visible()
    check(page, "share link missing (404)")

    # The owner.
    log_in(page, live_server, user)
    page.goto(url_of(live_server, "/teams/"))
    expect(page.get_by_role("link", name=team.name, exact=True)).to_be_visible()
    check(page, "team list")
    page.goto(url_of(live_server, team.get_absolute_url()))
    expect(page.locator("#members tbody tr")).to_have_count(2)
    expect(page.locator("#invites tbody tr")).to_have_count(1)
    check(page, "team page as owner, with a pending invite")
    page.goto(url_of(live_server, "/teams/new/"))
    expect(page.get_by_role("heading", name="New team")).to_be_visible()
    check(page, "new team form")
    page.goto(url_of(live_server, decision.get_absolute_url()))
    expect(share_rows(page)).to_have_count(2)
    expect(share_rows(page).filter(has_text="Revoked")).to_have_count(1)
    check(page, "result page with share links")
    page.goto(url_of(live_server, f"/projects/{project.pk}/delete/"))
    expect(page.get_by_role("heading", name=f"Delete “{project.name}”?")).to_be_visible()
    check(page, "project delete confirmation")
    page.goto(url_of(live_server, f"/teams/{team.pk}/delete/"))
    expect(page.get_by_role("heading", name=f"Delete “{team.name}”?")).to_be_visible()
    check(page, "team delete confirmation")

    # A viewer.
    other = new_page()
    log_in(other, live_server, viewer)
    other.goto(url_of(live_server, team.get_absolute_url()))
    expect(other.get_by_text("You are viewer; only owners can change roles")).to_be_visible()
    check(other, "team page as viewer")
    other.goto(url_of(live_server, invite.get_absolute_url()))
    expect(other.get_by_role("heading", name=f"Join “{other_team.name}”")).to_be_visible()
    check(other, "invite accept page")
    other.goto(url_of(live_server, "/invites/no-such-invite/"))
    expect(other.get_by_role("heading", name="This invite link cannot be used")).to_be_visible()
    check(other, "invite missing page")
    response = other.goto(url_of(live_server, f"/decisions/{in_progress.pk}/step/2/"))
    assert response.status == 403
    expect(other.get_by_role("heading", name="You cannot do that here")).to_be_visible()
    check(other, "403 page (viewer on a wizard step)")
    other.goto(url_of(live_server, in_progress.get_absolute_url()))
    expect(other.get_by_role("heading", name="Answers so far")).to_be_visible()
    check(other, "in-progress decision, read only for a viewer")

    axe.assert_clean()


# --- Console and CSP ------------------------------------------------------------------------


def test_sharing_and_inviting_log_no_console_errors_or_csp_violations(
    page: Page, live_server, user, team
):
    errors, failed = watch_console(page)
    grant_clipboard(page, live_server)
    decision = completed_decision(project=ProjectFactory(team=team, created_by=user))
    log_in(page, live_server, user)

    page.goto(url_of(live_server, decision.get_absolute_url()))
    create_share_link(page, "30 days")
    sharing(page).get_by_role("button", name="Copy", exact=True).click()
    expect(sharing(page).get_by_role("button", name="Copied", exact=True)).to_be_visible()
    page.get_by_role("button", name="Revoke share link 1").click()
    expect(share_rows(page).first).to_contain_text("Revoked")

    page.goto(url_of(live_server, team.get_absolute_url()))
    page.get_by_label("Their email address").fill("sam@example.com")
    page.get_by_label("Who is it for?").fill("Sam")
    page.get_by_role("button", name="Send invite").click()
    expect(page.get_by_role("textbox", name="Invite link 1", exact=True)).to_be_focused()
    invites = page.locator("#invites")
    invites.get_by_role("button", name="Copy", exact=True).click()
    expect(invites.get_by_role("button", name="Copied", exact=True)).to_be_visible()

    assert errors == [], "console errors:\n" + "\n".join(errors)
    assert failed == [], "failed requests:\n" + "\n".join(failed)
