"""How django-allauth fits Advisor: every new account starts with a team of its own."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from advisor import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.team_create_personal(user=user)
        return user
