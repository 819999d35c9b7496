"""Pages. Each view validates, calls a selector or a service, and renders.

htmx requests get the named fragment of the same template ("page.html#fragment"); everything
else gets the full page, so each page works with and without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url
from django_htmx.middleware import HtmxDetails

from advisor import selectors, services
from advisor.forms import AnswerForm, DecisionStartForm, ProjectEditForm, ProjectForm
from advisor.models import REVIEW_STEP, Answer, Decision
from advisor.questions import QUESTIONS, STEP_COUNT, question_at

HISTORY_PAGE_SIZE = 20


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _wants_fragment(request: HtmxHttpRequest) -> bool:
    # A history restore (browser Back with htmx's cache off) needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _render(
    request: HtmxHttpRequest, template: str, fragment: str, context: dict, status: int = 200
) -> HttpResponse:
    name = f"{template}#{fragment}" if _wants_fragment(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


def _redirect(request: HtmxHttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


# --- Projects -------------------------------------------------------------------------------


@require_GET
@login_required
def project_list(request: HtmxHttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    projects = selectors.project_list(user=request.user, archived=archived)
    return render(
        request, "advisor/project_list.html", {"projects": projects, "archived": archived}
    )


@require_http_methods(["GET", "POST"])
@login_required
def project_create(request: HtmxHttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = services.project_create(user=request.user, **form.cleaned_data)
        messages.success(request, f"Project “{project.name}” created.")
        return redirect(project)
    return render(request, "advisor/project_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    form = ProjectEditForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.project_update(project=project, **form.cleaned_data)
        messages.success(request, "Project saved.")
        return redirect(project)
    return render(request, "advisor/project_form.html", {"form": form, "project": project})


@require_GET
@login_required
def project_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    return _project_page(request, project, DecisionStartForm())


def _project_page(
    request: HtmxHttpRequest, project, start_form: DecisionStartForm, status: int = 200
) -> HttpResponse:
    history = selectors.project_history(project=project)
    page = Paginator(history, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"project": project, "page": page, "start_form": start_form}
    return _render(request, "advisor/project_detail.html", "history", context, status)


# --- Decisions and the wizard ---------------------------------------------------------------


@require_POST
@login_required
def decision_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    form = DecisionStartForm(request.POST)
    if not form.is_valid():
        return _project_page(request, project, form, status=400)
    decision = services.decision_start(
        project=project, user=request.user, title=form.cleaned_data["title"]
    )
    return redirect("advisor:decision_step", pk=decision.pk, step=1)


@require_GET
@login_required
def decision_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    if not decision.is_complete:
        return redirect(_step_url(decision, decision.current_step))
    return render(request, "advisor/decision_result.html", {"decision": decision})


@require_http_methods(["GET", "POST"])
@login_required
def decision_step(request: HtmxHttpRequest, pk: int, step: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    answers = selectors.decision_answers(decision=decision)
    if refusal := _step_refusal(decision, answers, step, last=STEP_COUNT):
        messages.warning(request, refusal.message)
        return _redirect(request, _step_url(decision, refusal.step))
    form = _answer_form(step, answers, request.POST or None)
    if request.method == "POST":
        return _step_submit(request, decision, answers, step, form)
    return _wizard(request, decision, answers, step, form)


@require_GET
@login_required
def decision_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    answers = selectors.decision_answers(decision=decision)
    if refusal := _step_refusal(decision, answers, REVIEW_STEP, last=REVIEW_STEP):
        messages.warning(request, refusal.message)
        return _redirect(request, _step_url(decision, refusal.step))
    return _wizard(request, decision, answers, REVIEW_STEP)


@require_POST
@login_required
def decision_complete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    try:
        services.decision_complete(decision=decision)
    except services.DecisionAlreadyComplete as error:
        messages.info(request, error.message)
    except services.WizardError as error:
        messages.warning(request, error.message)
        return _redirect(request, _step_url(decision, error.step))
    return _redirect(request, decision.get_absolute_url())


def _step_submit(
    request: HtmxHttpRequest,
    decision: Decision,
    answers: dict[str, Answer],
    step: int,
    form: AnswerForm,
) -> HttpResponse:
    """Save the step's answer (Back saves it only if valid) and show the step to go to."""
    going_back = request.POST.get("nav") == "back"
    if form.is_valid():
        try:
            answer = services.answer_save(decision=decision, step=step, **form.cleaned_data)
        except services.WizardError as error:  # e.g. completed in another tab meanwhile
            messages.warning(request, error.message)
            decision.refresh_from_db()
            return _redirect(request, _step_url(decision, error.step or decision.current_step))
        answers[answer.question] = answer
    elif not going_back:
        return _wizard(request, decision, answers, step, form)
    target = _next_step(step, going_back, request.POST.get("return_to"))
    if request.htmx:
        page = _wizard(request, decision, answers, target)
        return push_url(page, _step_url(decision, target))
    return redirect(_step_url(decision, target))


def _step_url(decision: Decision, step: int | None) -> str:
    if decision.is_complete:
        return decision.get_absolute_url()
    if step is None or step >= REVIEW_STEP:
        return reverse("advisor:decision_review", args=[decision.pk])
    return reverse("advisor:decision_step", args=[decision.pk, step])


def _step_refusal(
    decision: Decision, answers: dict[str, Answer], step: int, *, last: int
) -> services.WizardError | None:
    """Why this step cannot be shown or answered now, with the step to send the user to."""
    if decision.is_complete:
        return services.DecisionAlreadyComplete(
            "This decision is complete; its answers are saved with the recommendation below."
        )
    if not 1 <= step <= last:
        return services.WizardError(
            f"There is no step {step}: the wizard has {STEP_COUNT} questions. "
            "Here is where you left off.",
            step=decision.current_step,
        )
    first_open = services.first_unanswered_step(set(answers))
    if first_open < step:
        return services.WizardError("Please answer this question first.", step=first_open)
    return None


def _next_step(step: int, going_back: bool, return_to: str | None) -> int:
    if going_back:
        return max(step - 1, 1)
    if return_to == "review":
        return REVIEW_STEP
    return step + 1


def _wizard(
    request: HtmxHttpRequest,
    decision: Decision,
    answers: dict[str, Answer],
    step: int,
    form: AnswerForm | None = None,
) -> HttpResponse:
    if form is None and step <= STEP_COUNT:
        form = _answer_form(step, answers)
    context = {
        "decision": decision,
        "step": step,
        "step_count": STEP_COUNT,
        "form": form,
        "return_to": request.GET.get("return_to", request.POST.get("return_to", "")),
        "review": [(question, answers.get(question.key)) for question in QUESTIONS],
    }
    return _render(request, "advisor/decision_wizard.html", "wizard", context)


def _answer_form(step: int, answers: dict[str, Answer], data=None) -> AnswerForm:
    question = question_at(step)
    saved = answers.get(question.key)
    initial = {"value": saved.value, "note": saved.note} if saved else None
    return AnswerForm(data, initial=initial, question=question)
