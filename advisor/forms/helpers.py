"""What every form of the app shares."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError


def form_helper() -> FormHelper:
    # The templates write the <form> tag themselves, with its htmx attributes and buttons.
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _widget_class(widget: forms.Widget) -> str:
    """Bootstrap's class for a widget, after its own name as crispy-bootstrap5 writes it."""
    if isinstance(widget, forms.CheckboxInput):
        kind = "form-check-input"
    elif isinstance(widget, forms.Select):
        kind = "form-select"
    else:
        kind = "form-control"
    return f"{widget.__class__.__name__.lower()} {kind}"


class LeanFields:
    """A form rendered by templates/advisor/includes/fields.html rather than crispy: its
    widgets carry Bootstrap's classes from the start and, once validated, `is-invalid`, so
    one loop draws every field (Django adds aria-invalid and aria-describedby itself)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = _widget_class(field.widget)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


# An id column holds 64 bits. SQLite raises OverflowError for a larger integer where it should
# find nothing, so the choice fields below refuse one as "not a choice" before any query.
ID_RANGE = range(-(2**63), 2**63)


def _holdable(value: object) -> bool:
    try:
        return int(str(value).strip()) in ID_RANGE
    except ValueError:  # not a number at all: the field's own check says so
        return True


class IdChoiceField(forms.ModelChoiceField):
    """A choice of one row by its id."""

    def to_python(self, value):
        if value not in self.empty_values and not _holdable(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of rows by their ids."""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            if not _holdable(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)
