"""The five questions: keys, choice values, labels and help text.

This module is the single source of truth. The wizard's forms, the engine, the JSON API and
docs/decision-rules.md all read from it, so a label changes here and nowhere else. It imports
nothing from Django, which lets the engine stay pure.

Keys and choice values are canonical: the API and exports use them and they never change
meaning. Labels and help text may be reworded, but titles and choice labels are quoted in the
engine's "what would change it" sentences, so rewording one means bumping RULES_VERSION.
"""

from __future__ import annotations

from dataclasses import dataclass


class InvalidAnswers(ValueError):
    """Raised with one message per bad question key (of the five or of the refine step)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    help: str


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    title: str
    prompt: str
    help: str
    choices: tuple[Choice, ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    def label_for(self, value: str) -> str:
        """The choice's label, or the raw value when it is not (or no longer) a choice."""
        return next((choice.label for choice in self.choices if choice.value == value), value)

    def choice(self, value: str) -> Choice:
        for choice in self.choices:
            if choice.value == value:
                return choice
        raise KeyError(f"{value!r} is not a choice of {self.key!r}")


QUESTIONS: tuple[Question, ...] = (
    Question(
        key="problem",
        title="Knowledge or behaviour",
        prompt="What is actually going wrong with the model today?",
        help=(
            "Separate two failures. A knowledge gap means the model lacks facts it needs: your "
            "documents, your catalogue, this week's changes. A behaviour gap means it has what "
            "it needs but answers in the wrong shape, tone, format or reasoning."
        ),
        choices=(
            Choice(
                "knowledge",
                "It lacks information",
                "Answers are vague or wrong because the facts live in your own data, not in "
                "the model.",
            ),
            Choice(
                "behavior",
                "It behaves the wrong way",
                "The facts are fine, but the style, format, voice or reasoning pattern is not "
                "what the product needs.",
            ),
            Choice(
                "both",
                "Both",
                "It needs your information and it also has to answer in a particular way.",
            ),
        ),
    ),
    Question(
        key="data_change",
        title="How often the data changes",
        prompt="How often does the information behind the answers change?",
        help=(
            "Anything baked into a model's weights is frozen until you train again. Retrieval "
            "reads the current documents on every request, so an edit shows up at once."
        ),
        choices=(
            Choice(
                "frequent",
                "Often (daily to monthly)",
                "Prices, tickets, documentation, news: content that moves every week or so.",
            ),
            Choice(
                "occasional",
                "Now and then (a few times a year)",
                "A curriculum or policy set that is revised once or twice a year.",
            ),
            Choice(
                "rare",
                "Hardly ever",
                "A stable body of examples or conventions that stays the same for years.",
            ),
        ),
    ),
    Question(
        key="latency",
        title="Latency tolerance",
        prompt="How long can a user wait for the first words of an answer?",
        help=(
            "Every retrieval lookup happens before the model writes its first word: expect "
            "roughly 200 to 800 ms more per request, more with reranking or a slow index."
        ),
        choices=(
            Choice(
                "realtime",
                "Real time",
                "Voice, live autocomplete or anything where a pause of half a second is felt.",
            ),
            Choice(
                "interactive",
                "Interactive",
                "A chat or assistant: a second or two before text appears is normal.",
            ),
            Choice(
                "async",
                "Not waiting",
                "Batch jobs, reports, generated content: nobody watches the request run.",
            ),
        ),
    ),
    Question(
        key="cost",
        title="Cost constraints",
        prompt="Where is the product, and how much traffic will it carry?",
        help=(
            "Retrieval costs a vector store plus the extra input tokens of the retrieved text, "
            "with no training bill. Fine-tuning costs training runs, hosting of the tuned "
            "model and a new run every time the data changes."
        ),
        choices=(
            Choice(
                "early_stage",
                "Early stage",
                "Still finding out whether users want it; speed to learn matters more than "
                "cost per query.",
            ),
            Choice(
                "scaling",
                "Growing",
                "Real users and rising traffic, but not yet a large steady volume.",
            ),
            Choice(
                "high_volume",
                "High volume",
                "A proven product with large, steady traffic where cost per query dominates "
                "the bill.",
            ),
        ),
    ),
    Question(
        key="labeled_data",
        title="Labelled training data",
        prompt="How many clean input and output example pairs do you have?",
        help=(
            "Retrieval works from your documents as they are. Fine-tuning learns from pairs of "
            "an input and the exact output you want, and curating them is the part of the "
            "budget teams most often underestimate."
        ),
        choices=(
            Choice(
                "none",
                "None yet",
                "No curated pairs. Building a set would take months of work.",
            ),
            Choice(
                "some",
                "Some",
                "A few hundred reviewed pairs: enough to evaluate and to try a small tuning run.",
            ),
            Choice(
                "plenty",
                "Plenty",
                "Thousands of reviewed pairs that represent the behaviour you want.",
            ),
        ),
    ),
)

QUESTION_KEYS: tuple[str, ...] = tuple(question.key for question in QUESTIONS)
STEP_COUNT = len(QUESTIONS)
_BY_KEY = {question.key: question for question in QUESTIONS}


def question_for(key: str) -> Question:
    return _BY_KEY[key]


def question_at(step: int) -> Question:
    """The question of a 1-based wizard step."""
    return QUESTIONS[step - 1]
