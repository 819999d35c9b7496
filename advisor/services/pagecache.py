"""Share pages kept in the cache, rendered, by their link's token.

Whether a link opens is never taken from here: the view asks the database on every request
first, so a revoked or expired link stops at once. What the page shows besides the frozen
snapshot (the title, the project's name, the decision's status) is dropped from the cache
when it changes, once the change commits; a page rendered from data read just before such a
change can still be stored just after it, so entries also expire after TIMEOUT. The key
includes a digest of the code, templates and static files, so a new release never serves an
old page.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from advisor.models import ShareLink

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 10 * 60


def _release_digest() -> str:
    """A digest of what renders a page: the code, settings, templates and static files (a
    page links its stylesheets by fingerprinted names, which change with the files).

    Source files only: bytecode caches appear as modules are first imported, so counting them
    would give workers started at different moments different keys for the same release.
    """
    digest = hashlib.sha256()
    for folder in ("advisor", "config", "templates", "static"):
        sources = (ROOT / folder).rglob("*")
        for path in sorted(p for p in sources if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = _release_digest()


def _key(token: str) -> str:
    return f"share-page:{RELEASE}:{token}"


def share_page_get(*, token: str, url: str) -> str | None:
    """The cached page of the link, if it was rendered for this address."""
    entry = cache.get(_key(token))
    return entry["html"] if entry and entry["url"] == url else None


def share_page_set(*, token: str, url: str, html: str) -> None:
    cache.set(_key(token), {"url": url, "html": html}, timeout=TIMEOUT)


def share_pages_forget(links: QuerySet[ShareLink]) -> None:
    """Drop the cached pages of these links when the current transaction commits."""
    keys = [_key(token) for token in links.values_list("token", flat=True)]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))
