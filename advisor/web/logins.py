"""Failed password logins: limited per IP, per account and IP, and per account.

An account is counted by the login typed for it (its username, or its email address), so a
refusal says nothing about which address belongs to which username.

A limit per account alone would let anyone who knows a username lock its owner out. So failures
are counted per account *and* address: an attacker who reaches the limit is refused, from their
address only, and the owner logs in from theirs. Against guessing from many addresses, the
account also has a higher cap over all addresses together; reaching it locks the account
everywhere, for longer each time it happens again within a day, except from a browser the
account has logged in from before (a signed mark in a cookie). Only failures count. The
numbers are in settings.LOGIN_LIMITS and ACCOUNT_RATE_LIMITS["login_failed_ip"] (counted by
allauth's limiter), and docs/security.md gives the reasons.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import math
import time
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email, filter_users_by_username
from allauth.core import ratelimit
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from advisor.web.ratelimit import window_add, window_count, window_left

# How long a run of account locks is remembered: a lock within this time of the last one lasts
# twice as long as it did.
STRIKE_MEMORY = 24 * 60 * 60


def login_refusal(request: HttpRequest, credentials: dict[str, Any]) -> str | None:
    """Why a login with these credentials may not even be tried now, or None if it may."""
    if not ratelimit.consume(request, action="login_failed_ip", dry_run=True):
        return "Too many failed logins from your connection. Wait a few minutes and try again."
    account = _account(credentials)
    locked_until = cache.get(f"login:locked:{account}")
    if locked_until and locked_until > time.time() and not _known_browser(request, credentials):
        return (
            "This account is locked after many failed logins from different places. "
            f"Try again in {_minutes(locked_until - time.time())}."
        )
    limit, period = settings.LOGIN_LIMITS["account_and_ip"]
    if window_count(_pair(request, account), period=period) >= limit:
        return (
            "Too many failed logins to this account from your connection. "
            f"Wait {_minutes(window_left(period))} and try again, or reset your password."
        )
    return None


def login_failed(request: HttpRequest, credentials: dict[str, Any]) -> None:
    """Count a failed login against the account from this address and from all of them; lock
    the account once the failures from all addresses reach its cap."""
    ratelimit.consume(request, action="login_failed_ip")
    account = _account(credentials)
    window_add(_pair(request, account), period=settings.LOGIN_LIMITS["account_and_ip"][1])
    cap, period = settings.LOGIN_LIMITS["account"]
    if window_add(f"login:account:{account}", period=period) < cap:
        return
    strikes = (cache.get(f"login:strikes:{account}") or 0) + 1
    cache.set(f"login:strikes:{account}", strikes, timeout=STRIKE_MEMORY)
    seconds = min(period * 2 ** (strikes - 1), settings.LOGIN_LIMITS["longest_lock"])
    cache.set(f"login:locked:{account}", time.time() + seconds, timeout=seconds)


def _account(credentials: dict[str, Any]) -> str:
    """The login as typed, trimmed and in lower case: what every counter is kept by. Not the
    account it names: a username and an address of one account then count apart (each within
    its limits), and no answer can tell that they belong together."""
    login = credentials.get("email") or credentials.get("username") or ""
    return "login:" + hashlib.sha256(login.strip().lower().encode()).hexdigest()


def _pair(request: HttpRequest, account: str) -> str:
    address = get_adapter(request).get_client_ip(request)
    with contextlib.suppress(ValueError):
        if ipaddress.ip_address(address).version == 6:
            # One IPv6 connection usually holds a whole /64: count it as one address.
            address = str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return f"login:pair:{account}:{address}"


def _minutes(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    if minutes >= 120:
        return f"{math.ceil(minutes / 60)} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


# --- Browsers an account has logged in from -------------------------------------------------
# A lock over all addresses stops guessing from many of them, but would keep the owner out too.
# After each login the browser gets a cookie marking it as one the account has used; a lock
# does not apply to it (the other limits still do). A mark is an HMAC of the login and of the
# account's password hash: it cannot be forged, and a password change voids every mark.

KNOWN_BROWSER_COOKIE = "advisor_known_browser"
KNOWN_BROWSER_DAYS = 365
KNOWN_BROWSER_MARKS = 24  # logins remembered per browser, newest first


def known_browser_remember(
    request: HttpRequest, response: HttpResponse, user: AbstractBaseUser
) -> None:
    """Mark the browser as one `user` has logged in from, under each login that names them
    (username and email addresses), keeping the marks it has of other accounts."""
    emails = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    marks = [_mark(login, user) for login in [user.get_username(), *emails]]
    kept = [mark for mark in _marks(request) if mark not in marks]
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        ".".join([*marks, *kept][:KNOWN_BROWSER_MARKS]),
        max_age=KNOWN_BROWSER_DAYS * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _known_browser(request: HttpRequest, credentials: dict[str, Any]) -> bool:
    """Whether this browser has logged in to the account the credentials name (read only
    while that login is locked, the one time the account is looked up)."""
    marks = _marks(request)
    if not marks:
        return False
    login = credentials.get("email") or credentials.get("username") or ""
    users = filter_users_by_email(login) if "email" in credentials else []
    user = next(iter(users), None) or filter_users_by_username(login).first()
    return user is not None and _mark(login, user) in marks


def _marks(request: HttpRequest) -> list[str]:
    return request.COOKIES.get(KNOWN_BROWSER_COOKIE, "").split(".")


def _mark(login: str, user: AbstractBaseUser) -> str:
    value = f"{login.strip().lower()}:{user.get_session_auth_hash()}"
    return salted_hmac("advisor.web.logins.known_browser", value, algorithm="sha256").hexdigest()[
        :32
    ]
