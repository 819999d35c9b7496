"""Chart geometry and wording for the estimate report (advisor.costs.estimate_report).

Pure Python, like the engine and the cost model: each function takes the report's plain dict,
as saved in the decision snapshot, and returns dataclasses of SVG coordinates, tick labels and
sentences that templates/advisor/estimate_report.html draws without arithmetic of its own.
Colours live in static/css/charts.css; here every shape only gets a class name.

The y axis of the cost chart runs from $0 to the first round value at or above the highest
cost, so the gridlines end on a labelled value; the highest point is at most one tick step
below the top of the plot.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from advisor.costs import FIELDS
from advisor.engine import APPROACH_LABELS, Approach

# The order approaches appear in every chart, legend and table.
ORDER = tuple(Approach)

# One class per approach (colour and dash pattern in charts.css), so a line can be told apart
# without its colour.
SERIES_CLASS = {approach: f"series-{approach.value.replace('_', '-')}" for approach in Approach}

# Stage colours cycle through this many classes (stage-0 ... stage-4 in charts.css).
STAGE_CLASSES = 5

DASH = "\N{EN DASH}"  # between the ends of a range, as typeset

SOURCE_LABELS = {"framework": "Framework figure", "assumption": "Our assumption"}

VERDICT_TEXT = {
    "within": "within the target even at the slow end",
    "at_risk": "within the target at the fast end only",
    "over": "over the target even at the fast end",
}


# --- Formatting -------------------------------------------------------------------------------


def money(amount: float | None) -> str:
    """Dollars with cents and thousands separators: "$1,234.56". Tables and sentences use this."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def money_short(amount: float) -> str:
    """A compact axis label: "$0", "$250", "$12k", "$1.2M", "$3B"; at most two decimals."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if amount >= size:
            return f"{sign}${_trim(amount / size)}{suffix}"
    return f"{sign}${_trim(amount)}"


def unit_money(amount: float | None) -> str:
    """A cost per query, which is usually a fraction of a cent: "$0.000966", "$0.25", "$3.10".

    Below a dollar up to six decimals are kept (the report's precision) and at least two.
    """
    if amount is None:
        return ""
    if abs(amount) >= 1 or amount == 0:
        return money(amount)
    digits = f"{abs(amount):.6f}".rstrip("0")
    whole, _, decimals = digits.partition(".")
    return f"{'-' if amount < 0 else ''}${whole}.{decimals.ljust(2, '0')}"


def ms_range(low: int | float, high: int | float) -> str:
    """ "300-700 ms" with an en dash, or "300 ms" when the range is a single value."""
    if low == high:
        return f"{_whole(low)} ms"
    return f"{_whole(low)}{DASH}{_whole(high)} ms"


def weeks_text(weeks: int | float) -> str:
    """ "16 weeks (about 4 months)"; spans under two months stay in weeks only."""
    unit = "week" if weeks == 1 else "weeks"
    if weeks < 8:
        return f"{_whole(weeks)} {unit}"
    months = round(weeks * 7 / (365.25 / 12))
    return f"{_whole(weeks)} {unit} (about {months} months)"


def _whole(value: int | float) -> str:
    return f"{round(value):,}"


def _trim(value: float, places: int = 2) -> str:
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def approach_label(key: str) -> str:
    try:
        return APPROACH_LABELS[Approach(key)]
    except ValueError:
        return key


def _ordered(keys: Iterable[str]) -> list[str]:
    """Approach keys in the charts' order; unknown keys (a newer report) go last, as given."""
    keys = list(keys)
    known = [approach.value for approach in ORDER if approach.value in keys]
    return known + [key for key in keys if key not in known]


# --- Scales -----------------------------------------------------------------------------------


def nice_ticks(maximum: float, *, intervals: int = 4) -> list[float]:
    """Round tick values from 0 to the first multiple of a 1-2-5 step at or above `maximum`.

    About `intervals` steps; a maximum of zero (or less, or not finite) gives the ticks of 1,
    so a chart of nothing still has an axis and never divides by zero.
    """
    if not math.isfinite(maximum) or maximum <= 0:
        maximum = 1.0
    raw = maximum / intervals
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-12))
    # The tolerance keeps float noise (20000.000000001 / 5000) from adding an empty step.
    count = max(1, math.ceil(maximum / step * (1 - 1e-12)))
    return [_clean(i * step) for i in range(count + 1)]


def _clean(value: float) -> float:
    # 3 x 0.1 is 0.30000000000000004; ticks are round numbers, so round the noise away.
    return float(f"{value:.12g}")


