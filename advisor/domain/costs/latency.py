"""Time to first token: the model's own stage plus the retrieval stages, against a target."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from advisor.domain.costs.inputs import InvalidEstimate
from advisor.domain.engine import Approach


@dataclass(frozen=True, slots=True)
class Stage:
    """One step between the request and the first token, as a range in milliseconds."""

    name: str
    low_ms: int
    high_ms: int

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("A stage needs a name.")
        for value in (self.low_ms, self.high_ms):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError("Stage times are whole, non-negative milliseconds.")
        if self.low_ms > self.high_ms:
            raise ValueError("A stage's low time cannot exceed its high time.")


class LatencyVerdict(StrEnum):
    WITHIN = "within"  # even the slow end meets the target
    AT_RISK = "at_risk"  # the fast end meets it, the slow end does not
    OVER = "over"  # even the fast end misses it


@dataclass(frozen=True, slots=True)
class LatencyBudget:
    """Time to first token: the model's own stage plus the retrieval stages, as ranges."""

    base: Stage
    stages: tuple[Stage, ...]
    low_ms: int
    high_ms: int
    target_ms: int | None

    def __post_init__(self) -> None:
        if self.low_ms != self.base.low_ms + self.added_low_ms:
            raise ValueError("low_ms must be the base stage plus the retrieval stages.")
        if self.high_ms != self.base.high_ms + self.added_high_ms:
            raise ValueError("high_ms must be the base stage plus the retrieval stages.")

    @property
    def added_low_ms(self) -> int:
        return sum(stage.low_ms for stage in self.stages)

    @property
    def added_high_ms(self) -> int:
        return sum(stage.high_ms for stage in self.stages)

    @property
    def within_target(self) -> bool | None:
        """True when even the slow end meets the target, None when there is no target."""
        return None if self.target_ms is None else self.high_ms <= self.target_ms

    @property
    def verdict(self) -> LatencyVerdict | None:
        if self.target_ms is None:
            return None
        if self.high_ms <= self.target_ms:
            return LatencyVerdict.WITHIN
        if self.low_ms <= self.target_ms:
            return LatencyVerdict.AT_RISK
        return LatencyVerdict.OVER

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": _stage_dict(self.base),
            "stages": [_stage_dict(stage) for stage in self.stages],
            "added_low_ms": self.added_low_ms,
            "added_high_ms": self.added_high_ms,
            "low_ms": self.low_ms,
            "high_ms": self.high_ms,
            "target_ms": self.target_ms,
            "within_target": self.within_target,
            "verdict": None if self.verdict is None else str(self.verdict),
        }


def _stage_dict(stage: Stage) -> dict[str, Any]:
    return {"name": stage.name, "low_ms": stage.low_ms, "high_ms": stage.high_ms}


# The split is ours; the totals are the framework's: with a reranker the four retrieval stages
# add exactly 200-800 ms (20 + 30 + 100 + 50 and 80 + 150 + 400 + 170), without one 100-400 ms.
MODEL_STAGE = Stage("Model, first token", 300, 700)
EMBEDDING_STAGE = Stage("Embedding the question", 20, 80)
SEARCH_STAGE = Stage("Vector search", 30, 150)
RERANK_STAGE = Stage("Reranking the results", 100, 400)
CONTEXT_STAGE = Stage("Reading the retrieved context", 50, 170)
RETRIEVAL_MS = (200, 800)
TARGET_MS_LIMIT = 600_000  # ten minutes; anything longer is not a latency target


def latency_budget(
    *,
    rerank: bool = False,
    target_ms: int | None = None,
    retrieval: bool = True,
    base: Stage = MODEL_STAGE,
    embedding: Stage = EMBEDDING_STAGE,
    search: Stage = SEARCH_STAGE,
    rerank_stage: Stage = RERANK_STAGE,
    context: Stage = CONTEXT_STAGE,
) -> LatencyBudget:
    """The time to first token with retrieval (or, with retrieval=False, the model alone, as
    for prompt engineering and fine-tuning), compared with an optional target in ms."""
    if target_ms is not None and (
        isinstance(target_ms, bool)
        or not isinstance(target_ms, int)
        or not 0 < target_ms <= TARGET_MS_LIMIT
    ):
        raise InvalidEstimate(
            {"target_ms": f"Enter whole milliseconds between 1 and {TARGET_MS_LIMIT:,}."}
        )
    stages: tuple[Stage, ...] = ()
    if retrieval:
        stages = (
            (embedding, search, rerank_stage, context) if rerank else (embedding, search, context)
        )
    return LatencyBudget(
        base=base,
        stages=stages,
        low_ms=base.low_ms + sum(stage.low_ms for stage in stages),
        high_ms=base.high_ms + sum(stage.high_ms for stage in stages),
        target_ms=target_ms,
    )


def latency_budgets(
    *, rerank: bool = False, target_ms: int | None = None
) -> dict[Approach, LatencyBudget]:
    """One budget per approach: retrieval stages for the approaches that retrieve."""
    return {
        approach: latency_budget(
            rerank=rerank, target_ms=target_ms, retrieval=approach.uses_retrieval
        )
        for approach in Approach
    }
