"""Advisor's one settings module.

Everything that differs between a laptop and production is read from the environment, with
defaults that are safe for local development. See docs/deploy.md for the variables.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: an error page with DEBUG on shows the traceback and the settings to
# anyone. The Makefile's targets (make run, make test) turn it on for a development machine.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # One line on stderr and exit status 1: a traceback would bury the reason.
        sys.exit(
            "Advisor will not start: set DJANGO_SECRET_KEY, or DJANGO_DEBUG=1 on a development "
            "machine (see docs/deploy.md)."
        )
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "advisor",
]

MIDDLEWARE = [
    "advisor.web.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user read beside the session in one round trip to Redis when there
    # is one (advisor/web/sessions.py).
    "advisor.web.sessions.SessionUserMiddleware",
    # Every view needs a login unless it says `login_not_required`; checked after the CSRF
    # token, as the views' own decorators were.
    "advisor.web.htmx.LoginRequiredMiddleware",
    # Text that cannot be stored (a NUL byte, a lone surrogate) in the address or a form field
    # ends the request with 400 naming the field, before any view reads it.
    "advisor.web.inputs.BadInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A team that requires two-factor sign-in sends members without it to set it up.
    "advisor.web.twofactor.TwoFactorRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Django's form renderer, with the common widgets written without the template engine.
FORM_RENDERER = "advisor.forms.renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so two requests writing at once queue up
    # (for up to 20 s) instead of failing with "database is locked"; WAL lets reads continue.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    postgres = DATABASES["default"].setdefault("OPTIONS", {})
    if os.environ.get("DATABASE_SERVER_SIDE_BINDING", "1") == "1":
        # Values sent apart from the statement, so a statement's text is the same whatever
        # the ids in it; psycopg then prepares one a connection has run five times, and
        # PostgreSQL plans it once per connection instead of on every request (planning the
        # decision page's seven-table access check took longer than running it). A pooler in
        # transaction mode cannot keep prepared statements: DATABASE_SERVER_SIDE_BINDING=0
        # there (docs/deploy.md).
        postgres.update(server_side_binding=True, prepare_threshold=5)
    if os.environ.get("DATABASE_JIT", "0") != "1":
        # PostgreSQL compiles a query it estimates as costly (search over 10,000 decisions)
        # to machine code on every run: 45 ms of a 120 ms search, for queries that run in
        # milliseconds. Off for this app's connections (docs/deploy.md, docs/performance.md).
        postgres["options"] = f"-c jit=off {postgres.get('options', '')}".strip()
# One cache for every process when REDIS_URL is set (Django's own Redis backend): rate limits,
# allauth's login counters and cached pages are then shared by all workers and servers.
# Without it, each process keeps its own in memory, which is right for a single process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "advisor"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database, so any app server can read any user's session. With Redis,
# every server also reads them through the shared cache, with a copy of their user beside
# them (advisor/web/sessions.py), which saves two queries per request; a per-process cache
# would let one worker keep a session another has ended, so not without it.
SESSION_ENGINE = "advisor.web.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
CSRF_FAILURE_VIEW = "advisor.web.htmx.csrf_failure"
LOGIN_REDIRECT_URL = "advisor:project_list"
LOGOUT_REDIRECT_URL = "account_login"

# Accounts (django-allauth): sign in with username or email; email is needed for resets.
ACCOUNT_ADAPTER = "advisor.web.accounts.AccountAdapter"
ACCOUNT_FORMS = {"login": "advisor.web.accounts.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
# Nobody logs in before confirming their address, which lets sign-up with a registered address
# answer exactly like a new sign-up (the owner of the address gets an email instead): together
# with enumeration prevention, neither sign-up nor reset tells whether an address has an account.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
# Confirming in the browser that signed up logs in and goes on to where the person was going
# (an invite, say); a link opened elsewhere leads to the login page.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
# allauth counts attempts in the cache (Redis when scaled out): password-reset emails per IP
# and per address, signups per IP. Failed password logins are checked by advisor/web/logins.py:
# per IP here ("login_failed_ip", an action of ours), per account in LOGIN_LIMITS below, because
# allauth's own per-account limit would let anyone lock an owner out by failing on purpose.
# "login_failed" is then allauth's limit on two-factor codes only, per IP and per account:
# whoever is guessing codes already has the password.
ACCOUNT_RATE_LIMITS = {
    "login_failed_ip": "10/m/ip,100/h/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
    "change_password": "5/m/user",
}
# Two-factor sign-in (allauth.mfa): an authenticator app's codes, with recovery codes for when
# the phone is lost. Turning it on or off asks for the password again first.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Advisor"
# The code of the 30 seconds before and after is accepted too: a phone's clock may be a little
# off, and a code typed as it changes still works (3 valid codes in a million; see the limits).
MFA_TOTP_TOLERANCE = 1
# Failed logins per account (see docs/security.md): (failures, window in seconds). From one
# address, 5 in 5 minutes, then that address waits for the window to end; from all addresses,
# 30 in 15 minutes, then the account is locked everywhere for 15 minutes, twice as long at each
# lock within a day of the last, up to `longest_lock` seconds.
LOGIN_LIMITS = {
    "account_and_ip": (5, 5 * 60),
    "account": (30, 15 * 60),
    "longest_lock": 24 * 60 * 60,
}
# Behind N reverse proxies, the client's address is the Nth from the right of X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

# Shared recommendation pages: requests per IP per minute.
SHARE_RATE_LIMIT_PER_MINUTE = int(os.environ.get("ADVISOR_SHARE_RATE_LIMIT", "60"))
# The public API (POST /api/v1/evaluate): requests per IP per minute.
API_RATE_LIMIT_PER_MINUTE = int(os.environ.get("ADVISOR_API_RATE_LIMIT", "60"))

# Background work (Django 6 tasks): emails and webhooks are sent by `manage.py db_worker`, a
# process of its own, never inside a request. The backend can be named in the environment, but
# the immediate one would send inside the request again, so production refuses it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ADVISOR_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}
if not DEBUG and TASKS["default"]["BACKEND"].endswith(".ImmediateBackend"):
    sys.exit(
        "Advisor will not start: with DEBUG off it needs a task worker, not the immediate backend "
        "(see docs/deploy.md)."
    )

# The address emails link to: requests are not around when the worker writes them.
SITE_URL = os.environ.get("ADVISOR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The hour of the day, in each team's own time zone, from which its review digest goes out.
DIGEST_HOUR = int(os.environ.get("ADVISOR_DIGEST_HOUR", "8"))
# A failed email or webhook post is tried again after this many seconds, doubling each time,
# up to OUTBOX_MAX_ATTEMPTS tries in all (1, 2, 4 and 8 minutes by default).
OUTBOX_RETRY_SECONDS = float(os.environ.get("ADVISOR_OUTBOX_RETRY_SECONDS", "60"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("ADVISOR_OUTBOX_MAX_ATTEMPTS", "5"))

# Email (Django 6.1 MAILERS): printed to the console unless EMAIL_HOST names an SMTP server.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Advisor <advisor@localhost>")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes and WhiteNoise serves from; a deployment may put it elsewhere.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# No inline script or style anywhere: htmx is configured by its meta tag, and the one
# script tag per page carries the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# htmx sends the token from the page (hx-headers on <body>), so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The evaluate API refuses bodies above this size with 413 before parsing them.
API_MAX_BODY_BYTES = 16 * 1024

# One JSON object per line on stderr, each with the request id (advisor/requestlog.py);
# DJANGO_LOG_FORMAT=text gives plain lines for reading in a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "advisor.web.requestlog.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "advisor.web.requestlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("DJANGO_LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
