"""Deleting one's own account."""

from __future__ import annotations

from allauth.account.forms import ReauthenticateForm

from advisor.forms.helpers import form_helper


class AccountDeleteForm(ReauthenticateForm):
    """The person's password, checked as allauth checks a reauthentication: through the
    account adapter, so failed attempts count towards the same login limits."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["password"]
        field.label = "Your password"
        field.help_text = "To be sure it is you, and not someone at your unlocked screen."
        field.widget.attrs.pop("placeholder", None)
        self.helper = form_helper()
