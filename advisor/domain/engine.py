"""The decision rules: five answers in, a recommendation with its full rationale out.

Pure Python and deterministic: no Django, no clock, no randomness, so every rule is tested as a
plain function (tests/test_engine.py) and documented as a table (docs/decision-rules.md).
Bump RULES_VERSION whenever a rule or a sentence changes; saved recommendations keep the
version and the text they were computed with.

The ladder, cheapest rung first: prompt engineering, then retrieval (RAG) when knowledge is
the bottleneck, then fine-tuning only when behaviour is the bottleneck and the labelled pairs,
stable data and budget exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from advisor.domain.questions import QUESTION_KEYS, QUESTIONS, question_for

RULES_VERSION = "2026.11.3"


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


class InvalidAnswers(ValueError):
    """Raised with one message per bad question key."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


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


@dataclass(frozen=True, slots=True)
class Factor:
    """One question's answer judged for retrieval and for fine-tuning."""

    question: str
    answer: str
    rag: Verdict
    fine_tuning: Verdict
    why: str


@dataclass(frozen=True, slots=True)
class Change:
    """A single different answer that would lead to a different approach."""

    question: str
    answer: str
    approach: Approach
    summary: str


@dataclass(frozen=True, slots=True)
class CostEvidence:
    """What the team's own numbers say about cost (advisor.domain.costs builds it from an estimate).

    Where cost decides, the estimate stands in for the coarse cost answer: fine-tuning gets
    its push from cost only when the numbers show it cheaper over the horizon.
    """

    favours_fine_tuning: bool
    summary: str


