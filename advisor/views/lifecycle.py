"""A completed decision's status, supersede link and review date; the team's due reviews.

The three writes answer htmx with the refreshed `lifecycle` panel (400 with the reason when
refused) and a plain form post with a redirect to the decision and a message.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from advisor import selectors, services
from advisor.domain import lifecycle
from advisor.forms import ReviewDateForm, StatusForm, SupersedeForm
from advisor.models import Decision, Role
from advisor.web.htmx import (
    HtmxHttpRequest,
    redirect_page,
    redirect_refused,
    render_page,
)

# The button for each plain status change.
MOVE_LABELS = {"accepted": "Accept", "rejected": "Reject", "deprecated": "Deprecate"}


@require_POST
def decision_status(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    return _apply(
        request,
        decision,
        form=StatusForm(request.POST),
        name="status_form",
        write=services.decision_status_change,
        done=lambda saved, data: f"Marked as {saved.get_lifecycle_display().lower()}.",
    )


@require_POST
def decision_supersede(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    candidates = selectors.supersede_candidates(decision=decision)
    return _apply(
        request,
        decision,
        form=SupersedeForm(request.POST, candidates=candidates),
        name="supersede_form",
        write=services.decision_supersede,
        done=lambda saved, data: f"Marked as superseded by “{data['replaced_by'].title}”.",
    )


@require_POST
def decision_review_date(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    return _apply(
        request,
        decision,
        form=ReviewDateForm(request.POST),
        name="review_form",
        write=services.decision_review_date_set,
        done=lambda saved, data: f"Review date set to {saved.review_by:%-d %b %Y}.",
    )


@require_safe
def team_reviews(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk)
    context = {
        "team": team,
        "soon_days": selectors.REVIEW_SOON_DAYS,
        **selectors.team_reviews(team=team, today=timezone.localdate()),
    }
    return render(request, "advisor/team_reviews.html", context)


def lifecycle_panel(decision: Decision, *, can_edit: bool) -> dict[str, object]:
    """What the `lifecycle` panel of a completed decision shows (its forms for editors)."""
    context: dict[str, object] = {
        "status_changes": selectors.decision_status_history(decision=decision),
        **selectors.decision_supersede_links(decision=decision),
    }
    if not (can_edit and decision.is_complete):
        return context
    answers = {item["question"]: item["answer"] for item in decision.recommendation.answers}
    candidates = selectors.supersede_candidates(decision=decision)
    can_be_superseded = lifecycle.can_be_superseded(decision.lifecycle)
    return context | {
        "moves": [(status, MOVE_LABELS[status]) for status in lifecycle.moves(decision.lifecycle)],
        "can_be_superseded": can_be_superseded,
        "has_candidates": can_be_superseded and candidates.exists(),
        "default_review_by": lifecycle.default_review_date(
            answers, accepted_on=timezone.localdate()
        ),
        "status_form": StatusForm(),
        "supersede_form": SupersedeForm(candidates=candidates),
        "review_form": ReviewDateForm(initial={"review_by": decision.review_by}),
    }


def _apply(
    request: HtmxHttpRequest,
    decision: Decision,
    *,
    form: Form,
    name: str,
    write: Callable[..., Decision],
    done: Callable[[Decision, dict], str],
) -> HttpResponse:
    """Validate the posted `form` (shown again with its errors as the panel's `name`), then
    `write(decision=, user=, **its data)`; answer with the panel (htmx) or a redirect and a
    message (plain post), saying `done(saved, data)`."""
    if not form.is_valid():
        return _panel(request, decision, status=400, **{name: form})
    try:
        saved = write(decision=decision, user=request.user, **form.cleaned_data)
    except services.Refused as refusal:
        return _refused(request, decision, refusal)
    return _changed(request, saved, done(saved, form.cleaned_data))


def _panel(
    request: HtmxHttpRequest, decision: Decision, *, status: int = 200, **extra: object
) -> HttpResponse:
    """The panel for htmx; the decision's status page for a plain post with form errors."""
    context = {"decision": decision, "can_edit": True}
    context |= lifecycle_panel(decision, can_edit=True) | extra
    return render_page(request, "advisor/decision_lifecycle.html", "lifecycle", context, status)


def _refused(
    request: HtmxHttpRequest, decision: Decision, refusal: services.Refused
) -> HttpResponse:
    if not request.htmx:
        url = f"{decision.get_absolute_url()}#lifecycle"
        return redirect_refused(request, refusal, url, level=messages.ERROR)
    # Someone else may have moved it meanwhile (that is often why it was refused): show it now.
    decision.refresh_from_db()
    return _panel(request, decision, status=400, refusal=refusal.message)


def _changed(request: HtmxHttpRequest, decision: Decision, message: str) -> HttpResponse:
    if not request.htmx:
        messages.success(request, message)
        return redirect_page(request, f"{decision.get_absolute_url()}#lifecycle")
    return _panel(request, decision, changed=message)
