from __future__ import annotations

from django.contrib import admin

from advisor.models import Answer, Decision, Project, Recommendation


class DeletesSnapshotsWithTheirDecision:
    """Deleting a project or decision takes its answers and recommendation along.

    Those two cannot be deleted on their own (a completed decision would lose its result or
    its progress would disagree with its answers), so the cascade must not need that right.
    """

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed -= {Answer._meta.verbose_name, Recommendation._meta.verbose_name}
        return deleted, counts, perms_needed, protected


@admin.register(Project)
class ProjectAdmin(DeletesSnapshotsWithTheirDecision, admin.ModelAdmin):
    list_display = ["name", "created_by", "archived", "created_at"]
    list_filter = ["archived"]
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
class DecisionAdmin(DeletesSnapshotsWithTheirDecision, admin.ModelAdmin):
    list_display = ["title", "project", "status", "current_step", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "project__name"]
    list_select_related = ["project", "created_by"]
    raw_id_fields = ["project", "created_by"]
    # Progress and completion are the wizard's to set; editing them by hand would leave a
    # decision whose status disagrees with its answers and recommendation.
    readonly_fields = ["status", "current_step", "completed_at"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["decision", "question", "value", "updated_at"]
    list_filter = ["question"]
    list_select_related = ["decision"]
    readonly_fields = ["decision", "question", "value"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    """Read-only: a recommendation is a snapshot and is never edited."""

    list_display = ["decision", "approach", "rules_version", "created_at"]
    list_filter = ["approach", "rules_version"]
    list_select_related = ["decision"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
