"""Time to ship: the milestones to a live product for each approach, in weeks."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain.costs.inputs import InvalidEstimate
from advisor.domain.engine import Approach

PE = Approach.PROMPT_ENGINEERING

FROM_FRAMEWORK = "framework"  # a figure the framework article gives
OUR_ASSUMPTION = "assumption"  # a figure we chose where it gives none


@dataclass(frozen=True, slots=True)
class Milestone:
    label: str
    weeks: int
    source: str = OUR_ASSUMPTION


PROMPTS_READY = Milestone("Prompts written and checked on an evaluation set", 2, OUR_ASSUMPTION)
RETRIEVAL_LIVE = Milestone("Retrieval live", 6, FROM_FRAMEWORK)
TUNED_MODEL_LIVE = Milestone("Tuned model trained, evaluated and live", 16, FROM_FRAMEWORK)
LABELLED_SET = {
    "none": Milestone("Labelled set built from scratch", 12, FROM_FRAMEWORK),
    "some": Milestone("Labelled set completed", 6, OUR_ASSUMPTION),
    "plenty": None,
}


def time_to_ship(approach: Approach, labeled_data: str) -> tuple[Milestone, ...]:
    """The milestones to a live product, in order; fine-tuning first builds its labelled set
    when the team lacks one, and retrieval plus fine-tuning ships retrieval first."""
    if labeled_data not in LABELLED_SET:
        raise InvalidEstimate({"labeled_data": f"Choose one of: {', '.join(LABELLED_SET)}."})
    approach = Approach(approach)
    if approach is PE:
        return (PROMPTS_READY,)
    path: list[Milestone] = [RETRIEVAL_LIVE] if approach.uses_retrieval else []
    if approach.uses_fine_tuning:
        labelled = LABELLED_SET[labeled_data]
        path += [labelled, TUNED_MODEL_LIVE] if labelled else [TUNED_MODEL_LIVE]
    return tuple(path)


def weeks_to_ship(approach: Approach, labeled_data: str) -> int:
    return sum(milestone.weeks for milestone in time_to_ship(approach, labeled_data))
