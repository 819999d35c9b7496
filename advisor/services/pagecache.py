"""Pages and parts of pages kept in the cache, rendered: share pages by their link's token,
and the snapshot's part of a completed decision's page by its recommendation.

A snapshot never changes, so its part is kept for a day, keyed by the recommendation, the
variant (a share link's, a viewer's or an editor's page, with or without the cost figures) and the
release; the one write that rewrites snapshots, a deleted account's name taken out of the
team's answers, forgets theirs (`snapshots_forget`). With Redis every process shares the
entries; without it, each process keeps its own, which is right for a single process.

Share pages:

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
from advisor.tokens import well_formed

ROOT = Path(__file__).resolve().parents[2]  # the checkout: advisor/, config/, templates/, static/
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


SNAPSHOT_TIMEOUT = 24 * 60 * 60
SNAPSHOT_VARIANTS = tuple(
    f"{reader}:{figures}"
    for reader in ("public", "viewer", "editor")
    for figures in ("figures", "plain")
)


def _snapshot_key(pk: int, variant: str) -> str:
    return f"snapshot:{RELEASE}:{pk}:{variant}"


def snapshot_variant(*, public: bool, can_edit: bool, figures: bool) -> str:
    """Which of a snapshot's renderings: a share link's, a viewer's or an editor's page (the
    section links differ), with or without the cost figures (a link without them shows a
    copy with the figures taken out)."""
    reader = "public" if public else "editor" if can_edit else "viewer"
    return f"{reader}:{'figures' if figures else 'plain'}"


def snapshot_get(*, pk: int, variant: str) -> str | None:
    return cache.get(_snapshot_key(pk, variant))


def snapshot_set(*, pk: int, variant: str, html: str) -> None:
    cache.set(_snapshot_key(pk, variant), html, timeout=SNAPSHOT_TIMEOUT)


def snapshots_forget(pks: list[int]) -> None:
    """Drop every rendering of these recommendations when the current transaction commits."""
    keys = [_snapshot_key(pk, variant) for pk in pks for variant in SNAPSHOT_VARIANTS]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def _key(token: str) -> str:
    return f"share-page:{RELEASE}:{token}"


def share_page_key(token: str) -> str | None:
    """The cache key of the link's page, for a caller that reads it with other keys; None
    for a token that is not well formed (no link has it, and it is not fit for a key)."""
    return _key(token) if well_formed(token) else None


def share_page_from(entry: dict | None, *, url: str) -> str | None:
    """The page in the cache's `entry` for the link, if it was rendered for this address."""
    return entry["html"] if entry and entry["url"] == url else None


def share_page_set(*, token: str, url: str, html: str) -> None:
    cache.set(_key(token), {"url": url, "html": html}, timeout=TIMEOUT)


def share_pages_forget(links: QuerySet[ShareLink]) -> None:
    """Drop the cached pages of these links when the current transaction commits."""
    keys = [_key(token) for token in links.values_list("token", flat=True)]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))
