"""The signed-in user and their session in one round trip to Redis (with REDIS_URL set).

Django reads the session from the cache, then the user from the database: two round trips
before any page starts. Here the session store keeps a copy of its user beside the session
in the cache and reads both with one MGET; the middleware takes the copy only where
`django.contrib.auth.get_user` would give the same user (the session names that user and
backend, and its hash of the password still matches), and otherwise asks the database as
Django does and keeps what it gets for next time.

A user's copies are dropped, once the change commits, whenever the user is saved or deleted
(every write to a user goes through `save` or `delete` here: signals below), so a password
change, a deactivation or an account deletion applies on the next request. Each copy also
expires after USER_TIMEOUT, a bound for a write that skipped the signals (a bulk `update`)
and for the one race left: a request that read the user just before a change committed can
store its copy just after the change dropped the others.
Without Redis, the settings keep Django's own session engine and this middleware reads the
user from the database as Django does.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends import cached_db
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from advisor.web.ratelimit import redis_client

USER_TIMEOUT = 5 * 60


def _index_key(user_pk: object) -> str:
    """The cache key of the set naming every session key that holds a copy of the user."""
    return f"session-users:{user_pk}"


class SessionStore(cached_db.SessionStore):
    """cached_db's store, reading the copy of the session's user in the same round trip."""

    cached_user = None

    @property
    def user_cache_key(self) -> str:
        return f"{self.cache_key}:user"

    def load(self) -> dict:
        try:
            found = self._cache.get_many([self.cache_key, self.user_cache_key])
        except Exception:  # as cached_db: a key the cache refuses resets the session
            found = {}
        self.cached_user = found.get(self.user_cache_key)
        if self.cache_key in found:
            return found[self.cache_key]
        return super().load()

    def keep_user(self, user) -> None:
        """Keep a copy of the session's user beside it, and name this session in the user's
        index so a change to the user can find the copy."""
        self._cache.set(self.user_cache_key, user, USER_TIMEOUT)
        index = self._cache.make_key(_index_key(user.pk))
        with redis_client(settings.REDIS_URL).pipeline() as pipeline:
            pipeline.sadd(index, self._cache.make_key(self.user_cache_key))
            pipeline.expire(index, settings.SESSION_COOKIE_AGE)
            pipeline.execute()

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        super().delete(session_key)
        if key is not None:
            self._cache.delete(f"{self.cache_key_prefix}{key}:user")


def _copy_of(request: HttpRequest):
    """The session's copy of its user, where `auth.get_user` would return that same user."""
    session = request.session
    user_pk = session.get(auth.SESSION_KEY)  # loads the session, and the copy with it
    copy = getattr(session, "cached_user", None)
    if copy is None or user_pk is None or str(copy.pk) != str(user_pk):
        return None
    if session.get(auth.BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return None
    saved_hash = session.get(auth.HASH_SESSION_KEY, "")
    if not constant_time_compare(saved_hash, copy.get_session_auth_hash()):
        return None
    return copy


def session_user(request: HttpRequest):
    """The request's user: the session's copy when it holds, else Django's `get_user`."""
    if not hasattr(request, "_cached_user"):
        user = _copy_of(request)
        if user is None:
            user = auth.get_user(request)
            if user.is_authenticated and isinstance(request.session, SessionStore):
                request.session.keep_user(user)
        request._cached_user = user
    return request._cached_user


class SessionUserMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with the user read by `session_user`."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: session_user(request))


def forget_user(user_pk: object) -> None:
    """Drop every session's copy of the user, when the current transaction commits."""
    if settings.REDIS_URL:
        transaction.on_commit(lambda: _forget(user_pk))


def _forget(user_pk: object) -> None:
    cache = caches[settings.SESSION_CACHE_ALIAS]
    client = redis_client(settings.REDIS_URL)
    index = cache.make_key(_index_key(user_pk))
    keys = client.smembers(index)
    client.delete(index, *keys)


def _user_changed(sender, instance, **kwargs) -> None:
    forget_user(instance.pk)


def connect_signals() -> None:
    """Drop a user's copies when the user is saved or deleted, in every process (AppConfig)."""
    user_model = get_user_model()
    post_save.connect(_user_changed, sender=user_model, dispatch_uid="session-user-saved")
    post_delete.connect(_user_changed, sender=user_model, dispatch_uid="session-user-deleted")
