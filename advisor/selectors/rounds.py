"""A decision's round of team answers: who was asked, what they may see, and the answers laid
out question by question (the document the round page shows and the snapshot keeps).

Nobody reads another person's answers or notes until they have submitted their own or the
round is closed; only submitted answers are ever shown, to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import prefetch_related_objects

from advisor.domain.disagreement import Disagreement, Spread, Value, disagreement
from advisor.domain.engine import Approach
from advisor.domain.people import person_name
from advisor.domain.questions import QUESTION_KEYS, question_for
from advisor.domain.refine import refine_label, refine_title
from advisor.models import AnswerRound, Decision, PersonalAnswer, Respondent, Settlement
from advisor.selectors.decisions import (
    decision_answers,
    decision_refine_answers,
    refine_value,
)


@dataclass(frozen=True, slots=True)
class RoundView:
    """A round as one person sees it: `document` only when they may read the answers."""

    round: AnswerRound
    respondents: list[Respondent]
    me: Respondent | None
    document: dict[str, Any] | None

    @property
    def waiting_for(self) -> list[Respondent]:
        return [person for person in self.respondents if not person.has_submitted]


def round_view(*, decision: Decision, user: AbstractBaseUser) -> RoundView | None:
    """The decision's round for `user`, or None when nobody was asked. Four queries at most,
    however many people were asked."""
    answer_round = (
        AnswerRound.objects.select_related("asked_by", "decision").filter(decision=decision).first()
    )
    if answer_round is None:
        return None
    respondents = list(answer_round.respondents.select_related("user"))
    me = next((person for person in respondents if person.user_id == user.pk), None)
    visible = not answer_round.is_open or (me is not None and me.has_submitted)
    document = round_document(answer_round, respondents) if visible else None
    return RoundView(round=answer_round, respondents=respondents, me=me, document=document)


def respondent_get(*, decision: Decision, user: AbstractBaseUser) -> Respondent | None:
    """The user's place in the decision's round, with the round; None when not asked."""
    return (
        Respondent.objects.select_related("round")
        .filter(round__decision=decision, user_id=user.pk)
        .first()
    )


def round_spread(answer_round: AnswerRound) -> Disagreement:
    """The submitted answers laid out, with the settlements so far (for the settling service)."""
    respondents = list(answer_round.respondents.select_related("user"))
    answers = _submitted_answers(answer_round, respondents)
    return disagreement(_values(respondents, answers), _settled_values(answer_round))


def document_unsettled(document: dict[str, Any]) -> list[str]:
    """The keys of a round's document someone answered that are not settled yet."""
    return [q["key"] for q in document["questions"] if q["choices"] and q["settled"] is None]


def round_unsettled(answer_round: AnswerRound) -> list[str]:
    """The keys someone answered that are not settled yet: the decision cannot complete
    until there are none."""
    return [
        row.key for row in round_spread(answer_round).spreads if row.answered and not row.settled
    ]


def round_document(answer_round: AnswerRound, respondents: list[Respondent]) -> dict[str, Any]:
    """The round as plain data with every label resolved: the round page renders it, and
    `decision_complete` saves it in the snapshot as it was then."""
    settlements = {s.question: s for s in answer_round.settlements.all()}
    answers = _submitted_answers(answer_round, respondents)
    spread = disagreement(
        _values(respondents, answers),
        {key: _domain_value(key, s.value) for key, s in settlements.items()},
    )
    return {
        "asked_by": person_name(answer_round.asked_by),
        "deadline": answer_round.deadline.isoformat() if answer_round.deadline else None,
        "closed": not answer_round.is_open,
        "people": [
            {
                "name": person_name(person.user),
                "submitted": person.has_submitted,
                **_approach_fields(approach),
            }
            for person, approach in zip(respondents, spread.approaches, strict=True)
        ],
        **{f"leading_{k}": v for k, v in _approach_fields(spread.leading).items()},
        "contested": len(spread.contested),
        "decisive": [answer_title(row.key) for row in spread.decisive],
        "questions": [
            _question(row, [_note(answers, p, row.key) for p in respondents], settlements)
            for row in spread.spreads
        ],
    }


def _question(row: Spread, notes: list[str], settlements: dict[str, Settlement]) -> dict[str, Any]:
    settled = settlements.get(row.key)
    return {
        "key": row.key,
        "title": answer_title(row.key),
        "decides": row.key in QUESTION_KEYS,
        "answers": [
            None if value is None else _answer(row.key, value) | {"note": note}
            for value, note in zip(row.answers, notes, strict=True)
        ],
        "choices": [_answer(row.key, value) | {"count": n} for value, n in row.counts],
        "agreed": row.agreed,
        "agreement": _agreement(row),
        "changes": [
            _answer(row.key, value) | _approach_fields(approach) for value, approach in row.changes
        ],
        "settled": None
        if settled is None
        else _answer(row.key, _domain_value(row.key, settled.value))
        | {"note": settled.note, "settled_by": settled.settled_by_name},
    }


def _agreement(row: Spread) -> str:
    if not row.answered:
        return "Nobody answered"
    if row.agreed:
        return "One answer" if row.answered == 1 else f"All {row.answered} agree"
    return "Split: " + ", ".join(
        f"{_answer(row.key, value)['answer_label']} ({n})" for value, n in row.counts
    )


def _answer(key: str, value: Value) -> dict[str, Any]:
    label = question_for(key).label_for(value) if key in QUESTION_KEYS else refine_label(key, value)
    return {"answer": value, "answer_label": label}


def _approach_fields(approach: Approach | None) -> dict[str, str | None]:
    return {
        "approach": str(approach) if approach else None,
        "approach_label": approach.label if approach else None,
    }


def answer_title(key: str) -> str:
    return question_for(key).title if key in QUESTION_KEYS else refine_title(key)


def _submitted_answers(
    answer_round: AnswerRound, respondents: list[Respondent]
) -> dict[int, dict[str, PersonalAnswer]]:
    """Each submitted person's valid answers by key, in one query: read through the
    decision's own selectors, so a personal answer is judged valid by the same rules."""
    submitted = [person for person in respondents if person.has_submitted]
    prefetch_related_objects(submitted, "answers")
    decision = answer_round.decision
    result = {}
    for person in submitted:
        result[person.pk] = decision_answers(
            decision=decision, choices_only=True, respondent=person
        ) | decision_refine_answers(decision=decision, respondent=person)
    return result


def _values(
    respondents: list[Respondent], answers: dict[int, dict[str, PersonalAnswer]]
) -> list[dict[str, Value]]:
    """Each person's answers as the domain reads them, empty for those yet to submit."""
    return [
        {key: refine_value(answer) for key, answer in answers.get(person.pk, {}).items()}
        for person in respondents
    ]


def _note(answers: dict[int, dict[str, PersonalAnswer]], person: Respondent, key: str) -> str:
    answer = answers.get(person.pk, {}).get(key)
    return answer.note if answer else ""


def _settled_values(answer_round: AnswerRound) -> dict[str, Value]:
    return {s.question: _domain_value(s.question, s.value) for s in answer_round.settlements.all()}


def _domain_value(key: str, stored: str) -> Value:
    return refine_value(PersonalAnswer(question=key, value=stored))


def round_of(decision: Decision) -> AnswerRound | None:
    """The decision's round, or None; no query when the decision came from `decision_get`,
    which selects it."""
    try:
        return decision.round
    except AnswerRound.DoesNotExist:
        return None
