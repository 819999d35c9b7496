"""A decision's export document (advisor.selectors.documents.decision_export) as Markdown, in
the MADR layout (https://adr.github.io/madr/), for a team's docs folder.

Pure: a plain dict in, a string out, no Django. Every value from the document is escaped:
in the front matter as a YAML double-quoted string that reads back exactly, in the body as
text in which "&", "<" and ">" are HTML entities and Markdown's structure (a title starting
with "#", a note line starting with "-" or "|", brackets that would make a link) is
backslashed, so what a user typed never breaks the layout or injects links and HTML.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from advisor.domain.engine import Approach
from advisor.domain.outcome_rules import PilotVerdict, contradiction, pilot_target, pilot_verdict

# The options every decision weighs, cheapest first; a combination is listed when chosen.
CONSIDERED = ("prompt_engineering", "rag", "fine_tuning")

# HTML's own escapes: entities are read as text by every Markdown flavour (a backslash
# before "<" is not: Python-Markdown, for one, passes "\<script>" through as HTML).
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML = re.compile("[&<>]")
# Characters that start emphasis, strikethrough, code (fences too) or links anywhere.
_INLINE = re.compile(r"([\\`*_~\[\]])")
# What makes a line a heading, list, table row, rule or setext underline (a quote's ">" is
# already an entity).
_BLOCK_START = re.compile(r"^([#+\-*|=])")
_ORDERED_START = re.compile(r"^(\d+)([.)])(?=\s|$)")


def _text(text: str) -> str:
    """Text that is neither HTML nor inline Markdown."""
    return _INLINE.sub(r"\\\1", _HTML.sub(lambda match: _ENTITIES[match[0]], text))


def _escape(line: str) -> str:
    line = _BLOCK_START.sub(r"\\\1", _text(line.strip()))
    return _ORDERED_START.sub(r"\1\\\2", line)


def inline(text: str) -> str:
    """User text on one line, safe at the start of a line or inside a list item."""
    return _escape(" ".join(str(text).split()))


def lines(text: str) -> list[str]:
    """Multi-line user text, each line escaped so it stays plain text."""
    return [_escape(line) for line in str(text).strip().splitlines()]


def heading(text: str) -> str:
    # Every "#" escaped: a trailing one would otherwise be read as a closing sequence.
    return _text(" ".join(str(text).split())).replace("#", r"\#")


# The short escapes of a YAML double-quoted string, which every YAML parser reads.
_YAML_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
# Characters written as \u escapes: those YAML does not print (controls, surrogates), those
# it reads as a line break (NEL, the line and paragraph separators), and those a reader of the
# file cannot see (format characters such as bidi overrides, private use, unassigned).
_YAML_ESCAPED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def yaml_string(value: object) -> str:
    """A value as a YAML double-quoted string on one line, which a YAML parser reads back as
    exactly the same text. "<", ">" and "&" are escaped too, so the file holds no HTML even
    before it is parsed."""
    return '"' + "".join(_yaml_char(char) for char in str(value)) + '"'


def _yaml_char(char: str) -> str:
    if char in _YAML_SHORT:
        return _YAML_SHORT[char]
    if char in _ENTITIES or unicodedata.category(char) in _YAML_ESCAPED:
        code = ord(char)
        return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
    return char


def decision_markdown(document: Mapping[str, Any]) -> str:
    """The MADR file for one exported decision."""
    rec = document["recommendation"]
    parts = [
        _front_matter(document),
        f"# {heading(document['decision']['title'])}",
        _context(document),
        _team(rec.get("team_answers"), (document.get("people") or {}).get("team_answers") or {}),
        _drivers(rec),
        _options(rec["approach"]),
        _outcome(rec),
        _outcomes(document.get("outcomes") or [], rec["approach"], rec.get("pilot_metrics") or []),
        _more(document),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _front_matter(document: Mapping[str, Any]) -> str:
    people = document.get("people") or {}
    fields = {
        "status": document.get("lifecycle"),
        "date": _day(document["decision"]["completed_at"]),
        "deciders": people.get("completed_by"),
        "review-by": document.get("review_by"),
    }
    body = [f"{key}: {yaml_string(value)}" for key, value in fields.items() if value]
    return "\n".join(["---", *body, "---"])


def _context(document: Mapping[str, Any]) -> str:
    rec = document["recommendation"]
    out = [
        "## Context and Problem Statement",
        "",
        f"Project “{inline(document['decision']['project'])}”: should the product use prompt "
        "engineering, retrieval (RAG) or fine-tuning? The team answered five questions:",
        "",
    ]
    for answer in rec["answers"]:
        out.append(f"* {inline(answer['prompt'])} **{inline(answer['answer_label'])}**")
        out += _indented(lines(answer.get("note") or ""))
    if rec.get("refine"):
        out += ["", "And refined the advice:", ""]
        for item in rec["refine"]:
            out.append(f"* {inline(item['title'])}: **{inline(item['answer_label'])}**")
            out += _indented(lines(item.get("note") or ""))
    return "\n".join(out)


def _team(team: Mapping[str, Any] | None, names: Mapping[str, Any]) -> str:
    """How each person answered, question by question, and how the answers were settled;
    people without a name in the file are numbered, as the share page shows them."""
    if not team:
        return ""
    given = names.get("people") or []
    people = [
        inline(given[n]) if n < len(given) and given[n] else f"Person {n + 1}"
        for n in range(len(team["people"]))
    ]
    asked_by = f" by {inline(names['asked_by'])}" if names.get("asked_by") else ""
    count = len(people)
    out = [
        "## How the Team Answered",
        "",
        f"{count} {'person was' if count == 1 else 'people were'} asked for their own "
        f"answers{asked_by}; the answers above are the ones settled from theirs.",
        "",
    ]
    for name, person in zip(people, team["people"], strict=True):
        if not person["submitted"]:
            out.append(f"* {name} did not answer")
        elif person.get("approach_label"):
            out.append(f"* {name}, whose answers lead to {inline(person['approach_label'])}")
        else:
            out.append(f"* {name}")
    out += ["", "Question by question:", ""]
    settled_by = names.get("settled_by") or {}
    for question in team["questions"]:
        out.append(f"* {inline(question['title'])} ({_clause(question['agreement'])})")
        for name, cell in zip(people, question["answers"], strict=True):
            out.append(f"  * {name}: {inline(cell['answer_label']) if cell else 'no answer'}")
            out += _indented(lines((cell or {}).get("note") or ""), "    ")
        out += [
            f"  * Changes the recommendation: “{inline(change['answer_label'])}” would make it "
            f"{inline(change['approach_label'])}."
            for change in question["changes"]
        ]
        if settled := question.get("settled"):
            by = settled_by.get(question["key"])
            out.append(
                f"  * Settled: **{inline(settled['answer_label'])}**"
                + (f", by {inline(by)}" if by else "")
            )
            out += _indented(lines(settled.get("note") or ""), "    ")
    return "\n".join(out)


def _drivers(rec: Mapping[str, Any]) -> str:
    items = [
        f"* {inline(item['question_title'])}: {inline(item['answer_label'])}"
        for item in rec["rationale"]
    ]
    return "\n".join(["## Decision Drivers", "", *items])


def _options(chosen: str) -> str:
    keys = [*CONSIDERED, *([chosen] if chosen not in CONSIDERED else [])]
    return "\n".join(["## Considered Options", "", *(f"* {_label(key)}" for key in keys)])


def favours(item: Mapping[str, Any], approach: str) -> bool:
    """Whether one rationale item argues for the chosen approach."""
    if approach == "prompt_engineering":
        # The cheapest rung wins where the heavier one is a poor fit.
        return item.get("fine_tuning") == "poor"
    if approach == "rag_plus_fine_tuning":
        return "strong" in (item.get("rag"), item.get("fine_tuning"))
    return item.get(approach) == "strong"


def _outcome(rec: Mapping[str, Any]) -> str:
    approach = rec["approach"]
    good = [
        f"* Good, because {_clause(i['why'])}" for i in rec["rationale"] if favours(i, approach)
    ]
    bad = [f"* Bad, because {_clause(text)}" for text in rec["trade_offs"]]
    return "\n".join(
        [
            "## Decision Outcome",
            "",
            f"Chosen option: “{_label(approach)}”, because the answers point there. "
            f"{inline(rec['headline'])}",
            *_confidence(rec.get("confidence")),
            "",
            "### Consequences",
            "",
            *good,
            *bad,
        ]
    )


def _outcomes(
    outcomes: Iterable[Mapping[str, Any]], chosen: str, pilot: list[Mapping[str, Any]]
) -> str:
    out = []
    for outcome in outcomes:
        differs = " (not the chosen option)" if contradiction(outcome["approach"], chosen) else ""
        shipped_on = inline(outcome["shipped_on"])
        out.append(f"* Shipped {_label(outcome['approach'])}{differs} on {shipped_on}")
        out += _indented(lines(outcome.get("notes") or ""))
        for metric in outcome.get("metrics") or []:
            unit = f" {inline(metric['unit'])}" if metric.get("unit") else ""
            verdict = pilot_verdict(metric.get("pilot") or "", Decimal(metric["value"]), pilot)
            out.append(
                f"  * {inline(metric['name'])}: {inline(metric['value'])}{unit}"
                f"{_pilot_result(verdict)}"
            )
    if not out:
        return ""
    return "\n".join(
        ["### Confirmation", "", "What was shipped afterwards, and how it went:", "", *out]
    )


def _more(document: Mapping[str, Any]) -> str:
    rec = document["recommendation"]
    out = [
        "## More Information",
        "",
        f"Recommended by Advisor, rules version {inline(rec['rules_version'])}.",
        "",
        "Next steps:",
        "",
        *(f"{n}. {inline(step)}" for n, step in enumerate(rec["next_steps"], start=1)),
        *_plan(rec.get("plan") or []),
        *_pilot(rec.get("pilot_metrics") or []),
        "",
        "What would change the advice:",
        "",
        *(
            [f"* {inline(c['summary'])}" for c in rec["would_change"]]
            or ["* No single different answer would change it."]
        ),
    ]
    history = _history(document)
    if history:
        out += ["", "Status history:", "", *history]
    out += ["", "Links:", "", *_links(document)]
    return "\n".join(out)


def _confidence(confidence: Mapping[str, Any] | None) -> list[str]:
    if not confidence:
        return []
    level = inline(confidence["level"]).capitalize()
    return ["", f"Confidence: **{level}**. {inline(confidence['reason'])}"]


def _plan(stages: list[Mapping[str, Any]]) -> list[str]:
    out = []
    for n, stage in enumerate(stages, start=1):
        when = f"When: {inline(stage['trigger'])}" if stage.get("trigger") else "Now."
        out.append(f"{n}. **{inline(stage['title'])}** {when} {inline(stage['action'])}")
    return ["", "The plan, stage by stage:", "", *out] if out else []


def _pilot(metrics: list[Mapping[str, Any]]) -> list[str]:
    out = [
        f"* {inline(metric['label'])}: "
        f"{inline(pilot_target(metric)) or 'a target your team sets'}, "
        f"{inline(metric['better'])} is better"
        for metric in metrics
    ]
    return ["", "What the pilot measures:", "", *out] if out else []


def _history(document: Mapping[str, Any]) -> list[str]:
    names = (document.get("people") or {}).get("status_changes") or []
    out = []
    for n, change in enumerate(document.get("status_history") or []):
        by = f" by {inline(names[n])}" if n < len(names) and names[n] else ""
        reason = f": {inline(change['reason'])}" if change.get("reason") else ""
        moved = f"{inline(change['from'])} to {inline(change['to'])}"
        out.append(f"* {inline(_day(change['at']))}, {moved}{by}{reason}")
    return out


LINK_NAMES = (
    ("supersedes", "Supersedes"),
    ("superseded_by", "Superseded by"),
    ("revisit_of", "Revisits"),
)


def _links(document: Mapping[str, Any]) -> list[str]:
    links = document.get("links") or {}
    out = [
        f"* {label}: [{inline(links[key]['title'])}](<{_url(links[key]['url'])}>)"
        for key, label in LINK_NAMES
        if links.get(key)
    ]
    return [*out, f"* This decision: <{_url(document['url'])}>"]


def _url(url: str) -> str:
    # Inside <...> only these end or break the destination.
    return re.sub(r"[<>\s]", "", url)


def _clause(sentence: str) -> str:
    """A sentence continuing "Good, because": its first word in lower case, unless it is
    an acronym such as RAG."""
    text = inline(sentence)
    if text[1:2].islower():
        return text[0].lower() + text[1:]
    return text


def _indented(text_lines: list[str], indent: str = "  ") -> list[str]:
    """A paragraph inside the list item above, `indent` being its depth (blank lines kept
    blank)."""
    if not text_lines:
        return []
    return ["", *(f"{indent}{line}" if line else "" for line in text_lines)]


def _label(approach: str) -> str:
    # A key this version does not know is shown as it is, so it is user text.
    return inline(Approach.label_of(approach))


def _day(timestamp: str) -> str:
    return str(timestamp)[:10]


def _pilot_result(verdict: PilotVerdict | None) -> str:
    if verdict is None or verdict.met is None:
        return ""
    return f" ({'met' if verdict.met else 'missed'} the pilot's target, {inline(verdict.target)})"
