"""Looking back: the project timeline's filters, the search box with its filters, and the
team dashboard's period."""

from __future__ import annotations

from django import forms

from advisor.domain.engine import Approach
from advisor.forms.helpers import IdChoiceField, LeanFields
from advisor.models import Decision, Team
from advisor.selectors import PILOT_RESULTS, REVIEW_WINDOWS

IN_PROGRESS = Decision.Status.IN_PROGRESS.value
DATE_ERROR = "Enter a date as year-month-day, like 2026-03-31."


def _date_field(label: str) -> forms.DateField:
    """An optional date filter, typed with the browser's date picker."""
    return forms.DateField(
        required=False,
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": DATE_ERROR},
    )


def _approach_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        required=False,
        label="Approach",
        choices=[("", "Any approach"), *Approach.choices()],
        error_messages={"invalid_choice": "Choose one of the approaches offered."},
    )


class HistoryFilterForm(LeanFields, forms.Form):
    """The project timeline's filters, read from the query string. Every field is optional;
    an invalid one is reported next to it and left out of the filtering."""

    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), (IN_PROGRESS, "In progress"), *Decision.Lifecycle.choices],
        error_messages={"invalid_choice": "Choose one of the statuses offered."},
    )
    approach = _approach_field()
    author = forms.TypedChoiceField(
        required=False,
        label="Started by",
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of the people offered."},
    )
    started_from = _date_field("Started from")
    started_to = _date_field("Started to")

    def __init__(self, *args, authors: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author"].choices = [("", "Anyone"), *authors]

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


def _set_filters(form: forms.Form, names: tuple[str, ...]) -> dict:
    """The valid filters among `names` that were set, by field name; after is_valid()."""
    data = getattr(form, "cleaned_data", {})
    return {name: data[name] for name in names if data.get(name) not in ("", None)}


class SearchForm(LeanFields, forms.Form):
    """The words to find and the filters beside them. With filters and no words, the
    decisions the filters select are listed: the team dashboard's bars link here that way."""

    FILTERS = (
        "team",
        "status",
        "approach",
        "completed_from",
        "completed_to",
        "review",
        "pilot",
    )

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Words to find",
        help_text="Decisions whose title, an answer's note or a comment holds every word.",
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": "Keep the search to 200 characters or fewer."},
    )
    team = IdChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label="All your teams",
        error_messages={"invalid_choice": "Choose one of your teams."},
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *Decision.Lifecycle.choices],
        error_messages={"invalid_choice": "Choose one of the statuses offered."},
    )
    approach = _approach_field()
    completed_from = _date_field("Completed from")
    completed_to = _date_field("Completed to")
    review = forms.ChoiceField(
        required=False,
        label="Review",
        choices=[("", "Any review date"), *REVIEW_WINDOWS.items()],
        error_messages={"invalid_choice": "Choose one of the review dates offered."},
    )
    pilot = forms.ChoiceField(
        required=False,
        label="Outcomes",
        choices=[("", "Any outcome"), *PILOT_RESULTS.items()],
        error_messages={"invalid_choice": "Choose one of the outcomes offered."},
    )

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def filters(self) -> dict:
        """The valid filters that were set, by field name; call after is_valid()."""
        return _set_filters(self, self.FILTERS)

    def words(self) -> list[forms.BoundField]:
        """The words' field, drawn across the page above the filters."""
        return [self["q"]]

    def filter_fields(self) -> list[forms.BoundField]:
        """The filters' fields, drawn in a row of columns."""
        return [self[name] for name in self.FILTERS]


# The dashboard's periods, as months back from today's month (None: all time).
PERIODS = {"3": 3, "6": 6, "12": 12, "all": None}
PERIOD_LABELS = {
    "3": "last 3 months",
    "6": "last 6 months",
    "12": "last 12 months",
    "all": "all time",
}
DEFAULT_PERIOD = "12"


class DashboardPeriodForm(LeanFields, forms.Form):
    """The team dashboard's period, read from the query string; the last 12 months unless
    another is chosen. A value not offered is reported next to the field."""

    period = forms.ChoiceField(
        required=False,  # an empty choice is the default period, see __init__
        label="Period",
        choices=[(key, label.capitalize()) for key, label in PERIOD_LABELS.items()],
        error_messages={"invalid_choice": "Choose one of the periods offered."},
    )

    def __init__(self, data=None, **kwargs) -> None:
        if data is not None and not data.get("period"):
            data = data.copy()
            data["period"] = DEFAULT_PERIOD
        super().__init__(data, **kwargs)

    def chosen(self) -> str:
        """The period chosen, or the default where the choice is not valid."""
        return self.cleaned_data["period"] if self.is_valid() else DEFAULT_PERIOD
