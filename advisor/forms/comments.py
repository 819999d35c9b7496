"""A comment on a decision."""

from __future__ import annotations

from django import forms

from advisor.forms.helpers import LeanFields
from advisor.models import COMMENT_MAX_LENGTH
from advisor.services import COMMENT_EMPTY, COMMENT_TOO_LONG


class CommentForm(LeanFields, forms.Form):
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

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if len(body) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(COMMENT_TOO_LONG)
        return body
