from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import actions as admin_actions
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.shortcuts import redirect

from advisor import services
from advisor.models import (
    Answer,
    AnswerRound,
    AuditEvent,
    Decision,
    Invite,
    Membership,
    ModelPrice,
    NotificationOptOut,
    Outbox,
    Project,
    Recommendation,
    Respondent,
    Settlement,
    ShareLink,
    Team,
)
from advisor.services import pagecache

# From each team-owned model to the users who may see it in the admin.
MEMBERS = {
    Team: "memberships__user",
    Project: "team__memberships__user",
    Decision: "project__team__memberships__user",
}


class ReadOnlyForStaff:
    """Only superusers change anything here; other staff may look (with view permissions).

    The admin bypasses the services, so it knows nothing of roles, the last-owner rule or
    the audit trail; writing through it is for the operators who run the site.
    """

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class TeamScoped(ReadOnlyForStaff):
    """Staff who are not superusers see only their own teams' objects, read-only.

    `members` is the lookup from the model to its team's members.
    """

    members = "team__memberships__user"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.members: request.user}).distinct()


class DeletesSnapshotsWithTheirDecision:
    """Deleting a project or decision takes its answers and recommendation along.

    Those two cannot be deleted on their own (a completed decision would lose its result or
    its progress would disagree with its answers), so the cascade must not need that right.
    """

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed -= {
            model._meta.verbose_name
            for model in (Answer, Recommendation, AnswerRound, Respondent, Settlement)
        }
        return deleted, counts, perms_needed, protected


class ForgetsSharePages:
    """An edit here can change what a cached share page shows (a project's name, a decision's
    title or status, the decision a link opens): drop the pages involved once it commits.

    `share_links` is the lookup from ShareLink to the model.
    """

    share_links = "decision"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        pagecache.share_pages_forget(ShareLink.objects.filter(**{self.share_links: obj}))


