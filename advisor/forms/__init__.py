"""The forms, by subject: the same names as views/ and services/.

Views import the classes from this package (`from advisor.forms import AnswerForm`).
"""

from advisor.forms.accounts import AccountDeleteForm
from advisor.forms.comments import CommentForm
from advisor.forms.decisions import AnswerForm, DecisionStartForm, RefineForm
from advisor.forms.estimates import EstimateForm, PriceChoiceField
from advisor.forms.exports import IMPORT_MAX_BYTES, DecisionImportForm
from advisor.forms.history import (
    DATE_ERROR,
    IN_PROGRESS,
    PERIOD_LABELS,
    PERIODS,
    DashboardPeriodForm,
    HistoryFilterForm,
    SearchForm,
)
from advisor.forms.lifecycle import DecisionChoiceField, ReviewDateForm, StatusForm, SupersedeForm
from advisor.forms.notifications import NotificationSettingsForm
from advisor.forms.outcomes import (
    MAX_METRICS,
    METRIC_ROWS,
    METRICS_PREFIX,
    MetricForm,
    MetricFormSet,
    OutcomeForm,
    as_typed,
    metric_formset,
    outcome_forms_with_more_rows,
)
from advisor.forms.projects import ProjectEditForm, ProjectForm
from advisor.forms.revisits import CompareForm
from advisor.forms.rounds import AskForm, SettleForm
from advisor.forms.sharing import NEVER, ShareForm
from advisor.forms.teams import InviteForm, RoleForm, TeamForm, TeamSettingsForm

__all__ = [
    "DATE_ERROR",
    "IMPORT_MAX_BYTES",
    "IN_PROGRESS",
    "MAX_METRICS",
    "METRICS_PREFIX",
    "METRIC_ROWS",
    "NEVER",
    "PERIODS",
    "PERIOD_LABELS",
    "AccountDeleteForm",
    "AnswerForm",
    "AskForm",
    "CommentForm",
    "CompareForm",
    "DashboardPeriodForm",
    "DecisionChoiceField",
    "DecisionImportForm",
    "DecisionStartForm",
    "EstimateForm",
    "HistoryFilterForm",
    "InviteForm",
    "MetricForm",
    "MetricFormSet",
    "NotificationSettingsForm",
    "OutcomeForm",
    "PriceChoiceField",
    "ProjectEditForm",
    "ProjectForm",
    "RefineForm",
    "ReviewDateForm",
    "RoleForm",
    "SearchForm",
    "SettleForm",
    "ShareForm",
    "StatusForm",
    "SupersedeForm",
    "TeamForm",
    "TeamSettingsForm",
    "as_typed",
    "metric_formset",
    "outcome_forms_with_more_rows",
]
