"""Looking back: the project timeline's filters, and the search box."""

from __future__ import annotations

from crispy_forms.layout import Column, Layout, Row
from django import forms

from advisor.domain.engine import Approach
from advisor.forms.helpers import form_helper
from advisor.models import Decision

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
        choices=[("", "Any approach"), *Approach.choices()],
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
        self.helper = form_helper()
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
        self.helper = form_helper()
