"""The project's template tags and filters, loaded as `{% load advisor_tags %}`.

Each one is a thin call into the domain (labels, charts, lifecycle, outcomes, excerpts) or a
lookup on the rows a selector already fetched, so no template does arithmetic or queries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from advisor.domain import alternatives, charts, excerpts, lifecycle, outcome_rules
from advisor.domain.charts import bars, columns
from advisor.domain.engine import Approach, Verdict
from advisor.domain.people import person_name
from advisor.models import Decision, Outcome, Recommendation, Role, StatusChange, Team
from advisor.selectors import Tally
from advisor.services import pagecache

register = template.Library()


# --- Labels and links --------------------------------------------------------------------------


@register.filter
def approach_label(value: str | None) -> str:
    return Approach(value).label if value else ""


@register.filter
def person(user: Any) -> str:
    """A user's name, or "a former member" where the account has been deleted."""
    return person_name(user)


@register.filter
def verdict_label(value: str) -> str:
    return Verdict(value).label


@register.filter
def role_label(value: str) -> str:
    return Role(value).label


@register.filter
def absolute(path: str, request: HttpRequest) -> str:
    """The full address of a path on this site, for links that are copied elsewhere."""
    return request.build_absolute_uri(path)


# --- The estimate report's charts (templates/advisor/includes/estimate_report.html) -----------
# The report dict in, chart geometry out, so the views pass the saved report and nothing else.


@register.simple_tag
def cost_chart(report: Mapping[str, Any]) -> charts.CostChart:
    return charts.cost_chart(report)


@register.simple_tag
def latency_chart(report: Mapping[str, Any]) -> charts.LatencyChart:
    return charts.latency_chart(report)


@register.simple_tag
def ship_chart(report: Mapping[str, Any]) -> charts.ShipChart:
    return charts.ship_chart(report)


@register.simple_tag
def snapshot(rec: Recommendation, *, public: bool = False, can_edit: bool = False) -> str:
    """The part of a result or share page drawn from the snapshot alone (the partial
    `snapshot` of decision_result.html), rendered once per recommendation, variant and
    release and then read from the cache (services.pagecache): it never changes."""
    public, can_edit = bool(public), bool(can_edit) and not public
    figures = bool(rec.estimate)
    variant = pagecache.snapshot_variant(public=public, can_edit=can_edit, figures=figures)
    html = pagecache.snapshot_get(pk=rec.pk, variant=variant)
    if html is None:
        context = {"rec": rec, "public": public, "can_edit": can_edit}
        html = render_to_string("advisor/decision_result.html#snapshot", context)
        pagecache.snapshot_set(pk=rec.pk, variant=variant, html=html)
    return mark_safe(html)  # noqa: S308 (the template engine escaped it)


@register.simple_tag
def first_screen(rec: Recommendation) -> alternatives.FirstScreen:
    """The result page's first screen: the approaches side by side and the deciding reasons."""
    fields = ("approach", "rationale", "would_change", "estimate")
    return alternatives.first_screen({name: getattr(rec, name) for name in fields})


# --- The team dashboard's charts (templates/advisor/team_dashboard.html) ---------------------
# A selector's tallies in, geometry out; each bar with a count links to search, filtered to the
# team and to what the bar counts (docs/architecture.md, "Team dashboard").


def _search_links(tallies: Sequence[Tally], team: Team) -> list[str]:
    search = reverse("advisor:search")
    return [
        f"{search}?{urlencode({'team': team.pk, **tally.filters})}" if tally.count else ""
        for tally in tallies
    ]


@register.simple_tag
def dashboard_bars(tallies: Sequence[Tally], team: Team) -> bars.BarChart:
    pairs = [(tally.label, tally.count) for tally in tallies]
    return bars.bar_chart(pairs, hrefs=_search_links(tallies, team), width=360)


@register.simple_tag
def dashboard_rows(tallies: Sequence[Tally], team: Team) -> list[tuple[Tally, str]]:
    """Each tally of a chart's table with the link its bar has (none for a zero)."""
    return list(zip(tallies, _search_links(tallies, team), strict=True))


@register.simple_tag
def dashboard_columns(tallies: Sequence[Tally], team: Team) -> columns.ColumnChart:
    return columns.column_chart(
        [(tally.label, tally.count) for tally in tallies],
        ticks=[tally.tick for tally in tallies],
        hrefs=_search_links(tallies, team),
    )


# --- The project timeline: status changes and outcomes by date under each decision -------------


@dataclass(frozen=True, slots=True)
class Event:
    on: date
    change: StatusChange | None = None
    outcome: Outcome | None = None


@register.filter
def timeline_events(decision: Decision) -> list[Event]:
    """The decision's status changes and outcomes, oldest first, from the prefetched rows
    (advisor.selectors.project_timeline), so the page's query count stays flat."""
    events = [
        Event(on=timezone.localdate(change.created_at), change=change)
        for change in decision.timeline_changes
    ]
    events += [
        Event(on=outcome.shipped_on, outcome=outcome) for outcome in decision.timeline_outcomes
    ]
    # sorted() is stable: on the same day, status changes keep their order before outcomes.
    return sorted(events, key=lambda event: event.on)


@register.filter
def excerpt(text: str | None, words: list[str]) -> str:
    """A short stretch of a matched note or comment around the first search word in it."""
    return excerpts.excerpt(text or "", words)


# --- Lifecycle: the status badge and how a review date stands today ---------------------------

LIFECYCLE_BADGES = {
    Decision.Lifecycle.PROPOSED: "text-bg-info",
    Decision.Lifecycle.ACCEPTED: "text-bg-success",
    Decision.Lifecycle.REJECTED: "text-bg-danger",
    Decision.Lifecycle.SUPERSEDED: "text-bg-secondary",
    Decision.Lifecycle.DEPRECATED: "text-bg-dark",
}


@register.filter
def lifecycle_badge(status: str) -> str:
    """The badge colour of a lifecycle status; the badge's text says the status itself."""
    return LIFECYCLE_BADGES.get(status, "text-bg-light")


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


# --- Outcomes ---------------------------------------------------------------------------------


@register.filter
def contradiction(shipped: str, recommended: str) -> str:
    """{{ outcome.approach|contradiction:rec.approach }}: the flag's sentence, or ""."""
    return outcome_rules.contradiction(shipped, recommended)


@register.filter
def metric_text(value: Decimal, unit: str) -> str:
    return outcome_rules.metric_text(value, unit)


@register.filter
def pilot_target(metric: Mapping[str, Any]) -> str:
    return outcome_rules.pilot_target(metric)


@register.filter
def pilot_verdict(
    metric: Any, pilot_metrics: list[Mapping[str, Any]] | None
) -> outcome_rules.PilotVerdict | None:
    """{{ metric|pilot_verdict:rec.pilot_metrics }}: how an outcome's figure stands against
    the pilot metric it measures, or None."""
    return outcome_rules.pilot_verdict(metric.pilot_key, metric.value, pilot_metrics or [])
