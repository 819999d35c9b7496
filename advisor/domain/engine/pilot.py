"""The pilot: the figures to measure after shipping, each with the threshold that says it worked.

Saved in the snapshot; recording an outcome offers them prefilled and shows which thresholds
were met (advisor.domain.outcome_rules.pilot_met). Thresholds are sourced in
docs/decision-rules.md ("The pilot").
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain.engine.advice import CostEvidence
from advisor.domain.engine.answers import Answers, Approach
from advisor.domain.engine.plan import FORMAT_PASS_RATE, RECALL_AT_5

GROUNDEDNESS = 95  # % of answers whose claims the retrieved passages support
# p95 time to first token by latency answer, from the questions' own wording: half a second
# is felt in real time, a second or two is normal in a chat.
TTFT_P95_MS = {"realtime": 500, "interactive": 2000}


@dataclass(frozen=True, slots=True)
class PilotMetric:
    """A figure to measure: higher or lower is better, and the threshold that counts as met
    (None where only the team can set it, like a cost per query without numbers)."""

    key: str
    label: str
    unit: str
    better: str
    threshold: float | None


def pilot_metrics(
    approach: Approach, answers: Answers, evidence: CostEvidence | None = None
) -> tuple[PilotMetric, ...]:
    metrics = []
    if approach.uses_retrieval:
        metrics += [
            PilotMetric(
                "recall_at_5",
                "Retrieval recall@5 (the right passage among the top five)",
                "%",
                "higher",
                RECALL_AT_5,
            ),
            PilotMetric(
                "groundedness",
                "Answers whose claims the retrieved passages support",
                "%",
                "higher",
                GROUNDEDNESS,
            ),
        ]
    if answers.problem != "knowledge":
        metrics.append(
            PilotMetric(
                "format_validity",
                "Answers in the required format, voice and policy",
                "%",
                "higher",
                FORMAT_PASS_RATE,
            )
        )
    if answers.latency in TTFT_P95_MS:
        metrics.append(
            PilotMetric(
                "ttft_p95",
                "Time to first token, 95th percentile",
                "ms",
                "lower",
                TTFT_P95_MS[answers.latency],
            )
        )
    planned = evidence.per_query.get(str(approach)) if evidence is not None else None
    metrics += [
        PilotMetric(
            "cost_per_query",
            "All-in cost per query (tokens, hosting, retraining and people's time)",
            "$",
            "lower",
            planned,
        ),
        PilotMetric(
            "business_metric",
            "Your business metric against today, e.g. requests resolved without a person",
            "points",
            "higher",
            0,
        ),
    ]
    return tuple(metrics)
