"""The lifecycle of a completed decision: a status change, the decision that
supersedes it, and its review date."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from advisor.forms.helpers import IdChoiceField, LeanFields
from advisor.models import REASON_MAX_LENGTH, Decision
from advisor.services.lifecycle import DATE_IN_THE_PAST


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


class StatusForm(LeanFields, forms.Form):
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


class DecisionChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.title} ({obj.get_lifecycle_display().lower()})"


class SupersedeForm(LeanFields, forms.Form):
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


class ReviewDateForm(LeanFields, forms.Form):
    review_by = _review_date_field(label="Review by")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="review_%s", **kwargs)

    def clean_review_by(self) -> date | None:
        return _not_in_the_past(self.cleaned_data["review_by"])
