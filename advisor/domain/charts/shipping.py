"""The time-to-ship chart: each approach's milestones as a row of weeks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.domain.charts.formatting import (
    DASH,
    SOURCE_LABELS,
    Box,
    Tick,
    nice_ticks,
    ordered,
    px,
    weeks_text,
)
from advisor.domain.charts.latency import (
    BAR_HEIGHT,
    BAR_LEFT,
    BAR_RIGHT,
    MIN_TEXT_WIDTH,
    ROW_HEIGHT,
    Segment,
    StackedBar,
)
from advisor.domain.engine import Approach


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    """One line of the time-to-ship table: a milestone of the saved report, numbered."""

    number: int
    label: str
    weeks: int
    span: str  # "6-18", the weeks it runs from and to
    source: str


@dataclass(frozen=True, slots=True)
class ShipRow:
    key: str
    label: str
    total: str
    milestones: tuple[MilestoneRow, ...]
    recommended: bool


@dataclass(frozen=True, slots=True)
class ShipChart:
    width: int
    height: int
    plot: Box
    bars: tuple[StackedBar, ...]
    ticks: tuple[Tick, ...]
    title: str
    summary: str
    rows: tuple[ShipRow, ...]


def ship_chart(report: Mapping[str, Any], *, width: int = 640) -> ShipChart:
    """A timeline per approach in weeks: each milestone a numbered segment, in order; work
    that runs side by side (a labelled set built beside retrieval) shares the bar in lanes."""
    plans: Mapping[str, Any] = report.get("time_to_ship") or {}
    keys = ordered(plans)
    longest = max((plans[key].get("weeks", 0) for key in keys), default=0)
    ticks = nice_ticks(longest)
    plot = Box(
        left=BAR_LEFT, top=6, right=width - BAR_RIGHT, bottom=6 + ROW_HEIGHT * max(len(keys), 1)
    )
    height = int(plot.bottom + 44)  # tick labels and the axis title

    def x_of(weeks: float) -> float:
        return plot.left + weeks / ticks[-1] * plot.width

    bars, rows = [], []
    for index, key in enumerate(keys):
        plan = plans[key]
        milestones = plan.get("milestones") or []
        row_top = plot.top + index * ROW_HEIGHT
        lanes = _lanes(milestones)
        # Whole units, so a bar of one lane is drawn exactly as before lanes existed.
        lane_height = BAR_HEIGHT // (max(lanes, default=0) + 1)
        segments = []
        for number, (item, lane) in enumerate(zip(milestones, lanes, strict=True), start=1):
            x = x_of(item["start_week"])
            span = x_of(item["end_week"]) - x
            segments.append(
                Segment(
                    label=f"{number}. {item['label']}: {weeks_text(item['weeks'])}",
                    css_class=f"milestone-{(number - 1) % 2}",
                    x=px(x),
                    width=px(span),
                    # A number wider than its segment would spill, white on white.
                    text=str(number) if span >= MIN_TEXT_WIDTH else "",
                    y=row_top + 22 + lane * lane_height,
                    height=lane_height,
                )
            )
        total = weeks_text(plan.get("weeks", 0))
        bars.append(
            StackedBar(
                key=key,
                label=f"{Approach.label_of(key)}: live after {total}",
                y=row_top + 22,
                height=BAR_HEIGHT,
                label_y=row_top + 16,
                segments=tuple(segments),
                recommended=key == report.get("approach"),
            )
        )
        rows.append(
            ShipRow(
                key=key,
                label=Approach.label_of(key),
                total=total,
                milestones=tuple(
                    MilestoneRow(
                        number=number,
                        label=item["label"],
                        weeks=item["weeks"],
                        span=f"{item['start_week']}{DASH}{item['end_week']}",
                        source=SOURCE_LABELS.get(item.get("source", ""), item.get("source", "")),
                    )
                    for number, item in enumerate(milestones, start=1)
                ),
                recommended=key == report.get("approach"),
            )
        )
    summary = (
        "Weeks until live: "
        + "; ".join(f"{row.label} {row.total}" for row in rows)
        + ("." if rows else "")
    )
    return ShipChart(
        width=width,
        height=height,
        plot=plot,
        bars=tuple(bars),
        ticks=tuple(Tick(w, f"{w:,.0f}", px(x_of(w))) for w in ticks),
        title="Time to ship by approach",
        summary=summary,
        rows=tuple(rows),
    )


def _lanes(milestones: list[Mapping[str, Any]]) -> list[int]:
    """Each milestone's lane: the first whose last milestone has ended when it starts."""
    ends: list[int] = []
    lanes = []
    for item in milestones:
        lane = next((i for i, end in enumerate(ends) if end <= item["start_week"]), len(ends))
        if lane == len(ends):
            ends.append(item["end_week"])
        else:
            ends[lane] = item["end_week"]
        lanes.append(lane)
    return lanes
