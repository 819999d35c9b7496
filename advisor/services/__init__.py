"""Every write Advisor makes: keyword-only arguments, one transaction each.

Views import this package (`services.answer_save(...)`); the modules hold one subject each.
"""

from advisor.domain.refusals import DecisionAlreadyComplete, Refused
from advisor.services.accounts import account_delete, account_delete_refusal
from advisor.services.comments import (
    COMMENT_EMPTY,
    COMMENT_TOO_LONG,
    NotTheAuthor,
    comment_add,
    comment_delete,
)
from advisor.services.decisions import (
    Submitted,
    answer_save,
    answer_submit,
    decision_complete,
    decision_start,
    project_create,
    project_delete,
    project_update,
    refine_save,
)
from advisor.services.digests import digests_send, team_digest_send
from advisor.services.estimates import estimate_remove, estimate_save
from advisor.services.exports import decision_import
from advisor.services.lifecycle import (
    decision_review_date_set,
    decision_status_change,
    decision_supersede,
)
from advisor.services.notifications import (
    account_email_send,
    comment_notify,
    decision_completed_notify,
    invite_notify,
    notification_settings_save,
    notification_unsubscribe,
    notify,
    site_url,
    unsubscribe_url,
    webhook_post,
)
from advisor.services.outbox import outbox_add, outbox_requeue_stale, outbox_send
from advisor.services.outcomes import outcome_delete, outcome_record
from advisor.services.prices import (
    SHIPPED_PRICES,
    PricesLoaded,
    prices_load,
    prices_load_file,
)
from advisor.services.revisits import decision_revisit
from advisor.services.round_notifications import deadline_reminders_send
from advisor.services.rounds import (
    question_settle,
    respondent_refusal,
    round_ask,
    round_close,
    round_submit,
    wizard_respondent,
)
from advisor.services.sharing import (
    SHARE_EXPIRY_DAYS,
    share_create,
    share_record_visit,
    share_revoke,
)
from advisor.services.teams import (
    InviteNotUsable,
    invite_accept,
    invite_create,
    invite_revoke,
    membership_change_role,
    membership_remove,
    team_create,
    team_create_personal,
    team_delete,
    team_settings_update,
)

__all__ = [
    "COMMENT_EMPTY",
    "COMMENT_TOO_LONG",
    "SHARE_EXPIRY_DAYS",
    "SHIPPED_PRICES",
    "DecisionAlreadyComplete",
    "InviteNotUsable",
    "NotTheAuthor",
    "PricesLoaded",
    "Refused",
    "Submitted",
    "account_delete",
    "account_delete_refusal",
    "account_email_send",
    "answer_save",
    "answer_submit",
    "comment_add",
    "comment_delete",
    "comment_notify",
    "deadline_reminders_send",
    "decision_complete",
    "decision_completed_notify",
    "decision_import",
    "decision_review_date_set",
    "decision_revisit",
    "decision_start",
    "decision_status_change",
    "decision_supersede",
    "digests_send",
    "estimate_remove",
    "estimate_save",
    "invite_accept",
    "invite_create",
    "invite_notify",
    "invite_revoke",
    "membership_change_role",
    "membership_remove",
    "notification_settings_save",
    "notification_unsubscribe",
    "notify",
    "outbox_add",
    "outbox_requeue_stale",
    "outbox_send",
    "outcome_delete",
    "outcome_record",
    "prices_load",
    "prices_load_file",
    "project_create",
    "project_delete",
    "project_update",
    "question_settle",
    "refine_save",
    "respondent_refusal",
    "round_ask",
    "round_close",
    "round_submit",
    "share_create",
    "share_record_visit",
    "share_revoke",
    "site_url",
    "team_create",
    "team_create_personal",
    "team_delete",
    "team_digest_send",
    "team_settings_update",
    "unsubscribe_url",
    "webhook_post",
    "wizard_respondent",
]
