from __future__ import annotations

from decimal import Decimal

from django import template

from advisor.domain import outcome_rules

register = template.Library()


@register.filter
def contradiction(shipped: str, recommended: str) -> str:
    """{{ outcome.approach|contradiction:rec.approach }}: the flag's sentence, or ""."""
    return outcome_rules.contradiction(shipped, recommended)


@register.filter
def metric_text(value: Decimal, unit: str) -> str:
    return outcome_rules.metric_text(value, unit)
