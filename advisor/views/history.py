"""Looking back across a team's work: search over all the user's teams, and a team's dashboard."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from advisor import selectors
from advisor.domain.excerpts import search_words
from advisor.forms import PERIOD_LABELS, PERIODS, DashboardPeriodForm, SearchForm
from advisor.web.htmx import HtmxHttpRequest, render_page

SEARCH_PAGE_SIZE = 20


@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET, teams=selectors.search_teams(user=request.user))
    valid = form.is_valid()
    query = form.cleaned_data["q"] if valid else ""
    filters = form.filters() if valid else {}
    results = selectors.decision_search(
        user=request.user, query=query, filters=filters, today=timezone.localdate()
    )
    context = {
        "form": form,
        "query": query,
        "filtered": bool(filters),
        "words": search_words(query),
        "page": Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page")),
    }
    status = 400 if form.errors else 200
    return render_page(request, "advisor/search.html", "results", context, status)


@require_safe
def team_dashboard(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk)
    form = DashboardPeriodForm(request.GET)
    period = form.chosen()
    figures = selectors.team_dashboard(
        team=team, today=timezone.localdate(), months=PERIODS[period]
    )
    context = {
        "team": team,
        "form": form,
        "period": PERIOD_LABELS[period],
        "figures": figures,
    }
    status = 400 if form.errors else 200
    return render_page(request, "advisor/team_dashboard.html", "dashboard", context, status)
