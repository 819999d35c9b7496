"""Where a team's independent answers differ, and which of those differences would change the
recommendation.

Pure: each person's answers in, the spread per question out. Which differences matter comes
from the engine's own sensitivity (`engine.gates.would_change` run on the leading answers),
not from a second rule set, so the view and the recommendation can never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from advisor.domain.engine import Answers, Approach, choose_approach
from advisor.domain.engine.gates import would_change
from advisor.domain.questions import QUESTION_KEYS, QUESTIONS
from advisor.domain.refine import REFINE_KEYS

Value = str | int


@dataclass(frozen=True, slots=True)
class Spread:
    """One question's answers across the people, in the people's order (None: not answered)."""

    key: str
    answers: tuple[Value | None, ...]
    # The settled answer, or else the most common one (ties go to the first given).
    leading: Value | None
    settled: bool
    # Other answers people gave that would change the recommendation, with the approach each
    # would lead to; always empty for a refine key, which never changes the approach.
    changes: tuple[tuple[Value, Approach], ...]

    @property
    def given(self) -> list[Value]:
        return [value for value in self.answers if value is not None]

    @property
    def counts(self) -> list[tuple[Value, int]]:
        """Each answer given with how many gave it, most common first."""
        return Counter(self.given).most_common()

    @property
    def agreed(self) -> bool:
        """Everyone who answered gave the same answer (and someone answered)."""
        return len(set(self.given)) == 1

    @property
    def answered(self) -> int:
        return len(self.given)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """The spreads of the five questions and of the refine keys anyone answered, with the
    approach each person's own answers lead to and the one the leading answers lead to."""

    spreads: tuple[Spread, ...]
    approaches: tuple[Approach | None, ...]
    leading: Approach | None

    @property
    def contested(self) -> list[Spread]:
        return [spread for spread in self.spreads if spread.answered and not spread.agreed]

    @property
    def decisive(self) -> list[Spread]:
        return [spread for spread in self.spreads if spread.changes]


def disagreement(
    people: Sequence[Mapping[str, Value]],
    settled: Mapping[str, Value] | None = None,
) -> Disagreement:
    """Lay out `people`'s answers (each a mapping of question or refine key to a valid value).

    `settled` holds the answers an editor has already taken; they lead where given. Judged on
    the answers alone, as the engine judges without saved numbers: the numbers step is the
    editor's, and its evidence joins only when the decision is completed.
    """
    settled = settled or {}
    keys = [*QUESTION_KEYS, *(k for k in REFINE_KEYS if k in settled or _anyone(people, k))]
    columns = {key: tuple(person.get(key) for person in people) for key in keys}
    leading = {key: settled.get(key, _most_common(columns[key])) for key in keys}
    five = {key: leading[key] for key in QUESTION_KEYS}
    baseline = Answers.from_mapping(five) if None not in five.values() else None
    approach = choose_approach(baseline) if baseline else None
    changes = would_change(approach, baseline, None) if baseline else ()
    spreads = tuple(
        Spread(
            key=key,
            answers=columns[key],
            leading=leading[key],
            settled=key in settled,
            changes=tuple(
                (change.answer, change.approach)
                for change in changes
                if change.question == key and change.answer in columns[key]
            ),
        )
        for key in keys
    )
    return Disagreement(
        spreads=spreads,
        approaches=tuple(_approach(person) for person in people),
        leading=approach,
    )


def _anyone(people: Sequence[Mapping[str, Value]], key: str) -> bool:
    return any(person.get(key) is not None for person in people)


def _most_common(values: Sequence[Value | None]) -> Value | None:
    given = [value for value in values if value is not None]
    # Counter keeps first-seen order among equal counts, so a tie goes to the first given.
    return Counter(given).most_common(1)[0][0] if given else None


def _approach(person: Mapping[str, Value]) -> Approach | None:
    """The approach a person's own answers lead to, or None until all five are answered."""
    if any(person.get(question.key) is None for question in QUESTIONS):
        return None
    return choose_approach(Answers.from_mapping({key: person[key] for key in QUESTION_KEYS}))
