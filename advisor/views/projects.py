"""Projects: the list, creating and editing one, its page with the timeline and activity."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from advisor import selectors, services
from advisor.forms import (
    DecisionImportForm,
    DecisionStartForm,
    HistoryFilterForm,
    ProjectEditForm,
    ProjectForm,
)
from advisor.models import Project, Role
from advisor.selectors import permissions
from advisor.web.htmx import HtmxHttpRequest, render_page

HISTORY_PAGE_SIZE = 20


@require_safe
def project_list(request: HtmxHttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    teams = list(selectors.teams_of(request.user))
    team = next((t for t in teams if str(t.pk) == request.GET.get("team")), None)
    projects = selectors.project_list(
        user=request.user, archived=archived, team_id=team.pk if team else None
    )
    context = {
        "projects": projects,
        "archived": archived,
        "teams": teams,
        "team": team,
        "can_create": any(permissions.can(t.role, Role.EDITOR) for t in teams),
    }
    return render(request, "advisor/project_list.html", context)


@require_http_methods(["GET", "POST"])
def project_create(request: HtmxHttpRequest) -> HttpResponse:
    teams = selectors.teams_for_new_project(user=request.user)
    if not teams.exists():
        raise PermissionDenied(
            "You are not an editor or owner in any team, so there is nowhere to create a "
            "project. Create a team of your own from the Teams page, or ask an owner."
        )
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, teams=teams, initial={"team": request.GET.get("team")})
    if request.method == "POST" and form.is_valid():
        project = services.project_create(user=request.user, **form.cleaned_data)
        messages.success(request, f"Project “{project.name}” created.")
        return redirect(project)
    status = 400 if form.errors else 200
    return render(request, "advisor/project_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def project_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk, need=Role.EDITOR)
    data = request.POST if request.method == "POST" else None
    form = ProjectEditForm(data, instance=project)
    if request.method == "POST" and form.is_valid():
        services.project_update(project=project, user=request.user, **form.cleaned_data)
        messages.success(request, "Project saved.")
        return redirect(project)
    context = {"form": form, "project": project}
    return render(request, "advisor/project_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def project_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk, need=Role.OWNER)
    if request.method == "POST":
        services.project_delete(project=project, user=request.user)
        messages.success(request, f"Project “{project.name}” and its decisions were deleted.")
        return redirect("advisor:project_list")
    count = selectors.project_decision_count(project=project)
    return render(
        request, "advisor/project_delete.html", {"project": project, "decision_count": count}
    )


@require_safe
def project_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    return project_page(request, project, DecisionStartForm())


def project_page(
    request: HtmxHttpRequest,
    project: Project,
    start_form: DecisionStartForm,
    status: int = 200,
    import_form: DecisionImportForm | None = None,
) -> HttpResponse:
    filters = HistoryFilterForm(request.GET, authors=selectors.project_authors(project=project))
    if not filters.is_valid() and status == 200:
        status = 400  # the errors show next to their fields; the valid filters still apply
    timeline = selectors.project_timeline(project=project, filters=filters.filters())
    paginator = Paginator(timeline, HISTORY_PAGE_SIZE)
    # Paginator.count is a cached property: set here, it is the count without the joins.
    paginator.count = selectors.project_timeline_count(project=project, filters=filters.filters())
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "project": project,
        "page": page,
        "filters": filters,
        "start_form": start_form,
        "can_edit": permissions.can(project.role, Role.EDITOR),
        "can_delete": permissions.can(project.role, Role.OWNER),
        "activity": selectors.project_activity(project=project),
        "import_form": import_form or DecisionImportForm(),
        "overdue_reviews": selectors.project_overdue_reviews(project=project),
    }
    return render_page(request, "advisor/project_detail.html", "history", context, status)