@dataclass(frozen=True, slots=True)
class Box:
    """The plot area inside the SVG, in SVG units."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    # Where the axis labels go, so the template does no arithmetic.
    @property
    def label_left(self) -> float:
        return self.left - 8

    @property
    def label_below(self) -> float:
        return self.bottom + 18

    @property
    def title_below(self) -> float:
        return self.bottom + 36

    @property
    def middle(self) -> float:
        return _px(self.left + self.width / 2)


@dataclass(frozen=True, slots=True)
class Tick:
    value: float
    label: str
    pos: float  # x for a horizontal axis, y for a vertical one


def _px(value: float) -> float:
    return round(value, 1)


# --- Cost ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    label: str
    css_class: str
    points: str  # "x,y x,y ..." for <polyline points>
    total: str
    end_y: float  # where the line ends: its 24-month total


@dataclass(frozen=True, slots=True)
class BreakEven:
    month: int
    x: float
    y: float
    label: str
    label_x: float
    label_y: float
    anchor: str  # text-anchor: "start" or "end"


@dataclass(frozen=True, slots=True)
class CostRow:
    key: str
    label: str
    upfront: str
    running: str
    per_query: str
    total: str
    recommended: bool


@dataclass(frozen=True, slots=True)
class BreakdownItem:
    label: str
    amount: str


@dataclass(frozen=True, slots=True)
class Breakdown:
    key: str
    label: str
    upfront: tuple[BreakdownItem, ...]
    running: tuple[BreakdownItem, ...]


@dataclass(frozen=True, slots=True)
class PricesNote:
    model: str
    as_of: date | None
    as_of_text: str  # the saved text, for a date that does not parse
    edited: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CostChart:
    width: int
    height: int
    plot: Box
    months: int
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    break_even: BreakEven | None
    title: str
    summary: str
    break_even_text: str
    rows: tuple[CostRow, ...]
    breakdown: tuple[Breakdown, ...]
    prices: PricesNote | None
    sensitivity: tuple[str, ...]
    monthly_queries: str


def cost_chart(report: Mapping[str, Any], *, width: int = 640, height: int = 280) -> CostChart:
    """Cumulative cost by month for each approach, with the month fine-tuning overtakes RAG."""
    curves: Mapping[str, Any] = report.get("curves") or {}
    keys = _ordered(curves)
    cumulative = {key: [float(v) for v in curves[key].get("cumulative") or [0.0]] for key in keys}
    months = max((len(values) for values in cumulative.values()), default=1)
    horizon = int(report.get("horizon_months") or months)
    plot = Box(left=64, top=16, right=width - 16, bottom=height - 44)

    highest = max((max(values) for values in cumulative.values()), default=0.0)
    ticks = nice_ticks(highest)
    top = ticks[-1]

    def x_of(month: int) -> float:
        return plot.left + (month - 1) / max(months - 1, 1) * plot.width

    def y_of(amount: float) -> float:
        return plot.bottom - max(amount, 0.0) / top * plot.height

    series = []
    for key in keys:
        xy = tuple(
            (_px(x_of(month)), _px(y_of(amount)))
            for month, amount in enumerate(cumulative[key], start=1)
        )
        series.append(
            Series(
                key=key,
                label=approach_label(key),
                css_class=SERIES_CLASS.get(_approach(key), "series-other"),
                points=" ".join(f"{x},{y}" for x, y in xy),
                total=money(cumulative[key][-1]),
                end_y=xy[-1][1],
            )
        )

    x_ticks = tuple(
        Tick(month, str(month), _px(x_of(month)))
        for month in sorted({1, *range(6, months + 1, 6), months})
        if month <= months
    )
    y_ticks = tuple(Tick(value, money_short(value), _px(y_of(value))) for value in ticks)
    marker = _break_even(report, cumulative, plot, x_of, y_of)
    return CostChart(
        width=width,
        height=height,
        plot=plot,
        months=months,
        series=tuple(series),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        break_even=marker,
        title=f"Cumulative cost over {horizon} months",
        summary=_cost_summary(series, marker, horizon),
        break_even_text=break_even_sentence(
            report.get("break_even_volume"), report.get("cheaper_over_horizon"), horizon
        ),
        rows=_cost_rows(report, keys),
        breakdown=_breakdown(report, keys),
        prices=_prices_note(report),
        sensitivity=tuple(
            _with_advice(item) for item in report.get("sensitivity") or () if item.get("summary")
        ),
        monthly_queries=_queries(report),
    )


CHAR_WIDTH = 7  # an estimate of one character of a 12px bold label, in SVG units


def _approach(key: str) -> Approach | None:
    try:
        return Approach(key)
    except ValueError:
        return None


def _break_even(report, cumulative, plot: Box, x_of, y_of) -> BreakEven | None:
    month = report.get("break_even_month")
    rag, tuned = cumulative.get(Approach.RAG.value), cumulative.get(Approach.FINE_TUNING.value)
    if not month or rag is None or tuned is None or not 1 <= month <= len(tuned):
        return None
    months = range(1, min(len(rag), len(tuned)) + 1)
    cheaper = [m for m in months if tuned[m - 1] <= rag[m - 1]]
    last = cheaper[-1] if cheaper else month
    if all(tuned[m - 1] == rag[m - 1] for m in months):
        label = "Fine-tuning and RAG cost the same every month"
    elif last < len(tuned):
        # A smaller upfront but a higher running cost: fine-tuning leads only at first.
        label = f"Fine-tuning cheaper than RAG until month {last} only"
    else:
        label = f"Fine-tuning cheaper than RAG from month {month}"
    x, y = _px(x_of(month)), _px(y_of(tuned[month - 1]))
    # Every line rises to the right, so above and left of the point is empty: the label goes
    # there when it fits, else below and right of it, under the lines that cross there.
    if len(label) * CHAR_WIDTH <= x - 8 - plot.left and y - 10 >= plot.top + 12:
        anchor, label_x, label_y = "end", x - 8, y - 10
    else:
        anchor, label_x, label_y = "start", x + 8, min(y + 20, plot.bottom - 6)
    return BreakEven(month, x, y, label, _px(label_x), _px(label_y), anchor)


def _cost_summary(series: Sequence[Series], marker: BreakEven | None, horizon: int) -> str:
    totals = "; ".join(f"{item.label} {item.total}" for item in series)
    text = f"Cumulative cost over {horizon} months: {totals}."
    if marker:
        text += f" {marker.label}."
    elif any(item.key == Approach.FINE_TUNING.value for item in series):
        text += f" Fine-tuning does not become cheaper than RAG within {horizon} months."
    return text


def _with_advice(threshold: Mapping[str, Any]) -> str:
    """A threshold's sentence, and what the recommendation would become past it."""
    changes_to = threshold.get("changes_to")
    if not changes_to:
        return threshold["summary"]
    return f"{threshold['summary']} The recommendation would then be {approach_label(changes_to)}."


