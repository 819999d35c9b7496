"""The advice in words: the headline, the next steps and the trade-offs of each approach."""

from __future__ import annotations

from advisor.domain.engine.advice import CostEvidence
from advisor.domain.engine.answers import Answers, Approach
from advisor.domain.engine.gates import RETRIEVAL_LATENCY, fine_tuning_blocker
from advisor.domain.engine.plan import LONG_CONTEXT_LIMIT
from advisor.domain.refine import Refinement

BLOCKER_REASONS = {
    "no_labels": "without clean labelled pairs, fine-tuning is not an option yet",
    "early_stage": "at this stage the cheapest, fastest way to learn wins",
    "not_enough_push": (
        "a modest set of pairs at a growing, not yet high, volume does not repay a training "
        "pipeline yet"
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


# Figures quoted below, each with its source in docs/decision-rules.md ("Sources of the texts").
LONG_CONTEXT_TOKENS = f"{LONG_CONTEXT_LIMIT:,}"
FIRST_TUNING_PAIRS = "50 to 100"

NEXT_STEP = {
    Approach.PROMPT_ENGINEERING: (
        "Build a small evaluation set and score two or three models on it, then improve the "
        "instructions and examples against that baseline; if the failures are about format, "
        "ask for structured output before anything heavier."
    ),
    Approach.RAG: (
        "Start with the simplest retrieval that works: while your documents fit in about "
        f"{LONG_CONTEXT_TOKENS} tokens, put them in the prompt with prompt caching; beyond "
        "that, index them, retrieve the best passages per request and have the answer cite "
        "them."
    ),
    Approach.FINE_TUNING: (
        "Measure a prompt-only baseline on your labelled pairs first (structured output and a "
        "stronger model included), then tune and compare the two on the same held-out pairs."
    ),
    Approach.RAG_PLUS_FINE_TUNING: (
        "Ship retrieval first and measure it; once the remaining failures are about "
        "behaviour, tune on your labelled pairs with the retrieved passages in their prompts."
    ),
}


def next_steps(approach: Approach, answers: Answers, refinement: Refinement) -> tuple[str, ...]:
    steps = [_EVALUATION_STEP[refinement.eval_set]]
    if approach.uses_retrieval:
        steps += [
            *_long_context_step(refinement.corpus_tokens),
            "Once you index: combine keyword and embedding search, rerank what comes back, and "
            "check on its own that the right passage returns for each test request.",
            "Have answers cite the passages they rely on, so a reader can check them.",
        ]
        if answers.data_change == "frequent":
            steps.append(
                "Fetch figures that change by the minute (prices, stock, ticket status) from "
                "the live system as a tool call rather than indexing them."
            )
    if not approach.uses_fine_tuning:
        steps.append(
            "Iterate on instructions and examples until the score stops rising; for format "
            "failures, use the provider's structured output (a JSON schema) first."
        )
    if approach.uses_fine_tuning:
        steps += [
            "Hold back part of the labelled pairs as a test set the model never trains on.",
            _METHOD_STEP[refinement.data_policy == "in_house"],
            f"Start small: {FIRST_TUNING_PAIRS} well-made pairs often show whether tuning "
            "helps; once the pairs exist, a hosted training run takes hours, at most days.",
            f"Plan when to retrain: {_RETRAIN[refinement.behaviour_change]}, and before the "
            "base model's published retirement date; check that your provider still accepts "
            "new tuning jobs.",
        ]
        if answers.cost == "high_volume":
            steps.append(
                "At this volume, consider distillation: tune a smaller, cheaper model on a "
                "larger model's best answers."
            )
    elif answers.problem != "knowledge":
        steps.append(
            "Start saving good input and output pairs now, so fine-tuning is an option if "
            "prompts hit their ceiling."
        )
    steps += _POLICY_STEP.get(refinement.data_policy, ())
    if approach.uses_retrieval and answers.latency == "realtime":
        steps.append(
            f"Set a latency budget and measure the retrieval step ({RETRIEVAL_LATENCY} is "
            "typical) against it from the first prototype; stream the answer, cache the "
            "prompt's fixed start and keep the retrieved context short."
        )
    return tuple(steps)


_EVALUATION_STEP = {
    None: (
        "Build an evaluation set before changing anything: 30 to 50 real requests, a way to "
        "score each answer, and a baseline from two or three models (a stronger one, a "
        "smaller one and a reasoning one). Every later change must beat it."
    ),
    "none": (
        "You cannot score an answer yet, so build the evaluation set first: 30 to 50 real "
        "requests, a way to score each answer, and a baseline from two or three models (a "
        "stronger one, a smaller one and a reasoning one). Every later change must beat it."
    ),
    "few": (
        "Turn the examples you check by hand into a scored evaluation set: 30 to 50 real "
        "requests, a score for each answer, and a baseline from two or three models. Every "
        "later change must beat it."
    ),
    "scored": (
        "Score every change on your evaluation set against the baseline you already have, and "
        "add the failures you meet in use to it."
    ),
}


def _long_context_step(corpus_tokens: int | None) -> tuple[str, ...]:
    if corpus_tokens is None:
        return (
            f"While the documents fit in about {LONG_CONTEXT_TOKENS} tokens, try them all in "
            "the prompt with prompt caching before building an index.",
        )
    if corpus_tokens <= LONG_CONTEXT_LIMIT:
        return (
            f"Your documents, about {corpus_tokens:,} tokens, fit in one prompt: start with "
            "them all in it, with prompt caching, and index only when they outgrow it.",
        )
    return ()


_METHOD_STEP = {
    False: (
        "Choose the method by the data: supervised tuning on input and output pairs, "
        "preference tuning (DPO) on pairs of a better and a worse answer, or LoRA adapters "
        "on an open-weight model when the data must stay in-house."
    ),
    True: (
        "Your data stays in-house, so tune LoRA adapters on an open-weight model you host: "
        "supervised on input and output pairs, or DPO on pairs of a better and a worse answer."
    ),
}

_RETRAIN = {
    None: "whenever the wanted behaviour changes",
    "frequent": "about monthly, as often as the wanted behaviour changes",
    "occasional": "a few times a year, as the wanted behaviour is revised",
    "rare": "about once a year, since the wanted behaviour hardly changes",
}

_POLICY_STEP = {
    "in_house": (
        "Run the model yourself: the data may not leave your infrastructure, so compare "
        "open-weight models you can host, and keep the logs (and any index) in-house too.",
    ),
    "region_bound": (
        "Use a model deployment in your region, and check there that the features the plan "
        "relies on (prompt caching, batch, fine-tuning) are offered.",
    ),
}


def trade_offs(approach: Approach, answers: Answers, refinement: Refinement) -> tuple[str, ...]:
    offs: list[str] = []
    if approach is Approach.PROMPT_ENGINEERING:
        offs.append(
            "Prompts cannot teach facts the model never saw, and long instructions and "
            "examples cost input tokens on every request (prompt caching discounts a fixed "
            "start, not the rest)."
        )
        offs.append(
            "A tuned model might follow your conventions more reliably; that gain is deferred "
            "until prompts clearly fall short."
        )
    if approach.uses_retrieval:
        offs.append(
            "You run an index (or pay for a long prompt while the documents are few) and pay "
            "for the retrieved text as extra input tokens on every request."
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
            "Reviewed pairs, an evaluation set, training and serving the tuned model cost "
            "money and weeks; the pairs take longest, the training run itself hours to days."
        )
        offs.append(
            "Every change to the desired behaviour, and every retirement of the base model, "
            "means another training run."
        )
        if approach is Approach.FINE_TUNING:
            offs.append(
                "Tuning teaches behaviour, not facts: anything the answers must know stays in "
                "the prompt, because a tuned model cannot cite what it was trained on."
            )
        if refinement.behaviour_change == "frequent":
            offs.append(
                "The wanted behaviour changes often, so the tuned model is retrained about "
                "monthly, each run with its evaluation."
            )
    if approach is Approach.RAG_PLUS_FINE_TUNING:
        offs.append("Two systems to build, evaluate and keep in step instead of one.")
    return tuple(offs)


def next_step(approach: Approach, refinement: Refinement) -> str:
    """The first thing to do: NEXT_STEP, worded for a team that already scores its answers
    or whose documents are too many for one prompt."""
    if approach is Approach.PROMPT_ENGINEERING and refinement.eval_set == "scored":
        return (
            "Improve the instructions and examples against your evaluation set's baseline; if "
            "the failures are about format, ask for structured output before anything heavier."
        )
    corpus = refinement.corpus_tokens
    if approach is Approach.RAG and corpus is not None and corpus > LONG_CONTEXT_LIMIT:
        return (
            f"Your documents, about {corpus:,} tokens, are too many for one prompt: index "
            "them, retrieve the best passages per request and have the answer cite them."
        )
    return NEXT_STEP[approach]
