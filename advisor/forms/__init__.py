from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format

from advisor.domain import costs
from advisor.domain.engine import APPROACH_LABELS
from advisor.domain.outcome_rules import ship_date_error
from advisor.domain.questions import Question
from advisor.models import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OUTCOME_NOTES_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Decision,
    Invite,
    ModelPrice,
    Outcome,
    OutcomeMetric,
    Project,
    Role,
    Team,
)
from advisor.services import COMMENT_EMPTY, COMMENT_TOO_LONG, SHARE_EXPIRY_DAYS
from advisor.services.lifecycle import DATE_IN_THE_PAST


def _helper() -> FormHelper:
    # The templates write the <form> tag themselves, with its htmx attributes and buttons.
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ProjectForm(forms.ModelForm):
    """A new project, in one of the teams where the user may create projects."""

    class Meta:
        model = Project
        fields = ["team", "name", "description"]
        labels = {"name": "Project name"}
        help_texts = {
            "team": "Everyone in this team will see the project and its decisions.",
            "description": "Optional: what the product does and who uses it.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "team": {
                "required": "Choose the team the project belongs to.",
                "invalid_choice": "Choose one of your teams where you are an editor or owner.",
            }
        }

    def __init__(self, *args, teams=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "team" in self.fields:
            self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
            self.fields["team"].empty_label = None
        self.helper = _helper()


class ProjectEditForm(ProjectForm):
    class Meta(ProjectForm.Meta):
        fields = ["name", "description", "archived"]
        help_texts = {
            **ProjectForm.Meta.help_texts,
            "archived": "Archived projects leave the main list; their decisions are kept.",
        }


class DecisionStartForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["title"]
        labels = {"title": "What are you deciding?"}
        help_texts = {
            "title": "For example “Support bot answers”. Leave it empty to use today's date."
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.helper = _helper()


class AnswerForm(forms.Form):
    """One wizard step: a choice among the question's answers and an optional note.

    Rendered by hand in templates/advisor/decision_wizard.html, not by crispy.
    """

    value = forms.ChoiceField(widget=forms.RadioSelect)
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note (optional)",
        help_text="Context for whoever reads this decision later, such as a figure or a source.",
    )

    def __init__(self, *args, question: Question, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        value = self.fields["value"]
        value.label = question.prompt
        value.help_text = question.help
        # The wizard template writes the radios out from `question.choices` itself.
        value.choices = [(choice.value, choice.label) for choice in question.choices]
        value.error_messages = {
            "required": "Choose one of the answers to continue.",
            "invalid_choice": "That is not one of the answers offered; choose one of those shown.",
        }
        self.fields["note"].error_messages["max_length"] = (
            f"Keep the note to {NOTE_MAX_LENGTH:,} characters or fewer."
        )


NEVER = "never"


class ShareForm(forms.Form):
    expires = forms.TypedChoiceField(
        label="Link works for",
        choices=[
            (days or NEVER, f"{days} days" if days else "Until revoked")
            for days in SHARE_EXPIRY_DAYS
        ],
        coerce=lambda value: None if value == NEVER else int(value),
        initial=30,
        error_messages={
            "required": "Choose how long the link should work.",
            "invalid_choice": "Choose one of the lengths offered.",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]
        labels = {"name": "Team name"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class InviteForm(forms.ModelForm):
    class Meta:
        model = Invite
        fields = ["role", "note"]
        labels = {"role": "Role", "note": "Who is it for? (optional)"}
        help_texts = {"note": "Only your team sees this, to tell pending invites apart."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label="Role")


class PriceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ModelPrice) -> str:
        return f"{obj.model} (prices of {obj.as_of:%-d %b %Y})"


class EstimateForm(forms.Form):
    """The optional numbers step. Figures arrive as text and are read by the cost model,
    whose errors land on their fields; a blank figure takes its default."""

    price = PriceChoiceField(
        queryset=ModelPrice.objects.all(),
        label="Model and price list",
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the models in the price table."},
    )
    rerank = forms.BooleanField(
        required=False,
        label="Rerank the retrieved passages",
        help_text="Better passages, 100 to 400 ms more per request.",
    )
    # Which model's prices fill the price fields, to tell a change of model from an edit.
    loaded_price = forms.CharField(required=False, widget=forms.HiddenInput)
    latency_target_ms = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=600_000,
        label="Latency target (ms, optional)",
        help_text="How long a user may wait for the first words of an answer.",
    )

    def __init__(self, *args, defaults: dict[str, object], price: ModelPrice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        dated = f"Price table: {price.model}, recorded {price.as_of:%-d %b %Y}."
        for name in costs.NUMERIC_FIELDS:
            spec = costs.FIELDS[name]
            self.fields[name] = forms.CharField(
                label=spec.label,
                required=False,
                initial=defaults.get(name),
                max_length=40,
                help_text=dated if name in costs.PRICE_FIELDS else "",
                widget=forms.TextInput(attrs={"inputmode": "numeric" if spec.whole else "decimal"}),
            )
        self.helper = _helper()

    def figures(self) -> dict[str, str]:
        """The entered figures, for costs.Estimate.from_mapping."""
        return {name: self.cleaned_data.get(name, "") for name in costs.NUMERIC_FIELDS}

    def add_estimate_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


class CompareForm(forms.Form):
    """Two of a project's completed decisions; the earlier one is shown as "before"."""

    CHOICE_ERRORS = {
        "required": "Choose a decision.",
        "invalid_choice": "Choose one of this project's completed decisions.",
    }
    a = forms.TypedChoiceField(label="First decision", coerce=int, error_messages=CHOICE_ERRORS)
    b = forms.TypedChoiceField(label="Second decision", coerce=int, error_messages=CHOICE_ERRORS)

    def __init__(self, *args, decisions: list[Decision], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(decision.pk, _decision_choice(decision)) for decision in decisions]
        self.fields["a"].choices = self.fields["b"].choices = choices
        if not self.is_bound and decisions:
            # Unless the link named them: the newest against the one before it.
            ids = [str(decision.pk) for decision in decisions]
            first = str(self.initial.get("a") or ids[min(1, len(ids) - 1)])
            second = str(self.initial.get("b") or next((i for i in ids if i != first), first))
            self.initial = {"a": first, "b": second}
        self.helper = _helper()

    def pair(self) -> tuple[int, int]:
        return self.cleaned_data["a"], self.cleaned_data["b"]


def _decision_choice(decision: Decision) -> str:
    completed = date_format(timezone.localtime(decision.completed_at), "j M Y")
    approach = APPROACH_LABELS.get(decision.approach, decision.approach)
    return f"{decision.title} · {completed} · {approach}"


IMPORT_MAX_BYTES = 256 * 1024


def _no_constant(name: str) -> None:
    # NaN and Infinity are not JSON, though Python's parser reads them; no database stores them.
    raise ValueError(f"{name} is not a JSON number")


class DecisionImportForm(forms.Form):
    """A decision exported as JSON from Advisor, to add to this project."""

    file = forms.FileField(
        label="Exported decision (JSON)",
        help_text="The .json file from a decision's “Download as JSON” link, up to 256 KB.",
        error_messages={
            "required": "Choose the JSON file to import.",
            "empty": "That file is empty.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_file(self) -> dict:
        """The file's JSON object, as `document`; the service checks what is inside."""
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("That file is larger than 256 KB: it is not one of ours.")
        try:
            document = json.loads(upload.read().decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise forms.ValidationError(
                "That file is not JSON: choose a decision's .json export."
            ) from error
        if not isinstance(document, dict):
            raise forms.ValidationError("This is not a decision exported from Advisor.")
        self.cleaned_data["document"] = document
        return upload


# --- history, search and the team dashboard ---

IN_PROGRESS = Decision.Status.IN_PROGRESS.value
DATE_ERROR = "Enter a date as year-month-day, like 2026-03-31."


class HistoryFilterForm(forms.Form):
    """The project timeline's filters, read from the query string. Every field is optional;
    an invalid one is reported next to it and left out of the filtering."""

    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), (IN_PROGRESS, "In progress"), *Decision.Lifecycle.choices],
        error_messages={"invalid_choice": "Choose one of the statuses offered."},
    )
    approach = forms.ChoiceField(
        required=False,
        label="Approach",
        choices=[("", "Any approach"), *((a.value, label) for a, label in APPROACH_LABELS.items())],
        error_messages={"invalid_choice": "Choose one of the approaches offered."},
    )
    author = forms.TypedChoiceField(
        required=False,
        label="Started by",
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of the people offered."},
    )
    started_from = forms.DateField(
        required=False,
        label="Started from",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": DATE_ERROR},
    )
    started_to = forms.DateField(
        required=False,
        label="Started to",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": DATE_ERROR},
    )

    def __init__(self, *args, authors: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author"].choices = [("", "Anyone"), *authors]
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(*(Column(name, css_class="col-sm-6 col-lg") for name in self.fields))
        )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("started_from"), data.get("started_to")
        if start and end and end < start:
            self.add_error("started_to", "This date is before the “Started from” date.")
        return data

    def filters(self) -> dict:
        """The valid filters that were set, by field name; call after is_valid()."""
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in ("", None)}


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Words to find",
        help_text="Decisions whose title, an answer's note or a comment holds every word.",
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": "Keep the search to 200 characters or fewer."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


# --- lifecycle ---


def _reason_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why (optional)",
        help_text="Kept in the status history for whoever reads this decision later.",
        error_messages={
            "max_length": f"Keep the reason to {REASON_MAX_LENGTH:,} characters or fewer."
        },
    )


def _review_date_field(**kwargs) -> forms.DateField:
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Choose the date when the team should review this decision.",
            "invalid": "Enter the date as year-month-day, for example 2027-03-31.",
        },
        **kwargs,
    )


