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
