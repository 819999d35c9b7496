"""A new share link: how long it works, and whether it shows the cost figures."""

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
    costs = forms.BooleanField(
        required=False,
        label="Include the cost figures",
        help_text=(
            "The cost, latency and time-to-ship estimate with its charts, and the amounts the "
            "advice quotes from it. Left out, the link shows the recommendation without them."
        ),
    )

    def __init__(self, *args, costs: bool, **kwargs) -> None:
        """`costs`: whether the decision has cost figures to include (its snapshot was made
        with the team's numbers); without, the box is not offered."""
        super().__init__(*args, **kwargs)
        if not costs:
            del self.fields["costs"]
        self.helper = form_helper()

    @property
    def include_costs(self) -> bool:
        return bool(self.cleaned_data.get("costs"))
