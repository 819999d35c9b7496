"""Template tags for templates/advisor/estimate_report.html: the report dict in, chart
geometry out (advisor.domain.charts), so the views pass the saved report and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from advisor.domain import charts

register = template.Library()


@register.simple_tag
def cost_chart(report: Mapping[str, Any]) -> charts.CostChart:
    return charts.cost_chart(report)


@register.simple_tag
def latency_chart(report: Mapping[str, Any]) -> charts.LatencyChart:
    return charts.latency_chart(report)


@register.simple_tag
def ship_chart(report: Mapping[str, Any]) -> charts.ShipChart:
    return charts.ship_chart(report)
