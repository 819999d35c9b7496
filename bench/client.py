"""Logging in over HTTP the way a browser does, for wrk's cookies and for locust's users.

With DJANGO_DEBUG=0 the app marks its cookies Secure, and the bench talks plain HTTP to
127.0.0.1 (in production a TLS proxy sits in front). A cookie jar rightly keeps Secure cookies
from plain-HTTP requests, so every request here carries the jar's cookies in a Cookie header
of its own; otherwise the requests are what a browser with htmx sends.
"""

from __future__ import annotations

import re

import requests
from django.urls import reverse

_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def login(browser: requests.Session, base_url: str, username: str, password: str) -> None:
    """Sign in through allauth's form: GET it for the CSRF token, POST the credentials."""
    url = base_url + reverse("account_login")
    page = browser.get(url, headers=headers(browser))
    token = _CSRF_FIELD.search(page.text)
    if page.status_code != 200 or token is None:
        raise RuntimeError(f"login page answered {page.status_code} without a CSRF token")
    response = browser.post(
        url,
        data={"login": username, "password": password, "csrfmiddlewaretoken": token[1]},
        headers=headers(browser) | {"Referer": url},
        allow_redirects=False,
    )
    if response.status_code != 302 or "sessionid" not in browser.cookies:
        raise RuntimeError(f"login as {username} failed with {response.status_code}")


def headers(browser: requests.Session, *, write: bool = False) -> dict[str, str]:
    """The cookies; for a write also what an htmx form post adds: the CSRF token (hx-headers
    on <body> carries the same value the cookie holds) and the htmx marker."""
    sent = {"Cookie": "; ".join(f"{cookie.name}={cookie.value}" for cookie in browser.cookies)}
    if write:
        sent |= {"X-CSRFToken": browser.cookies["csrftoken"], "HX-Request": "true"}
    return sent
