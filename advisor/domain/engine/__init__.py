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

from advisor.domain.engine import factors, gates, words
from advisor.domain.engine.advice import RULES_VERSION, Advice, Change, CostEvidence, Factor
from advisor.domain.engine.answers import Answers, Approach, InvalidAnswers, Verdict
from advisor.domain.engine.confidence import Confidence, confidence
from advisor.domain.engine.factors import FACTORS
from advisor.domain.engine.gates import (
    RETRIEVAL_LATENCY,
    RETRIEVAL_MS,
    choose_approach,
    fine_tuning_blocker,
)
from advisor.domain.engine.pilot import PilotMetric, pilot_metrics
from advisor.domain.engine.plan import PlanStage, plan
from advisor.domain.engine.words import BLOCKER_REASONS, NEXT_STEP
from advisor.domain.questions import QUESTION_KEYS
from advisor.domain.refine import Refinement

__all__ = [
    "BLOCKER_REASONS",
    "FACTORS",
    "NEXT_STEP",
    "RETRIEVAL_LATENCY",
    "RETRIEVAL_MS",
    "RULES_VERSION",
    "Advice",
    "Answers",
    "Approach",
    "Change",
    "Confidence",
    "CostEvidence",
    "Factor",
    "InvalidAnswers",
    "PilotMetric",
    "PlanStage",
    "Refinement",
    "Verdict",
    "choose_approach",
    "evaluate",
    "fine_tuning_blocker",
]


def evaluate(
    answers: Answers,
    evidence: CostEvidence | None = None,
    refinement: Refinement | None = None,
) -> Advice:
    """Recommend an approach for these answers, with everything needed to explain it.

    `evidence` is the cost estimate's verdict, when the team entered its numbers;
    `refinement` the optional refine step's answers, which shape the plan, the steps and the
    confidence but never the approach.
    """
    refinement = refinement or Refinement()
    approach = gates.choose_approach(answers, evidence)
    ladder_step = Approach.RAG if approach is Approach.RAG_PLUS_FINE_TUNING else approach
    changes = gates.would_change(approach, answers, evidence)
    return Advice(
        approach=approach,
        headline=words.headline(approach, answers, evidence),
        factors=tuple(factors.factor(key, answers, evidence) for key in QUESTION_KEYS),
        ladder_step=ladder_step,
        next_step=words.next_step(approach, refinement),
        next_steps=words.next_steps(approach, answers, refinement),
        trade_offs=words.trade_offs(approach, answers, refinement),
        would_change=changes,
        plan=plan(approach, answers, refinement, evidence),
        pilot_metrics=pilot_metrics(approach, answers, evidence),
        confidence=confidence(
            changes,
            has_numbers=evidence is not None,
            has_baseline=refinement.eval_set == "scored",
        ),
        refinement=refinement,
    )