@admin.register(Project)
class ProjectAdmin(
    ForgetsSharePages, TeamScoped, DeletesSnapshotsWithTheirDecision, admin.ModelAdmin
):
    share_links = "decision__project"
    list_display = ["name", "team", "created_by", "archived", "created_at"]
    list_filter = ["archived"]
    list_select_related = ["team", "created_by"]
    search_fields = ["name", "description"]
    raw_id_fields = ["created_by"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    # Values are validated against the questions only by the wizard; notes may be corrected.
    readonly_fields = ["question", "value"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(
    ForgetsSharePages, TeamScoped, DeletesSnapshotsWithTheirDecision, admin.ModelAdmin
):
    members = MEMBERS[Decision]
    list_display = ["title", "project", "status", "current_step", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "project__name"]
    list_select_related = ["project", "created_by"]
    raw_id_fields = ["project", "created_by"]
    # Progress and completion are the wizard's to set; editing them by hand would leave a
    # decision whose status disagrees with its answers and recommendation.
    readonly_fields = ["status", "current_step", "completed_at"]
    inlines = [AnswerInline]


class RespondentInline(admin.TabularInline):
    """Who was asked and whether they have answered; never what they answered. Personal
    answers have no admin page at all: nobody reads them before their author submits."""

    model = Respondent
    extra = 0
    fields = ["user", "asked_at", "submitted_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SettlementInline(admin.TabularInline):
    model = Settlement
    extra = 0
    fields = ["question", "value", "note", "settled_by_name", "settled_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AnswerRound)
class AnswerRoundAdmin(TeamScoped, admin.ModelAdmin):
    """Read-only: a round is changed by its editors in the app, where the rules live."""

    members = f"decision__{MEMBERS[Decision]}"
    list_display = ["decision", "asked_by", "deadline", "created_at", "closed_at"]
    list_select_related = ["decision", "asked_by"]
    readonly_fields = ["decision", "asked_by", "deadline", "closed_at"]
    inlines = [RespondentInline, SettlementInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Answer)
class AnswerAdmin(TeamScoped, admin.ModelAdmin):
    members = f"decision__{MEMBERS[Decision]}"
    list_display = ["decision", "question", "value", "updated_at"]
    list_filter = ["question"]
    list_select_related = ["decision"]
    readonly_fields = ["decision", "question", "value"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(TeamScoped, admin.ModelAdmin):
    """Read-only: a recommendation is a snapshot and is never edited."""

    members = f"decision__{MEMBERS[Decision]}"
    list_display = ["decision", "approach", "rules_version", "created_at"]
    list_filter = ["approach", "rules_version"]
    list_select_related = ["decision"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(ReadOnlyForStaff, admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(TeamScoped, admin.ModelAdmin):
    members = MEMBERS[Team]
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Invite)
class InviteAdmin(TeamScoped, admin.ModelAdmin):
    list_display = ["team", "role", "note", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_select_related = ["team"]
    readonly_fields = ["token", "created_by", "accepted_at", "accepted_by"]


@admin.register(ShareLink)
class ShareLinkAdmin(ForgetsSharePages, TeamScoped, admin.ModelAdmin):
    members = f"decision__{MEMBERS[Decision]}"
    share_links = "pk"
    list_display = [
        "decision",
        "created_at",
        "expires_at",
        "revoked_at",
        "include_costs",
        "view_count",
    ]
    list_select_related = ["decision", "created_by"]
    readonly_fields = ["token", "created_by", "view_count", "last_viewed_at", "revoked_by"]
    raw_id_fields = ["decision"]


@admin.register(AuditEvent)
class AuditEventAdmin(TeamScoped, admin.ModelAdmin):
    """Read-only: the audit trail is evidence, so nobody edits or deletes it here."""

    list_display = ["created_at", "team", "actor_name", "summary"]
    list_filter = ["action"]
    list_select_related = ["team"]
    search_fields = ["actor_name", "summary"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ModelPrice)
class ModelPriceAdmin(ReadOnlyForStaff, admin.ModelAdmin):
    """The price table. A saved decision keeps the figures it used, so edits here are safe."""

    list_display = [
        "model",
        "as_of",
        "input_per_m",
        "output_per_m",
        "training_per_m",
        "hosting_per_hour",
    ]
    search_fields = ["model"]


class SuperusersOnly:
    """Addresses and messages of every team: no team scopes them, so only superusers see them."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Outbox)
class OutboxAdmin(SuperusersOnly, admin.ModelAdmin):
    """Read-only: what was sent, or why not. A failed row is sent again by setting it back to
    pending in the database and running `send_digests`."""

    list_display = ["created_at", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "key", "subject"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationOptOut)
class NotificationOptOutAdmin(SuperusersOnly, admin.ModelAdmin):
    list_display = ["user", "kind", "created_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    """Django's user admin, deleting through `services.account_delete` as a person deleting
    their own account does: refused, with the team named, for the last owner of a team with
    other members; otherwise their name becomes "a former member" in the teams' records."""

    actions = ["delete_selected"]

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if user is not None and (refusal := services.account_delete_refusal(user=user)):
            self.message_user(request, refusal.message, messages.ERROR)
            return redirect("admin:auth_user_change", user.pk)
        try:
            return super().delete_view(request, object_id, extra_context)
        except services.Refused as refusal:  # the last other owner left meanwhile
            self.message_user(request, refusal.message, messages.ERROR)
            return redirect("admin:auth_user_change", user.pk)

    @admin.action(permissions=["delete"], description="Delete selected %(verbose_name_plural)s")
    def delete_selected(self, request, queryset):
        refusals = [services.account_delete_refusal(user=user) for user in queryset]
        try:
            if not any(refusals):
                return admin_actions.delete_selected(self, request, queryset)
        except services.Refused as refusal:  # the last other owner left meanwhile
            refusals = [refusal]
        for refusal in filter(None, refusals):
            self.message_user(request, refusal.message, messages.ERROR)
        return None

    def delete_model(self, request, obj) -> None:
        services.account_delete(user=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for user in queryset:
            services.account_delete(user=user)
