"""The cost chart: cumulative cost per approach over the horizon, the break-even marker, the
cost table and the item-by-item breakdown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from advisor.domain.charts.formatting import (
    SERIES_CLASS,
    Box,
    Tick,
    money,
    money_short,
    nice_ticks,
    ordered,
    px,
    unit_money,
)
from advisor.domain.costs import FIELDS
from advisor.domain.engine import Approach


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    label: str
    css_class: str
    points: str  # "x,y x,y ..." for <polyline points>
    total: str
    end_y: float  # where the line ends: its 24-month total
    recommended: bool = False  # drawn stronger: the approach the advice recommends


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
    no_sensitivity: str  # said when no single input would change the cheaper of the two
    monthly_queries: str


def cost_chart(report: Mapping[str, Any], *, width: int = 640, height: int = 280) -> CostChart:
    """Cumulative cost by month for each approach, with the month the tuned approach
    overtakes its rival (fine-tuning and RAG in reports before cost model 2026.12.1)."""
    curves: Mapping[str, Any] = report.get("curves") or {}
    keys = ordered(curves)
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
            (px(x_of(month)), px(y_of(amount)))
            for month, amount in enumerate(cumulative[key], start=1)
        )
        series.append(
            Series(
                key=key,
                label=Approach.label_of(key),
                css_class=SERIES_CLASS.get(_approach(key), "series-other"),
                points=" ".join(f"{x},{y}" for x, y in xy),
                total=money(cumulative[key][-1]),
                end_y=xy[-1][1],
                recommended=key == report.get("approach"),
            )
        )

    x_ticks = tuple(
        Tick(month, str(month), px(x_of(month)))
        for month in sorted({1, *range(6, months + 1, 6), months})
        if month <= months
    )
    y_ticks = tuple(Tick(value, money_short(value), px(y_of(value))) for value in ticks)
    tuned, rival = compared(report)
    marker = _break_even(report, cumulative, plot, x_of, y_of, tuned, rival)
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
        summary=_cost_summary(series, marker, horizon, tuned, rival),
        break_even_text=break_even_sentence(
            report.get("break_even_volume"),
            report.get("cheaper_over_horizon"),
            horizon,
            tuned=tuned,
            rival=rival,
        ),
        rows=_cost_rows(report, keys),
        breakdown=_breakdown(report, keys),
        prices=_prices_note(report),
        sensitivity=tuple(
            _with_advice(item) for item in report.get("sensitivity") or () if item.get("summary")
        ),
        no_sensitivity=(
            f"No single input, within its limits, would change which of {_short(rival)} and "
            f"{_lower(tuned)} is cheaper."
        ),
        monthly_queries=_queries(report),
    )


CHAR_WIDTH = 7  # an estimate of one character of a 12px bold label, in SVG units


def _approach(key: str) -> Approach | None:
    try:
        return Approach(key)
    except ValueError:
        return None


# What the reports before cost model 2026.12.1 compared, which name no "comparison".
OLD_COMPARISON = {"tuned": Approach.FINE_TUNING.value, "rival": Approach.RAG.value}
# The approaches as the chart's sentences name them; a saved report keeps its wording.
SHORT_NAMES = {
    Approach.PROMPT_ENGINEERING.value: "Prompt engineering",
    Approach.RAG.value: "RAG",
    Approach.FINE_TUNING.value: "Fine-tuning",
    Approach.RAG_PLUS_FINE_TUNING.value: "RAG plus fine-tuning",
}


def compared(report: Mapping[str, Any]) -> tuple[str, str]:
    """The report's (tuned, rival) approach keys: what its break-even and sensitivity compare."""
    comparison = report.get("comparison") or OLD_COMPARISON
    return comparison["tuned"], comparison["rival"]


def _short(key: str) -> str:
    return SHORT_NAMES.get(key, key)


def _lower(key: str) -> str:
    """The short name mid-sentence: "prompt engineering", but "RAG" and "RAG plus ..."."""
    name = _short(key)
    return name if name.split(" ")[0].isupper() else name[:1].lower() + name[1:]


def _break_even(
    report, cumulative, plot: Box, x_of, y_of, tuned_key: str, rival_key: str
) -> BreakEven | None:
    month = report.get("break_even_month")
    rag, tuned = cumulative.get(rival_key), cumulative.get(tuned_key)
    if not month or rag is None or tuned is None or not 1 <= month <= len(tuned):
        return None
    months = range(1, min(len(rag), len(tuned)) + 1)
    cheaper = [m for m in months if tuned[m - 1] <= rag[m - 1]]
    last = cheaper[-1] if cheaper else month
    name, rival = _short(tuned_key), _short(rival_key)
    if all(tuned[m - 1] == rag[m - 1] for m in months):
        label = f"{name} and {rival} cost the same every month"
    elif last < len(tuned):
        # A smaller upfront but a higher running cost: the tuned approach leads only at first.
        label = f"{name} cheaper than {_lower(rival_key)} until month {last} only"
    else:
        label = f"{name} cheaper than {_lower(rival_key)} from month {month}"
    x, y = px(x_of(month)), px(y_of(tuned[month - 1]))
    # Every line rises to the right, so above and left of the point is empty: the label goes
    # there when it fits, else below and right of it, under the lines that cross there.
    if len(label) * CHAR_WIDTH <= x - 8 - plot.left and y - 10 >= plot.top + 12:
        anchor, label_x, label_y = "end", x - 8, y - 10
    else:
        anchor, label_x, label_y = "start", x + 8, min(y + 20, plot.bottom - 6)
    return BreakEven(month, x, y, label, px(label_x), px(label_y), anchor)


def _cost_summary(
    series: Sequence[Series], marker: BreakEven | None, horizon: int, tuned: str, rival: str
) -> str:
    totals = "; ".join(f"{item.label} {item.total}" for item in series)
    text = f"Cumulative cost over {horizon} months: {totals}."
    if marker:
        text += f" {marker.label}."
    elif any(item.key == tuned for item in series):
        text += (
            f" {_short(tuned)} does not become cheaper than {_lower(rival)} within "
            f"{horizon} months."
        )
    return text


def _with_advice(threshold: Mapping[str, Any]) -> str:
    """A threshold's sentence, and what the recommendation would become past it."""
    changes_to = threshold.get("changes_to")
    if not changes_to:
        return threshold["summary"]
    label = Approach.label_of(changes_to)
    return f"{threshold['summary']} The recommendation would then be {label}."


def break_even_sentence(
    volume: int | None,
    cheaper: str | None,
    horizon: int = 24,
    *,
    tuned: str = OLD_COMPARISON["tuned"],
    rival: str = OLD_COMPARISON["rival"],
) -> str:
    """The break-even monthly volume in words (the tuned approach against its rival over the
    horizon; fine-tuning against RAG in the reports that name no comparison).

    A volume of 0 means the tuned approach wins with no traffic at all; when the rival is
    still the cheaper at the entered volume, its lower fixed costs are outweighed per query.
    """
    name, other = _short(tuned), _short(rival)
    if volume is None:
        return f"{name} does not pay off against {other} within {horizon} months at any volume."
    if volume <= 0 and cheaper == rival:
        return (
            f"{name}'s fixed costs are lower, but each query costs more on it: at this "
            f"volume {other} is cheaper over {horizon} months."
        )
    if volume <= 0:
        return f"{name} is cheaper than {_lower(rival)} over {horizon} months at any volume."
    return (
        f"{name} is cheaper than {_lower(rival)} over {horizon} months at {volume:,} queries "
        "a month or more."
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
                label=Approach.label_of(key),
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
            label=Approach.label_of(key),
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
