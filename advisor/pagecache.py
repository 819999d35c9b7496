"""Rendered pages kept in the cache under a key made of everything they show.

Such a page is never invalidated. A change to what it shows makes a new key, and so does a
new release: the key includes a digest of the code and templates it was rendered with. Old
entries simply expire. What decides whether a page may be shown at all (a share link being
live, say) is never cached: the caller checks it in the database first, on every request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache

ROOT = Path(__file__).resolve().parent.parent
# An entry left behind by a changed title or a deploy is dropped within a day.
TIMEOUT = 24 * 60 * 60


def _release_digest() -> str:
    digest = hashlib.sha256()
    for folder, pattern in ((ROOT / "advisor", "*.py"), (ROOT / "templates", "*.html")):
        for path in sorted(folder.rglob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = _release_digest()


def cached_page(kind: str, parts: tuple[object, ...], render: Callable[[], str]) -> str:
    """The page of `kind` showing `parts`, from the cache or from `render()` (then stored)."""
    material = "\x1f".join(str(part) for part in (RELEASE, *parts))
    key = f"page:{kind}:{hashlib.sha256(material.encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=TIMEOUT)
    return html
