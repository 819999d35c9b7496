"""The optional numbers step: volume and prices in, cost, latency and time to ship out.

As the user types, htmx posts the form for a preview (the report fragment only, so no field
loses focus). Choosing another model, or saving with an error, re-renders the whole form.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_htmx.http import reswap, retarget

from advisor import selectors, services
from advisor.domain import costs, engine
from advisor.domain.wizard import REVIEW_STEP, wizard_refusal
from advisor.forms import EstimateForm
from advisor.forms.estimates import loaded_key
from advisor.models import Decision, Estimate, ModelPrice, Role
from advisor.views.decisions import refuse
from advisor.web.htmx import (
    HtmxHttpRequest,
    redirect_page,
    redirect_refused,
    render_page,
)


@require_http_methods(["GET", "HEAD", "POST"])
def decision_estimate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    valid = selectors.decision_answers(decision=decision, choices_only=True)
    answers = {key: answer.value for key, answer in valid.items()}
    review = reverse("advisor:decision_review", args=[decision.pk])
    if refusal := wizard_refusal(
        complete=decision.is_complete, answered=set(answers), step=REVIEW_STEP
    ):
        return refuse(request, decision, refusal)
    # The refine step's answers set defaults too: its corpus size is this page's.
    known = {**answers, **selectors.refine_values(decision=decision)}
    action = request.POST.get("action", "preview")
    if action == "remove":
        services.estimate_remove(decision=decision)
        messages.success(request, "The numbers were removed from this decision.")
        return redirect_page(request, review)
    saved = selectors.decision_numbers(decision=decision)
    chosen = request.POST.get("price") or request.GET.get("price")
    price = selectors.price_chosen(chosen=chosen, saved=saved)
    if price is None:
        return render(request, "advisor/decision_estimate.html", {"decision": decision})
    query = request.POST if request.method == "POST" else request.GET
    tuned = selectors.tuned_price_chosen(chosen=query.get("tuned_price"), saved=saved)
    form, reloaded = _form(request, known, price, tuned, saved)
    try:
        report = _report(form, answers, known, decision=decision, save=action == "save")
    except services.DecisionAlreadyComplete as refusal:  # in another tab meanwhile
        return redirect_refused(request, refusal, decision.get_absolute_url(), level=messages.INFO)
    if action == "save" and report is not None:
        messages.success(request, "Numbers saved: they will be kept with the recommendation.")
        return redirect_page(request, review)
    return _page(request, decision, form, report, whole=reloaded or action == "save")


def _form(
    request: HtmxHttpRequest,
    known: dict[str, str | int],
    price: ModelPrice,
    tuned: ModelPrice | None,
    saved: Estimate | None,
) -> tuple[EstimateForm, bool]:
    """The form with its figures, and whether another model's prices were just loaded.

    Figures the team typed are kept whichever model is chosen; typed prices only with the
    models they were typed for.
    """
    typed = dict(saved.inputs) if saved else {}
    if saved is None or loaded_key(saved.price or price, saved.tuned_price) != loaded_key(
        price, tuned
    ):
        typed = {k: v for k, v in typed.items() if k not in costs.PRICE_FIELDS}
    initial = {
        "price": price,
        "tuned_price": tuned,
        "loaded_price": loaded_key(price, tuned),
        "rerank": saved.rerank if saved else False,
        "latency_target_ms": saved.latency_target_ms if saved else None,
    }
    data, reloaded = _posted(request, price, tuned)
    figures = {**selectors.estimate_defaults(known, price, tuned), **typed}
    warnings = selectors.price_warnings(price, today=timezone.localdate(), tuned_price=tuned)
    form = EstimateForm(data, defaults=figures, initial=initial, price=price, warnings=warnings)
    return form, reloaded


def _posted(
    request: HtmxHttpRequest, price: ModelPrice, tuned: ModelPrice | None
) -> tuple[QueryDict | None, bool]:
    """The posted figures; when a model was just changed, with its prices put in."""
    if request.method != "POST":
        return None, False
    data = request.POST.copy()
    if data.get("loaded_price") == loaded_key(price, tuned):
        return data, False
    for name, value in selectors.estimate_defaults({}, price, tuned).items():
        if name in costs.PRICE_FIELDS:
            data[name] = str(value)
    data["loaded_price"] = loaded_key(price, tuned)
    return data, True


def _report(
    form: EstimateForm,
    answers: dict[str, str],
    known: dict[str, str | int],
    *,
    decision: Decision,
    save: bool,
) -> dict | None:
    """The report of posted, valid figures (saved with the decision if asked), else None."""
    if not form.is_bound or not form.is_valid():
        return None
    price, tuned = form.cleaned_data["price"], form.cleaned_data["tuned_price"]
    try:
        estimate = selectors.estimate_build(
            answers=known, price=price, tuned_price=tuned, data=form.figures()
        )
    except costs.InvalidEstimate as error:
        form.add_estimate_errors(error.errors)
        return None
    target = form.cleaned_data["latency_target_ms"]
    if save:
        services.estimate_save(
            decision=decision,
            price=price,
            tuned_price=tuned,
            estimate=estimate,
            latency_target_ms=target,
        )
    _, report = costs.estimate_advice(
        answers=engine.Answers.from_mapping(answers), estimate=estimate, target_ms=target
    )
    return report


def _page(
    request: HtmxHttpRequest,
    decision: Decision,
    form: EstimateForm,
    report: dict | None,
    *,
    whole: bool,
) -> HttpResponse:
    context = {"decision": decision, "form": form, "report": report}
    fragment = "estimate" if whole else "preview"
    status = 400 if form.errors else 200
    response = render_page(request, "advisor/decision_estimate.html", fragment, context, status)
    if request.htmx and whole:
        # The form posts for previews into #estimate-preview; this answer replaces it all.
        response = reswap(retarget(response, "#estimate"), "outerHTML")
    return response
