"""The signed-in person's own account: its page, the download of their data, and deleting it.

Each acts on `request.user` alone, so no id is ever taken from the URL.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from advisor import selectors, services
from advisor.forms import AccountDeleteForm
from advisor.web.htmx import HtmxHttpRequest, redirect_refused


@require_safe
def account(request: HtmxHttpRequest) -> HttpResponse:
    return _account_page(request, AccountDeleteForm(user=request.user))


@require_safe
def account_data(request: HtmxHttpRequest) -> HttpResponse:
    document = selectors.account_data(user=request.user)
    body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="advisor-account-data.json"'
    # Personal data: no cache on the way, nor the browser's, keeps a copy.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def account_delete(request: HtmxHttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST, user=request.user)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    try:
        services.account_delete(user=request.user)
    except services.Refused as refusal:
        return redirect_refused(request, refusal, reverse("advisor:account"))
    logout(request)
    messages.success(request, "Your account is deleted. Thank you for using Advisor.")
    return redirect("account_login")


def _account_page(
    request: HtmxHttpRequest, form: AccountDeleteForm, status: int = 200
) -> HttpResponse:
    context = {"form": form, "plan": selectors.account_deletion(user=request.user)}
    return render(request, "advisor/account.html", context, status=status)
