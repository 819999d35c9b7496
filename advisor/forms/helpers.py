"""What every form of the app shares."""

from __future__ import annotations

from crispy_forms.helper import FormHelper


def form_helper() -> FormHelper:
    # The templates write the <form> tag themselves, with its htmx attributes and buttons.
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper
