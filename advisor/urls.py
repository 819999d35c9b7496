from django.urls import path
from django.views.generic import RedirectView

from advisor import api
from advisor.views import (
    accounts,
    comments,
    decisions,
    estimates,
    exports,
    history,
    lifecycle,
    notifications,
    outcomes,
    projects,
    revisits,
    rounds,
    sharing,
    teams,
)

app_name = "advisor"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="advisor:project_list"), name="home"),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", projects.project_delete, name="project_delete"),
    path("projects/<int:pk>/decisions/new/", decisions.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/step/<int:step>/", decisions.decision_step, name="decision_step"),
    path("decisions/<int:pk>/refine/", decisions.decision_refine, name="decision_refine"),
    path("decisions/<int:pk>/review/", decisions.decision_review, name="decision_review"),
    path("decisions/<int:pk>/estimate/", estimates.decision_estimate, name="decision_estimate"),
    path("decisions/<int:pk>/complete/", decisions.decision_complete, name="decision_complete"),
    # Answering as a team: ask, submit one's own answers, close, settle.
    path("decisions/<int:pk>/ask/", rounds.round_ask, name="round_ask"),
    path("decisions/<int:pk>/submit/", rounds.round_submit, name="round_submit"),
    path("decisions/<int:pk>/close/", rounds.round_close, name="round_close"),
    path("decisions/<int:pk>/settle/", rounds.question_settle, name="question_settle"),
    path("decisions/<int:pk>/shares/", sharing.share_create, name="share_create"),
    path(
        "decisions/<int:pk>/shares/<int:link_pk>/revoke/",
        sharing.share_revoke,
        name="share_revoke",
    ),
    # Revisit and compare.
    path("decisions/<int:pk>/revisit/", revisits.decision_revisit, name="decision_revisit"),
    path("projects/<int:pk>/compare/", revisits.project_compare, name="project_compare"),
    path("decisions/<int:pk>/outcomes/", outcomes.outcome_create, name="outcome_create"),
    path(
        "decisions/<int:pk>/outcomes/<int:outcome_pk>/delete/",
        outcomes.outcome_delete,
        name="outcome_delete",
    ),
    path("decisions/<int:pk>/comments/", comments.comment_create, name="comment_create"),
    path(
        "decisions/<int:pk>/comments/<int:comment_pk>/delete/",
        comments.comment_delete,
        name="comment_delete",
    ),
    # Any token reaches the view, malformed ones too, so every miss gets the same 404.
    path("s/<str:token>/", sharing.share_page, name="share_page"),
    path("s/<str:token>.json", sharing.share_json, name="share_json"),
    # Exports and import.
    path("decisions/<int:pk>/export.md", exports.decision_export_md, name="decision_export_md"),
    path(
        "decisions/<int:pk>/export.json", exports.decision_export_json, name="decision_export_json"
    ),
    path("projects/<int:pk>/export.csv", exports.project_export_csv, name="project_export_csv"),
    path("projects/<int:pk>/import/", exports.decision_import, name="decision_import"),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/delete/", teams.team_delete, name="team_delete"),
    path("teams/<int:pk>/settings/", teams.team_settings, name="team_settings"),
    path("teams/<int:pk>/invites/", teams.invite_create, name="invite_create"),
    path(
        "teams/<int:pk>/invites/<int:invite_pk>/revoke/",
        teams.invite_revoke,
        name="invite_revoke",
    ),
    path("teams/<int:pk>/members/<int:member_pk>/role/", teams.member_role, name="member_role"),
    path(
        "teams/<int:pk>/members/<int:member_pk>/remove/",
        teams.member_remove,
        name="member_remove",
    ),
    path("invites/<str:token>/", teams.invite_accept, name="invite_accept"),
    path("api/v1/evaluate", api.evaluate, name="api_evaluate"),
    path("api/v1/schemas/<slug:name>.json", api.schema, name="api_schema"),
    # History: search across the user's teams and a team's dashboard.
    path("search/", history.search, name="search"),
    path("teams/<int:pk>/dashboard/", history.team_dashboard, name="team_dashboard"),
    # --- lifecycle: status, supersede, review date, and the team's due reviews ---
    path("decisions/<int:pk>/status/", lifecycle.decision_status, name="decision_status"),
    path("decisions/<int:pk>/supersede/", lifecycle.decision_supersede, name="decision_supersede"),
    path(
        "decisions/<int:pk>/review-date/",
        lifecycle.decision_review_date,
        name="decision_review_date",
    ),
    path("teams/<int:pk>/reviews/", lifecycle.team_reviews, name="team_reviews"),
    # --- notifications: each person's email settings, and the link in every email ---
    path("settings/emails/", notifications.notification_settings, name="notification_settings"),
    path("unsubscribe/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
    # --- the signed-in person's own account: its page, their data, deleting it ---
    path("settings/account/", accounts.account, name="account"),
    path("settings/account/data.json", accounts.account_data, name="account_data"),
    path("settings/account/delete/", accounts.account_delete, name="account_delete"),
]
