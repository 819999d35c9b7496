"""A new share link: how long it works, and whether it shows the cost figures."""

from __future__ import annotations

from django import forms

from advisor.forms.helpers import LeanFields
from advisor.models import Decision
from advisor.services import SHARE_EXPIRY_DAYS

NEVER = "never"


class ShareForm(LeanFields, forms.Form):
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

    def __init__(self, *args, decision: Decision, **kwargs) -> None:
        """The box for the cost figures is offered only when the decision has some: its
        snapshot was made with the team's numbers."""
        super().__init__(*args, **kwargs)
        if not (decision.is_complete and decision.recommendation.estimate is not None):
            del self.fields["costs"]

    @property
    def include_costs(self) -> bool:
        return bool(self.cleaned_data.get("costs"))
