"""Comments: any member of the team, viewers included, comments on a completed decision and
deletes their own comments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from advisor import selectors, services
from advisor.forms import CommentForm
from advisor.models import Decision
from advisor.web.htmx import (
    HtmxHttpRequest,
    redirect_page,
    redirect_refused,
    render_page,
)


@require_POST
def comment_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(decision=decision, user=request.user, **form.cleaned_data)
        except services.Refused as refusal:
            return redirect_refused(request, refusal, decision.get_absolute_url())
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _comments(request, decision, form, status=400)
    return _done(request, decision, "Comment posted.")


@require_POST
def comment_delete(request: HtmxHttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    comment = selectors.comment_get(decision=decision, pk=comment_pk)
    services.comment_delete(comment=comment, user=request.user)
    return _done(request, decision, "Comment deleted.")


def comment_section() -> dict:
    return {"comment_form": CommentForm()}


def _done(request: HtmxHttpRequest, decision: Decision, message: str) -> HttpResponse:
    """htmx gets the refreshed comments and an empty form; a plain post goes back to the page."""
    if not request.htmx:
        messages.success(request, message)
        return redirect_page(request, f"{decision.get_absolute_url()}#comments")
    return _comments(request, decision, CommentForm(), done=message)


def _comments(
    request: HtmxHttpRequest,
    decision: Decision,
    form: CommentForm,
    *,
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    if request.htmx:
        # Back to the text box: to write the next comment, or to correct this one.
        form.fields["body"].widget.attrs["data-focus-after-swap"] = ""
    context = {
        "decision": selectors.decision_followups(decision=decision),
        "comment_form": form,
        "done": done,
    }
    return render_page(request, "advisor/decision_comments.html", "comments", context, status)
