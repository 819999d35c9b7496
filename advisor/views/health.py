"""Probes for the load balancer and the orchestrator: no login, no session, JSON answers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

READY_KEY = "readyz:probe"


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering; touches neither the database nor the cache."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: the database answers a query and the cache keeps a value."""
    checks = {"database": _check(_database), "cache": _check(_cache)}
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
    )


def _check(probe) -> str:
    try:
        probe()
    except Exception as error:  # any failure means not ready; the class name says which kind
        return f"error: {type(error).__name__}"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache.set(READY_KEY, "ok", timeout=10)
    if cache.get(READY_KEY) != "ok":
        raise LookupError("the cache did not keep a value")
