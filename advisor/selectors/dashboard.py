"""A team's dashboard: its key figures and the counts behind its charts, for one period.

Every count comes with the search filters that list the decisions it counts (`Tally.filters`),
so each bar of a chart can link to them; the same rules (`review_window`, `pilot_results`)
decide both, so a bar's number is its list's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, DateField, Min, Q
from django.db.models.functions import TruncMonth

from advisor.domain.engine import Approach
from advisor.domain.periods import month_end, month_starts, months_since
from advisor.models import Decision, Team
from advisor.selectors.lifecycle import REVIEW_WINDOWS, review_window, reviews_overdue
from advisor.selectors.outcomes import PILOT_RESULTS, pilot_results

OVERDUE_LIST_LIMIT = 5
# Beyond two years of months, "all time" counts by year: a column stays wide enough to read.
MAX_MONTH_COLUMNS = 24


@dataclass(frozen=True, slots=True)
class Tally:
    """One bar: what it counts, how many, and the search filters listing those decisions."""

    label: str
    count: int
    filters: dict[str, Any] = field(default_factory=dict)
    tick: str = ""


def period_start(today: date, months: int | None) -> date | None:
    """The first day of the period of `months` months up to today's; None for all time."""
    return month_starts(today, months)[0] if months else None


def team_dashboard(*, team: Team, today: date, months: int | None) -> dict[str, Any]:
    """The team's decisions completed in the last `months` months (None: all time) by
    approach, status and month, their outcomes against the pilot's targets, and the team's
    accepted decisions by review date: five queries, however many decisions the team has."""
    decisions = Decision.objects.filter(project__team=team)
    complete = decisions.filter(status=Decision.Status.COMPLETE)
    start = period_start(today, months)
    since = {"completed_from": start} if start else {}
    if start:
        complete = complete.filter(completed_at__date__gte=start)
    counts = complete.aggregate(
        total=Count("pk"),
        first=Min("completed_at"),
        **{
            f"approach_{a.value}": Count("pk", filter=Q(recommendation__approach=a))
            for a in Approach
        },
        **{f"status_{s.value}": Count("pk", filter=Q(lifecycle=s)) for s in Decision.Lifecycle},
    )
    reviews = decisions.aggregate(
        **{key: Count("pk", filter=review_window(key, today=today)) for key in REVIEW_WINDOWS}
    )
    judged = list(pilot_results(complete).values())
    pilot = {key: sum(1 for _, result in judged if result == key) for key in PILOT_RESULTS}
    accepted = counts[f"status_{Decision.Lifecycle.ACCEPTED.value}"]
    return {
        "total": counts["total"],
        "accepted": accepted,
        "accepted_percent": round(100 * accepted / counts["total"]) if counts["total"] else 0,
        "by_approach": [
            Tally(a.label, counts[f"approach_{a.value}"], {"approach": a.value, **since})
            for a in Approach
        ],
        "by_status": [
            Tally(s.label, counts[f"status_{s.value}"], {"status": s.value, **since})
            for s in Decision.Lifecycle
        ],
        "by_month": _by_month(complete, today, start or _first_day(counts["first"])),
        "by_review": [
            Tally(label, reviews[key], {"review": key}) for key, label in REVIEW_WINDOWS.items()
        ],
        "by_pilot": [
            Tally(label, pilot[key], {"pilot": key, **since})
            for key, label in PILOT_RESULTS.items()
        ],
        "pilot_met": pilot["met"],
        "pilot_judged": len(judged),
        "overdue_count": reviews["overdue"],
        "overdue": reviews_overdue(decisions, today=today).select_related("project")[
            :OVERDUE_LIST_LIMIT
        ],
    }


def _first_day(first: Any) -> date | None:
    return first.date() if first else None


def _by_month(complete, today: date, start: date | None) -> list[Tally]:
    """Completions per month from `start`'s month to today's, or per year where that is more
    than MAX_MONTH_COLUMNS months; one query."""
    if start is None:
        return []
    per_month = dict(
        complete.annotate(month=TruncMonth("completed_at", output_field=DateField()))
        .order_by("month")
        .values_list("month")
        .annotate(count=Count("pk"))
    )
    months = month_starts(today, months_since(start, today))
    if len(months) <= MAX_MONTH_COLUMNS:
        ticks = "%b" if len(months) <= 12 else "%b %y"
        return [
            Tally(
                f"{m:%B %Y}",
                per_month.get(m, 0),
                {"completed_from": m, "completed_to": month_end(m)},
                f"{m:{ticks}}",
            )
            for m in months
        ]
    years = range(start.year, today.year + 1)
    return [
        Tally(
            str(year),
            sum(count for month, count in per_month.items() if month.year == year),
            {"completed_from": date(year, 1, 1), "completed_to": date(year, 12, 31)},
            str(year),
        )
        for year in years
    ]
