"""Which emails a person gets: their settings page, and the one-click unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from advisor import selectors, services
from advisor.forms import NotificationSettingsForm
from advisor.models import Kind
from advisor.web.htmx import HtmxHttpRequest


@require_http_methods(["GET", "POST"])
def notification_settings(request: HtmxHttpRequest) -> HttpResponse:
    kinds_off = selectors.notification_kinds_off(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = NotificationSettingsForm(data, kinds_off=kinds_off)
    if request.method == "POST" and form.is_valid():
        services.notification_settings_save(user=request.user, kinds_off=form.kinds_off)
        messages.success(request, "Your email settings are saved.")
        return redirect("advisor:notification_settings")
    status = 400 if form.errors else 200
    return render(request, "advisor/notification_settings.html", {"form": form}, status=status)


# No login and no CSRF token: the signed token is the proof, and mail apps send the RFC 8058
# one-click POST without a session. Doing it twice changes nothing.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HtmxHttpRequest, token: str) -> HttpResponse:
    kind = services.notification_unsubscribe(token=token)
    context = {"kind_label": Kind(kind).label.lower() if kind else ""}
    return render(request, "advisor/unsubscribe.html", context, status=200 if kind else 404)
