"""How django-allauth fits Advisor: every new account starts with a team of its own."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from django.db import transaction

from advisor import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # One transaction: an account never exists without its team.
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=commit)
            if commit:
                services.team_create_personal(user=user)
        return user


class LoginForm(AllauthLoginForm):
    """allauth's login form with labels that say what it accepts."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or email"
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"
