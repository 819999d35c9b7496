"""The reads that pages share.

Every object a request names by id is fetched through one of these, so scoping access is a
change in this module (teams arrive in a later issue) rather than in every view.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404

from advisor.models import Answer, Decision, Project, Recommendation


def projects_visible_to(user: AbstractBaseUser) -> QuerySet[Project]:
    # Every signed-in user sees every project until teams scope them.
    return Project.objects.all()


def project_list(*, user: AbstractBaseUser, archived: bool = False) -> QuerySet[Project]:
    """Projects with their decision count, latest recommended approach and last activity."""
    latest = Recommendation.objects.filter(decision__project=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    return (
        projects_visible_to(user)
        .filter(archived=archived)
        .annotate(
            decision_count=Count("decisions"),
            latest_approach=Subquery(latest.values("approach")[:1]),
            last_activity=Greatest(
                "updated_at", Coalesce(Max("decisions__updated_at"), "updated_at")
            ),
        )
    )


def project_get(*, user: AbstractBaseUser, pk: int) -> Project:
    return get_object_or_404(projects_visible_to(user), pk=pk)


def decision_get(*, user: AbstractBaseUser, pk: int) -> Decision:
    decisions = Decision.objects.filter(project__in=projects_visible_to(user))
    return get_object_or_404(decisions.select_related("project", "created_by"), pk=pk)


def project_history(*, project: Project) -> QuerySet[Decision]:
    """A project's decisions, newest first, with what the history table shows."""
    # Only the approach is needed from the snapshot, not its large JSON columns.
    return project.decisions.select_related("created_by").annotate(
        approach=F("recommendation__approach")
    )


def decision_answers(*, decision: Decision) -> dict[str, Answer]:
    return {answer.question: answer for answer in decision.answers.all()}
