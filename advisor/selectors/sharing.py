"""Share links: a decision's list of them, and the public page's lookup by token."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from advisor.models import Decision, ShareLink


def share_link_get(*, decision: Decision, pk: int) -> ShareLink:
    return get_object_or_404(decision.share_links.select_related("decision__project__team"), pk=pk)


def share_links(*, decision: Decision) -> QuerySet[ShareLink]:
    return decision.share_links.select_related("created_by")


def share_link_open(*, token: str) -> ShareLink | None:
    """The live link with this token, with its decision and snapshot; None for any other."""
    return (
        ShareLink.objects.live()
        .with_token(token)
        .filter(decision__status=Decision.Status.COMPLETE)
        .select_related("decision__project", "decision__recommendation")
        .order_by()  # the token is unique: no sort needed
        .first()
    )
