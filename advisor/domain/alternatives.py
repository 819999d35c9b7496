"""The result page's first screen, read from a saved snapshot: the approaches side by side and
the reasons that decided.

Nothing here is a rule. Every sentence shown is one the snapshot saved (a "what would change"
sentence, a factor's reason); this module only picks and orders them, and reads each
approach's figures out of the saved estimate. So a decision saved under older rules still shows
its own words (docs/decision-rules.md, "The first screen of a result").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.domain.charts.formatting import money, ms_range, weeks_text
from advisor.domain.engine import Approach

# The ladder's order, with the combination last: the order of the side-by-side cards.
ORDER = (
    Approach.PROMPT_ENGINEERING,
    Approach.RAG,
    Approach.FINE_TUNING,
    Approach.RAG_PLUS_FINE_TUNING,
)
# The factor table's verdict columns that judge each approach; prompt engineering has none.
COLUMNS = {
    Approach.PROMPT_ENGINEERING: (),
    Approach.RAG: ("rag",),
    Approach.FINE_TUNING: ("fine_tuning",),
    Approach.RAG_PLUS_FINE_TUNING: ("rag", "fine_tuning"),
}
# How strongly a verdict counts against an approach: a poor fit first, then a partial one.
WEAKNESS = {"poor": 2, "partial": 1, "strong": 0}
NO_SINGLE_ANSWER = "No single different answer would make it the advice."


@dataclass(frozen=True, slots=True)
class Figures:
    """One approach's numbers from the saved estimate, formatted; empty strings when absent."""

    cost: str = ""
    latency: str = ""
    ship: str = ""

    def __bool__(self) -> bool:
        return any((self.cost, self.latency, self.ship))


@dataclass(frozen=True, slots=True)
class Alternative:
    """One approach beside the recommended one: `why_not` is empty for the recommended one."""

    key: str
    label: str
    recommended: bool
    why_not: str
    poor_fit: tuple[str, ...]
    figures: Figures

    @property
    def poor_fit_text(self) -> str:
        """ "Poor fit on “A”, “B” and “C”." or an empty string."""
        if not self.poor_fit:
            return ""
        quoted = [f"“{title}”" for title in self.poor_fit]
        listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
        return f"Poor fit on {listed}."


@dataclass(frozen=True, slots=True)
class FirstScreen:
    alternatives: tuple[Alternative, ...]
    reasons: tuple[str, ...]
    horizon_months: int | None


def first_screen(snapshot: Mapping[str, Any], *, reasons: int = 2) -> FirstScreen:
    """The approaches side by side and up to `reasons` deciding reasons, from a snapshot's
    fields (`approach`, `rationale`, `would_change` and `estimate`)."""
    chosen = snapshot["approach"]
    rationale = snapshot.get("rationale") or []
    report = snapshot.get("estimate") or None
    return FirstScreen(
        alternatives=tuple(
            _alternative(approach, chosen, rationale, snapshot.get("would_change") or [], report)
            for approach in ORDER
        ),
        reasons=deciding_reasons(chosen, rationale)[:reasons],
        horizon_months=report.get("horizon_months") if report else None,
    )


def deciding_reasons(chosen: str, rationale: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The factors' reasons that set the chosen approach apart, most telling first.

    For an approach with verdict columns: the factors where it is a strong fit and the other
    column is weaker, the widest gap first. For prompt engineering, which has no column: the
    factors that hold fine-tuning back (a poor fit for it), since that is why prompts stay.
    """
    if chosen not in Approach:
        return ()  # written by a newer release: its reasons are not guessed at
    own = COLUMNS[Approach(chosen)]
    if not own:
        return tuple(item["why"] for item in rationale if item.get("fine_tuning") == "poor")
    others = [column for column in ("rag", "fine_tuning") if column not in own]
    ranked = []
    for index, item in enumerate(rationale):
        if any(item.get(column) != "strong" for column in own):
            continue
        gap = max((WEAKNESS.get(item.get(column), 0) for column in others), default=0)
        if gap or not others:
            ranked.append((-gap, index, item["why"]))
    return tuple(why for _gap, _index, why in sorted(ranked))


def _alternative(approach, chosen, rationale, would_change, report) -> Alternative:
    recommended = approach == chosen
    poor = tuple(
        _title(item)
        for item in rationale
        if any(item.get(column) == "poor" for column in COLUMNS[approach])
    )
    leading_here = [change["summary"] for change in would_change if change["approach"] == approach]
    why_not = "" if recommended else (leading_here[0] if leading_here else NO_SINGLE_ANSWER)
    return Alternative(
        key=str(approach),
        label=approach.label,
        recommended=recommended,
        why_not=why_not,
        poor_fit=poor,
        figures=_figures(report, str(approach)),
    )


def _figures(report: Mapping[str, Any] | None, key: str) -> Figures:
    if not report:
        return Figures()
    curve = report.get("curves", {}).get(key)
    latency = report.get("latency", {}).get(key)
    ship = report.get("time_to_ship", {}).get(key)
    return Figures(
        cost=money(curve["cumulative"][-1]) if curve and curve.get("cumulative") else "",
        latency=ms_range(latency["low_ms"], latency["high_ms"]) if latency else "",
        ship=weeks_text(ship["weeks"]) if ship else "",
    )


def _title(item: Mapping[str, Any]) -> str:
    return item.get("question_title") or item["question"]
