"""Every HTML page of the app on a phone: no sideways scroll, and tap targets of 44 x 44 px.

The walk reads its pages from test_access's CASES, which holds a request for every URL name of
the ``advisor`` namespace: each GET probe of a page that answers HTML is opened at 390 x 844 as
the actor it is meant for (the owner for team pages; a visitor for public and invite pages).
A URL name that is neither walked nor excluded below fails the test, so a new page cannot
escape it. The account pages of allauth, a few more wizard steps and the 404 page are added by
hand. One browser context opens the pages one after another, each actor's session set as a
cookie.

Tap targets follow WCAG 2.5.5 (target size, 44 x 44 CSS px) with its exceptions, and no more:
- inline: a link laid out inline whose block holds other text too (a link in a sentence);
- equivalent: a checkbox or radio whose label (or its .form-check) is the 44 px target; a
  dashboard chart's bar, whose chart's table (behind its disclosure) has a 44 px link to the
  same list;
- hidden: a skip link, visually hidden until it has the focus.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser

from advisor.domain.questions import STEP_COUNT
from tests.test_access import CASES, PUBLIC_CONTENT, Probe, World, advisor_url_names, build_world

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MIN_TARGET = 44

# URL names that answer something other than an HTML page: downloads and the API.
NOT_HTML = {
    "decision_export_md",  # Markdown download
    "decision_export_json",  # JSON download
    "project_export_csv",  # CSV download
    "share_json",  # the share link's JSON
    "api_schema",  # a JSON schema
    "account_data",  # the account's JSON download
}
# URL names with no page of their own: forms post to them (GET is a 405), or they redirect.
NO_PAGE = {
    "home",  # redirects to the project list
    "decision_create",
    "decision_complete",
    "round_submit",
    "round_close",
    "question_settle",
    "share_create",
    "share_revoke",
    "decision_revisit",
    "decision_import",
    "outcome_delete",
    "comment_create",
    "comment_delete",
    "team_settings",
    "invite_create",
    "invite_revoke",
    "member_role",
    "member_remove",
    "api_evaluate",
    "decision_status",
    "decision_supersede",
    "decision_review_date",
    "account_delete",
}

# Who opens a page: members' pages as the owner (else the first member who may see it); public
# pages and invites as a visitor, signed out if they may be, else from another team. A page
# that answers no one in its order with a 200 is opened where it answers 400 or 404 (a link
# to nothing, a wrong choice): those are pages people meet too.
MEMBERS = ("owner", "editor", "viewer")
VISITORS = ("anonymous", "outsider")


@dataclass(frozen=True)
class Visit:
    label: str
    actor: str
    path: str


def actor_for(name: str, probe: Probe) -> str | None:
    """Who opens the probe's page; None when it is no page (a redirect, a 405)."""
    public = name in PUBLIC_CONTENT or probe.expect.anonymous != 302
    order = VISITORS if public else MEMBERS
    for wanted in (lambda status: status == 200, lambda status: status in (400, 404)):
        for actor in order:
            if wanted(getattr(probe.expect, actor)):
                return actor
    return None


def page_probes(names) -> list[tuple[str, Probe, str]]:
    """The GET probes of these URL names that show a page, each with who opens it."""
    return [
        (name, probe, actor)
        for name in names
        for probe in CASES[name]
        if probe.method == "get" and (actor := actor_for(name, probe))
    ]


def walked_probes() -> list[tuple[str, Probe, str]]:
    return page_probes([name for name in CASES if name not in NOT_HTML | NO_PAGE])


def visits(world: World) -> list[Visit]:
    found = []
    for name, probe, actor in walked_probes():
        world.me = actor
        path = reverse(f"advisor:{name}", kwargs=probe.kwargs(world))
        if probe.data:
            path += "?" + urlencode(probe.data(world))
        found.append(Visit(f"{name}-{probe.id}", actor, path))
    # The other wizard steps: each question has its own choices and help.
    for step in range(2, STEP_COUNT + 1):
        path = reverse("advisor:decision_step", args=[world.draft.pk, step])
        found.append(Visit(f"decision_step-{step}", "owner", path))
    # allauth's pages that people meet, signed out and signed in; and the 404 page.
    found += [
        Visit(name, "anonymous", reverse(name))
        for name in ("account_login", "account_signup", "account_reset_password")
    ]
    found += [
        Visit(name, "owner", reverse(name)) for name in ("account_email", "account_change_password")
    ]
    found.append(Visit("404", "owner", "/no-such-page/"))
    found.append(Visit("403", "viewer", reverse("advisor:project_edit", args=[world.project.pk])))
    return found


