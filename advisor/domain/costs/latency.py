"""Time to first token: the model's own stage plus the retrieval stages, against a target."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from advisor.domain.costs.inputs import InvalidEstimate
from advisor.domain.engine import RETRIEVAL_MS, Approach

if TYPE_CHECKING:
    from advisor.domain.costs.estimate import CostInputs


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
    mitigations: tuple[str, ...] = ()

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
            "mitigations": list(self.mitigations),
        }


def _stage_dict(stage: Stage) -> dict[str, Any]:
    return {"name": stage.name, "low_ms": stage.low_ms, "high_ms": stage.high_ms}


# The split is ours; the totals are the framework's (RETRIEVAL_MS, which the engine's sentences
# quote too): with a reranker the four retrieval stages add exactly 200-800 ms, without one
# 100-400 ms. Reading the retrieved context takes what the other three leave.
EMBEDDING_STAGE = Stage("Embedding the question", 20, 80)
SEARCH_STAGE = Stage("Vector search", 30, 150)
RERANK_STAGE = Stage("Reranking the results", 100, 400)
CONTEXT_STAGE = Stage(
    "Reading the retrieved context",
    RETRIEVAL_MS[0] - EMBEDDING_STAGE.low_ms - SEARCH_STAGE.low_ms - RERANK_STAGE.low_ms,
    RETRIEVAL_MS[1] - EMBEDDING_STAGE.high_ms - SEARCH_STAGE.high_ms - RERANK_STAGE.high_ms,
)
TARGET_MS_LIMIT = 600_000  # ten minutes; anything longer is not a latency target

# The model's own time to first token, before it reads the prompt, by model size; and the time
# to read (prefill) each 1,000 prompt tokens not cached. Our assumptions: a large hosted model
# answers in 300-700 ms on a short prompt (the figure of cost model 2026.11.1), a small one in
# about half. A cached prefix is read at a fifth of the time: OpenAI's prompt caching cuts
# time to first token by up to 80%.
MODEL_STAGE = Stage("Model, first token", 300, 700)
OVERHEAD_MS = {"small": (150, 350), "large": (300, 700)}
PREFILL_MS_PER_1K = {"small": (10, 30), "large": (20, 60)}
CACHED_PREFILL = Fraction(1, 5)


def model_stage(*, size: str, prompt_tokens: int, cached_tokens: Fraction = Fraction(0)) -> Stage:
    """The model's first token for a prompt: its size's overhead plus reading the prompt, the
    cached prefix at a fifth of the time. Whole milliseconds, rounded up."""
    (low, high), (per_low, per_high) = OVERHEAD_MS[size], PREFILL_MS_PER_1K[size]
    read = (prompt_tokens - cached_tokens) + cached_tokens * CACHED_PREFILL
    return Stage(
        "Model, first token",
        low + math.ceil(read * per_low / 1000),
        high + math.ceil(read * per_high / 1000),
    )


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
    low_ms = base.low_ms + sum(stage.low_ms for stage in stages)
    high_ms = base.high_ms + sum(stage.high_ms for stage in stages)
    missed = target_ms is not None and high_ms > target_ms
    return LatencyBudget(
        base=base,
        stages=stages,
        low_ms=low_ms,
        high_ms=high_ms,
        target_ms=target_ms,
        mitigations=mitigations(rerank=rerank, retrieval=retrieval) if missed else (),
    )


def mitigations(*, rerank: bool, retrieval: bool) -> tuple[str, ...]:
    """What shortens the wait for the first token, for a budget that misses its target."""
    found = [
        "Stream the answer, so the first words show as soon as they are written.",
        "Put the fixed instructions first and cache them, so the prefix is not read again.",
        "Try a smaller or faster model; a tuned small model can keep the quality.",
    ]
    if retrieval:
        if rerank:
            found.append("Skip reranking, or rerank fewer candidates with a faster reranker.")
        found += [
            "Retrieve fewer, shorter passages.",
            "Run the index and the embedding model in the same region as the application.",
        ]
    return tuple(found)


def latency_budgets(
    estimate: CostInputs, *, target_ms: int | None = None
) -> dict[Approach, LatencyBudget]:
    """One budget per approach: the model's stage for its own model and prompt (the tuned
    model reads the shorter tuned prompt, uncached), and retrieval's stages where it
    retrieves."""
    cached = Fraction(estimate.prompt_tokens) * Fraction(estimate.cached_share)
    base = model_stage(
        size=estimate.prices.size, prompt_tokens=estimate.prompt_tokens, cached_tokens=cached
    )
    tuned = model_stage(size=estimate.tuned_row.size, prompt_tokens=estimate.tuned_prompt_tokens)
    return {
        approach: latency_budget(
            rerank=estimate.rerank,
            target_ms=target_ms,
            retrieval=approach.uses_retrieval,
            base=tuned if approach.uses_fine_tuning else base,
        )
        for approach in Approach
    }
