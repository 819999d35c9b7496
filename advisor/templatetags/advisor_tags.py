from __future__ import annotations

from django import template

from advisor.engine import APPROACH_LABELS, Approach, Verdict

register = template.Library()


@register.filter
def approach_label(value: str | None) -> str:
    return APPROACH_LABELS[Approach(value)] if value else ""


@register.filter
def verdict_label(value: str) -> str:
    return Verdict(value).label
