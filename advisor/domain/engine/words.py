"""The advice in words: the headline, the next steps and the trade-offs of each approach."""

from __future__ import annotations

from advisor.domain.engine.advice import CostEvidence
from advisor.domain.engine.answers import Answers, Approach
from advisor.domain.engine.gates import RETRIEVAL_LATENCY, fine_tuning_blocker

BLOCKER_REASONS = {
    "no_labels": "without clean labelled pairs, fine-tuning is not an option yet",
    "early_stage": "at this stage the cheapest, fastest way to learn wins",
    "not_enough_push": (
        "a modest set of pairs and data that shifts a few times a year do not yet repay a "
        "training pipeline"
    ),
}


def headline(approach: Approach, answers: Answers, evidence: CostEvidence | None) -> str:
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
    elif approach is Approach.FINE_TUNING:
        text = (
            "Fine-tune for the behaviour: what falls short is how the model answers, and your "
            "labelled pairs make a training run worth its cost. Facts that change stay in the "
            "prompt, where an edit takes effect on the next request."
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


def next_steps(approach: Approach, answers: Answers) -> tuple[str, ...]:
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


def trade_offs(approach: Approach, answers: Answers) -> tuple[str, ...]:
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
        offs.append("Every change to the desired behaviour means another training run.")
        if approach is Approach.FINE_TUNING:
            offs.append(
                "Tuning teaches behaviour, not facts: anything the answers must know stays in "
                "the prompt, because a tuned model cannot cite what it was trained on."
            )
    if approach is Approach.RAG_PLUS_FINE_TUNING:
        offs.append("Two systems to build, evaluate and keep in step instead of one.")
    return tuple(offs)
