"""The staged plan: what to do now, then each next rung with the measurable trigger that
justifies it. Thresholds are named here and sourced in docs/decision-rules.md ("The plan")."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain.engine.advice import CostEvidence
from advisor.domain.engine.answers import Answers, Approach
from advisor.domain.engine.gates import fine_tuning_blocker
from advisor.domain.refine import Refinement

# The gates between rungs, in the units the pilot measures.
# % of answers in the required format: below it after prompt work, tuning is worth trying; at
# or above it, the pilot's format target is met. One figure, so no band falls between the two.
FORMAT_PASS_RATE = 95
REVIEWED_PAIRS = 500  # reviewed pairs in hand before a tuning run is worth trying
RECALL_AT_5 = 80  # % of test requests whose right passage is among the top five
LONG_CONTEXT_LIMIT = 200_000  # tokens: beyond this, index the documents
DISTIL_VOLUME = 1_000_000  # queries a month from which a smaller tuned model is worth it


@dataclass(frozen=True, slots=True)
class PlanStage:
    """One stage: what to do (`action`) and when to move to it (`trigger`; None: now)."""

    key: str
    title: str
    action: str
    trigger: str | None


def plan(
    approach: Approach,
    answers: Answers,
    refinement: Refinement,
    evidence: CostEvidence | None = None,
) -> tuple[PlanStage, ...]:
    stages: list[PlanStage] = []
    if refinement.eval_set != "scored":
        stages.append(_evaluation_stage(refinement))
    if approach is Approach.PROMPT_ENGINEERING or approach is Approach.FINE_TUNING:
        stages.append(_prompt_stage(approach))
    if approach.uses_retrieval:
        stages += _retrieval_stages(answers, refinement)
    tunes_later = approach is Approach.PROMPT_ENGINEERING or (
        approach is Approach.RAG and answers.problem == "both"
    )
    if approach.uses_fine_tuning or tunes_later:
        stages.append(_tuning_stage(approach, answers, refinement, evidence))
    if approach.uses_fine_tuning and answers.cost == "high_volume":
        stages.append(_distillation_stage(approach, evidence))
    return _first_is_now(stages)


def _first_is_now(stages: list[PlanStage]) -> tuple[PlanStage, ...]:
    first, *rest = stages
    now = PlanStage(first.key, first.title, first.action, None)
    return (now, *rest)


def _evaluation_stage(refinement: Refinement) -> PlanStage:
    start = (
        "Turn the examples you check by hand into a scored set"
        if refinement.eval_set == "few"
        else "Collect 30 to 50 real requests"
    )
    models = (
        "two or three open-weight models you can host"
        if refinement.data_policy == "in_house"
        else "two or three models (a stronger one, a smaller one and a reasoning one)"
    )
    return PlanStage(
        key="evaluate",
        title="Build the evaluation set",
        action=(
            f"{start}, with a way to score each answer (a reference answer, a format check or "
            f"a short rubric), and score {models} on it: that baseline is what every later "
            "stage must beat."
        ),
        trigger=None,
    )


def _prompt_stage(approach: Approach) -> PlanStage:
    baseline = (
        " The result is the baseline the tuned model must beat."
        if approach is Approach.FINE_TUNING
        else ""
    )
    return PlanStage(
        key="prompt",
        title="Prompt engineering",
        action=(
            "Write instructions and a few examples and improve them against the evaluation "
            "set; for format failures ask for structured output (a JSON schema) first, and try "
            f"a stronger or a reasoning model before anything heavier.{baseline}"
        ),
        trigger="Once the evaluation set has its baseline.",
    )


def _retrieval_stages(answers: Answers, refinement: Refinement) -> list[PlanStage]:
    corpus = refinement.corpus_tokens
    stages = []
    if corpus is None or corpus <= LONG_CONTEXT_LIMIT:
        fits = (
            f"Your documents, about {corpus:,} tokens, fit in one prompt: put them all in it"
            if corpus is not None
            else f"While the documents fit in about {LONG_CONTEXT_LIMIT:,} tokens, put them "
            "all in the prompt"
        )
        stages.append(
            PlanStage(
                key="long_context",
                title="The documents in a cached prompt",
                action=(
                    f"{fits}, with prompt caching on that fixed start, and measure answers and "
                    "cost per query on the evaluation set before building an index."
                ),
                trigger="Once the evaluation set has its baseline.",
            )
        )
    live = (
        " Fetch figures that change by the minute (prices, stock, ticket status) from the live "
        "system through a tool call instead of indexing them."
        if answers.data_change == "frequent"
        else ""
    )
    cite = (
        "every answer must cite the passages it relies on"
        if refinement.citations_required == "yes"
        else "have answers cite the passages they rely on"
    )
    stages.append(
        PlanStage(
            key="retrieval",
            title="Indexed retrieval",
            action=(
                "Index the documents, combine keyword and embedding search, rerank what comes "
                f"back, and {cite}; measure recall@5 on its own.{live}"
            ),
            trigger=(
                f"When the documents grow past about {LONG_CONTEXT_LIMIT:,} tokens, or the "
                "cached prompt costs more per query than retrieval would."
                if stages
                else "Once the evaluation set has its baseline."
            ),
        )
    )
    return stages


_WAIT_FOR = {
    "no_labels": f"once you hold at least {REVIEWED_PAIRS} reviewed pairs, ",
    "early_stage": "once the product is past its early stage and carries real traffic, ",
    "not_enough_push": (
        f"once you hold at least {REVIEWED_PAIRS} reviewed pairs or the volume turns high, "
    ),
}


def _tuning_stage(
    approach: Approach, answers: Answers, refinement: Refinement, evidence: CostEvidence | None
) -> PlanStage:
    blocker = fine_tuning_blocker(answers, evidence)
    wait = _WAIT_FOR[blocker] if blocker else ""
    failures = (
        f"the format pass rate stays below {FORMAT_PASS_RATE}% after prompt work"
        if approach is not Approach.RAG and approach is not Approach.RAG_PLUS_FINE_TUNING
        else (
            f"retrieval finds the right passage for at least {RECALL_AT_5}% of test requests "
            f"(recall@5) and the format pass rate still stays below {FORMAT_PASS_RATE}%"
        )
    )
    trigger = f"If {failures}" if not wait else f"{wait[0].upper()}{wait[1:]}if {failures}"
    method = (
        "train LoRA adapters on an open-weight model you host"
        if refinement.data_policy == "in_house"
        else "tune a small hosted model (supervised on input and output pairs, or DPO on "
        "pairs of a better and a worse answer)"
    )
    context, baseline = (
        (" with the retrieved passages in the training prompts", "retrieval with prompts alone")
        if approach.uses_retrieval
        else ("", "the prompt baseline")
    )
    return PlanStage(
        key="fine_tune",
        title="Fine-tune for the behaviour",
        action=(
            f"Hold back part of the pairs as a test set, {method}{context}, and compare it "
            f"with {baseline} on the held-out pairs; ship it only if it wins."
        ),
        trigger=f"{trigger}.",
    )


def _distillation_stage(approach: Approach, evidence: CostEvidence | None) -> PlanStage:
    planned = evidence.per_query.get(str(approach)) if evidence is not None else None
    cost = (
        f"its cost per query runs above ${planned:,.4f}, what your numbers planned for it"
        if planned
        else f"traffic passes {DISTIL_VOLUME:,} queries a month"
    )
    return PlanStage(
        key="distil",
        title="Distil onto a smaller model",
        action=(
            "Tune a smaller, cheaper model on the tuned model's best answers and keep it only "
            "if it still meets every pilot threshold."
        ),
        trigger=f"When the tuned model meets its pilot thresholds and {cost}.",
    )
