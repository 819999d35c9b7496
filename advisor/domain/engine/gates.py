"""The ladder's gates: when fine-tuning is justified, which approach the answers lead to, and
which single different answer would change it."""

from __future__ import annotations

from advisor.domain.engine.advice import Change, CostEvidence
from advisor.domain.engine.answers import Answers, Approach
from advisor.domain.questions import QUESTIONS

# What retrieval adds before the first token, with a reranker (the framework's figure): the one
# source of the engine's sentences and of the cost model's latency stages (costs/latency.py).
RETRIEVAL_MS = (200, 800)
RETRIEVAL_LATENCY = f"{RETRIEVAL_MS[0]}-{RETRIEVAL_MS[1]} ms"


def fine_tuning_blocker(answers: Answers, evidence: CostEvidence | None = None) -> str | None:
    """Why fine-tuning is not justified yet, or None when it is.

    Fine-tuning needs labelled pairs, a product past its early stage, and at least one strong
    push: plenty of pairs, rarely changing data, or cost per query deciding in its favour: high
    volume by the answer, or, when the team entered its numbers, fine-tuning cheaper over the
    horizon at its volume. How often the data changes does not block it: a tuned model learns
    behaviour (format, voice, policy), which does not go stale when documents do, and the facts
    reach it through the prompt or retrieval (see `choose_approach`).
    """
    if answers.labeled_data == "none":
        return "no_labels"
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
    # Fine-tuning never carries the knowledge (a tuned model cannot cite it and states it
    # unreliably), so "both" keeps retrieval whatever the latency: a real-time product gets a
    # fast retrieval step, not facts trained into the weights.
    return Approach.RAG_PLUS_FINE_TUNING if tuning_justified else Approach.RAG


def would_change(
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
