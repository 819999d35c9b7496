"""Decisions: starting one, the five-question wizard, the optional refine step, the review
and the result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import push_url

from advisor import selectors, services
from advisor.domain import costs
from advisor.domain.questions import QUESTIONS, STEP_COUNT, Question, question_at
from advisor.domain.refine import refine_label, refine_title
from advisor.domain.wizard import REVIEW_STEP, first_unanswered_step, wizard_refusal
from advisor.forms import AnswerForm, DecisionStartForm, RefineForm, ShareForm
from advisor.models import Answer, Decision, Respondent, Role
from advisor.selectors import permissions
from advisor.views.comments import comment_section
from advisor.views.lifecycle import lifecycle_panel
from advisor.views.projects import project_page
from advisor.views.rounds import round_page
from advisor.web.htmx import (
    HtmxHttpRequest,
    redirect_page,
    redirect_refused,
    render_page,
)


@require_POST
def decision_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk, need=Role.EDITOR)
    form = DecisionStartForm(request.POST)
    if not form.is_valid():
        return project_page(request, project, form, status=400)
    decision = services.decision_start(
        project=project, user=request.user, title=form.cleaned_data["title"]
    )
    return redirect("advisor:decision_step", pk=decision.pk, step=1)


@require_safe
def decision_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    can_edit = permissions.can(decision.role, Role.EDITOR)
    if decision.is_complete:
        return result_page(request, decision)
    if selectors.round_of(decision) is not None:
        return round_page(request, decision)
    if can_edit:
        return redirect(_step_url(decision, decision.current_step))
    # A viewer follows an unfinished decision without the wizard's forms.
    answers = selectors.decision_answers(decision=decision)
    context = {"decision": decision, "read_only": True, "review": _review_items(answers)}
    return render(request, "advisor/decision_wizard.html", context)


def result_page(
    request: HtmxHttpRequest,
    decision: Decision,
    *,
    share_form: ShareForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """A completed decision's page with all its sections; `share_form` is a refused new
    link's form, shown with its errors (a plain form post)."""
    can_edit = permissions.can(decision.role, Role.EDITOR)
    # Outcomes with their metrics, and comments: prefetched onto the decision.
    selectors.decision_followups(decision=decision)
    context = {"decision": decision, "can_edit": can_edit, **comment_section()}
    context |= selectors.decision_revisits(decision=decision)
    context |= lifecycle_panel(decision, can_edit=can_edit)
    if can_edit:
        context |= {
            "links": selectors.share_links(decision=decision),
            "form": share_form or ShareForm(decision=decision),
        }
    return render(request, "advisor/decision_result.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def decision_step(request: HtmxHttpRequest, pk: int, step: int) -> HttpResponse:
    return_to = request.POST.get("return_to", request.GET.get("return_to", ""))
    if request.method == "POST":
        return _step_submit(request, pk, step, return_to)
    decision = selectors.decision_get(user=request.user, pk=pk)
    try:
        respondent = _step_answerer(decision, request.user, step)
    except services.Refused as refusal:
        return refuse(request, decision, refusal)
    answers = selectors.decision_answers(decision=decision, respondent=respondent)
    if refusal := wizard_refusal(
        complete=decision.is_complete, answered=set(answers), step=step, last=STEP_COUNT
    ):
        return refuse(request, decision, refusal)
    return _wizard(request, decision, respondent, answers, step, return_to=return_to)


@require_safe
@never_cache
def decision_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The review: a person's own answers with Submit while the team answers; the settled
    answers with the numbers and Get recommendation once an editor has settled them."""
    decision = selectors.decision_get(user=request.user, pk=pk)
    answer_round = selectors.round_of(decision)
    try:
        if answer_round is not None and not answer_round.is_open and not decision.is_complete:
            permissions.require(decision.role, Role.EDITOR)
            if selectors.round_unsettled(answer_round):
                raise services.Refused("Settle every question the team answered first.")
            respondent = None
        else:
            respondent = services.wizard_respondent(decision, request.user)
    except services.Refused as refusal:
        return refuse(request, decision, refusal)
    answers = selectors.decision_answers(decision=decision, respondent=respondent)
    if refusal := wizard_refusal(
        complete=decision.is_complete, answered=set(answers), step=REVIEW_STEP
    ):
        return refuse(request, decision, refusal)
    return _wizard(request, decision, respondent, answers, REVIEW_STEP)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def decision_refine(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The optional refine step, after the fifth question: saved, it leads to the review."""
    decision = selectors.decision_get(user=request.user, pk=pk)
    try:
        respondent = (
            None if decision.is_complete else services.wizard_respondent(decision, request.user)
        )
    except services.Refused as refusal:
        return refuse(request, decision, refusal)
    answers = selectors.decision_answers(decision=decision, respondent=respondent)
    if refusal := wizard_refusal(
        complete=decision.is_complete, answered=set(answers), step=REVIEW_STEP
    ):
        return refuse(request, decision, refusal)
    if request.method != "POST":
        initial = _refine_initial(decision, respondent)
        return _refine(request, decision, respondent, RefineForm(initial=initial))
    form = RefineForm(request.POST)
    if not form.is_valid():
        return _refine(request, decision, respondent, form, status=400)
    try:
        services.refine_save(
            decision=decision, values=form.values(), notes=form.notes(), user=request.user
        )
    except services.Refused as refusal:  # e.g. completed in another tab meanwhile
        decision.refresh_from_db()
        return refuse(request, decision, refusal)
    url = reverse("advisor:decision_review", args=[decision.pk])
    if request.htmx:
        return push_url(_wizard(request, decision, respondent, answers, REVIEW_STEP), url)
    return redirect(url)


@require_POST
def decision_complete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    try:
        services.decision_complete(decision=decision, user=request.user)
    except services.DecisionAlreadyComplete as refusal:
        return redirect_refused(request, refusal, decision.get_absolute_url(), level=messages.INFO)
    except services.Refused as refusal:
        return refuse(request, decision, refusal)
    return redirect_page(request, decision.get_absolute_url())


def _step_submit(request: HtmxHttpRequest, pk: int, step: int, return_to: str) -> HttpResponse:
    """Save the step's answer (Back saves it only if valid) and show the step to go to.

    A valid answer goes straight to `answer_submit`, which checks access, locks the decision
    and reads the answers in its one transaction, and refuses a step that is not open; only
    an invalid one (or a step that does not exist) reads them here, to refuse or to show the
    form with its errors.
    """
    going_back = request.POST.get("nav") == "back"
    form = AnswerForm(request.POST, question=question_at(step)) if 1 <= step <= STEP_COUNT else None
    if form is not None and form.is_valid():
        try:
            decision, respondent, answers = services.answer_submit(
                user=request.user, pk=pk, step=step, **form.cleaned_data
            )
        except services.Refused as refusal:  # e.g. completed in another tab meanwhile
            return refuse(request, selectors.decision_get(user=request.user, pk=pk), refusal)
    else:
        decision = selectors.decision_get(user=request.user, pk=pk)
        try:
            respondent = _step_answerer(decision, request.user, step)
        except services.Refused as refusal:
            return refuse(request, decision, refusal)
        answers = selectors.decision_answers(decision=decision, respondent=respondent)
        if refusal := wizard_refusal(
            complete=decision.is_complete, answered=set(answers), step=step, last=STEP_COUNT
        ):
            return refuse(request, decision, refusal)
        if not going_back:
            return _wizard(request, decision, respondent, answers, step, form, return_to)
    # Never past the first open question, whichever way the user asked to go.
    target = min(_next_step(step, going_back, return_to), first_unanswered_step(set(answers)))
    if target == REVIEW_STEP and step == STEP_COUNT and return_to != "review":
        # After the fifth question comes the optional refine step.
        url = reverse("advisor:decision_refine", args=[decision.pk])
        if request.htmx:
            form = RefineForm(initial=_refine_initial(decision, respondent))
            return push_url(_refine(request, decision, respondent, form), url)
        return redirect(url)
    url = _step_url(decision, target, return_to)
    if request.htmx:
        page = _wizard(request, decision, respondent, answers, target, return_to=return_to)
        return push_url(page, url)
    return redirect(url)


def _step_answerer(decision: Decision, user: AbstractBaseUser, step: int) -> Respondent | None:
    """Whose answers a step shows (services.wizard_respondent); a complete decision has no
    steps, which is said first."""
    if decision.is_complete:
        raise wizard_refusal(complete=True, answered=set(), step=step)
    return services.wizard_respondent(decision, user)


def refuse(request: HtmxHttpRequest, decision: Decision, refusal: services.Refused) -> HttpResponse:
    """Say why, and go to the step the refusal names (or the result, once complete)."""
    return redirect_refused(request, refusal, _step_url(decision, refusal.step))


def _step_url(decision: Decision, step: int | None, return_to: str = "") -> str:
    if decision.is_complete or (step is None and selectors.round_of(decision)):
        return decision.get_absolute_url()
    if step is None or step >= REVIEW_STEP:
        return reverse("advisor:decision_review", args=[decision.pk])
    url = reverse("advisor:decision_step", args=[decision.pk, step])
    return f"{url}?return_to=review" if return_to == "review" else url


def _next_step(step: int, going_back: bool, return_to: str) -> int:
    if going_back:
        return max(step - 1, 1)
    if return_to == "review":
        return REVIEW_STEP
    return step + 1


def _wizard(
    request: HtmxHttpRequest,
    decision: Decision,
    respondent: Respondent | None,
    answers: dict[str, Answer],
    step: int,
    form: AnswerForm | None = None,
    return_to: str = "",
) -> HttpResponse:
    """A wizard step or the review, of the decision's own answers or of `respondent`'s (who
    submits them instead of asking for the recommendation, and has no numbers step)."""
    if form is None and step <= STEP_COUNT:
        form = _answer_form(step, answers)
    review = step == REVIEW_STEP
    context = {
        "decision": decision,
        "respondent": respondent,
        "settled": respondent is None and selectors.round_of(decision) is not None,
        "step": step,
        "step_count": STEP_COUNT,
        "form": form,
        "return_to": return_to,
        "review": _review_items(answers) if review else [],
        **(_numbers(decision, answers) if review and respondent is None else {}),
        **(_refine_review(decision, respondent) if review else {}),
    }
    status = 400 if form is not None and form.errors else 200
    return render_page(request, "advisor/decision_wizard.html", "wizard", context, status)


def _refine(
    request: HtmxHttpRequest,
    decision: Decision,
    respondent: Respondent | None,
    form: RefineForm,
    status: int = 200,
) -> HttpResponse:
    """The refine step: the wizard's page and fragment, after the five questions."""
    context = {
        "decision": decision,
        "respondent": respondent,
        "step_count": STEP_COUNT,
        "refine_form": form,
    }
    return render_page(request, "advisor/decision_wizard.html", "wizard", context, status)


def _refine_initial(decision: Decision, respondent: Respondent | None) -> dict[str, str]:
    """The saved refine answers and notes; without a corpus size answered, the one saved
    with the numbers before the refine step existed (it is the same figure)."""
    saved = selectors.decision_refine_answers(decision=decision, respondent=respondent)
    initial: dict[str, str] = {}
    for key, answer in saved.items():
        initial[key] = selectors.refine_value(answer)
        initial[f"{key}_note"] = answer.note
    numbers = None if respondent else selectors.decision_numbers(decision=decision)
    if "corpus_tokens" not in saved and numbers and "corpus_tokens" in numbers.inputs:
        initial["corpus_tokens"] = numbers.inputs["corpus_tokens"]
    if "corpus_tokens" in initial:
        initial["corpus_tokens"] = f"{initial['corpus_tokens']:,}"
    return initial


def _refine_review(decision: Decision, respondent: Respondent | None) -> dict:
    """The refine answers for the review, each with its question's title and its label."""
    saved = selectors.decision_refine_answers(decision=decision, respondent=respondent)
    items = [
        (refine_title(key), refine_label(key, selectors.refine_value(answer)), answer.note)
        for key, answer in saved.items()
    ]
    return {"refine_review": items}


def _numbers(decision: Decision, answers: dict[str, Answer]) -> dict:
    """The saved numbers for the review: the row, and its figures under today's answers."""
    saved = selectors.decision_numbers(decision=decision)
    if saved is None:
        return {}
    try:
        figures = selectors.saved_estimate(saved, {k: a.value for k, a in answers.items()})
    except costs.InvalidEstimate:
        figures = None
    return {"estimate": saved, "figures": figures}


def _review_items(answers: dict[str, Answer]) -> list[tuple[Question, Answer, str]]:
    return [
        (question, answers[question.key], question.label_for(answers[question.key].value))
        for question in QUESTIONS
        if question.key in answers
    ]


def _answer_form(step: int, answers: dict[str, Answer]) -> AnswerForm:
    question = question_at(step)
    saved = answers.get(question.key)
    initial = {"value": saved.value, "note": saved.note} if saved else None
    return AnswerForm(initial=initial, question=question)
