"""Vertical column geometry for the team dashboard's chart of decisions over time.

Pure Python, like bars.py beside it: (label, value) pairs in, SVG coordinates out. Columns
stand on a common baseline with their value written above them; the tick under a column is
written only every few columns when they are too narrow for every tick, always including the
last (the current month). The scale runs from 0 to the largest value, at least 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

VALUE_ROOM = 16  # above the tallest column, for its value
TICK_ROOM = 18  # under the baseline, for the ticks
COLUMN_SHARE = 0.7  # of each column's slot; the rest is the gap between columns
MIN_TICK_SLOT = 36  # the width a tick such as "Sep" or "Sep 25" needs


@dataclass(frozen=True, slots=True)
class Column:
    label: str  # in full, for the link's name and the table ("Mar 2026")
    tick: str  # under the column, "" where left out
    value: int
    href: str
    x: float
    y: float
    width: float
    height: float
    slot_x: float  # the column's share of the width, gap included: what its link covers
    slot_width: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True, slots=True)
class ColumnChart:
    width: int
    height: int
    baseline: float
    tick_y: float
    columns: tuple[Column, ...]
    scale_max: int


def tick_step(count: int, width: float) -> int:
    """Write every n-th tick so that neighbouring ticks have MIN_TICK_SLOT between them."""
    if count == 0:
        return 1
    return max(math.ceil(MIN_TICK_SLOT / (width / count)), 1)


def column_chart(
    pairs: Sequence[tuple[str, int]],
    *,
    ticks: Sequence[str] = (),
    hrefs: Sequence[str] = (),
    width: int = 360,
    height: int = 150,
) -> ColumnChart:
    """A column for each (label, value), left to right in the order given, with its tick
    (default: the label) and its link (default: none). Negative values are drawn as zero."""
    count = len(pairs)
    scale = max(max((value for _, value in pairs), default=0), 1)
    baseline = height - TICK_ROOM
    plot_height = baseline - VALUE_ROOM
    slot = width / max(count, 1)
    step = tick_step(count, width)
    columns = []
    for index, (label, value) in enumerate(pairs):
        tall = round(min(max(value, 0), scale) / scale * plot_height, 1)
        shown = (count - 1 - index) % step == 0
        columns.append(
            Column(
                label=label,
                tick=(ticks[index] if index < len(ticks) else label) if shown else "",
                value=value,
                href=hrefs[index] if index < len(hrefs) else "",
                x=round(index * slot + slot * (1 - COLUMN_SHARE) / 2, 1),
                y=round(baseline - tall, 1),
                width=round(slot * COLUMN_SHARE, 1),
                height=tall,
                slot_x=round(index * slot, 1),
                slot_width=round(slot, 1),
            )
        )
    return ColumnChart(
        width=width,
        height=height,
        baseline=baseline,
        tick_y=height - 4,
        columns=tuple(columns),
        scale_max=scale,
    )
