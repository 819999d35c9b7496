"""A new team, an invite to it, and a member's role."""

from __future__ import annotations

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
        fields = ["role", "note"]
        labels = {"role": "Role", "note": "Who is it for? (optional)"}
        help_texts = {"note": "Only your team sees this, to tell pending invites apart."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label="Role")