def _not_in_the_past(day: date | None) -> date | None:
    if day is not None and day < timezone.localdate():
        raise forms.ValidationError(DATE_IN_THE_PAST)
    return day


class StatusForm(forms.Form):
    """A status change. The status comes from the button pressed (Accept, Reject, ...)."""

    to_status = forms.ChoiceField(
        choices=Decision.Lifecycle.choices,
        error_messages={
            "required": "Choose one of the status buttons.",
            "invalid_choice": "Choose one of the status buttons.",
        },
    )
    reason = _reason_field()
    review_by = _review_date_field(required=False, label="Review by (optional, when accepting)")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="status_%s", **kwargs)

    def clean_review_by(self) -> date | None:
        return _not_in_the_past(self.cleaned_data["review_by"])


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.title} ({obj.get_lifecycle_display().lower()})"


class SupersedeForm(forms.Form):
    replaced_by = DecisionChoiceField(
        queryset=Decision.objects.none(),
        label="Superseded by",
        empty_label="Choose a decision",
        error_messages={
            "required": "Choose the decision that replaces this one.",
            "invalid_choice": "Choose one of the decisions offered.",
        },
    )
    reason = _reason_field()

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, auto_id="supersede_%s", **kwargs)
        self.fields["replaced_by"].queryset = candidates


