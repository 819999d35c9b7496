"""The dashboard's calendar months: plain functions, plain tables."""

from __future__ import annotations

import datetime as dt

import pytest

from advisor.domain.periods import month_end, month_starts, months_since


@pytest.mark.parametrize(
    ("today", "count", "first", "last"),
    [
        (dt.date(2026, 11, 29), 12, dt.date(2025, 12, 1), dt.date(2026, 11, 1)),
        (dt.date(2026, 1, 1), 12, dt.date(2025, 2, 1), dt.date(2026, 1, 1)),
        (dt.date(2026, 12, 31), 12, dt.date(2026, 1, 1), dt.date(2026, 12, 1)),
        (dt.date(2026, 2, 14), 3, dt.date(2025, 12, 1), dt.date(2026, 2, 1)),
        (dt.date(2026, 2, 14), 1, dt.date(2026, 2, 1), dt.date(2026, 2, 1)),
    ],
)
def test_month_starts_cover_the_months_up_to_today(today, count, first, last):
    months = month_starts(today, count)

    assert (len(months), months[0], months[-1]) == (count, first, last)
    assert months == sorted(months)
    assert all(month.day == 1 for month in months)


@pytest.mark.parametrize(
    ("first", "today", "count"),
    [
        (dt.date(2026, 3, 31), dt.date(2026, 3, 1), 1),
        (dt.date(2026, 2, 28), dt.date(2026, 3, 1), 2),
        (dt.date(2025, 12, 1), dt.date(2026, 11, 30), 12),
        (dt.date(2023, 1, 1), dt.date(2026, 12, 1), 48),
        (dt.date(2027, 1, 1), dt.date(2026, 12, 1), 1),  # a clock behind: still one month
    ],
)
def test_months_since_counts_both_ends(first, today, count):
    assert months_since(first, today) == count


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ],
)
def test_month_end_is_the_months_last_day(start, end):
    assert month_end(start) == end
