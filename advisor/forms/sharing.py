"""A new share link: how long it works."""

from __future__ import annotations

from django import forms

from advisor.forms.helpers import form_helper
from advisor.services import SHARE_EXPIRY_DAYS

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
        self.helper = form_helper()
