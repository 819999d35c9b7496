"""Comments on a decision."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from advisor.models import Comment, Decision


def comment_get(*, decision: Decision, pk: int) -> Comment:
    """A comment on this decision; one on another decision is not found."""
    return get_object_or_404(decision.comments.select_related("decision__project__team"), pk=pk)
