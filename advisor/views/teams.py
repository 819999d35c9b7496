"""Teams: the list, a team's page (members, invites, activity), and joining by invite."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from advisor import selectors, services
from advisor.forms import InviteForm, RoleForm, TeamForm, TeamSettingsForm
from advisor.models import Invite, Role, Team
from advisor.selectors import permissions
from advisor.web.htmx import (
    HtmxHttpRequest,
    redirect_page,
    redirect_refused,
    render_page,
)
from advisor.web.inputs import checks_own_input


@require_safe
def team_list(request: HtmxHttpRequest) -> HttpResponse:
    teams = selectors.team_list(user=request.user)
    return render(request, "advisor/team_list.html", {"teams": teams})


@require_http_methods(["GET", "POST"])
def team_create(request: HtmxHttpRequest) -> HttpResponse:
    form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        team = services.team_create(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, f"Team “{team.name}” created. Invite people from here.")
        return redirect(team)
    status = 400 if form.errors else 200
    return render(request, "advisor/team_form.html", {"form": form}, status=status)


@require_safe
def team_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk)
    return _team_page(request, team)


@require_http_methods(["GET", "POST"])
def team_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk, need=Role.OWNER)
    if request.method == "POST":
        services.team_delete(team=team)
        messages.success(request, f"Team “{team.name}” and its projects were deleted.")
        return redirect("advisor:team_list")
    context = {"team": team, "counts": selectors.team_counts(team=team)}
    return render(request, "advisor/team_delete.html", context)


@require_POST
def team_settings(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk, need=Role.OWNER)
    # A copy to validate: the page shows the saved settings beside a form that failed.
    form = TeamSettingsForm(
        request.POST,
        instance=selectors.team_get(user=request.user, pk=pk),
        owner_has_two_factor=selectors.has_two_factor(request.user),
    )
    if not form.is_valid():
        return _team_page(request, team, settings_form=form, fragment="settings", status=400)
    services.team_settings_update(team=team, user=request.user, **form.cleaned_data)
    if not request.htmx:
        messages.success(request, "Team settings saved.")
    return _after_change(request, team, "settings", saved=True)


@require_POST
def member_role(request: HtmxHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk, need=Role.OWNER)
    membership = selectors.membership_get(team=team, pk=member_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        refusal = services.Refused("Choose one of the roles offered.")
        return _after_change(request, team, "members", refusal=refusal)
    try:
        services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], user=request.user
        )
    except services.Refused as refusal:
        return _after_change(request, team, "members", refusal=refusal)
    return _after_change(request, team, "members")


@require_POST
def member_remove(request: HtmxHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk)
    membership = selectors.membership_get(team=team, pk=member_pk)
    leaving = membership.user_id == request.user.pk
    if not leaving:
        permissions.require(team.role, Role.OWNER)
    try:
        services.membership_remove(membership=membership, user=request.user)
    except services.Refused as refusal:
        return _after_change(request, team, "members", refusal=refusal)
    if leaving:
        messages.success(request, f"You have left “{team.name}”.")
        return redirect_page(request, reverse("advisor:team_list"))
    return _after_change(request, team, "members")


@require_POST
def invite_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk, need=Role.OWNER)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _team_page(request, team, invite_form=form, fragment="invites", status=400)
    invite = services.invite_create(team=team, user=request.user, **form.cleaned_data)
    if not request.htmx:
        messages.success(
            request, f"Invite emailed to {invite.email}; you can also copy its link from the list."
        )
    return _after_change(request, team, "invites", created=invite)


@require_POST
def invite_revoke(request: HtmxHttpRequest, pk: int, invite_pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk, need=Role.OWNER)
    invite = selectors.invite_get(team=team, pk=invite_pk)
    try:
        services.invite_revoke(invite=invite, user=request.user)
    except services.Refused as refusal:
        return _after_change(request, team, "invites", refusal=refusal)
    return _after_change(request, team, "invites")


@checks_own_input
@require_http_methods(["GET", "POST"])
def invite_accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    invite = selectors.invite_open(token=token)
    if invite is None:
        return render(request, "advisor/invite_missing.html", status=404)
    if request.method == "GET":
        member = selectors.team_has_member(team=invite.team, user=request.user)
        context = {"invite": invite, "already_member": member}
        return render(request, "advisor/invite_accept.html", context)
    try:
        membership = services.invite_accept(token=token, user=request.user)
    except services.Refused as refusal:
        return redirect_refused(request, refusal, reverse("advisor:team_list"))
    messages.success(
        request, f"Welcome to “{membership.team.name}”: you joined as {membership.role}."
    )
    return redirect(membership.team)


def _after_change(
    request: HtmxHttpRequest,
    team: Team,
    fragment: str,
    *,
    created: Invite | None = None,
    refusal: services.Refused | None = None,
    saved: bool = False,
) -> HttpResponse:
    """htmx gets the changed section (with the refusal, if any); a plain post goes back."""
    if request.htmx:
        # Re-read the role: the user may just have changed their own.
        team = selectors.team_get(user=request.user, pk=team.pk)
        error = refusal.message if refusal else ""
        return _team_page(
            request, team, fragment=fragment, created=created, error=error, saved=saved
        )
    url = f"{team.get_absolute_url()}#{fragment}"
    if refusal:
        return redirect_refused(request, refusal, url)
    return redirect_page(request, url)


def _team_page(
    request: HtmxHttpRequest,
    team: Team,
    *,
    invite_form: InviteForm | None = None,
    settings_form: TeamSettingsForm | None = None,
    fragment: str = "team",
    created: Invite | None = None,
    error: str = "",
    saved: bool = False,
    status: int = 200,
) -> HttpResponse:
    is_owner = permissions.can(team.role, Role.OWNER)
    context = {
        "team": team,
        "is_owner": is_owner,
        "members": selectors.team_members(team=team),
        "invites": selectors.team_pending_invites(team=team) if is_owner else [],
        "invite_form": invite_form or InviteForm(),
        "accepted_invites": selectors.team_accepted_invites(team=team) if is_owner else [],
        "settings_form": settings_form or TeamSettingsForm(instance=team),
        "saved": saved,
        "roles": Role.choices,
        "created": created,
        "error": error,
        "activity": selectors.team_activity(team=team),
    }
    return render_page(request, "advisor/team_detail.html", fragment, context, status)
