"""Outcomes: editors record what was shipped after a decision, members read the timeline."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from advisor import selectors, services
from advisor.forms import (
    OutcomeForm,
    metric_formset,
    outcome_forms_with_more_rows,
)
from advisor.models import Decision, Role
from advisor.web.htmx import (
    HtmxHttpRequest,
    redirect_page,
    redirect_refused,
    render_page,
)


@require_http_methods(["GET", "HEAD", "POST"])
def outcome_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the blank form, asked for from the decision page (it is not rendered there until
    then); POST: record the outcome, or add metric rows."""
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    if not decision.is_complete:
        refusal = services.Refused(services.outcomes.NOT_COMPLETE)
        return redirect_refused(request, refusal, decision.get_absolute_url())
    if request.method != "POST":
        return _blank_outcomes(request, decision)
    if "more" in request.POST:
        return _more_rows(request, decision)
    pilot = _pilot_metrics(decision)
    form, metrics = OutcomeForm(request.POST), metric_formset(request.POST, pilot_metrics=pilot)
    if not all([form.is_valid(), metrics.is_valid()]):
        _focus_first_error(request, [form, *metrics.forms])
        return _outcomes(request, decision, form, metrics, status=400)
    try:
        outcome = services.outcome_record(
            decision=decision,
            user=request.user,
            metrics=[row.metric for row in metrics.forms if row.metric],
            **form.cleaned_data,
        )
    except services.Refused as refusal:
        return redirect_refused(request, refusal, decision.get_absolute_url())
    return _done(request, decision, f"Outcome recorded: {outcome.get_approach_display()}.")


@require_POST
def outcome_delete(request: HtmxHttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    outcome = selectors.outcome_get(decision=decision, pk=outcome_pk)
    services.outcome_delete(outcome=outcome, user=request.user)
    return _done(request, decision, "Outcome deleted.")


def _blank_outcomes(request: HtmxHttpRequest, decision: Decision) -> HttpResponse:
    form = _blank_form(decision)
    _focus(request, form, "approach")
    return _outcomes(
        request, decision, form, metric_formset(pilot_metrics=_pilot_metrics(decision))
    )


def _pilot_metrics(decision: Decision) -> list[dict]:
    """The snapshot's pilot metrics, offered as the first metric rows; none when it was saved
    before pilots existed."""
    return decision.recommendation.pilot_metrics or []


def _more_rows(request: HtmxHttpRequest, decision: Decision) -> HttpResponse:
    """ "Add more metric rows": the same form with empty rows added; nothing is saved."""
    form, metrics = outcome_forms_with_more_rows(
        request.POST, pilot_metrics=_pilot_metrics(decision)
    )
    if new_rows := metrics.forms[metrics.initial_form_count() :]:
        _focus(request, new_rows[0], "name")
    return _outcomes(request, decision, form, metrics)


def _blank_form(decision: Decision) -> OutcomeForm:
    initial = {"approach": decision.recommendation.approach, "shipped_on": timezone.localdate()}
    return OutcomeForm(initial=initial)


def _done(request: HtmxHttpRequest, decision: Decision, message: str) -> HttpResponse:
    """htmx gets the refreshed timeline and a fresh form; a plain post goes back to the page."""
    if not request.htmx:
        messages.success(request, message)
        return redirect_page(request, f"{decision.get_absolute_url()}#outcomes")
    metrics = metric_formset(pilot_metrics=_pilot_metrics(decision))
    return _outcomes(request, decision, _blank_form(decision), metrics, done=message)


def _outcomes(
    request: HtmxHttpRequest,
    decision: Decision,
    form: OutcomeForm,
    metrics: forms.BaseFormSet,
    *,
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "decision": selectors.decision_followups(decision=decision),
        "can_edit": True,
        "outcome_form": form,
        "metric_forms": metrics,
        "done": done,
    }
    return render_page(request, "advisor/decision_outcomes.html", "outcomes", context, status)


def _focus_first_error(request: HtmxHttpRequest, forms_: list[forms.Form]) -> None:
    for form in forms_:
        if form.errors:
            _focus(request, form, next(iter(form.errors)))
            return


def _focus(request: HtmxHttpRequest, form: forms.Form, name: str) -> None:
    """After an htmx swap, static/js/advisor.js moves focus to the field marked here (and
    selects its text, if it has any)."""
    if request.htmx and name in form.fields:
        form.fields[name].widget.attrs["data-focus-after-swap"] = ""
