"""A new team, an invite to it, and a member's role."""

from __future__ import annotations

import zoneinfo

from django import forms

from advisor.forms.helpers import form_helper
from advisor.models import Invite, Role, Team


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]
        labels = {"name": "Team name"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class InviteForm(forms.ModelForm):
    class Meta:
        model = Invite
        fields = ["email", "role", "note"]
        labels = {
            "email": "Their email address",
            "role": "Role",
            "note": "Who is it for? (optional)",
        }
        help_texts = {
            "email": "We email them the link; you can also copy it from the list below.",
            "note": "Only your team sees this, to tell pending invites apart.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Old invites have no address, so the column may be empty; every new one needs one.
        self.fields["email"].required = True
        self.helper = form_helper()


class TeamSettingsForm(forms.ModelForm):
    """The team's clock (for its daily digest), its chat webhook, and whether its members need
    two-factor sign-in. `owner_has_two_factor` says whether the owner saving it has it: one who
    has not cannot require it, or they would be sent away from their own team's pages."""

    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[(name, name) for name in sorted(zoneinfo.available_timezones())],
        help_text="The daily digest of reviews due goes out in the morning of this time zone.",
    )

    class Meta:
        model = Team
        fields = ["time_zone", "webhook_url", "require_two_factor"]
        labels = {
            "webhook_url": "Chat webhook (optional)",
            "require_two_factor": "Require two-factor sign-in",
        }
        help_texts = {
            "webhook_url": "A Slack-compatible incoming-webhook address (https://…). It gets "
            "a message when a decision is completed and when reviews fall due.",
            "require_two_factor": "Members who have not set up two-factor sign-in are sent to "
            "set it up before they can open any of the team's pages.",
        }

    def __init__(self, *args, owner_has_two_factor: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner_has_two_factor = owner_has_two_factor
        self.helper = form_helper()

    def clean_require_two_factor(self) -> bool:
        required = self.cleaned_data["require_two_factor"]
        if required and not self.instance.require_two_factor and not self.owner_has_two_factor:
            raise forms.ValidationError(
                "Set up two-factor sign-in for your own account first (Two-factor sign-in, "
                "in your account settings), or this would send you away from the team too."
            )
        return required


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label="Role")