@dataclass(frozen=True, slots=True)
class Advice:
    """What `evaluate` returns: the approach with its reasons, next steps and what would change
    it; saved as a Recommendation snapshot (advisor.models) through `to_dict`."""

    approach: Approach
    headline: str
    factors: tuple[Factor, ...]
    ladder_step: Approach
    next_step: str
    next_steps: tuple[str, ...]
    trade_offs: tuple[str, ...]
    would_change: tuple[Change, ...]
    rules_version: str = RULES_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The plain-JSON form used by the API and by the saved snapshot."""
        return {
            "approach": str(self.approach),
            "approach_label": self.approach.label,
            "headline": self.headline,
            "rationale": [
                {
                    "question": factor.question,
                    "answer": factor.answer,
                    "rag": str(factor.rag),
                    "fine_tuning": str(factor.fine_tuning),
                    "why": factor.why,
                }
                for factor in self.factors
            ],
            "ladder_step": str(self.ladder_step),
            "next_step": self.next_step,
            "next_steps": list(self.next_steps),
            "trade_offs": list(self.trade_offs),
            "would_change": [
                {
                    "question": change.question,
                    "answer": change.answer,
                    "approach": str(change.approach),
                    "summary": change.summary,
                }
                for change in self.would_change
            ],
            "rules_version": self.rules_version,
        }


# --- Gates -----------------------------------------------------------------------------------

RETRIEVAL_LATENCY = "200-800 ms"


def fine_tuning_blocker(answers: Answers, evidence: CostEvidence | None = None) -> str | None:
    """Why fine-tuning is not justified yet, or None when it is.

    Fine-tuning needs labelled pairs, data stable enough to amortise a training run, a product
    past its early stage, and at least one strong push: plenty of pairs, rarely changing data,
    or cost per query deciding in its favour: high volume by the answer, or, when the team
    entered its numbers, fine-tuning cheaper over the horizon at its volume.
    """
    if answers.labeled_data == "none":
        return "no_labels"
    if answers.data_change == "frequent":
        return "frequent_change"
    if answers.cost == "early_stage":
        return "early_stage"
    cost_push = (
        evidence.favours_fine_tuning if evidence is not None else answers.cost == "high_volume"
    )
    if not (answers.labeled_data == "plenty" or answers.data_change == "rare" or cost_push):
        return "not_enough_push"
    return None


def choose_approach(answers: Answers, evidence: CostEvidence | None = None) -> Approach:
    """The approach alone: the rule table of docs/decision-rules.md."""
    tuning_justified = fine_tuning_blocker(answers, evidence) is None
    if answers.problem == "knowledge":
        return Approach.RAG
    if answers.problem == "behavior":
        return Approach.FINE_TUNING if tuning_justified else Approach.PROMPT_ENGINEERING
    if not tuning_justified:
        return Approach.RAG
    if answers.latency == "realtime" and answers.data_change == "rare":
        # Stable facts and no room for a retrieval hop: train both into the model.
        return Approach.FINE_TUNING
    return Approach.RAG_PLUS_FINE_TUNING


def evaluate(answers: Answers, evidence: CostEvidence | None = None) -> Advice:
    """Recommend an approach for these answers, with everything needed to explain it.

    `evidence` is the cost estimate's verdict, when the team entered its numbers.
    """
    approach = choose_approach(answers, evidence)
    ladder_step = Approach.RAG if approach is Approach.RAG_PLUS_FINE_TUNING else approach
    return Advice(
        approach=approach,
        headline=_headline(approach, answers, evidence),
        factors=tuple(_factor(key, answers, evidence) for key in QUESTION_KEYS),
        ladder_step=ladder_step,
        next_step=NEXT_STEP[approach],
        next_steps=_next_steps(approach, answers),
        trade_offs=_trade_offs(approach, answers),
        would_change=_would_change(approach, answers, evidence),
    )


# --- Factors: the seed's quick-reference table, one row per answer ----------------------------

S, P, X = Verdict.STRONG, Verdict.PARTIAL, Verdict.POOR

FACTORS: dict[tuple[str, str], tuple[Verdict, Verdict, str]] = {
    ("problem", "knowledge"): (
        S,
        P,
        "The gap is missing information, which retrieval hands to the model directly; "
        "training facts into the weights is overkill.",
    ),
    ("problem", "behavior"): (
        P,
        S,
        "The gap is how the model responds; prompts help part of the way, and training on "
        "examples is the strongest lever.",
    ),
    ("problem", "both"): (
        P,
        P,
        "Each approach covers one half: retrieval the information, fine-tuning the behaviour.",
    ),
    ("data_change", "frequent"): (
        S,
        X,
        "Retrieval serves an edited document on the very next request; a tuned model would "
        "need retraining after every change.",
    ),
    ("data_change", "occasional"): (
        S,
        P,
        "Retrieval stays current at no extra cost; a tuned model needs a fresh training run "
        "at each revision.",
    ),
    ("data_change", "rare"): (
        S,
        S,
        "Stable data lets a single training run pay for itself over a long time; retrieval "
        "works just as well.",
    ),
    ("latency", "realtime"): (
        P,
        S,
        f"Retrieval adds about {RETRIEVAL_LATENCY} before generation starts, which a real-time "
        "user notices; a tuned model adds no lookup.",
    ),
    ("latency", "interactive"): (
        S,
        S,
        f"Chat users accept the {RETRIEVAL_LATENCY} retrieval adds, so neither approach is "
        "held back.",
    ),
    ("latency", "async"): (
        S,
        S,
        "Nobody waits on the request, so the retrieval step costs nothing that matters.",
    ),
    ("cost", "early_stage"): (
        S,
        X,
        "Retrieval ships in weeks with no training bill; fine-tuning spends months and money "
        "before you know the product works.",
    ),
    ("cost", "scaling"): (
        S,
        P,
        "Retrieval is still the cheaper path to run; fine-tuning's fixed costs become worth "
        "weighing.",
    ),
    ("cost", "high_volume"): (
        P,
        S,
        "Retrieved context adds input tokens to every query, so its cost grows with traffic; "
        "unless the data keeps changing, a tuned model's cost per query can come out ahead.",
    ),
    ("labeled_data", "none"): (
        S,
        X,
        "Retrieval needs only your documents; fine-tuning needs input and output pairs, and "
        "building them from scratch takes three months or more.",
    ),
    ("labeled_data", "some"): (
        S,
        P,
        "Enough pairs to evaluate against and to try a small tuning run, not yet enough to "
        "rely on one.",
    ),
    ("labeled_data", "plenty"): (
        S,
        S,
        "You hold the input and output pairs that fine-tuning requires; retrieval does not "
        "need them.",
    ),
}

HIGH_VOLUME_CHANGING_DATA = (
    P,
    P,
    "Retrieved context adds input tokens to every query, so its cost grows with traffic; "
    "but with data this changeable, retraining would eat a tuned model's saving.",
)


def _factor(key: str, answers: Answers, evidence: CostEvidence | None = None) -> Factor:
    value = getattr(answers, key)
    rag, fine_tuning, why = FACTORS[(key, value)]
    if key == "cost" and value == "high_volume" and answers.data_change == "frequent":
        rag, fine_tuning, why = HIGH_VOLUME_CHANGING_DATA
    if key == "cost" and evidence is not None and value != "early_stage":
        # The team's numbers, not the coarse answer, judge cost; the sentence says which.
        rag, fine_tuning = (P, S) if evidence.favours_fine_tuning else (S, X)
        why = evidence.summary
    return Factor(question=key, answer=value, rag=rag, fine_tuning=fine_tuning, why=why)


# --- Words ----------------------------------------------------------------------------------

BLOCKER_REASONS = {
    "no_labels": "without clean labelled pairs, fine-tuning is not an option yet",
    "frequent_change": "the data changes too often to keep retraining a model",
    "early_stage": "at this stage the cheapest, fastest way to learn wins",
    "not_enough_push": (
        "a modest set of pairs and data that shifts a few times a year do not yet repay a "
        "training pipeline"
    ),
}


def _headline(approach: Approach, answers: Answers, evidence: CostEvidence | None) -> str:
    blocker = fine_tuning_blocker(answers, evidence)
    if approach is Approach.PROMPT_ENGINEERING:
        text = (
            "Start with prompt engineering: shape the behaviour with instructions and "
            f"examples, because {BLOCKER_REASONS[blocker]}."
        )
    elif approach is Approach.RAG and answers.problem == "knowledge":
        text = (
            "Use retrieval (RAG): the model is missing information, and retrieval supplies it "
            "at request time without changing the model."
        )
    elif approach is Approach.RAG:
        text = (
            "Use retrieval (RAG) for the missing information and prompts for the behaviour; "
            f"hold off on fine-tuning, because {BLOCKER_REASONS[blocker]}."
        )
    elif approach is Approach.FINE_TUNING and answers.problem == "behavior":
        text = (
            "Fine-tune: what falls short is how the model answers, and your labelled pairs "
            "and slow-moving data make a training run worth its cost."
        )
    elif approach is Approach.FINE_TUNING:
        text = (
            "Fine-tune for both: the data hardly changes and a real-time product has no room "
            "for a retrieval step, so train the knowledge and the behaviour into the model."
        )
    else:
        text = (
            "Combine retrieval and fine-tuning: retrieve the information, and tune the model "
            "for the behaviour once retrieval is in place."
        )
    if approach.uses_retrieval and answers.latency == "realtime":
        text += (
            f" Mind the latency: retrieval adds about {RETRIEVAL_LATENCY} before the first "
            "token, so keep it fast."
        )
    return text


NEXT_STEP = {
    Approach.PROMPT_ENGINEERING: (
        "Write clear instructions with a handful of worked examples, and measure them against "
        "a small evaluation set before considering anything heavier."
    ),
    Approach.RAG: (
        "Index your documents, retrieve the most relevant passages for each request and pass "
        "them to the model with the question; keep improving the prompt on top."
    ),
    Approach.FINE_TUNING: (
        "Measure a prompt-only baseline on your labelled pairs first, then fine-tune and "
        "compare the two on the same evaluation set."
    ),
    Approach.RAG_PLUS_FINE_TUNING: (
        "Ship retrieval first; once it is live and the remaining failures are about "
        "behaviour, fine-tune on your labelled pairs."
    ),
}


def _next_steps(approach: Approach, answers: Answers) -> tuple[str, ...]:
    steps = [
        "Write down what a good answer looks like and collect 30 to 50 real requests to "
        "judge every change against."
    ]
    if approach.uses_retrieval:
        steps += [
            "Pick the sources to index and decide how they are kept in sync as they change.",
            "Check retrieval on its own: does the right passage come back for each test request?",
        ]
    if not approach.uses_fine_tuning:
        steps.append(
            "Iterate on instructions and few-shot examples until the pass rate stops rising."
        )
    if approach.uses_fine_tuning:
        steps += [
            "Hold back part of the labelled pairs as a test set the model never trains on.",
            "Plan the retraining cadence and budget before the first run, not after it.",
        ]
    elif answers.problem != "knowledge":
        steps.append(
            "Start saving good input and output pairs now, so fine-tuning is an option if "
            "prompts hit their ceiling."
        )
    if approach.uses_retrieval and answers.latency == "realtime":
        steps.append(
            f"Set a latency budget and measure the retrieval step ({RETRIEVAL_LATENCY} is "
            "typical) against it from the first prototype."
        )
    return tuple(steps)


def _trade_offs(approach: Approach, answers: Answers) -> tuple[str, ...]:
    offs: list[str] = []
    if approach is Approach.PROMPT_ENGINEERING:
        offs.append(
            "Prompts cannot teach facts the model never saw, and long instructions and "
            "examples cost input tokens on every request."
        )
        offs.append(
            "A tuned model might follow your conventions more reliably; that gain is deferred "
            "until prompts clearly fall short."
        )
    if approach.uses_retrieval:
        offs.append(
            "You run a vector store and pay for the retrieved text as extra input tokens on "
            "every request."
        )
        if approach is Approach.RAG:
            offs.append(
                "Behaviour is shaped by prompts alone, so very specific formatting or style "
                "conventions may be followed less faithfully than a tuned model would."
            )
        if answers.latency == "realtime":
            offs.append(
                f"Each request waits about {RETRIEVAL_LATENCY} for retrieval before the model "
                "starts, which a real-time experience will feel."
            )
        if answers.cost == "high_volume":
            offs.append(
                "At high volume the retrieved context becomes a large share of the token bill."
            )
    if approach.uses_fine_tuning:
        offs.append(
            "Training, hosting the tuned model and curating pairs cost money and months before "
            "the first result."
        )
        offs.append("Every change to the data or the desired behaviour means another run.")
        if approach is Approach.FINE_TUNING:
            offs.append(
                "The model knows nothing newer than its training data and cannot point to a "
                "source for what it says."
            )
    if approach is Approach.RAG_PLUS_FINE_TUNING:
        offs.append("Two systems to build, evaluate and keep in step instead of one.")
    return tuple(offs)


def _would_change(
    approach: Approach, answers: Answers, evidence: CostEvidence | None
) -> tuple[Change, ...]:
    changes = []
    for question in QUESTIONS:
        for choice in question.choices:
            if choice.value == getattr(answers, question.key):
                continue
            other = choose_approach(answers.with_answer(question.key, choice.value), evidence)
            if other is not approach:
                changes.append(
                    Change(
                        question=question.key,
                        answer=choice.value,
                        approach=other,
                        summary=(
                            f"If the answer to “{question.title}” were “{choice.label}”, "
                            f"the advice would change to {other.label}."
                        ),
                    )
                )
    return tuple(changes)
