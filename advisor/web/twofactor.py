"""A team that requires two-factor sign-in: its pages send a member without it to set it up.

The check itself is in the selectors (advisor/selectors/access.py, `two_factor_check`), which
every object a URL names passes through; this middleware turns its refusal into a message and a
trip to the two-factor page. Pages of other teams and the account pages stay open.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse

from advisor.selectors.permissions import TwoFactorRequired
from advisor.web.htmx import HtmxHttpRequest, redirect_page


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HtmxHttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HtmxHttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, TwoFactorRequired):
            return None
        messages.warning(request, str(exception))
        return redirect_page(request, reverse("mfa_index"))
