"""How a team answered a decision, as its snapshot keeps it (Recommendation.team_answers, the
document advisor.selectors.rounds.round_document builds) and as the export writes it (format
version 3).

In the export the recommendation's team answers hold no names: the share link's JSON carries
the recommendation, and a member's export keeps every name under "people". `without_names`
and `with_names` move the names between the snapshot and those two places.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from advisor.domain.questions import QUESTION_KEYS
from advisor.domain.refine import REFINE_KEYS
from advisor.domain.schemas.fields import ApproachName, Day, StrictModel
from advisor.domain.schemas.sentences import APPROACH, WORD, Sentence

# The columns' limits (advisor.models.rounds); tests/test_schemas.py checks they agree.
PERSONAL_NOTE_MAX_LENGTH = 2000
SETTLE_NOTE_MAX_LENGTH = 500

PersonalNote = Annotated[str, StringConstraints(max_length=PERSONAL_NOTE_MAX_LENGTH)]
SettleNote = Annotated[str, StringConstraints(max_length=SETTLE_NOTE_MAX_LENGTH)]
TeamValue = str | int
"""A choice's value, or for corpus_tokens a number of tokens."""


class TeamPerson(StrictModel):
    """One person asked, without their name."""

    submitted: bool
    approach: ApproachName | None
    """The approach their own answers lead to; null when they did not answer."""
    approach_label: str | None


class TeamAnswer(StrictModel):
    """One person's answer to a question, with their note."""

    answer: TeamValue
    answer_label: str
    note: PersonalNote


class TeamChoice(StrictModel):
    """An answer given, and by how many people."""

    answer: TeamValue
    answer_label: str
    count: Annotated[int, Field(ge=1)]


class TeamChange(StrictModel):
    """An answer someone gave that would have led to another approach."""

    answer: TeamValue
    answer_label: str
    approach: ApproachName
    approach_label: str


class TeamSettlement(StrictModel):
    """The answer taken for the decision, with the note saying why where people disagreed."""

    answer: TeamValue
    answer_label: str
    note: SettleNote


class TeamQuestion(StrictModel):
    """One question (or refine key) across the people."""

    key: Literal[*QUESTION_KEYS, *REFINE_KEYS]
    title: str
    decides: bool
    """Whether it is one of the five questions, which decide the approach."""
    answers: list[TeamAnswer | None]
    """Each person's answer, in the order of "people"; null where they gave none."""
    choices: list[TeamChoice]
    agreed: bool
    agreement: str
    """How far they agreed, in words ("Split: …")."""
    changes: list[TeamChange]
    settled: TeamSettlement | None


class SnapshotTeamAnswers(StrictModel):
    """How the team answered (format version 3): each person's answers question by question,
    how far they agreed and the answer settled. The names are under the export's "people"."""

    deadline: Day | None
    closed: bool
    people: Annotated[list[TeamPerson], Field(min_length=1)]
    leading_approach: ApproachName | None
    leading_approach_label: str | None
    contested: Annotated[int, Field(ge=0)]
    """How many questions people disagreed on."""
    decisive: list[str]
    """The titles of the questions where the answer taken changes the recommendation."""
    questions: list[TeamQuestion]

    @model_validator(mode="after")
    def _an_answer_per_person(self) -> SnapshotTeamAnswers:
        # The page lays the answers out in the people's columns: a missing one would shift them.
        if any(len(question.answers) != len(self.people) for question in self.questions):
            raise PydanticCustomError("team_answer_count", "One answer per person is needed.")
        return self


# How the import words what these models find (advisor.domain.schemas.decision_rules).
TEAM_SENTENCES = (
    Sentence(
        ("recommendation", "team_answers"),
        frozenset({"team_answer_count"}),
        "The team's answers must list one answer (or null) per person for each question.",
    ),
    Sentence(("recommendation", "team_answers", "leading_approach"), WORD, APPROACH),
    Sentence(("recommendation", "team_answers", "people", "*", "approach"), WORD, APPROACH),
    Sentence(
        ("recommendation", "team_answers", "questions", "*", "changes", "*", "approach"),
        WORD,
        APPROACH,
    ),
)


def without_names(team: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The snapshot's team answers without the names, and the names: who asked, each person
    in order, and who settled each question by its key."""
    anonymous = {key: value for key, value in team.items() if key != "asked_by"}
    anonymous["people"] = [
        {key: value for key, value in person.items() if key != "name"} for person in team["people"]
    ]
    anonymous["questions"] = [_unsigned(question) for question in team["questions"]]
    names = {
        "asked_by": team.get("asked_by") or None,
        "people": [person.get("name") for person in team["people"]],
        "settled_by": {
            question["key"]: question["settled"].get("settled_by")
            for question in team["questions"]
            if question.get("settled")
        },
    }
    return anonymous, names


def _unsigned(question: Mapping[str, Any]) -> dict[str, Any]:
    settled = question.get("settled")
    if not settled:
        return dict(question)
    return {**question, "settled": {k: v for k, v in settled.items() if k != "settled_by"}}


def with_names(
    team: Mapping[str, Any],
    *,
    asked_by: str | None,
    people: Sequence[str | None],
    settled_by: Mapping[str, str | None],
    unknown: str,
) -> dict[str, Any]:
    """The team answers as the snapshot keeps them, the names put back where `without_names`
    took them from: a person without a name is "Person N", as the share page shows them,
    anyone else without one is `unknown`."""
    # Names the recommendation itself holds (a file edited by hand) give way to these.
    anonymous, _ = without_names(team)
    return {
        "asked_by": asked_by or unknown,
        **anonymous,
        "people": [
            {"name": (people[n] if n < len(people) else None) or f"Person {n + 1}", **person}
            for n, person in enumerate(anonymous["people"])
        ],
        "questions": [
            {**q, "settled": {**q["settled"], "settled_by": settled_by.get(q["key"]) or unknown}}
            if q.get("settled")
            else q
            for q in anonymous["questions"]
        ],
    }


def renamed(team: Mapping[str, Any], *, name: str, to: str) -> dict[str, Any]:
    """The snapshot's team answers with every name stored in it (who asked, each person, who
    settled each question) that is `name` saying `to` instead: a deleted account's erasure."""

    def swap(value: Any) -> Any:
        return to if value == name else value

    return {
        **team,
        "asked_by": swap(team.get("asked_by")),
        "people": [{**person, "name": swap(person.get("name"))} for person in team["people"]],
        "questions": [
            {**q, "settled": {**q["settled"], "settled_by": swap(q["settled"].get("settled_by"))}}
            if q.get("settled")
            else q
            for q in team["questions"]
        ],
    }
