"""Horizontal bar geometry for the team dashboard's inline SVG charts.

Pure Python, like the estimate charts beside it: (label, value) pairs in, SVG coordinates out,
so the template draws without arithmetic. Each row is a label line with the bar under it and
the value written just past the bar's end, and may link to the decisions it counts (`href`);
the scale runs from 0 to `scale_max` (by default the largest value), and a chart of zeros gets
a scale of 1 so nothing divides by zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_HEIGHT = 16  # the label's line above its bar
BAR_HEIGHT = 14
GAP = 10
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + GAP
VALUE_ROOM = 56  # right of the longest bar, for its value ("1,234")
MAX_LABEL_CHARS = 48  # longer labels are cut in the SVG; the table keeps them whole
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"


@dataclass(frozen=True, slots=True)
class DashboardBar:
    label: str  # as drawn, possibly shortened
    value: int
    href: str  # the list of the decisions counted, or ""
    x: float
    y: float
    width: float
    height: float

    @property
    def label_y(self) -> float:
        """The baseline of the label above the bar."""
        return round(self.y - 4, 1)

    @property
    def row_y(self) -> float:
        """The top of the row: a link covers the label and the bar, not only the bar."""
        return self.y - LABEL_HEIGHT

    @property
    def value_x(self) -> float:
        return round(self.x + self.width + 6, 1)

    @property
    def value_y(self) -> float:
        return round(self.y + self.height - 2, 1)


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    bars: tuple[DashboardBar, ...]
    scale_max: int

    @property
    def row_height(self) -> int:
        return ROW_HEIGHT - GAP // 2


def short_label(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """The label, cut at `limit` characters with an ellipsis when longer."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + ELLIPSIS


def bar_chart(
    pairs: Sequence[tuple[str, int]],
    *,
    hrefs: Sequence[str] = (),
    width: int = 480,
    scale_max: int | None = None,
) -> BarChart:
    """A bar for each (label, value), top to bottom in the order given, with its link from
    `hrefs` (none where it runs out).

    Negative values are drawn as zero; a value above `scale_max` is drawn at full width.
    """
    largest = max((value for _, value in pairs), default=0)
    scale = max(scale_max if scale_max is not None else largest, 1)
    plot_width = width - VALUE_ROOM
    bars = []
    for index, (label, value) in enumerate(pairs):
        share = min(max(value, 0), scale) / scale
        bars.append(
            DashboardBar(
                label=short_label(label),
                value=value,
                href=hrefs[index] if index < len(hrefs) else "",
                x=0,
                y=index * ROW_HEIGHT + LABEL_HEIGHT,
                width=round(share * plot_width, 1),
                height=BAR_HEIGHT,
            )
        )
    height = max(len(bars), 1) * ROW_HEIGHT
    return BarChart(width=width, height=height, bars=tuple(bars), scale_max=scale)
