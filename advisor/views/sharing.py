"""Share links: creating and revoking them (editors), and the public read-only page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST, require_safe

from advisor import selectors, services
from advisor.forms import ShareForm
from advisor.models import Decision, Role, ShareLink
from advisor.services import pagecache
from advisor.views.decisions import result_page
from advisor.web import ratelimit
from advisor.web.htmx import (
    HtmxHttpRequest,
    redirect_page,
    redirect_refused,
    render_page,
)
from advisor.web.inputs import checks_own_input


@require_POST
def share_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    form = ShareForm(request.POST, decision=decision)
    # An unfinished decision has no form to show errors next to: the service refuses it
    # first, whatever was sent.
    if not form.is_valid() and decision.is_complete:
        return _shares(request, decision, form, status=400)
    try:
        link = services.share_create(
            decision=decision,
            user=request.user,
            expires_in_days=form.cleaned_data.get("expires"),
            include_costs=form.include_costs,
        )
    except services.Refused as refusal:
        return redirect_refused(request, refusal, decision.get_absolute_url())
    return _shares(request, decision, created=link)


@require_POST
def share_revoke(request: HtmxHttpRequest, pk: int, link_pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, need=Role.EDITOR)
    link = selectors.share_link_get(decision=decision, pk=link_pk)
    services.share_revoke(link=link, user=request.user)
    return _shares(request, decision, revoked=link)


def _shares(
    request: HtmxHttpRequest,
    decision: Decision,
    form: ShareForm | None = None,
    *,
    created: ShareLink | None = None,
    revoked: ShareLink | None = None,
    status: int = 200,
) -> HttpResponse:
    """htmx gets the refreshed list of links; a plain form post goes back to the page, or
    for a refused form gets the whole page with its errors."""
    if not request.htmx and status == 200:
        if created:
            messages.success(request, "Share link created. Copy it from the list below.")
        if revoked:
            messages.success(request, "Share link revoked: it no longer opens.")
        return redirect_page(request, f"{decision.get_absolute_url()}#sharing")
    if not request.htmx:
        return result_page(request, decision, share_form=form, status=status)
    context = {
        "decision": decision,
        "can_edit": True,
        "links": selectors.share_links(decision=decision),
        "form": form or ShareForm(decision=decision),
        "created": created,
        "revoked": revoked,
    }
    return render_page(request, "advisor/decision_result.html", "sharing", context, status)


def _too_many_page(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "429.html", status=429)


def _too_many_json(request: HtmxHttpRequest) -> HttpResponse:
    return JsonResponse({"error": "Too many requests: wait a minute."}, status=429)


def public_page(
    too_many: Callable[[HtmxHttpRequest], HttpResponse],
    cached: Callable[[str], str] | None = None,
):
    """Headers for pages outside the login: never indexed, no referrer, never cached, and
    a per-IP request limit that applies before the token is even looked at. With `cached`
    (the token's cache key), the view also gets that entry as `cached`, read in the limit's
    own round trip to Redis."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, token: str) -> HttpResponse:
            limit = settings.SHARE_RATE_LIMIT_PER_MINUTE
            key = cached(token) if cached else None
            limited, entry = ratelimit.over_limit_reading(
                request, scope="share", limit=limit, read=key
            )
            if limited:
                response = too_many(request)
                response["Retry-After"] = ratelimit.retry_after()
            else:
                response = view(request, token, **({"cached": entry} if cached else {}))
            response["X-Robots-Tag"] = "noindex, nofollow"
            response["Referrer-Policy"] = "no-referrer"
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorator


@checks_own_input
@login_not_required
@require_safe
@public_page(_too_many_page, cached=pagecache.share_page_key)
def share_page(request: HtmxHttpRequest, token: str, cached: dict | None) -> HttpResponse:
    # One answer for every token that does not open, whatever the reason; the cached page
    # (read with the limit) is shown only once the database has said the link opens.
    if not services.share_record_visit(token=token, counted=_counts(request)):
        return _missing_page(request)
    url = request.build_absolute_uri(request.path)
    html = pagecache.share_page_from(cached, url=url)
    if html is None:
        link = selectors.share_link_open(token=token)
        if link is None:
            return _missing_page(request)
        context = {
            "decision": link.decision,
            "recommendation": selectors.share_recommendation(link),
            "share_url": url,
        }
        html = render_to_string("advisor/share_page.html", context, request=request)
        pagecache.share_page_set(token=token, url=url, html=html)
    return HttpResponse(html)


@checks_own_input
@login_not_required
@require_safe
@public_page(_too_many_json)
def share_json(request: HtmxHttpRequest, token: str) -> HttpResponse:
    link = selectors.share_link_open(token=token)
    if link is None or not services.share_record_visit(token=token, counted=_counts(request)):
        return JsonResponse({"error": "Not found."}, status=404)
    return JsonResponse(selectors.share_document(link))


def _missing_page(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "advisor/share_missing.html", status=404)


def _counts(request: HtmxHttpRequest) -> bool:
    # A HEAD (a link checker, say) reads no content, so it is not a view.
    return request.method == "GET"
