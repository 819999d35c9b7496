"""Golden renders: five saved decisions as a user and a visitor see them, compared as text.

Each case builds a decision through the real services (fixed names, titles, answers and
times), then fetches five renders of it through the test client: the result page (as the
team's owner), the public share page and its JSON twin (anonymous), and the Markdown and
JSON exports (as the owner). Each render is reduced to stable text and compared with its
file in tests/golden/renders/ (`<case>_<page>.txt`, `.md` or `.json`). They guard
refactors that must not change what anyone sees.

The text of an HTML page is what a reader gets: the visible text outside <head> (its
<title> apart), one line per block, table cells joined by " | ", a link's target after its
text, a form's method and target, a read-only field's value, and the geometry of the
charts' shapes (their text is visible text already). Scripts, styles, elements marked
`hidden`, attributes such as CSP nonces and CSRF tokens never make it into the text.
JSON is parsed and written again with sorted keys (PostgreSQL's jsonb reorders the keys of
saved snapshots). In all of them, share tokens become `<share-token>` and database ids in
URLs become the name of what they point to (`/decisions/<tone-of-replies>/`), so SQLite
and PostgreSQL give the same text.

Dates are not replaced: `django.utils.timezone.now` is patched with a clock that the test
sets before each step and before the renders, so every stored time, every date computed
from "today" (review dates, "due in 59 days") and the export time are the same on every
run, and a change in how they are worked out or written shows in the diff. Users have
fixed names ("priya", "sam").

To write the files again from the current code, review the diff, and commit it:

    UPDATE_GOLDEN=1 uv run pytest tests/test_golden_renders.py
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from advisor import selectors, services
from advisor.models import Decision, ModelPrice, Recommendation, Role, ShareLink
from tests.factories import UserFactory, member

GOLDEN = Path(__file__).parent / "golden" / "renders"
# Snapshots as the release before issue 14 saved them (rules 2026.12.1, cost model 2026.11.1),
# rendered: each must keep its own words. A layout change moves them, and UPDATE_GOLDEN=1
# writes these files again too (issue 17's first screen did); review that diff for words.
LEGACY = Path(__file__).parent / "golden" / "legacy"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
RENDERED_AT = (2026, 12, 4, 12, 0)


# --- A clock the test sets ----------------------------------------------------------------------


class Clock:
    """Stands in for `django.utils.timezone.now`: the instant last set, in UTC."""

    def __init__(self) -> None:
        self.current = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def set(self, *parts: int) -> None:
        self.current = datetime(*parts, tzinfo=UTC)


@pytest.fixture
def clock(db) -> Iterator[Clock]:
    # Patched where Django defines it: services, models (auto_now), sessions and
    # `timezone.localdate()` all look `now` up there, whichever module calls them.
    clock = Clock()
    with mock.patch("django.utils.timezone.now", new=clock):
        yield clock


# --- The five saved decisions -------------------------------------------------------------------


@dataclass
class Case:
    decision: Decision
    owner: Any
    link: ShareLink
    # (URL segment, pk) -> the name that replaces the pk in the golden text.
    names: dict[tuple[str, int], str] = field(default_factory=dict)


def team_with_project(clock: Clock) -> tuple[Any, Any, Any]:
    """priya owns "Claims team", sam edits in it; priya creates "Claims triage"."""
    clock.set(2026, 10, 1, 9, 0)
    priya = UserFactory(username="priya")
    team = services.team_create(user=priya, name="Claims team")
    sam = member(team, Role.EDITOR, username="sam")
    project = services.project_create(
        user=priya,
        team=team,
        name="Claims triage",
        description="The assistant that helps agents answer insurance claims.",
    )
    return priya, sam, project


def answer_all(decision: Decision, answers: dict[str, str], notes: dict[str, str]) -> None:
    for step, (question, value) in enumerate(answers.items(), start=1):
        services.answer_save(
            decision=decision, step=step, value=value, note=notes.get(question, "")
        )


def saved_before_plans(decision: Decision) -> None:
    """Make the snapshot one saved before the refine step, the plans and the confidence
    existed: migration 0012 left those columns null, and such a decision's pages and exports
    must read exactly as they did (the "refined" case shows the new ones)."""
    Recommendation.objects.filter(decision=decision).update(
        refine=None, plan=None, pilot_metrics=None, confidence=None
    )


def names_of(project, decisions: dict[str, Decision]) -> dict[tuple[str, int], str]:
    """The names of the project, its team and these decisions, for `normalise`."""
    names = {("projects", project.pk): "claims-triage", ("teams", project.team_id): "team"}
    return names | {("decisions", decision.pk): name for name, decision in decisions.items()}


def build_rag(clock: Clock) -> Case:
    """A plain completed RAG decision, still proposed, with notes and one viewed share link."""
    priya, _, project = team_with_project(clock)
    clock.set(2026, 11, 2, 9, 5)
    decision = services.decision_start(project=project, user=priya, title="Support bot answers")
    clock.set(2026, 11, 2, 9, 10)
    answer_all(
        decision,
        {
            "problem": "knowledge",
            "data_change": "occasional",
            "latency": "async",
            "cost": "early_stage",
            "labeled_data": "none",
        },
        {
            "problem": "Agents paste answers from the wiki.\nThe wiki changes every month.",
            "cost": "Budget *tight* until Q3 <b>",
        },
    )
    clock.set(2026, 11, 2, 9, 30)
    services.decision_complete(decision=decision, user=priya)
    saved_before_plans(decision)
    decision.refresh_from_db()
    clock.set(2026, 11, 3, 10, 0)
    link = services.share_create(decision=decision, user=priya, expires_in_days=None)
    clock.set(2026, 11, 4, 15, 20)
    services.share_record_visit(token=link.token, counted=True)
    names = names_of(project, {"support-bot-answers": decision})
    names[("shares", link.pk)] = "link"
    return Case(decision=decision, owner=priya, link=link, names=names)


def build_estimate(clock: Clock) -> Case:
    """Knowledge and behaviour at three million queries a month, with the numbers step
    saved (rerank, a 900 ms target): the cost, latency and ship charts. Accepted with a
    review date."""
    priya, _, project = team_with_project(clock)
    answers = {
        "problem": "both",
        "data_change": "occasional",
        "latency": "interactive",
        "cost": "scaling",
        "labeled_data": "some",
    }
    clock.set(2026, 11, 10, 13, 0)
    decision = services.decision_start(project=project, user=priya, title="Claims assistant")
    answer_all(decision, answers, {"labeled_data": "About 800 reviewed replies."})
    clock.set(2026, 11, 10, 13, 40)
    price = ModelPrice.objects.get(model="GPT-4o mini (OpenAI API)")
    estimate = selectors.estimate_build(
        answers=answers, price=price, data={"monthly_queries": "3000000", "rerank": True}
    )
    services.estimate_save(decision=decision, price=price, estimate=estimate, latency_target_ms=900)
    clock.set(2026, 11, 10, 14, 0)
    services.decision_complete(decision=decision, user=priya)
    saved_before_plans(decision)
    decision.refresh_from_db()
    clock.set(2026, 11, 12, 11, 0)
    services.decision_status_change(
        decision=decision,
        user=priya,
        to_status=Decision.Lifecycle.ACCEPTED,
        reason="The cost model was agreed with finance.",
        review_by=date(2027, 2, 1),
    )
    clock.set(2026, 11, 12, 11, 30)
    # With the figures, as every link made before the choice existed shows them.
    link = services.share_create(
        decision=decision, user=priya, expires_in_days=30, include_costs=True
    )
    decision.refresh_from_db()
    names = names_of(project, {"claims-assistant": decision})
    names[("shares", link.pk)] = "link"
    return Case(decision=decision, owner=priya, link=link, names=names)


def build_superseded(clock: Clock) -> Case:
    """Prompt engineering, accepted, two outcomes (one not the recommended approach, with
    metrics), two comments, revisited and superseded by the revisit; one expired share link
    and one live."""
    priya, sam, project = team_with_project(clock)
    clock.set(2026, 10, 5, 9, 0)
    decision = services.decision_start(project=project, user=priya, title="Tone of replies")
    answer_all(
        decision,
        {
            "problem": "behavior",
            "data_change": "rare",
            "latency": "interactive",
            "cost": "early_stage",
            "labeled_data": "none",
        },
        {"problem": "Replies are correct but curt; agents rewrite half of them."},
    )
    clock.set(2026, 10, 5, 10, 0)
    services.decision_complete(decision=decision, user=priya)
    saved_before_plans(decision)
    decision.refresh_from_db()
    clock.set(2026, 10, 6, 9, 0)
    services.decision_status_change(
        decision=decision,
        user=priya,
        to_status=Decision.Lifecycle.ACCEPTED,
        reason="Cheapest first.",
    )
    clock.set(2026, 10, 6, 9, 15)
    expired = services.share_create(decision=decision, user=priya, expires_in_days=7)
    clock.set(2026, 10, 20, 16, 0)
    first = services.outcome_record(
        decision=decision,
        user=sam,
        approach="prompt_engineering",
        shipped_on=date(2026, 10, 19),
        notes="Shipped to 10 % of agents.",
        metrics=[
            ("quality pass rate", Decimal("87"), "%"),
            ("p95 latency", Decimal("640.5"), "ms"),
        ],
    )
    clock.set(2026, 10, 21, 14, 5)
    sams = services.comment_add(
        decision=decision,
        user=sam,
        body="Pass rate holds, but the tone drifts on long threads.\r\nWorth a revisit?",
    )
    clock.set(2026, 10, 22, 8, 30)
    priyas = services.comment_add(
        decision=decision, user=priya, body="Agreed: revisiting with the pairs we now have."
    )
    clock.set(2026, 11, 1, 9, 0)
    revisit = services.decision_revisit(
        decision=decision, user=priya, title="Tone of replies, with pairs"
    )
    services.answer_save(decision=revisit, step=4, value="scaling")
    services.answer_save(
        decision=revisit, step=5, value="plenty", note="2,400 replies rewritten by agents."
    )
    clock.set(2026, 11, 1, 9, 30)
    services.decision_complete(decision=revisit, user=priya)
    revisit.refresh_from_db()
    clock.set(2026, 11, 15, 16, 45)
    services.decision_supersede(
        decision=decision,
        replaced_by=revisit,
        user=priya,
        reason="The tuned model beat the prompts on tone.",
    )
    clock.set(2026, 11, 20, 10, 0)
    second = services.outcome_record(
        decision=decision,
        user=priya,
        approach="fine_tuning",
        shipped_on=date(2026, 11, 18),
        metrics=[("monthly cost", Decimal("1200.50"), "USD")],
    )
    clock.set(2026, 11, 20, 10, 30)
    link = services.share_create(decision=decision, user=priya, expires_in_days=None)
    decision.refresh_from_db()
    names = names_of(project, {"tone-of-replies": decision, "tone-with-pairs": revisit})
    names |= {
        ("shares", expired.pk): "expired-link",
        ("shares", link.pk): "link",
        ("outcomes", first.pk): "outcome-1",
        ("outcomes", second.pk): "outcome-2",
        ("comments", sams.pk): "comment-sam",
        ("comments", priyas.pk): "comment-priya",
    }
    return Case(decision=decision, owner=priya, link=link, names=names)


def build_refined(clock: Clock) -> Case:
    """Behaviour with some pairs, the refine step answered with notes (no evaluation set yet,
    a small corpus, data kept in the region): the plan, the pilot's metrics, the confidence
    and the refine answers. Still proposed, one share link."""
    priya, _, project = team_with_project(clock)
    clock.set(2026, 12, 1, 9, 0)
    decision = services.decision_start(project=project, user=priya, title="Reply format")
    answer_all(
        decision,
        {
            "problem": "behavior",
            "data_change": "frequent",
            "latency": "interactive",
            "cost": "scaling",
            "labeled_data": "some",
        },
        {"problem": "Replies must follow the claims template."},
    )
    clock.set(2026, 12, 1, 9, 20)
    services.refine_save(
        decision=decision,
        values={
            "eval_set": "few",
            "corpus_tokens": 180_000,
            "behaviour_change": "occasional",
            "citations_required": "no",
            "data_policy": "region_bound",
        },
        notes={
            "eval_set": "Twelve replies checked by hand <b>*weekly*</b>.",
            "data_policy": "EU only.\nLegal signed off in November.",
        },
    )
    clock.set(2026, 12, 1, 9, 30)
    services.decision_complete(decision=decision, user=priya)
    decision.refresh_from_db()
    clock.set(2026, 12, 2, 10, 0)
    link = services.share_create(decision=decision, user=priya, expires_in_days=None)
    names = names_of(project, {"reply-format": decision})
    names[("shares", link.pk)] = "link"
    return Case(decision=decision, owner=priya, link=link, names=names)


def build_team(clock: Clock) -> Case:
    """priya asks sam and lee (a viewer) for their own answers by a deadline; sam reads the
    problem as behaviour (which would change the recommendation), lee expects the data to
    change often, and priya settles both with a note. Still proposed, one share link."""
    priya, sam, project = team_with_project(clock)
    lee = member(project.team, Role.VIEWER, username="lee")
    clock.set(2026, 12, 2, 9, 0)
    decision = services.decision_start(project=project, user=priya, title="Claims answers")
    services.round_ask(
        decision=decision, user=priya, people=[sam, lee], deadline=date(2026, 12, 10)
    )
    rag = {
        "problem": "knowledge",
        "data_change": "occasional",
        "latency": "interactive",
        "cost": "early_stage",
        "labeled_data": "none",
    }
    answer_sets = [
        (priya, rag, {"problem": "Agents look answers up in the policy wiki."}),
        (sam, rag | {"problem": "behavior"}, {"problem": "Replies *ignore* the template <b>"}),
        (lee, rag | {"data_change": "frequent"}, {"data_change": "Policies change monthly."}),
    ]
    for hour, (person, answers, notes) in enumerate(answer_sets, start=10):
        clock.set(2026, 12, 2, hour, 0)
        for step, (question, value) in enumerate(answers.items(), start=1):
            services.answer_save(
                decision=decision,
                step=step,
                value=value,
                note=notes.get(question, ""),
                user=person,
            )
        services.round_submit(decision=decision, user=person)
    clock.set(2026, 12, 3, 9, 0)
    services.round_close(decision=decision, user=priya)
    settle = {
        "problem": ("knowledge", "The template is a prompt fix; the gap is the wiki."),
        "data_change": ("occasional", "Policies change monthly,\nbut claims rules yearly."),
    }
    for key, (value, note) in settle.items():
        services.question_settle(decision=decision, user=priya, key=key, value=value, note=note)
    clock.set(2026, 12, 3, 9, 30)
    services.decision_complete(decision=decision, user=priya)
    decision.refresh_from_db()
    clock.set(2026, 12, 3, 10, 0)
    link = services.share_create(decision=decision, user=priya, expires_in_days=None)
    names = names_of(project, {"claims-answers": decision})
    names[("shares", link.pk)] = "link"
    return Case(decision=decision, owner=priya, link=link, names=names)


CASES: dict[str, Callable[[Clock], Case]] = {
    "rag": build_rag,
    "estimate": build_estimate,
    "superseded": build_superseded,
    "refined": build_refined,
    "team": build_team,
}


# --- Renders through the full HTTP path ---------------------------------------------------------


def owner_client(case: Case) -> Client:
    client = Client()
    client.force_login(case.owner)
    return client


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def result_page(case: Case) -> str:
    return page_text(get(owner_client(case), case.decision.get_absolute_url()))


def share_page(case: Case) -> str:
    return page_text(get(Client(), case.link.get_absolute_url()))


def share_json(case: Case) -> str:
    return json_text(get(Client(), reverse("advisor:share_json", args=[case.link.token])))


def export_md(case: Case) -> str:
    return get(owner_client(case), reverse("advisor:decision_export_md", args=[case.decision.pk]))


def export_json(case: Case) -> str:
    url = reverse("advisor:decision_export_json", args=[case.decision.pk])
    return json_text(get(owner_client(case), url))


# (name, render, file extension)
PAGES: list[tuple[str, Callable[[Case], str], str]] = [
    ("result", result_page, "txt"),
    ("share", share_page, "txt"),
    ("share_json", share_json, "json"),
    ("export_md", export_md, "md"),
    ("export_json", export_json, "json"),
]


# --- HTML to text -------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "desc",
    "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "legend", "li", "main", "nav", "ol",
    "option", "p", "pre", "section", "summary", "table", "tbody", "text", "tfoot", "thead",
    "title", "tr", "ul",
}  # fmt: skip
SKIP = {"script", "style", "template", "noscript"}
# The attributes that place a chart's shapes, in the order they are written out.
GEOMETRY = {
    "line": ("x1", "y1", "x2", "y2"),
    "polyline": ("points",),
    "rect": ("x", "y", "width", "height"),
    "circle": ("cx", "cy", "r"),
}


class TextExtractor(HTMLParser):
    """Collects the visible text of a page, one line per block (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        # Open elements: (tag, whether it hides its content, the link target to write at its end).
        self.stack: list[tuple[str, bool, str | None]] = []
        self.hidden = 0
        self.in_head = False
        # One entry per open <svg>: whether it is a chart (role="img"), not a decoration.
        self.svgs: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "head":
            self.in_head = True
        hides = tag in SKIP or "hidden" in attributes
        if tag not in VOID:
            href = attributes.get("href") if tag == "a" else None
            self.stack.append((tag, hides, href))
            self.hidden += hides
        if tag == "svg":
            self.svgs.append(attributes.get("role") == "img")
        if self.hidden or hides or (self.in_head and tag != "title"):
            return
        if tag in BLOCK or tag in ("td", "th"):
            self.cell_or_break(tag)
        if tag == "form":
            method = (attributes.get("method") or "get").upper()
            self.write(f"[form {method} {attributes.get('action', '')}]")
            self.break_line()
        elif tag == "input" and "readonly" in attributes:
            self.write(f"[field: {attributes.get('value', '')}]")
        elif tag in GEOMETRY and any(self.svgs):
            values = " ".join(f"{name}={attributes.get(name)}" for name in GEOMETRY[tag])
            self.break_line()
            self.write(f"~ {tag} {values}")
            self.break_line()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if not any(open_tag == tag for open_tag, _, _ in self.stack):
            return  # a stray end tag
        while self.stack:
            open_tag, hides, href = self.stack.pop()
            self.hidden -= hides
            if open_tag == tag:
                break
        if tag == "svg" and self.svgs:
            self.svgs.pop()
        if self.hidden:
            return
        if tag == "a" and href is not None:
            self.write(f" [{href}]")
        if tag in BLOCK:
            self.break_line()

    def handle_data(self, data: str) -> None:
        if self.hidden or (self.in_head and self.stack and self.stack[-1][0] != "title"):
            return
        self.write(data)

    def cell_or_break(self, tag: str) -> None:
        if tag in ("td", "th"):
            if "".join(self.line).strip():
                self.write(" | ")
        else:
            self.break_line()

    def write(self, text: str) -> None:
        self.line.append(text)

    def break_line(self) -> None:
        text = " ".join("".join(self.line).split())
        if text:
            self.lines.append(text)
        self.line = []

    def text(self) -> str:
        self.break_line()
        return "\n".join(self.lines) + "\n"


def page_text(html: str) -> str:
    parser = TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()


def json_text(body: str) -> str:
    return json.dumps(json.loads(body), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --- Normalising what differs between runs and databases ----------------------------------------

KINDS = "decisions|projects|teams|shares|outcomes|comments|members|invites"
PK_IN_PATH = re.compile(rf"/({KINDS})/(\d+)(?=[/?#\]\s\"'>)]|$)")
PK_IN_QUERY = re.compile(r"([?&]a=)(\d+)")
# advisor.tokens: 24 random bytes, 32 URL-safe characters.
TOKEN_IN_PATH = re.compile(r"/(s|invites)/[A-Za-z0-9_-]{32}(?=[/.?#\]\s\"'>)]|$)")


def normalise(text: str, case: Case) -> str:
    text = text.replace(case.link.token, "<share-token>")

    def path_pk(match: re.Match) -> str:
        kind, pk = match.group(1), int(match.group(2))
        return f"/{kind}/<{case.names.get((kind, pk), 'id')}>"

    def query_pk(match: re.Match) -> str:
        return f"{match.group(1)}<{case.names.get(('decisions', int(match.group(2))), 'id')}>"

    text = PK_IN_PATH.sub(path_pk, text)
    text = PK_IN_QUERY.sub(query_pk, text)
    return TOKEN_IN_PATH.sub(lambda match: f"/{match.group(1)}/<token>", text)


# --- The comparison -----------------------------------------------------------------------------


# Not "page": pytest-playwright owns that fixture name.
@pytest.mark.parametrize("view", PAGES, ids=[name for name, _, _ in PAGES])
@pytest.mark.parametrize("case_name", list(CASES))
def test_render_matches_its_golden_file(clock, case_name, view):
    name, render, extension = view
    case = CASES[case_name](clock)
    clock.set(*RENDERED_AT)

    text = normalise(render(case), case)

    golden = GOLDEN / f"{case_name}_{name}.{extension}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        return
    assert golden.exists(), f"{golden} is missing: run with UPDATE_GOLDEN=1 to write it"
    expected = golden.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"golden/renders/{golden.name}",
            tofile="rendered now",
        )
        pytest.fail(f"{golden.name} differs from the render:\n{''.join(diff)}")


def as_saved_by_the_previous_release(case: Case, name: str) -> None:
    """Give the case's recommendation the columns the previous release saved for it (from
    its JSON export), and null in every column added since, as the migrations leave it."""
    exported = json.loads((LEGACY / f"{name}_export_json.json").read_text(encoding="utf-8"))
    saved = exported["recommendation"]
    added = {
        column.name: None
        for column in Recommendation._meta.concrete_fields
        if column.null and column.name not in saved
    }
    # update() writes the row directly: the model refuses to change a saved snapshot.
    Recommendation.objects.filter(decision=case.decision).update(**saved, **added)


# The cases the previous release had ("refined" is newer): golden/legacy/ holds their renders.
LEGACY_CASES = ("rag", "estimate", "superseded")


@pytest.mark.parametrize("case_name", LEGACY_CASES)
@pytest.mark.parametrize(
    "view", [page for page in PAGES if page[0] != "export_json"], ids=lambda page: page[0]
)
def test_a_snapshot_saved_by_the_previous_release_renders_as_it_did(clock, case_name, view):
    # The JSON export is left out: it names its own format version, which moved on.
    name, render, extension = view
    case = CASES[case_name](clock)
    as_saved_by_the_previous_release(case, case_name)
    clock.set(*RENDERED_AT)

    text = normalise(render(case), case)

    path = LEGACY / f"{case_name}_{name}.{extension}"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"golden/legacy/{case_name}_{name}.{extension}",
            tofile="rendered now",
        )
        pytest.fail(f"The previous release's snapshot renders differently:\n{''.join(diff)}")


def test_the_text_of_a_page_keeps_what_a_reader_sees_and_drops_the_rest():
    html = (
        '<html><head><title>Result · Advisor</title><meta name="x" content="y">'
        '<script nonce="abc">var a = 1;</script></head><body hx-headers=\'{"X-CSRFToken": "t"}\'>'
        '<p>One <a href="/decisions/7/">link</a></p><button hidden>Copy</button>'
        "<table><tr><th>Q</th><td>A</td></tr></table>"
        '<form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken"'
        ' value="secret"><input readonly value="http://testserver/s/abc/"></form>'
        '<svg role="img"><title>Chart</title><rect x="1" y="2" width="3" height="4"/></svg>'
        "</body></html>"
    )

    assert page_text(html) == (
        "Result · Advisor\n"
        "One link [/decisions/7/]\n"
        "Q | A\n"
        "[form POST /x/]\n"
        "[field: http://testserver/s/abc/]\n"
        "Chart\n"
        "~ rect x=1 y=2 width=3 height=4\n"
    )
