"""Exports of a decision (Markdown in the MADR layout, JSON) and of a project's history
(CSV), for any member; importing a decision's JSON into a project, for editors."""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from advisor import selectors, services
from advisor.domain.engine import Approach
from advisor.domain.madr import decision_markdown
from advisor.domain.people import person_name
from advisor.forms import DecisionImportForm, DecisionStartForm
from advisor.models import Decision, Project, Role
from advisor.selectors.documents import decision_export
from advisor.views.projects import project_page
from advisor.web.htmx import HtmxHttpRequest, redirect_page, render_page

CSV_COLUMNS = (
    "Title",
    "Started",
    "Completed",
    "Author",
    "Status",
    "Lifecycle",
    "Approach",
    "Review by",
    "Rules version",
    "URL",
    # Added after the others, so a spreadsheet reading columns by position still works.
    "Confidence",
    "People who answered",
    "Questions they disagreed on",
)
# A spreadsheet may read a cell starting with one of these signs as a formula, also after
# leading spaces (it skips them); "|" starts a DDE call in older Excel. The full-width signs
# too, as a precaution: a spreadsheet that folds them to ASCII would read a formula.
FORMULA_SIGNS = ("=", "+", "-", "@", "|", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A cell starting with one of these is neutralised whatever follows (OWASP's list).
FORMULA_CONTROLS = ("\t", "\r")


@require_safe
def decision_export_md(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    document = _export(request, pk)
    return _download(decision_markdown(document), "text/markdown; charset=utf-8", document, "md")


@require_safe
def decision_export_json(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    document = _export(request, pk)
    body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return _download(body, "application/json", document, "json")


@require_safe
def project_export_csv(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_slug(project.name, "project")}-decisions.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for decision in selectors.project_export_rows(project=project):
        writer.writerow([csv_cell(value) for value in _csv_row(request, decision)])
    return response


@require_POST
def decision_import(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk, need=Role.EDITOR)
    form = DecisionImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            decision = services.decision_import(
                project=project, user=request.user, document=form.cleaned_data["document"]
            )
        except services.Refused as refusal:
            for message in refusal.messages:
                form.add_error("file", message)
        else:
            messages.success(request, f"Imported “{decision.title}” into {project.name}.")
            return redirect_page(request, decision.get_absolute_url())
    return _import_refused(request, project, form)


def _import_refused(
    request: HtmxHttpRequest, project: Project, form: DecisionImportForm
) -> HttpResponse:
    """The form with its errors: the card alone for htmx, else the project page."""
    if request.htmx:
        context = {"project": project, "import_form": form}
        return render_page(request, "advisor/project_import.html", "import", context, 400)
    return project_page(request, project, DecisionStartForm(), 400, import_form=form)


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: text that would start a formula, at its start or
    after any whitespace, gets a quote. Whole numbers the export computes itself (the counts)
    are written as they are: a negative number is not a formula, and no user typed it."""
    if isinstance(value, int):
        return str(value)
    text = "" if value is None else str(value)
    formula = text.startswith(FORMULA_CONTROLS) or text.lstrip().startswith(FORMULA_SIGNS)
    return f"'{text}" if formula else text


def _csv_row(request: HtmxHttpRequest, decision: Decision) -> list[object]:
    complete = decision.is_complete
    return [
        decision.title,
        _minute(decision.created_at),
        _minute(decision.completed_at) if complete else "",
        person_name(decision.created_by),
        decision.get_status_display(),
        decision.get_lifecycle_display() if complete else "",
        Approach.label_of(decision.approach) if decision.approach else "",
        decision.review_by.isoformat() if decision.review_by else "",
        decision.rules_version or "",
        request.build_absolute_uri(decision.get_absolute_url()),
        decision.confidence["level"].capitalize() if decision.confidence else "",
        *_team_cells(decision.team_answers),
    ]


def _team_cells(team: dict | None) -> list[object]:
    """How many people answered and how many questions they disagreed on; empty for a
    decision one person answered."""
    if not team:
        return ["", ""]
    return [sum(person["submitted"] for person in team["people"]), team["contested"]]


def _export(request: HtmxHttpRequest, pk: int) -> dict:
    decision = selectors.decision_for_export(user=request.user, pk=pk)
    if not decision.is_complete:
        # Nothing to export until there is a recommendation; the page says how far it got.
        raise Http404("Only a completed decision can be exported.")
    return decision_export(decision, base_url=request.build_absolute_uri("/").rstrip("/"))


def _download(body: str, content_type: str, document: dict, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = _slug(document["decision"]["title"])
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def _slug(text: str, fallback: str = "decision") -> str:
    # slugify drops what is not ASCII, so the header needs no encoding.
    return slugify(text)[:60].strip("-") or fallback


def _minute(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
