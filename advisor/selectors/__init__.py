"""Every read Advisor makes, by subject, scoped to the user's teams.

Views import this package (`selectors.decision_get(...)`); the modules hold one subject each.
`access` is the one place where access is scoped: every object a request names by id is
fetched through it, and the other reads start from what it found. `documents` (a saved
decision as a plain document) and `permissions` (what each role may do) are imported by
their module names.
"""

from advisor.selectors.access import (
    User,
    decision_get,
    decisions_visible_to,
    has_two_factor,
    project_get,
    projects_visible_to,
    team_get,
    teams_of,
)
from advisor.selectors.accounts import AccountDeletion, account_data, account_deletion
from advisor.selectors.audit import ACTIVITY_LIMIT, TEAM_ACTIONS, project_activity, team_activity
from advisor.selectors.comments import comment_get
from advisor.selectors.dashboard import OVERDUE_LIST_LIMIT, Tally, period_start, team_dashboard
from advisor.selectors.decisions import (
    decision_answers,
    decision_followups,
    decision_refine_answers,
    refine_value,
    refine_values,
    refinement_of,
)
from advisor.selectors.estimates import (
    decision_numbers,
    estimate_build,
    estimate_defaults,
    price_chosen,
    price_default,
    price_named,
    price_row,
    price_warnings,
    prices_offered,
    saved_estimate,
    tuned_price_chosen,
)
from advisor.selectors.exports import decision_for_export, project_export_rows
from advisor.selectors.history import (
    project_authors,
    project_history,
    project_timeline,
    project_timeline_count,
)
from advisor.selectors.lifecycle import (
    REVIEW_SOON_DAYS,
    REVIEW_WINDOWS,
    decision_status_history,
    decision_supersede_links,
    project_overdue_reviews,
    review_window,
    reviews_due,
    reviews_overdue,
    supersede_candidates,
    team_reviews,
)
from advisor.selectors.notifications import (
    decision_participants,
    notification_is_off,
    notification_kinds_off,
    team_accepted_invites,
    team_digest_recipients,
)
from advisor.selectors.outcomes import PILOT_RESULTS, outcome_get, pilot_results
from advisor.selectors.projects import project_decision_count, project_list
from advisor.selectors.revisits import (
    COMPARED_FIELDS,
    decision_revisits,
    decisions_compared,
    project_completed_decisions,
)
from advisor.selectors.rounds import (
    RoundView,
    answer_title,
    document_unsettled,
    respondent_get,
    round_document,
    round_of,
    round_spread,
    round_unsettled,
    round_view,
)
from advisor.selectors.search import decision_search, decisions_matching, search_teams
from advisor.selectors.sharing import (
    share_document,
    share_link_get,
    share_link_open,
    share_links,
    share_recommendation,
)
from advisor.selectors.teams import (
    invite_get,
    invite_open,
    membership_get,
    team_counts,
    team_has_member,
    team_list,
    team_members,
    team_pending_invites,
    teams_for_new_project,
)

__all__ = [
    "ACTIVITY_LIMIT",
    "COMPARED_FIELDS",
    "OVERDUE_LIST_LIMIT",
    "PILOT_RESULTS",
    "REVIEW_SOON_DAYS",
    "REVIEW_WINDOWS",
    "TEAM_ACTIONS",
    "AccountDeletion",
    "RoundView",
    "Tally",
    "User",
    "account_data",
    "account_deletion",
    "answer_title",
    "comment_get",
    "decision_answers",
    "decision_followups",
    "decision_for_export",
    "decision_get",
    "decision_numbers",
    "decision_participants",
    "decision_refine_answers",
    "decision_revisits",
    "decision_search",
    "decision_status_history",
    "decision_supersede_links",
    "decisions_compared",
    "decisions_matching",
    "decisions_visible_to",
    "document_unsettled",
    "estimate_build",
    "estimate_defaults",
    "has_two_factor",
    "invite_get",
    "invite_open",
    "membership_get",
    "notification_is_off",
    "notification_kinds_off",
    "outcome_get",
    "period_start",
    "pilot_results",
    "price_chosen",
    "price_default",
    "price_named",
    "price_row",
    "price_warnings",
    "prices_offered",
    "project_activity",
    "project_authors",
    "project_completed_decisions",
    "project_decision_count",
    "project_export_rows",
    "project_get",
    "project_history",
    "project_list",
    "project_overdue_reviews",
    "project_timeline",
    "project_timeline_count",
    "projects_visible_to",
    "refine_value",
    "refine_values",
    "refinement_of",
    "respondent_get",
    "review_window",
    "reviews_due",
    "reviews_overdue",
    "round_document",
    "round_of",
    "round_spread",
    "round_unsettled",
    "round_view",
    "saved_estimate",
    "search_teams",
    "share_document",
    "share_link_get",
    "share_link_open",
    "share_links",
    "share_recommendation",
    "supersede_candidates",
    "team_accepted_invites",
    "team_activity",
    "team_counts",
    "team_dashboard",
    "team_digest_recipients",
    "team_get",
    "team_has_member",
    "team_list",
    "team_members",
    "team_pending_invites",
    "team_reviews",
    "teams_for_new_project",
    "teams_of",
    "tuned_price_chosen",
]
