"""An outcome: what was shipped, when, how it went, and its metrics in rows of their own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from crispy_forms.layout import Div, Layout
from django import forms
from django.utils import timezone

from advisor.domain.outcome_rules import ship_date_error
from advisor.forms.helpers import form_helper
from advisor.models import OUTCOME_NOTES_MAX_LENGTH, Outcome, OutcomeMetric

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
        self.helper = form_helper()

    def clean_shipped_on(self) -> date:
        shipped_on = self.cleaned_data["shipped_on"]
        if error := ship_date_error(shipped_on, today=timezone.localdate()):
            raise forms.ValidationError(error)
        return shipped_on


class MetricForm(forms.Form):
    """One metric row. A row left empty is ignored; a half-filled one says what is missing.
    A row offered for one of the decision's pilot metrics (`pilot`, hidden) is ignored while
    its value is empty, so a team records only the figures it measured."""

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
    pilot = forms.CharField(
        required=False,
        max_length=OutcomeMetric._meta.get_field("pilot_key").max_length,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, pilot_keys: Sequence[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pilot_keys = pilot_keys
        self.helper = form_helper()
        self.helper.layout = Layout(
            Div(
                Div("name", css_class="col-sm-6"),
                Div("value", css_class="col-sm-3"),
                Div("unit", css_class="col-sm-3"),
                "pilot",
                css_class="row g-2",
            )
        )

    def clean(self) -> dict:
        data = super().clean()
        name, value, unit = data.get("name"), data.get("value"), data.get("unit")
        pilot = data.get("pilot")
        if pilot and pilot not in self.pilot_keys:
            self.add_error("name", "This row no longer matches a pilot metric: clear it.")
        if pilot and value is None:
            return data
        if name and value is None and "value" not in self.errors:
            self.add_error("value", "Enter the value of this metric, or clear its name.")
        if not name and (value is not None or unit or "value" in self.errors):
            self.add_error("name", "Name this metric, or clear the row.")
        return data

    @property
    def metric(self) -> tuple[str, Decimal, str, str] | None:
        """The row as outcome_record takes it; None for a row left empty (or a pilot row
        with no value)."""
        data = self.cleaned_data
        if not data.get("name") or data.get("value") is None:
            return None
        return (data["name"], data["value"], data["unit"], data.get("pilot", ""))


MetricFormSet = forms.formset_factory(
    MetricForm, extra=METRIC_ROWS, max_num=MAX_METRICS, validate_max=True
)


def metric_formset(
    data=None, *, pilot_metrics: Sequence[Mapping[str, Any]] = ()
) -> forms.BaseFormSet:
    """The metric rows: first one per pilot metric of the decision's snapshot (its label and
    unit filled in, the value left to the team), then METRIC_ROWS empty ones."""
    too_many = {"too_many_forms": f"Record at most {MAX_METRICS} metrics at a time."}
    initial = [
        {"name": metric["label"], "unit": metric["unit"], "pilot": metric["key"]}
        for metric in pilot_metrics
    ]
    return MetricFormSet(
        data,
        initial=initial,
        prefix=METRICS_PREFIX,
        error_messages=too_many,
        form_kwargs={"pilot_keys": [metric["key"] for metric in pilot_metrics]},
    )


def as_typed(form: forms.Form) -> dict[str, object]:
    """A bound form's values as the user typed them, unchecked: to show them again
    without error messages."""
    return {name: form[name].value() for name in form.fields}


def outcome_forms_with_more_rows(
    data, *, pilot_metrics: Sequence[Mapping[str, Any]] = ()
) -> tuple[OutcomeForm, forms.BaseFormSet]:
    """The outcome form as typed, and its metric rows as typed plus METRIC_ROWS empty ones,
    unbound so that nothing is checked yet (the user has not asked to save)."""
    typed = metric_formset(data, pilot_metrics=pilot_metrics)
    formset = MetricFormSet(
        initial=[as_typed(row) for row in typed],
        prefix=METRICS_PREFIX,
        form_kwargs={"pilot_keys": [metric["key"] for metric in pilot_metrics]},
    )
    return OutcomeForm(initial=as_typed(OutcomeForm(data))), formset
