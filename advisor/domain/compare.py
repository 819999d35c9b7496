"""Two saved recommendations side by side: what changed in the answers, verdicts and approach.

Pure Python, no Django: it reads the snapshots' JSON columns as plain dicts (the `answers`,
`rationale`, `approach`, `rules_version` and `team_answers` of advisor.models.Recommendation),
so a comparison uses the labels and verdicts frozen with each decision, never today's rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.domain.engine import Approach, Verdict

Snapshot = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Shift:
    """One value before and after; "" stands for a side that does not have it."""

    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True, slots=True)
class AnswerChange:
    question: str
    question_title: str
    value: Shift
    label: Shift
    note: Shift

    @property
    def answer_changed(self) -> bool:
        return self.value.changed

    @property
    def note_changed(self) -> bool:
        return self.note.changed


@dataclass(frozen=True, slots=True)
class VerdictChange:
    question: str
    question_title: str
    rag: Shift
    fine_tuning: Shift

    @property
    def changed(self) -> bool:
        return self.rag.changed or self.fine_tuning.changed

    @property
    def rag_label(self) -> Shift:
        return Shift(_verdict_label(self.rag.old), _verdict_label(self.rag.new))

    @property
    def fine_tuning_label(self) -> Shift:
        return Shift(_verdict_label(self.fine_tuning.old), _verdict_label(self.fine_tuning.new))


@dataclass(frozen=True, slots=True)
class Comparison:
    answers: tuple[AnswerChange, ...]
    verdicts: tuple[VerdictChange, ...]
    approach: Shift
    approach_label: Shift
    rules_version: Shift
    # Who answered each side: "one person", or "3 people (1 disagreement settled)".
    answered_by: Shift
    # Whether a team answered either side: only then does the comparison say who answered.
    teams: bool

    @property
    def answers_changed(self) -> int:
        return sum(item.answer_changed for item in self.answers)

    @property
    def notes_changed(self) -> int:
        return sum(item.note_changed for item in self.answers)

    @property
    def verdicts_changed(self) -> int:
        """Each question has two verdicts (retrieval, fine-tuning); this counts them singly."""
        return sum(item.rag.changed + item.fine_tuning.changed for item in self.verdicts)

    @property
    def approach_changed(self) -> bool:
        return self.approach.changed

    @property
    def rules_changed(self) -> bool:
        return self.rules_version.changed

    @property
    def summary(self) -> str:
        """One plain line: "2 answers changed; the approach stayed Retrieval (RAG)."."""
        counts = [
            _count(self.answers_changed, "answer"),
            _count(self.notes_changed, "note"),
            _count(self.verdicts_changed, "verdict"),
        ]
        changed = [count for count in counts if count]
        what = f"{_and(changed)} changed" if changed else "No answer, note or verdict changed"
        labels = self.approach_label
        if self.approach_changed:
            line = f"{what}; the approach moved from {labels.old} to {labels.new}."
        else:
            line = f"{what}; the approach stayed {labels.new}."
        who = self.answered_by
        return f"{line} Answered by {who.old} before, by {who.new} after." if who.changed else line


def compare(old: Snapshot, new: Snapshot) -> Comparison:
    """Compare an earlier snapshot (`old`) with a later one (`new`), question by question.

    Questions are matched by key, in the old snapshot's order; a question only one side has
    (rules of another version) shows "" on the other side and counts as changed.
    """
    old_answers, new_answers = _by_question(old["answers"]), _by_question(new["answers"])
    old_factors, new_factors = _by_question(old["rationale"]), _by_question(new["rationale"])
    answers = tuple(
        AnswerChange(
            question=key,
            question_title=_title(key, old_answers, new_answers),
            value=_shift(old_answers, new_answers, key, "answer"),
            label=_shift(old_answers, new_answers, key, "answer_label"),
            note=_shift(old_answers, new_answers, key, "note"),
        )
        for key in _keys(old_answers, new_answers)
    )
    verdicts = tuple(
        VerdictChange(
            question=key,
            question_title=_title(key, old_factors, new_factors),
            rag=_shift(old_factors, new_factors, key, "rag"),
            fine_tuning=_shift(old_factors, new_factors, key, "fine_tuning"),
        )
        for key in _keys(old_factors, new_factors)
    )
    approach = Shift(old["approach"], new["approach"])
    teams = (old.get("team_answers"), new.get("team_answers"))
    return Comparison(
        answers=answers,
        verdicts=verdicts,
        approach=approach,
        approach_label=Shift(Approach.label_of(approach.old), Approach.label_of(approach.new)),
        rules_version=Shift(old["rules_version"], new["rules_version"]),
        answered_by=Shift(*(_answered_by(team) for team in teams)),
        teams=any(teams),
    )


def _answered_by(team: Snapshot | None) -> str:
    """Who answered a decision: one person, or the team members who submitted their answers
    (of those asked) and how many disagreements were settled."""
    if not team:
        return "one person"
    asked = len(team["people"])
    answered = sum(1 for person in team["people"] if person["submitted"])
    if answered < asked:
        people = f"{answered} of {asked} people asked"
    else:
        people = f"{asked} people" if asked > 1 else "the one person asked"
    disagreements = team["contested"]
    if not disagreements:
        return f"{people} (no disagreement)"
    return f"{people} ({_count(disagreements, 'disagreement')} settled)"


def _by_question(items: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {item["question"]: item for item in items}


def _keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return [*old, *(key for key in new if key not in old)]


def _title(key: str, old: Mapping[str, Mapping], new: Mapping[str, Mapping]) -> str:
    # The later wording, unless only the earlier snapshot asked the question.
    item = new.get(key) or old[key]
    return item.get("question_title", key)


def _shift(old: Mapping[str, Mapping], new: Mapping[str, Mapping], key: str, field: str) -> Shift:
    return Shift(old.get(key, {}).get(field, ""), new.get(key, {}).get(field, ""))


def _verdict_label(value: str) -> str:
    return Verdict(value).label if value in Verdict else value


def _count(number: int, noun: str) -> str:
    if number == 0:
        return ""
    return f"1 {noun}" if number == 1 else f"{number} {noun}s"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
