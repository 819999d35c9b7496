"""Chart geometry and wording for the estimate report (advisor.domain.costs.estimate_report).

Pure Python, like the engine and the cost model: each function takes the report's plain dict,
as saved in the decision snapshot, and returns dataclasses of SVG coordinates, tick labels and
sentences that templates/advisor/includes/estimate_report.html draws without arithmetic of its own.
Colours live in static/css/charts.css; here every shape only gets a class name.

The y axis of the cost chart runs from $0 to the first round value at or above the highest
cost, so the gridlines end on a labelled value; the highest point is at most one tick step
below the top of the plot.
"""

from advisor.domain.charts.cost import CHAR_WIDTH, CostChart, break_even_sentence, cost_chart
from advisor.domain.charts.formatting import (
    money,
    money_short,
    ms_range,
    nice_ticks,
    unit_money,
    weeks_text,
)
from advisor.domain.charts.latency import LatencyChart, latency_chart
from advisor.domain.charts.shipping import ShipChart, ship_chart

__all__ = [
    "CHAR_WIDTH",
    "CostChart",
    "LatencyChart",
    "ShipChart",
    "break_even_sentence",
    "cost_chart",
    "latency_chart",
    "money",
    "money_short",
    "ms_range",
    "nice_ticks",
    "ship_chart",
    "unit_money",
    "weeks_text",
]
