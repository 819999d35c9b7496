"""Calendar months for the team dashboard: which months a period covers, and where each ends.

Pure date arithmetic, so the dashboard's selector and its tests share one rule.
"""

from __future__ import annotations

from datetime import date, timedelta


def month_index(day: date) -> int:
    """Months since year 0: consecutive months differ by one."""
    return day.year * 12 + day.month - 1


def month_starts(today: date, count: int) -> list[date]:
    """The first days of the `count` months up to and including today's, oldest first."""
    months = month_index(today)
    return [date(m // 12, m % 12 + 1, 1) for m in range(months - count + 1, months + 1)]


def months_since(first: date, today: date) -> int:
    """How many months from `first`'s month to today's, both counted (at least one)."""
    return max(month_index(today) - month_index(first) + 1, 1)


def month_end(start: date) -> date:
    """The last day of the month that starts on `start`."""
    following = month_index(start) + 1
    return date(following // 12, following % 12 + 1, 1) - timedelta(days=1)
