"""How the charts write money, times and ranges, the order and classes of the approaches, and
the round scales every chart draws on."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from advisor.domain.engine import Approach

# The order approaches appear in every chart, legend and table.
ORDER = tuple(Approach)

# One class per approach (colour and dash pattern in charts.css), so a line can be told apart
# without its colour.
SERIES_CLASS = {approach: f"series-{approach.value.replace('_', '-')}" for approach in Approach}

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
            return f"{sign}${trim(amount / size)}{suffix}"
    return f"{sign}${trim(amount)}"


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
        return f"{whole(low)} ms"
    return f"{whole(low)}{DASH}{whole(high)} ms"


def weeks_text(weeks: int | float) -> str:
    """ "16 weeks (about 4 months)"; spans under two months stay in weeks only."""
    unit = "week" if weeks == 1 else "weeks"
    if weeks < 8:
        return f"{whole(weeks)} {unit}"
    months = round(weeks * 7 / (365.25 / 12))
    return f"{whole(weeks)} {unit} (about {months} months)"


def whole(value: int | float) -> str:
    return f"{round(value):,}"


def trim(value: float, places: int = 2) -> str:
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ordered(keys: Iterable[str]) -> list[str]:
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
    return [clean(i * step) for i in range(count + 1)]


def clean(value: float) -> float:
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
        return px(self.left + self.width / 2)


@dataclass(frozen=True, slots=True)
class Tick:
    value: float
    label: str
    pos: float  # x for a horizontal axis, y for a vertical one


def px(value: float) -> float:
    return round(value, 1)
