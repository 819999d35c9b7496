"""A fixed-window request counter per client IP, kept in the cache (Redis when scaled out)."""

from __future__ import annotations

import time

from allauth.account.adapter import get_adapter
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest


def over_limit(request: HttpRequest, *, scope: str, limit: int, period: int = 60) -> bool:
    """Count this request; True once the client has made more than `limit` in the window."""
    # The same client address as allauth's login limits, so one proxy setting
    # (DJANGO_TRUSTED_PROXY_COUNT) serves both.
    ip = get_adapter(request).get_client_ip(request)
    key = f"ratelimit:{scope}:{ip}:{int(time.time() // period)}"
    return _count(key, timeout=period * 2) > limit


def _count(key: str, *, timeout: int) -> int:
    """Add one to the counter at `key`, creating it to live `timeout` seconds; its new value."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # One round trip, on any Redis version: SET NX creates the key at 0 with its lifetime
        # (only the window's first request does), INCR counts. Django's add() and incr()
        # would take three (SET NX, then EXISTS and INCR). Django has no public way to the
        # client; `_cache` is the backend's own, so its connection pool is shared.
        name = cache.make_and_validate_key(key)
        pipeline = cache._cache.get_client(name, write=True).pipeline()
        pipeline.set(name, 0, ex=timeout, nx=True)
        pipeline.incr(name)
        _, count = pipeline.execute()
        return count
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1
