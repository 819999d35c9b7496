"""The optional numbers step: volume and prices in, cost, latency and time to ship out.

As the user types, htmx posts the form for a preview (the report fragment only, so no field
loses focus). Choosing another model, or saving with an error, re-renders the whole form.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import reswap, retarget

from advisor import costs, engine, selectors, services
from advisor.forms import EstimateForm
from advisor.htmx import HtmxHttpRequest, login_required, redirect_page, render_page
from advisor.models import REVIEW_STEP, Decision, Estimate, ModelPrice, Role


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def decision_estimate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    answers = {k: a.value for k, a in selectors.decision_answers(decision=decision).items()}
    review = reverse("advisor:decision_review", args=[decision.pk])
    if refusal := services.wizard_refusal(
        decision=decision, answered=set(answers), step=REVIEW_STEP
    ):
        messages.warning(request, refusal.message)
        step = refusal.step and reverse("advisor:decision_step", args=[decision.pk, refusal.step])
        return redirect_page(request, step or decision.get_absolute_url())
    action = request.POST.get("action", "preview")
    if action == "remove":
        services.estimate_remove(decision=decision)
        messages.success(request, "The numbers were removed from this decision.")
        return redirect_page(request, review)
    saved = Estimate.objects.filter(decision=decision).first()
    price = _price(request.POST.get("price") or request.GET.get("price"), saved)
    if price is None:
        return render(request, "advisor/decision_estimate.html", {"decision": decision})
    form, reloaded = _form(request, answers, price, saved)
    report = None
    if request.method == "POST":  # with another model, its prices are in the form already
        report = _report(form, decision, answers, save=action == "save")
    if action == "save" and report is not None:
        messages.success(request, "Numbers saved: they will be kept with the recommendation.")
        return redirect_page(request, review)
    return _page(request, decision, form, report, whole=reloaded or action == "save")


def _form(
    request: HtmxHttpRequest, answers: dict[str, str], price: ModelPrice, saved: Estimate | None
) -> tuple[EstimateForm, bool]:
    """The form with its figures, and whether another model's prices were just loaded."""
    keep = saved is not None and saved.price_id == price.pk
    defaults = {
        **costs.defaults_for(answers, services.price_row(price)),
        **{name: float(getattr(price, name)) for name in costs.PRICE_FIELDS},
        **(saved.inputs if keep else {}),
        **({k: v for k, v in saved.prices.items() if k in costs.PRICE_FIELDS} if keep else {}),
    }
    initial = {
        "price": price,
        "loaded_price": price.pk,
        "rerank": saved.rerank if saved else False,
        "latency_target_ms": saved.latency_target_ms if saved else None,
    }
    data, reloaded = _posted(request, price)
    return EstimateForm(data, defaults=defaults, initial=initial), reloaded


def _posted(request: HtmxHttpRequest, price: ModelPrice) -> tuple[QueryDict | None, bool]:
    """The posted figures; when the model was just changed, with its prices put in."""
    if request.method != "POST":
        return None, False
    data = request.POST.copy()
    if data.get("loaded_price") == str(price.pk):
        return data, False
    for name in costs.PRICE_FIELDS:
        data[name] = str(float(getattr(price, name)))
    data["loaded_price"] = str(price.pk)
    return data, True


def _report(
    form: EstimateForm, decision: Decision, answers: dict[str, str], *, save: bool
) -> dict | None:
    """The report of valid figures (saved with the decision if asked); None after errors."""
    if not form.is_valid():
        return None
    price = form.cleaned_data["price"]
    try:
        estimate = services.estimate_build(decision=decision, price=price, data=form.figures())
    except costs.InvalidEstimate as error:
        form.add_estimate_errors(error.errors)
        return None
    rerank, target = form.cleaned_data["rerank"], form.cleaned_data["latency_target_ms"]
    if save:
        services.estimate_save(
            decision=decision,
            price=price,
            estimate=estimate,
            rerank=rerank,
            latency_target_ms=target,
        )
    evidence = services.cost_evidence(estimate)
    approach = engine.choose_approach(engine.Answers.from_mapping(answers), evidence)
    return costs.estimate_report(
        estimate,
        rerank=rerank,
        target_ms=target,
        approach=approach,
        labeled_data=answers["labeled_data"],
    )


def _price(chosen: str | None, saved: Estimate | None) -> ModelPrice | None:
    """The model the user chose, else the one saved, else the first in the table."""
    prices = ModelPrice.objects.all()
    for pk in (chosen, saved.price_id if saved else None):
        if pk and str(pk).isdigit() and (row := prices.filter(pk=pk).first()):
            return row
    return prices.first()


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
