"""Share links: a decision's list of them, the public page's lookup by token, and what the
page and its JSON show of the decision."""

from __future__ import annotations

import copy
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from advisor.domain import costs
from advisor.models import Decision, Recommendation, ShareLink
from advisor.selectors.documents import decision_document

# The snapshot's fields that can quote the cost figures (costs.without_cost_figures).
WITHHELD_FIELDS = ("estimate", "rationale", "plan", "pilot_metrics")


def share_link_get(*, decision: Decision, pk: int) -> ShareLink:
    return get_object_or_404(decision.share_links.select_related("decision__project__team"), pk=pk)


def share_links(*, decision: Decision) -> QuerySet[ShareLink]:
    return decision.share_links.select_related("created_by")


def share_recommendation(link: ShareLink) -> Recommendation:
    """The snapshot as the link shows it: without the cost figures unless it includes them
    (an unsaved copy then, with the fields that quote them replaced: a snapshot never
    changes)."""
    recommendation = link.decision.recommendation
    if link.include_costs or recommendation.estimate is None:
        return recommendation
    shown = copy.copy(recommendation)
    fields = {field: getattr(recommendation, field) for field in WITHHELD_FIELDS}
    for field, value in costs.without_cost_figures(fields).items():
        setattr(shown, field, value)
    return shown


def share_document(link: ShareLink) -> dict[str, Any]:
    """The link's JSON: the decision's document, without the cost figures unless the link
    includes them."""
    document = decision_document(link.decision)
    if not link.include_costs:
        document["recommendation"] = costs.without_cost_figures(document["recommendation"])
    return document


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