class ReviewDateForm(forms.Form):
    review_by = _review_date_field(label="Review by")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="review_%s", **kwargs)

    def clean_review_by(self) -> date | None:
        return _not_in_the_past(self.cleaned_data["review_by"])


# --- Outcomes and comments --------------------------------------------------------------------

METRICS_PREFIX = "metrics"
# Empty metric rows offered at first, and again each time "Add more metric rows" is pressed.
METRIC_ROWS = 3
MAX_METRICS = 50
_METRIC_VALUE = OutcomeMetric._meta.get_field("value")
_WHOLE_DIGITS = _METRIC_VALUE.max_digits - _METRIC_VALUE.decimal_places


class OutcomeForm(forms.ModelForm):
    """What was shipped, when, and how it went in words; the metrics come in their own rows."""

    class Meta:
        model = Outcome
        fields = ["approach", "shipped_on", "notes"]
        labels = {
            "approach": "Approach actually shipped",
            "shipped_on": "Shipped on",
            "notes": "What happened (optional)",
        }
        help_texts = {
            "shipped_on": "The day it reached users; today or earlier.",
            "notes": "What went well, what hurt, what you would do again.",
        }
        widgets = {
            "shipped_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "approach": {
                "required": "Choose the approach you shipped.",
                "invalid_choice": "Choose one of the approaches offered.",
            },
            "shipped_on": {
                "required": "Enter the day it shipped.",
                "invalid": "Enter the day it shipped as a date, such as 2026-03-31.",
            },
            "notes": {
                "max_length": f"Keep the notes to {OUTCOME_NOTES_MAX_LENGTH:,} characters or fewer."
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Always one of the approaches: no empty "select an option" line.
        self.fields["approach"].choices = Outcome._meta.get_field("approach").choices
        self.helper = _helper()

    def clean_shipped_on(self) -> date:
        shipped_on = self.cleaned_data["shipped_on"]
        if error := ship_date_error(shipped_on, today=timezone.localdate()):
            raise forms.ValidationError(error)
        return shipped_on


class MetricForm(forms.Form):
    """One metric row. A row left empty is ignored; a half-filled one says what is missing."""

    name = forms.CharField(
        required=False,
        max_length=OutcomeMetric._meta.get_field("name").max_length,
        label="Metric",
    )
    value = forms.DecimalField(
        required=False,
        max_digits=_METRIC_VALUE.max_digits,
        decimal_places=_METRIC_VALUE.decimal_places,
        label="Value",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter a number, such as 640 or 0.87.",
            "max_digits": f"Keep the number to {_METRIC_VALUE.max_digits} digits.",
            "max_decimal_places": (
                f"Use at most {_METRIC_VALUE.decimal_places} digits after the point."
            ),
            "max_whole_digits": f"Keep to {_WHOLE_DIGITS} digits before the point.",
        },
    )
    unit = forms.CharField(
        required=False,
        max_length=OutcomeMetric._meta.get_field("unit").max_length,
        label="Unit (optional)",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            Div(
                Div("name", css_class="col-sm-6"),
                Div("value", css_class="col-sm-3"),
                Div("unit", css_class="col-sm-3"),
                css_class="row g-2",
            )
        )

    def clean(self) -> dict:
        data = super().clean()
        name, value, unit = data.get("name"), data.get("value"), data.get("unit")
        if name and value is None and "value" not in self.errors:
            self.add_error("value", "Enter the value of this metric, or clear its name.")
        if not name and (value is not None or unit or "value" in self.errors):
            self.add_error("name", "Name this metric, or clear the row.")
        return data

    @property
    def metric(self) -> tuple[str, Decimal, str] | None:
        """The row as outcome_record takes it; None for a row left empty."""
        data = self.cleaned_data
        return (data["name"], data["value"], data["unit"]) if data.get("name") else None


