"""The five answers, checked, and the vocabulary of the advice: approaches and verdicts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from advisor.domain.questions import QUESTION_KEYS, QUESTIONS, InvalidAnswers, question_for


class Approach(StrEnum):
    PROMPT_ENGINEERING = "prompt_engineering"
    RAG = "rag"
    FINE_TUNING = "fine_tuning"
    RAG_PLUS_FINE_TUNING = "rag_plus_fine_tuning"

    @property
    def label(self) -> str:
        return _APPROACH_LABELS[self]

    @classmethod
    def label_of(cls, key: str) -> str:
        """The label of an approach key read from a saved snapshot, a row or a file; a key this
        version does not know (written by a newer one) is shown as it is."""
        return cls(key).label if key in cls else key

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(key, label) pairs in the enum's order, for a model field or a form's select."""
        return [(approach.value, approach.label) for approach in cls]

    @property
    def uses_retrieval(self) -> bool:
        return self in (Approach.RAG, Approach.RAG_PLUS_FINE_TUNING)

    @property
    def uses_fine_tuning(self) -> bool:
        return self in (Approach.FINE_TUNING, Approach.RAG_PLUS_FINE_TUNING)


_APPROACH_LABELS = {
    Approach.PROMPT_ENGINEERING: "Prompt engineering",
    Approach.RAG: "Retrieval (RAG)",
    Approach.FINE_TUNING: "Fine-tuning",
    Approach.RAG_PLUS_FINE_TUNING: "Retrieval plus fine-tuning",
}


class Verdict(StrEnum):
    STRONG = "strong"
    PARTIAL = "partial"
    POOR = "poor"

    @property
    def label(self) -> str:
        return {"strong": "Strong fit", "partial": "Partial fit", "poor": "Poor fit"}[self]


@dataclass(frozen=True, slots=True)
class Answers:
    problem: str
    data_change: str
    latency: str
    cost: str
    labeled_data: str

    def __post_init__(self) -> None:
        errors = {
            question.key: _bad_choice_message(question.key)
            for question in QUESTIONS
            if getattr(self, question.key) not in question.values
        }
        if errors:
            raise InvalidAnswers(errors)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Answers:
        """Build answers from a mapping of question key to choice value, naming every fault."""
        errors: dict[str, str] = {}
        for key in QUESTION_KEYS:
            value = data.get(key)
            if value is None:
                errors[key] = "This question needs an answer."
            elif value not in question_for(key).values:
                errors[key] = _bad_choice_message(key)
        for key in data:
            if key not in QUESTION_KEYS:
                errors[str(key)] = "Unknown question."
        if errors:
            raise InvalidAnswers(errors)
        return cls(**{key: data[key] for key in QUESTION_KEYS})

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def with_answer(self, key: str, value: str) -> Answers:
        return replace(self, **{key: value})


def _bad_choice_message(key: str) -> str:
    return f"Choose one of: {', '.join(question_for(key).values)}."