def break_even_sentence(volume: int | None, cheaper: str | None, horizon: int = 24) -> str:
    """The break-even monthly volume in words (fine-tuning against RAG over the horizon).

    A volume of 0 means fine-tuning wins with no traffic at all; when RAG is still the cheaper
    at the entered volume, fine-tuning's lower fixed costs are outweighed per query.
    """
    if volume is None:
        return f"Fine-tuning does not pay off against RAG within {horizon} months at any volume."
    if volume <= 0 and cheaper == Approach.RAG.value:
        return (
            "Fine-tuning's fixed costs are lower, but each query costs more on it: at this "
            f"volume RAG is cheaper over {horizon} months."
        )
    if volume <= 0:
        return f"Fine-tuning is cheaper than RAG over {horizon} months at any volume."
    return (
        f"Fine-tuning is cheaper than RAG over {horizon} months at {volume:,} queries a month "
        "or more."
    )


def _cost_rows(report: Mapping[str, Any], keys: Sequence[str]) -> tuple[CostRow, ...]:
    rows = []
    for key in keys:
        curve = report["curves"][key]
        monthly = curve.get("monthly") or [0.0]
        cumulative = curve.get("cumulative") or [0.0]
        # Month 1 carries the upfront cost too; every later month is the running cost alone.
        running = monthly[-1] if len(monthly) > 1 else monthly[0] - curve.get("upfront", 0.0)
        rows.append(
            CostRow(
                key=key,
                label=approach_label(key),
                upfront=money(curve.get("upfront", 0.0)),
                running=money(running),
                per_query=unit_money(curve.get("per_query", 0.0)),
                total=money(cumulative[-1]),
                recommended=key == report.get("approach"),
            )
        )
    return tuple(rows)


def _breakdown(report: Mapping[str, Any], keys: Sequence[str]) -> tuple[Breakdown, ...]:
    parts = report.get("breakdown") or {}
    return tuple(
        Breakdown(
            key=key,
            label=approach_label(key),
            upfront=tuple(
                BreakdownItem(item["label"], money(item["amount"]))
                for item in parts[key].get("upfront", ())
            ),
            running=tuple(
                BreakdownItem(item["label"], money(item["amount"]))
                for item in parts[key].get("running", ())
            ),
        )
        for key in keys
        if key in parts
    )


