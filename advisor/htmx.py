"""How pages answer htmx and plain requests alike: fragments, redirects, login and CSRF."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _swaps(request: HtmxHttpRequest) -> bool:
    # A history restore (browser Back with htmx's cache off) swaps in a whole page, and htmx
    # ignores HX-Redirect on it; only an ordinary htmx request takes a fragment or HX-Redirect.
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page(
    request: HtmxHttpRequest, template: str, fragment: str, context: dict, status: int = 200
) -> HttpResponse:
    """The whole page, or for htmx just its `{% partialdef fragment %}`."""
    name = f"{template}#{fragment}" if _swaps(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


def redirect_page(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """Send the browser to another page: an ordinary redirect, or a full-page one for htmx."""
    if _swaps(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like Django's, but an htmx request whose session ended gets a full-page login.

    A plain redirect would be followed inside the XHR and the login page swapped into the
    wizard; after logging in the user comes back to the page they were on.
    """

    @wraps(view)
    def wrapper(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if _swaps(request):
            page = request.htmx.current_url_abs_path or request.get_full_path()
            return HttpResponseClientRedirect(redirect_to_login(page).url)
        return redirect_to_login(request.get_full_path())

    return wrapper


def csrf_failure(request: HtmxHttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: say what happened instead of failing silently under htmx."""
    text = (
        "Your page had gone stale (its security token expired), so that change was not saved. "
        "The page has been reloaded: please make it again."
    )
    if _swaps(request):
        messages.warning(request, text)
        return HttpResponseClientRefresh()
    return render(request, "403_csrf.html", status=403)
