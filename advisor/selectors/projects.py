"""The project list."""

from __future__ import annotations

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from advisor.models import Project, Recommendation
from advisor.selectors.access import User, projects_visible_to, two_factor_met


def project_list(
    *, user: User, archived: bool = False, team_id: int | None = None
) -> QuerySet[Project]:
    """Projects with their decision count, latest recommended approach and last activity."""
    latest = Recommendation.objects.filter(decision__project=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    projects = projects_visible_to(user).filter(two_factor_met(user, "team__"), archived=archived)
    projects = projects.select_related("team")
    if team_id is not None:
        projects = projects.filter(team_id=team_id)
    return projects.annotate(
        decision_count=Count("decisions"),
        latest_approach=Subquery(latest.values("approach")[:1]),
        last_activity=Greatest("updated_at", Coalesce(Max("decisions__updated_at"), "updated_at")),
    )


def project_decision_count(*, project: Project) -> int:
    """How many decisions deleting the project would take with it."""
    return project.decisions.count()
