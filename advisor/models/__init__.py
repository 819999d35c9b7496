"""Advisor's tables, one module per subject."""

from advisor.models.audit import AuditEvent
from advisor.models.decisions import (
    NOTE_MAX_LENGTH,
    REVIEW_STEP,
    Answer,
    Decision,
    ImmutableSnapshotError,
    Project,
    Recommendation,
)
from advisor.models.prices import Estimate, ModelPrice
from advisor.models.sharing import ShareLink
from advisor.models.teams import Invite, Membership, Role, Team

__all__ = [
    "NOTE_MAX_LENGTH",
    "REVIEW_STEP",
    "Answer",
    "AuditEvent",
    "Decision",
    "Estimate",
    "ImmutableSnapshotError",
    "Invite",
    "Membership",
    "ModelPrice",
    "Project",
    "Recommendation",
    "Role",
    "ShareLink",
    "Team",
]
