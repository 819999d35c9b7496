"""Time to ship: the milestones to a live product for each approach, in weeks, with the work
that runs side by side starting together."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    start_week: int = 0

    @property
    def end_week(self) -> int:
        return self.start_week + self.weeks


PROMPTS_READY = Milestone("Prompts written and checked on an evaluation set", 2, OUR_ASSUMPTION)
RETRIEVAL_LIVE = Milestone("Retrieval live", 6, FROM_FRAMEWORK)
# Hosted training runs take hours to days once the pairs exist; cleaning the data, a few
# runs, the evaluation against the prompt baseline and the release take about three weeks.
TUNED_MODEL_LIVE = Milestone("Tuned model trained, evaluated and live", 3, OUR_ASSUMPTION)
LABELLED_SET = {
    "none": Milestone("Labelled set built from scratch", 12, FROM_FRAMEWORK),
    "some": Milestone("Labelled set completed", 6, OUR_ASSUMPTION),
    "plenty": None,
}


def time_to_ship(approach: Approach, labeled_data: str) -> tuple[Milestone, ...]:
    """The milestones to a live product, each with the week it starts. Building the labelled
    set starts at once, beside retrieval for retrieval plus fine-tuning; the tuned model is
    trained once both are done, so no week is counted twice."""
    if labeled_data not in LABELLED_SET:
        raise InvalidEstimate({"labeled_data": f"Choose one of: {', '.join(LABELLED_SET)}."})
    approach = Approach(approach)
    if approach is PE:
        return (PROMPTS_READY,)
    path: list[Milestone] = [RETRIEVAL_LIVE] if approach.uses_retrieval else []
    if approach.uses_fine_tuning:
        labelled = LABELLED_SET[labeled_data]
        if labelled:
            path.append(labelled)
        ready = max((milestone.end_week for milestone in path), default=0)
        path.append(replace(TUNED_MODEL_LIVE, start_week=ready))
    return tuple(path)


def weeks_to_ship(approach: Approach, labeled_data: str) -> int:
    return max(milestone.end_week for milestone in time_to_ship(approach, labeled_data))
