"""What the engine returns: the approach with its reasons, saved through `Advice.to_dict`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from advisor.domain.engine.answers import Approach, Verdict
from advisor.domain.refine import Refinement

if TYPE_CHECKING:
    from advisor.domain.engine.confidence import Confidence
    from advisor.domain.engine.pilot import PilotMetric
    from advisor.domain.engine.plan import PlanStage

RULES_VERSION = "2026.12.2"


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

    # True when the tuned approach (fine-tuning, or retrieval plus fine-tuning) costs no more
    # than what it would replace.
    favours_fine_tuning: bool
    summary: str
    # Cost per query by approach key, from the same numbers: the pilot's cost thresholds.
    per_query: dict[str, float] = field(default_factory=dict)


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
    plan: tuple[PlanStage, ...]
    pilot_metrics: tuple[PilotMetric, ...]
    confidence: Confidence
    refinement: Refinement
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
            "plan": [asdict(stage) for stage in self.plan],
            "pilot_metrics": [asdict(metric) for metric in self.pilot_metrics],
            "confidence": asdict(self.confidence),
            "refine": self.refinement.as_dict(),
            "rules_version": self.rules_version,
        }