def test_every_url_name_is_walked_or_excluded():
    walked = {name for name, _, _ in walked_probes()}
    missing = advisor_url_names() - walked - NOT_HTML - NO_PAGE

    assert not missing, f"walk these pages on a phone, or exclude them: {sorted(missing)}"
    shown = {name for name, _, _ in page_probes(NO_PAGE)}
    assert not shown, f"excluded as having no page, but a GET shows one: {sorted(shown)}"


# Finds what a phone user cannot use: every visible tap target under 44 x 44 CSS px that no
# exception covers. Returns [tag, text, width, height] for each.
SMALL_TARGETS = """(minimum) => {
  const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, '
    + '[role="button"], [tabindex]:not([tabindex="-1"])';
  const big = (rect) => rect.width >= minimum - 0.01 && rect.height >= minimum - 0.01;
  const visible = (element) => {
    const style = getComputedStyle(element);
    const rect = element.getBoundingClientRect();
    return element.getClientRects().length > 0 && style.visibility !== 'hidden'
      && rect.width > 1 && rect.height > 1;
  };
  const blockOf = (element) => {
    let block = element.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) {
      block = block.parentElement;
    }
    return block;
  };
  // WCAG 2.5.5 "inline": a link in a sentence, sized by the line of text around it.
  const inline = (element) => {
    if (element.tagName !== 'A' || getComputedStyle(element).display !== 'inline') return false;
    const block = blockOf(element);
    return block.textContent.replace(element.textContent, '').trim() !== '';
  };
  // WCAG 2.5.5 "equivalent": the label of a checkbox or radio is the target.
  const labelled = (element) => {
    if (!['checkbox', 'radio'].includes(element.type)) return false;
    const wrappers = [...element.labels, element.closest('.form-check')].filter(Boolean);
    return wrappers.some((wrapper) => big(wrapper.getBoundingClientRect()));
  };
  // WCAG 2.5.5 "equivalent": a chart's bar whose table row links to the same list.
  const charted = (element) => {
    const chart = element.closest('svg') && element.closest('.dashboard-chart');
    if (!chart) return false;
    const href = element.getAttribute('href');
    return [...chart.querySelectorAll('.chart-data a')]
      .some((link) => link.getAttribute('href') === href && big(link.getBoundingClientRect()));
  };
  // A skip link is visually hidden until it has the focus.
  const hidden = (element) => element.matches('.visually-hidden-focusable:not(:focus)');
  return [...document.querySelectorAll(selector)]
    .filter((element) => visible(element) && !big(element.getBoundingClientRect()))
    .filter((element) => !inline(element) && !labelled(element) && !charted(element)
      && !hidden(element))
    .map((element) => {
      const rect = element.getBoundingClientRect();
      const text = (element.innerText || element.value || element.getAttribute('aria-label')
        || element.name || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
      return [element.tagName.toLowerCase(), text, Math.round(rect.width),
        Math.round(rect.height)];
    });
}"""

# The page's width against the window's, and each box inside it that scrolls sideways (a wide
# table in .table-responsive fits the page but still has to be scrolled).
SIDEWAYS = """() => [
  document.documentElement.scrollWidth,
  window.innerWidth,
  [...document.querySelectorAll('body *')]
    .filter((element) => ['auto', 'scroll'].includes(getComputedStyle(element).overflowX)
      && element.scrollWidth > element.clientWidth + 1)
    .map((element) => [element.tagName.toLowerCase() + [...element.classList].map((name) => '.'
      + name).join(''), element.scrollWidth, element.clientWidth]),
]"""


def session_cookie(user: AbstractBaseUser, url: str) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}


@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_and_its_targets_are_big_enough(browser: Browser, live_server):
    world = build_world()
    cookies = {actor: session_cookie(user, live_server.url) for actor, user in world.users.items()}
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems = []
    try:
        for visit in visits(world):
            context.clear_cookies()
            if visit.actor != "anonymous":
                context.add_cookies([cookies[visit.actor]])
            response = page.goto(f"{live_server.url}{visit.path}")
            where = f"{visit.label} as {visit.actor} ({visit.path})"
            assert response.headers["content-type"].startswith("text/html"), where
            # What a disclosure holds is on screen once it is opened: the top bar's menu, too.
            page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            scroll_width, inner_width, scrollers = page.evaluate(SIDEWAYS)
            if scroll_width > inner_width:
                problems.append(f"{where}: {scroll_width} px wide in a {inner_width} px window")
            problems += [
                f"{where}: <{box}> scrolls sideways, {inner} px wide inside {outer} px"
                for box, inner, outer in scrollers
            ]
            problems += [
                f"{where}: <{tag}> {text!r} is {width} x {height}"
                for tag, text, width, height in page.evaluate(SMALL_TARGETS, MIN_TARGET)
            ]
    finally:
        context.close()

    assert not problems, "on a 390 px phone:\n" + "\n".join(problems)
