"""The latency chart: one bar per approach, split into its stages, against the target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.domain.charts.formatting import (
    VERDICT_TEXT,
    Box,
    Tick,
    ms_range,
    nice_ticks,
    ordered,
    px,
)
from advisor.domain.engine import Approach

# Stage colours cycle through this many classes (stage-0 ... stage-4 in charts.css).
STAGE_CLASSES = 5


@dataclass(frozen=True, slots=True)
class Segment:
    label: str  # for the segment's tooltip
    css_class: str
    x: float
    width: float
    light: bool = False
    text: str = ""  # printed in the middle of the segment
    # Where the ship chart draws it: a lane of its bar, when milestones run side by side.
    y: float = 0.0
    height: float = 0.0

    @property
    def text_x(self) -> float:
        return px(self.x + self.width / 2)

    @property
    def text_y(self) -> float:
        return px(self.y + self.height / 2)


@dataclass(frozen=True, slots=True)
class StackedBar:
    """A bar of segments end to end: an approach's stages here, its milestones in the ship
    chart."""

    key: str
    label: str  # the line above the bar
    y: float
    height: float
    label_y: float
    segments: tuple[Segment, ...]
    recommended: bool = False

    @property
    def text_y(self) -> float:
        return px(self.y + self.height / 2)


@dataclass(frozen=True, slots=True)
class TargetLine:
    x: float
    top: float
    bottom: float
    label: str
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True, slots=True)
class LegendItem:
    label: str
    css_class: str


@dataclass(frozen=True, slots=True)
class LatencyRow:
    stage: str
    cells: tuple[str, ...]  # one per approach, "" where the approach skips the stage


@dataclass(frozen=True, slots=True)
class LatencyChart:
    width: int
    height: int
    plot: Box
    bars: tuple[StackedBar, ...]
    ticks: tuple[Tick, ...]
    target: TargetLine | None
    legend: tuple[LegendItem, ...]
    title: str
    summary: str
    columns: tuple[str, ...]  # approach labels, the table's column headings
    rows: tuple[LatencyRow, ...]
    totals: tuple[str, ...]
    added: tuple[str, ...]
    verdicts: tuple[str, ...]
    target_text: str
    # What would shorten the wait when the recommended approach misses the target (reports
    # from cost model 2026.12.1 on).
    mitigations: tuple[str, ...] = ()


BAR_HEIGHT = 22
ROW_HEIGHT = 58  # a line of text, the bar and a gap
# Room for half of the first and last tick labels ("0 ms", "1,500 ms") beside the plot.
BAR_LEFT = 20
BAR_RIGHT = 32
MIN_TEXT_WIDTH = 14


def latency_chart(report: Mapping[str, Any], *, width: int = 640) -> LatencyChart:
    """A bar per approach of the time to first token, stage by stage.

    Each bar first stacks every stage's fast-end time (solid), then what each stage adds at the
    slow end (light), in the same stage order: the solid part ends at the total fast end, the
    whole bar at the total slow end, so the bar reads directly against the target line.
    """
    budgets: Mapping[str, Any] = report.get("latency") or {}
    keys = ordered(budgets)
    target_ms = next((b.get("target_ms") for b in budgets.values() if b.get("target_ms")), None)

    stage_names: list[str] = []
    for key in keys:
        for stage in _stages(budgets[key]):
            if stage["name"] not in stage_names:
                stage_names.append(stage["name"])
    stage_class = {name: f"stage-{i % STAGE_CLASSES}" for i, name in enumerate(stage_names)}

    highest = max((budgets[key].get("high_ms", 0) for key in keys), default=0)
    ticks = nice_ticks(max(highest, target_ms or 0))
    top_strip = 24 if target_ms else 6
    plot = Box(
        left=BAR_LEFT,
        top=top_strip,
        right=width - BAR_RIGHT,
        bottom=top_strip + ROW_HEIGHT * max(len(keys), 1),
    )
    height = int(plot.bottom + 26)

    def x_of(ms: float) -> float:
        return plot.left + ms / ticks[-1] * plot.width

    bars = []
    for index, key in enumerate(keys):
        budget = budgets[key]
        row_top = plot.top + index * ROW_HEIGHT
        segments = _bar_segments(_stages(budget), stage_class, x_of)
        line = f"{Approach.label_of(key)}: {ms_range(budget['low_ms'], budget['high_ms'])}"
        if budget.get("verdict") in VERDICT_TEXT:
            line += f", {VERDICT_TEXT[budget['verdict']]}"
        bars.append(
            StackedBar(
                key=key,
                label=line,
                y=row_top + 22,
                height=BAR_HEIGHT,
                label_y=row_top + 16,
                segments=segments,
                recommended=key == report.get("approach"),
            )
        )

    target = None
    if target_ms:
        x = px(x_of(target_ms))
        anchor = "end" if x > plot.right - 60 else "start" if x < plot.left + 60 else "middle"
        target = TargetLine(
            x=x,
            top=plot.top - 4,
            bottom=plot.bottom,
            label=f"Target {target_ms:,} ms",
            label_x=x,
            label_y=plot.top - 8,
            anchor=anchor,
        )

    legend = tuple(LegendItem(name, stage_class[name]) for name in stage_names)
    rows = tuple(
        LatencyRow(
            stage=name,
            cells=tuple(_stage_cell(budgets[key], name) for key in keys),
        )
        for name in stage_names
    )
    return LatencyChart(
        width=width,
        height=height,
        plot=plot,
        bars=tuple(bars),
        ticks=tuple(Tick(ms, f"{ms:,.0f} ms", px(x_of(ms))) for ms in ticks),
        target=target,
        legend=legend,
        title="Time to first token by approach",
        summary=_latency_summary(budgets, keys, target_ms),
        columns=tuple(Approach.label_of(key) for key in keys),
        rows=rows,
        totals=tuple(ms_range(budgets[k]["low_ms"], budgets[k]["high_ms"]) for k in keys),
        added=tuple(
            ms_range(budgets[k].get("added_low_ms", 0), budgets[k].get("added_high_ms", 0))
            for k in keys
        ),
        verdicts=tuple(_verdict_cell(budgets[k].get("verdict")) if target_ms else "" for k in keys),
        target_text=f"{target_ms:,} ms" if target_ms else "",
        mitigations=tuple(budgets.get(report.get("approach"), {}).get("mitigations") or ()),
    )


def _stages(budget: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [budget["base"], *budget.get("stages", ())] if budget.get("base") else []


def _bar_segments(stages, stage_class, x_of) -> tuple[Segment, ...]:
    segments = []
    at = 0
    for stage in stages:
        if stage["low_ms"] > 0:
            segments.append(_segment(stage, stage_class, x_of, at, stage["low_ms"], light=False))
        at += stage["low_ms"]
    for stage in stages:
        extra = stage["high_ms"] - stage["low_ms"]
        if extra > 0:
            segments.append(_segment(stage, stage_class, x_of, at, extra, light=True))
        at += extra
    return tuple(segments)


def _segment(stage, stage_class, x_of, start: float, ms: float, *, light: bool) -> Segment:
    x = x_of(start)
    if light:
        label = f"{stage['name']}: up to {ms:,} ms more at the slow end"
    else:
        label = f"{stage['name']}: {ms:,} ms at the fast end"
    return Segment(
        label=label,
        css_class=stage_class[stage["name"]],
        x=px(x),
        width=px(x_of(start + ms) - x),
        light=light,
    )


def _stage_cell(budget: Mapping[str, Any], name: str) -> str:
    for stage in _stages(budget):
        if stage["name"] == name:
            return ms_range(stage["low_ms"], stage["high_ms"])
    return ""


def _verdict_cell(verdict: str | None) -> str:
    return {
        "within": "Within",
        "at_risk": "At risk: fast end only",
        "over": "Over, even at the fast end",
    }.get(verdict or "", "")


def _latency_summary(budgets, keys: Sequence[str], target_ms: int | None) -> str:
    parts = []
    for key in keys:
        budget = budgets[key]
        part = f"{Approach.label_of(key)} {ms_range(budget['low_ms'], budget['high_ms'])}"
        if budget.get("added_high_ms"):
            part += f" (retrieval adds {ms_range(budget['added_low_ms'], budget['added_high_ms'])})"
        if target_ms and budget.get("verdict") in VERDICT_TEXT:
            part += f", {VERDICT_TEXT[budget['verdict']]}"
        parts.append(part)
    text = "Time to first token: " + "; ".join(parts) + "."
    if target_ms:
        text += f" Target: {target_ms:,} ms."
    return text
