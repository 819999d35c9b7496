"""A decision the team answers: asking people, the round page with where they disagree,
submitting one's answers, closing the round and settling each question."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from advisor import selectors, services
from advisor.domain.wizard import REVIEW_STEP, first_unanswered_step
from advisor.forms import AskForm, SettleForm
from advisor.models import Decision, Role
from advisor.selectors import permissions
from advisor.services.rounds import NO_ROUND
from advisor.web.htmx import HtmxHttpRequest, redirect_page, redirect_refused, render_page


@require_http_methods(["GET", "HEAD", "POST"])
def round_ask(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    members = selectors.team_members(team=decision.project.team)
    data = request.POST if request.method == "POST" else None
    form = AskForm(data, members=members, asker=request.user)
    if form.is_valid():
        try:
            services.round_ask(
                decision=decision,
                user=request.user,
                people=form.chosen_users(),
                deadline=form.cleaned_data["deadline"],
            )
        except services.Refused as refusal:
            return redirect_refused(request, refusal, decision.get_absolute_url())
        messages.success(request, "Asked. Each person sees this decision in their wizard.")
        return redirect_page(request, decision.get_absolute_url())
    context = {"decision": decision, "form": form, "round": selectors.round_of(decision)}
    status = 400 if form.errors else 200
    return render(request, "advisor/decision_ask.html", context, status=status)


def round_page(
    request: HtmxHttpRequest, decision: Decision, status: int = 200, **extra
) -> HttpResponse:
    """An unfinished decision the team was asked to answer: who has answered, and once the
    user may see them, everyone's answers side by side (the settling forms for editors)."""
    view = selectors.round_view(decision=decision, user=request.user)
    can_edit = permissions.can(decision.role, Role.EDITOR)
    context = {
        "decision": decision,
        "view": view,
        "doc": view.document,
        "can_edit": can_edit,
        "settling": can_edit and not view.round.is_open,
        "unsettled": selectors.document_unsettled(view.document) if view.document else [],
        # The questions with a settle form, beside which a refusal is shown.
        "settle_keys": [
            q["key"] for q in (view.document or {}).get("questions", []) if not q["agreed"]
        ],
        **_my_step(decision, view),
        **extra,
    }
    return render_page(request, "advisor/decision_round.html", "round", context, status)


def _my_step(decision: Decision, view: selectors.RoundView) -> dict:
    """Where the user's own answers resume, while they are still to give them."""
    me = view.me
    if me is None or me.has_submitted or not view.round.is_open:
        return {}
    answered = set(selectors.decision_answers(decision=decision, respondent=me))
    step = first_unanswered_step(answered)
    url = (
        reverse("advisor:decision_review", args=[decision.pk])
        if step == REVIEW_STEP
        else reverse("advisor:decision_step", args=[decision.pk, step])
    )
    return {"my_step_url": url, "my_step_started": bool(answered)}


@require_POST
def round_submit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    try:
        services.round_submit(decision=decision, user=request.user)
    except services.Refused as refusal:
        return redirect_refused(request, refusal, _refused_url(decision, refusal))
    messages.success(request, "Your answers are submitted. Here is where the team stands.")
    return redirect_page(request, decision.get_absolute_url())


@require_POST
def round_close(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    try:
        services.round_close(decision=decision, user=request.user)
    except services.Refused as refusal:
        return redirect_refused(request, refusal, decision.get_absolute_url())
    messages.success(
        request, "Closed. The questions everyone answered alike are settled; settle the rest."
    )
    return redirect_page(request, decision.get_absolute_url())


@require_POST
def question_settle(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    answer_round = selectors.round_of(decision)
    if decision.is_complete or answer_round is None or answer_round.is_open:
        # Nothing to settle here: say why on the decision's page, not beside a question.
        refusal = services.Refused(
            "Only the answers of a closed round are settled." if answer_round else NO_ROUND
        )
        return redirect_refused(request, refusal, decision.get_absolute_url())
    form = SettleForm(request.POST)
    if form.is_valid():
        try:
            services.question_settle(decision=decision, user=request.user, **form.cleaned_data)
        except services.DecisionAlreadyComplete as refusal:
            return redirect_refused(request, refusal, decision.get_absolute_url())
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
    if form.errors:
        key = request.POST.get("key", "")
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        if "key" in form.errors:  # no question of this decision to show them beside
            refusal = services.Refused("That is not one of this decision's questions.")
            return redirect_refused(request, refusal, decision.get_absolute_url())
        return round_page(
            request, decision, status=400, settle_key=key, settle_errors=errors, settle_form=form
        )
    if request.htmx:
        return round_page(request, decision, settled_key=form.cleaned_data["key"])
    return redirect_page(
        request, f"{decision.get_absolute_url()}#settle-{form.cleaned_data['key']}"
    )


def _refused_url(decision: Decision, refusal: services.Refused) -> str:
    """A refused submit names the question still to answer; anything else goes back to the
    decision's page."""
    if refusal.step is not None:
        return reverse("advisor:decision_step", args=[decision.pk, refusal.step])
    return decision.get_absolute_url()
