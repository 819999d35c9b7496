"""How a review date stands today, for the lifecycle panel and the lists of due reviews."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import timezone

from advisor.domain import lifecycle

register = template.Library()


@register.filter
def days_overdue(review_by: date | None) -> int:
    """Days past the review date (0 or less when not overdue); 0 without a date."""
    if review_by is None:
        return 0
    return lifecycle.days_overdue(review_by, today=timezone.localdate())


@register.filter
def review_phrase(review_by: date | None) -> str:
    """ "overdue by 3 days", "due today", "due in 5 days"; empty without a date."""
    if review_by is None:
        return ""
    return lifecycle.review_phrase(review_by, today=timezone.localdate())
