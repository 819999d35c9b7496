"""The optional refine step: five more answers that sharpen the advice of the five questions.

The framework's five questions stay sufficient: a decision can be completed without any of
these. Each one, when given, changes the advice where it should (docs/decision-rules.md,
"The refine step"): no evaluation set makes building one the first stage of the plan; a corpus
that fits in a long prompt makes that the first retrieval stage; data that must stay in-house
points tuning to open-weight models; a tuned model is retrained as often as the wanted
behaviour changes.

Keys and choice values are canonical, like the questions': the API, the exports and the
snapshot use them. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from advisor.domain.questions import Choice, InvalidAnswers, Question

# The same bound as the numbers step's corpus size, which is this very figure entered once.
CORPUS_TOKENS_LIMIT = 10**12

REFINE_QUESTIONS: tuple[Question, ...] = (
    Question(
        key="eval_set",
        title="Evaluation set",
        prompt="Can you score an answer today?",
        help=(
            "An evaluation set is a list of real requests with a way to score each answer. "
            "Without one, no change to prompts, retrieval or the model can be shown to help."
        ),
        choices=(
            Choice("none", "Not yet", "Nobody measures the answers; quality is judged by eye."),
            Choice(
                "few",
                "A handful of examples",
                "Some requests we check by hand, without a score or a baseline.",
            ),
            Choice(
                "scored",
                "A scored set with a baseline",
                "Dozens of real requests, a score for each answer, and today's figure to beat.",
            ),
        ),
    ),
    Question(
        key="behaviour_change",
        title="How often the wanted behaviour changes",
        prompt="How often do the format, voice or policy you want change?",
        help=(
            "A tuned model learns behaviour, so it is retrained when the behaviour you want "
            "changes, not when the documents do."
        ),
        choices=(
            Choice("frequent", "Often", "The format or policy is revised every month or so."),
            Choice("occasional", "Now and then", "A few revisions a year."),
            Choice("rare", "Hardly ever", "Settled conventions that last a year or more."),
        ),
    ),
    Question(
        key="citations_required",
        title="Citations",
        prompt="Must each answer show the sources it relies on?",
        help=(
            "Only retrieval can point to the passage an answer came from; a tuned model "
            "cannot cite what it was trained on."
        ),
        choices=(
            Choice("yes", "Yes", "Readers must be able to check every answer against a source."),
            Choice("no", "No", "A correct answer is enough."),
        ),
    ),
    Question(
        key="data_policy",
        title="Where the data may go",
        prompt="Where may your documents and examples be sent?",
        help=(
            "Some data may go to any model vendor, some only to servers in one region, and "
            "some must never leave your own infrastructure."
        ),
        choices=(
            Choice("any_vendor", "Any vendor", "A hosted model anywhere is acceptable."),
            Choice(
                "region_bound",
                "Within a region",
                "Only a vendor's deployment in a given region (for example the EU).",
            ),
            Choice(
                "in_house",
                "In-house only",
                "Nothing leaves our infrastructure: open-weight models we run ourselves.",
            ),
        ),
    ),
)

CORPUS_TOKENS_TITLE = "Size of the documents"
CORPUS_TOKENS_PROMPT = "About how many tokens do the documents behind the answers hold?"
CORPUS_TOKENS_HELP = (
    "A page of text is about 500 tokens. The same figure is the numbers step's corpus size, "
    "so it is entered once."
)

REFINE_KEYS: tuple[str, ...] = (
    "eval_set",
    "corpus_tokens",
    "behaviour_change",
    "citations_required",
    "data_policy",
)
_CHOICE_QUESTIONS = {question.key: question for question in REFINE_QUESTIONS}


def refine_question(key: str) -> Question:
    return _CHOICE_QUESTIONS[key]


def refine_title(key: str) -> str:
    return CORPUS_TOKENS_TITLE if key == "corpus_tokens" else _CHOICE_QUESTIONS[key].title


def refine_label(key: str, value: object) -> str:
    """The answer as a person reads it: the choice's label, or the token count."""
    if key == "corpus_tokens":
        return f"{value:,} tokens" if isinstance(value, int) else str(value)
    return _CHOICE_QUESTIONS[key].label_for(str(value))


@dataclass(frozen=True, slots=True)
class Refinement:
    """The refine step's answers; any of them may be missing (None)."""

    eval_set: str | None = None
    corpus_tokens: int | None = None
    behaviour_change: str | None = None
    citations_required: str | None = None
    data_policy: str | None = None

    def __post_init__(self) -> None:
        errors = {}
        for key, question in _CHOICE_QUESTIONS.items():
            value = getattr(self, key)
            if value is not None and value not in question.values:
                errors[key] = f"Choose one of: {', '.join(question.values)}."
        corpus = self.corpus_tokens
        if corpus is not None and (
            isinstance(corpus, bool)
            or not isinstance(corpus, int)
            or not 0 <= corpus <= CORPUS_TOKENS_LIMIT
        ):
            errors["corpus_tokens"] = (
                f"Enter a whole number of tokens from 0 to {CORPUS_TOKENS_LIMIT:,}."
            )
        if errors:
            raise InvalidAnswers(errors)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Refinement:
        """Build from key to value (None or a missing key: not answered), naming every fault."""
        unknown = {str(key): "Unknown refine key." for key in data if key not in REFINE_KEYS}
        try:
            refinement = cls(**{key: data.get(key) for key in REFINE_KEYS})
        except InvalidAnswers as error:
            raise InvalidAnswers({**error.errors, **unknown}) from error
        if unknown:
            raise InvalidAnswers(unknown)
        return refinement

    def as_dict(self) -> dict[str, Any]:
        """Only the answers given, in REFINE_KEYS order."""
        return {
            field.name: getattr(self, field.name)
            for field in fields(self)
            if getattr(self, field.name) is not None
        }
