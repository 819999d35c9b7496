"""Revisiting a completed decision (editors), and comparing two decisions of a project."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import push_url

from advisor import selectors, services
from advisor.forms import CompareForm
from advisor.models import Role
from advisor.web.htmx import (
    HtmxHttpRequest,
    redirect_page,
    redirect_refused,
    render_page,
)


@require_POST
def decision_revisit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    try:
        revisit = services.decision_revisit(decision=decision, user=request.user)
    except services.Refused as refusal:
        return redirect_refused(request, refusal, decision.get_absolute_url())
    messages.success(
        request,
        f"The answers and notes of “{decision.title}” were copied into this new decision. "
        "Change any that no longer hold, then ask for the recommendation again.",
    )
    return redirect_page(request, reverse("advisor:decision_step", args=[revisit.pk, 1]))


@require_safe
def project_compare(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    decisions = list(selectors.project_completed_decisions(project=project))
    # Both ids make a comparison; a link that names one only preselects it.
    chosen = "a" in request.GET and "b" in request.GET
    form = CompareForm(
        request.GET if chosen else None, decisions=decisions, initial=request.GET.dict()
    )
    context = {"project": project, "decisions": decisions, "form": form}
    if form.is_valid():
        context |= selectors.decisions_compared(project=project, pks=form.pair())
    status = 400 if chosen and form.errors else 200
    response = render_page(request, "advisor/decision_compare.html", "compare", context, status)
    # The address bar keeps the choice, so a refresh or a copied link shows the same pair.
    return push_url(response, request.get_full_path()) if request.htmx else response
