"""Advisor's tables, one module per subject."""

from advisor.models.audit import AuditEvent
from advisor.models.decisions import (
    ANSWER_KEYS,
    NOTE_MAX_LENGTH,
    Answer,
    Decision,
    ImmutableSnapshotError,
    Project,
    Recommendation,
)
from advisor.models.notifications import (
    OPTIONAL_KINDS,
    WEBHOOK_KINDS,
    Kind,
    NotificationOptOut,
    Outbox,
)
from advisor.models.prices import Estimate, ModelPrice
from advisor.models.reviews import (
    COMMENT_MAX_LENGTH,
    OUTCOME_NOTES_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Comment,
    Outcome,
    OutcomeMetric,
    StatusChange,
)
from advisor.models.rounds import (
    SETTLE_NOTE_MAX_LENGTH,
    AnswerRound,
    PersonalAnswer,
    Respondent,
    Settlement,
)
from advisor.models.sharing import ShareLink
from advisor.models.teams import Invite, Membership, Role, Team

__all__ = [
    "ANSWER_KEYS",
    "COMMENT_MAX_LENGTH",
    "NOTE_MAX_LENGTH",
    "OPTIONAL_KINDS",
    "OUTCOME_NOTES_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "SETTLE_NOTE_MAX_LENGTH",
    "WEBHOOK_KINDS",
    "Answer",
    "AnswerRound",
    "AuditEvent",
    "Comment",
    "Decision",
    "Estimate",
    "ImmutableSnapshotError",
    "Invite",
    "Kind",
    "Membership",
    "ModelPrice",
    "NotificationOptOut",
    "Outbox",
    "Outcome",
    "OutcomeMetric",
    "PersonalAnswer",
    "Project",
    "Recommendation",
    "Respondent",
    "Role",
    "Settlement",
    "ShareLink",
    "StatusChange",
    "Team",
]