def _prices_note(report: Mapping[str, Any]) -> PricesNote | None:
    prices = (report.get("inputs") or {}).get("prices")
    if not prices:
        return None
    as_of_text = str(prices.get("as_of") or "")
    try:
        as_of = date.fromisoformat(as_of_text)
    except ValueError:
        as_of = None
    edited = tuple(
        FIELDS[name].label if name in FIELDS else str(name) for name in prices.get("edited") or ()
    )
    return PricesNote(str(prices.get("model") or ""), as_of, as_of_text, edited)


def _queries(report: Mapping[str, Any]) -> str:
    volume = (report.get("inputs") or {}).get("monthly_queries")
    return "" if volume is None else f"{volume:,}"


# --- Latency ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    label: str  # for the segment's tooltip
    css_class: str
    x: float
    width: float
    light: bool = False
    text: str = ""  # printed in the middle of the segment

    @property
    def text_x(self) -> float:
        return _px(self.x + self.width / 2)


@dataclass(frozen=True, slots=True)
class Bar:
    key: str
    label: str  # the line above the bar
    y: float
    height: float
    label_y: float
    segments: tuple[Segment, ...]
    recommended: bool = False

    @property
    def text_y(self) -> float:
        return _px(self.y + self.height / 2)


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
    bars: tuple[Bar, ...]
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
    keys = _ordered(budgets)
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
        line = f"{approach_label(key)}: {ms_range(budget['low_ms'], budget['high_ms'])}"
        if budget.get("verdict") in VERDICT_TEXT:
            line += f", {VERDICT_TEXT[budget['verdict']]}"
        bars.append(
            Bar(
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
        x = _px(x_of(target_ms))
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
        ticks=tuple(Tick(ms, f"{ms:,.0f} ms", _px(x_of(ms))) for ms in ticks),
        target=target,
        legend=legend,
        title="Time to first token by approach",
        summary=_latency_summary(budgets, keys, target_ms),
        columns=tuple(approach_label(key) for key in keys),
        rows=rows,
        totals=tuple(ms_range(budgets[k]["low_ms"], budgets[k]["high_ms"]) for k in keys),
        added=tuple(
            ms_range(budgets[k].get("added_low_ms", 0), budgets[k].get("added_high_ms", 0))
            for k in keys
        ),
        verdicts=tuple(_verdict_cell(budgets[k].get("verdict")) if target_ms else "" for k in keys),
        target_text=f"{target_ms:,} ms" if target_ms else "",
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
        x=_px(x),
        width=_px(x_of(start + ms) - x),
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
        part = f"{approach_label(key)} {ms_range(budget['low_ms'], budget['high_ms'])}"
        if budget.get("added_high_ms"):
            part += f" (retrieval adds {ms_range(budget['added_low_ms'], budget['added_high_ms'])})"
        if target_ms and budget.get("verdict") in VERDICT_TEXT:
            part += f", {VERDICT_TEXT[budget['verdict']]}"
        parts.append(part)
    text = "Time to first token: " + "; ".join(parts) + "."
    if target_ms:
        text += f" Target: {target_ms:,} ms."
    return text


# --- Time to ship -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Milestone:
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
    milestones: tuple[Milestone, ...]
    recommended: bool


@dataclass(frozen=True, slots=True)
class ShipChart:
    width: int
    height: int
    plot: Box
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    title: str
    summary: str
    rows: tuple[ShipRow, ...]


def ship_chart(report: Mapping[str, Any], *, width: int = 640) -> ShipChart:
    """A timeline per approach in weeks: each milestone a numbered segment, in order."""
    plans: Mapping[str, Any] = report.get("time_to_ship") or {}
    keys = _ordered(plans)
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
        segments = []
        for number, item in enumerate(milestones, start=1):
            x = x_of(item["start_week"])
            span = x_of(item["end_week"]) - x
            segments.append(
                Segment(
                    label=f"{number}. {item['label']}: {weeks_text(item['weeks'])}",
                    css_class=f"milestone-{(number - 1) % 2}",
                    x=_px(x),
                    width=_px(span),
                    # A number wider than its segment would spill, white on white.
                    text=str(number) if span >= MIN_TEXT_WIDTH else "",
                )
            )
        total = weeks_text(plan.get("weeks", 0))
        bars.append(
            Bar(
                key=key,
                label=f"{approach_label(key)}: live after {total}",
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
                label=approach_label(key),
                total=total,
                milestones=tuple(
                    Milestone(
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
        ticks=tuple(Tick(w, f"{w:,.0f}", _px(x_of(w))) for w in ticks),
        title="Time to ship by approach",
        summary=summary,
        rows=tuple(rows),
    )
