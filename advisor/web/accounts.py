"""How django-allauth fits Advisor: every new account starts with a team of its own, failed
logins are limited per account without letting a stranger lock its owner out (web/logins.py),
and allauth's emails go through the outbox and the worker like every other email."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth.hashers import make_password
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.utils.crypto import get_random_string

from advisor import services
from advisor.web.logins import known_browser_remember, login_failed, login_refusal


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials) -> None:
        # Every password check passes here (login and re-authentication). allauth's own check
        # is replaced, not extended: its limit per typed login is the one that let strangers
        # lock owners out, and it counts every attempt, where ours count failures only.
        refusal = login_refusal(request, credentials)
        if refusal:
            raise forms.ValidationError(refusal)

    def authentication_failed(self, request, **credentials) -> None:
        login_failed(request, credentials)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        known_browser_remember(request, response, user)
        return response

    def save_user(self, request, user, form, commit=True):
        # One transaction: an account never exists without its team.
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=commit)
            if commit:
                services.team_create_personal(user=user)
        return user

    def send_account_already_exists_mail(self, email: str) -> None:
        # A sign-up with a new address hashes its password; hashing one here too keeps both
        # answers equally slow, so the time taken does not tell that the address is known.
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth renders the message (its templates, the request's links) with the context its
        # own send_mail would give; the worker sends it.
        request = allauth_context.request
        base = {"request": request, "email": email, "current_site": get_current_site(request)}
        message = self.render_mail(template_prefix, email, base | context)
        html = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"), ""
        )
        services.account_email_send(
            email=email, subject=message.subject, text=message.body, html=html
        )


class LoginForm(AllauthLoginForm):
    """allauth's login form with labels that say what it accepts."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or email"
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"
