"""Looking back across a team's work: search over all the user's teams, and a team's dashboard."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from advisor import selectors
from advisor.domain.charts import bars
from advisor.domain.excerpts import search_words
from advisor.forms import SearchForm
from advisor.web.htmx import HtmxHttpRequest, render_page

SEARCH_PAGE_SIZE = 20


@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.decision_search(user=request.user, query=query)
    context = {
        "form": form,
        "query": query,
        "words": search_words(query),
        "page": Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page")),
    }
    status = 400 if form.errors else 200
    return render_page(request, "advisor/search.html", "results", context, status)


@require_safe
def team_dashboard(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk)
    figures = selectors.team_dashboard(team=team, today=timezone.localdate())
    charts = {
        name: bars.bar_chart(figures[name]) for name in ("by_approach", "by_status", "by_month")
    }
    context = {"team": team, "figures": figures, "charts": charts}
    return render(request, "advisor/team_dashboard.html", context)