MetricFormSet = forms.formset_factory(
    MetricForm, extra=METRIC_ROWS, max_num=MAX_METRICS, validate_max=True
)


def metric_formset(data=None) -> forms.BaseFormSet:
    too_many = {"too_many_forms": f"Record at most {MAX_METRICS} metrics at a time."}
    return MetricFormSet(data, prefix=METRICS_PREFIX, error_messages=too_many)


def as_typed(form: forms.Form) -> dict[str, object]:
    """A bound form's values as the user typed them, unchecked: to show them again
    without error messages."""
    return {name: form[name].value() for name in form.fields}


def outcome_forms_with_more_rows(data) -> tuple[OutcomeForm, forms.BaseFormSet]:
    """The outcome form as typed, and its metric rows as typed plus METRIC_ROWS empty ones,
    unbound so that nothing is checked yet (the user has not asked to save)."""
    typed = metric_formset(data)
    formset = MetricFormSet(initial=[as_typed(row) for row in typed], prefix=METRICS_PREFIX)
    return OutcomeForm(initial=as_typed(OutcomeForm(data))), formset


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        help_text="Plain text; line breaks are kept. Everyone in the team can read it.",
        # The length is checked after line breaks are counted as one character, as the
        # browser counts them for maxlength.
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        error_messages={"required": COMMENT_EMPTY},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if len(body) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(COMMENT_TOO_LONG)
        return body
