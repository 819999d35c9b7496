"""A fixed-window request counter per client IP: in Redis when REDIS_URL is set (shared by every
worker and server), else in Django's cache."""

from __future__ import annotations

import functools
import math
import time
from typing import Any

import redis
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisSerializer
from django.http import HttpRequest


def over_limit(request: HttpRequest, *, scope: str, limit: int, period: int = 60) -> bool:
    """Count this request; True once the client has made more than `limit` in the window."""
    return over_limit_reading(request, scope=scope, limit=limit, read=None, period=period)[0]


def over_limit_reading(
    request: HttpRequest, *, scope: str, limit: int, read: str | None, period: int = 60
) -> tuple[bool, Any]:
    """`over_limit`, and the cache's entry at `read` (None: none asked, or none there),
    fetched with Redis in the same round trip as the count."""
    # The same client address as allauth's login limits, so one proxy setting
    # (DJANGO_TRUSTED_PROXY_COUNT) serves both.
    ip = get_adapter(request).get_client_ip(request)
    key = f"ratelimit:{scope}:{ip}:{int(time.time() // period)}"
    count, entry = _count(key, timeout=period * 2, read=read)
    return count > limit, entry


def window_add(name: str, *, period: int) -> int:
    """Count one more for `name` in the current fixed window of `period` seconds; the count."""
    return _count(_window_key(name, period), timeout=period * 2)[0]


def window_count(name: str, *, period: int) -> int:
    """How many `window_add` has counted for `name` in the current window."""
    return int(cache.get(_window_key(name, period)) or 0)


def window_left(period: int) -> float:
    """Seconds until the current fixed window of `period` seconds ends."""
    return period - time.time() % period


def _window_key(name: str, period: int) -> str:
    return f"{name}:{int(time.time() // period)}"


def retry_after(period: int = 60) -> str:
    """What a 429's Retry-After header says: the whole seconds until the current window ends,
    when the count starts again (1 to `period`)."""
    return str(math.ceil(window_left(period)))


@functools.cache
def redis_client(url: str) -> redis.Redis:
    """The process's client for the Redis at `url`, made on first use (one connection pool)."""
    return redis.Redis.from_url(url)


def _count(key: str, *, timeout: int, read: str | None = None) -> tuple[int, Any]:
    """Add one to the counter at `key`, creating it to live `timeout` seconds: its new value,
    and the cache's entry at `read` if asked."""
    if settings.REDIS_URL:
        # One round trip, on any Redis version: SET NX creates the key at 0 with its lifetime
        # (only the window's first request does), INCR counts, GET reads the entry asked for.
        # The cache's add() and incr() would take three (SET NX, then EXISTS and INCR). The
        # keys are the ones the cache uses (the deployment's REDIS_KEY_PREFIX first), so the
        # counters sit with its keys and the entry is decoded as the cache encoded it.
        name = cache.make_key(key)
        pipeline = redis_client(settings.REDIS_URL).pipeline()
        pipeline.set(name, 0, ex=timeout, nx=True)
        pipeline.incr(name)
        if read is not None:
            pipeline.get(cache.make_key(read))
        _, count, *entry = pipeline.execute()
        raw = entry[0] if entry else None
        return count, None if raw is None else RedisSerializer().loads(raw)
    cache.add(key, 0, timeout=timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=timeout)
        count = 1
    return count, None if read is None else cache.get(read)
