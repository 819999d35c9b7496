"""A fixed-window request counter per client IP, kept in the cache (Redis when scaled out)."""

from __future__ import annotations

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest


def over_limit(request: HttpRequest, *, scope: str, limit: int, period: int = 60) -> bool:
    """Count this request; True once the client has made more than `limit` in the window."""
    # The same client address as allauth's login limits, so one proxy setting
    # (DJANGO_TRUSTED_PROXY_COUNT) serves both.
    ip = get_adapter(request).get_client_ip(request)
    key = f"ratelimit:{scope}:{ip}:{int(time.time() // period)}"
    cache.add(key, 0, timeout=period * 2)
    try:
        return cache.incr(key) > limit
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=period * 2)
        return False
