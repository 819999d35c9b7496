"""How pages answer htmx and plain requests alike: fragments, redirects, login and CSRF.

htmx is configured (templates/base.html) with no history cache and `refreshOnHistoryMiss`, so
the browser's Back button always loads the whole page from the server; only ordinary htmx
requests get a fragment or an HX-Redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh
from django_htmx.middleware import HtmxDetails

from advisor.domain.refusals import Refused


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def render_page(
    request: HtmxHttpRequest, template: str, fragment: str, context: dict, status: int = 200
) -> HttpResponse:
    """The whole page, or for htmx just its `{% partialdef fragment %}`."""
    name = f"{template}#{fragment}" if request.htmx else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def redirect_page(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """Send the browser to another page: an ordinary redirect, or a full-page one for htmx."""
    response = HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    patch_vary_headers(response, ["HX-Request"])
    return response


def redirect_refused(
    request: HtmxHttpRequest, refusal: Refused, url: str, *, level: int = messages.WARNING
) -> HttpResponse:
    """Say why an action was refused, in a message above the page at `url`, and go there.

    Pages that show a refusal in place (a team's sections, a decision's lifecycle panel)
    answer htmx with that fragment instead, and come here for a plain form post.
    """
    messages.add_message(request, level, refusal.message)
    return redirect_page(request, url)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's login by default (views open to all say `login_not_required`), sending the
    visitor back, after the login, to the page they were looking at.

    For htmx a plain redirect would be followed inside the XHR and the login page swapped into
    the wizard, so htmx gets a full-page redirect; and a form posted after the session ended
    comes back to its page, not to the URL it posted to (which answers POST only).
    """

    def handle_no_permission(
        self, request: HtmxHttpRequest, view_func: Callable[..., HttpResponse]
    ) -> HttpResponse:
        match = request.resolver_match
        # The admin's pages send to the admin's own login page, as they always have (Django
        # names it on the admin site's views but not on its models' views).
        login_url = (
            reverse("admin:login", current_app=match.namespace)
            if match.app_name == "admin"
            else self.get_login_url(view_func)
        )
        login = redirect_to_login(
            _page_to_return_to(request), login_url, self.get_redirect_field_name(view_func)
        )
        return redirect_page(request, login.url)


def _page_to_return_to(request: HtmxHttpRequest) -> str:
    if request.method in ("GET", "HEAD") and not request.htmx:
        return request.get_full_path()
    page = request.htmx.current_url if request.htmx else request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not (page and safe):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    parts = urlsplit(page)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def csrf_failure(request: HtmxHttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: say what happened instead of failing silently under htmx."""
    if request.htmx:
        messages.warning(
            request,
            "Your page had gone stale (its security token expired), so that change was not "
            "saved. The page has been reloaded: please make it again.",
        )
        # htmx acts on HX-Refresh whatever the status; 403 keeps the refusal visible in logs.
        response = HttpResponseClientRefresh()
        response.status_code = 403
        return response
    return render(request, "403_csrf.html", status=403)


def permission_denied(request: HtmxHttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403: say why (a viewer trying to write, say) on the page or after a reload."""
    message = str(exception or "") or "Your account does not have access to this."
    if getattr(request, "htmx", False):
        # The reload shows the page as the user's role now allows, with the reason above it.
        messages.warning(request, message)
        response = HttpResponseClientRefresh()
        response.status_code = 403
        return response
    return render(request, "403.html", {"message": message}, status=403)
