"""How far to trust the advice: how many single different answers would change it, and
whether the team's numbers and a scored evaluation baseline back it."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain.engine.advice import Change
from advisor.domain.questions import QUESTIONS

# How many of the five questions, answered differently, would change the approach.
FRAGILE = 3  # this many or more: the advice hangs on the answers, whatever the evidence
SENSITIVE = 2  # this many: the answers that flip it deserve a second look


@dataclass(frozen=True, slots=True)
class Confidence:
    level: str
    reason: str


def confidence(
    would_change: tuple[Change, ...], *, has_numbers: bool, has_baseline: bool
) -> Confidence:
    """High, medium or low (docs/decision-rules.md, "Confidence").

    Low when FRAGILE or more of the five questions could each change the approach with a
    different answer; medium when SENSITIVE do, or when the team's numbers or a scored
    evaluation baseline is missing; high otherwise: one question at most, both present.
    """
    flipping = {change.question for change in would_change}
    titles = [question.title for question in QUESTIONS if question.key in flipping]
    missing = [
        name
        for name, present in (
            ("no numbers were entered", has_numbers),
            ("there is no scored evaluation baseline", has_baseline),
        )
        if not present
    ]
    if len(titles) >= FRAGILE:
        level = "low"
    elif len(titles) >= SENSITIVE or missing:
        level = "medium"
    else:
        level = "high"
    return Confidence(level=level, reason=_reason(titles, missing))


def _reason(titles: list[str], missing: list[str]) -> str:
    if not titles:
        text = "No single different answer would change the advice"
    elif len(titles) == 1:
        text = f"Only a different answer to “{titles[0]}” would change the advice"
    else:
        text = (
            f"A different answer to any of {len(titles)} questions would change the advice "
            f"({', '.join(titles)})"
        )
    if missing:
        return f"{text}; {' and '.join(missing)}."
    return f"{text}; your numbers and a scored evaluation baseline back it."
