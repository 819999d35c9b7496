"""The words of a search and the short excerpt a result shows: plain text in, plain text out.

Pure Python (no Django), so advisor/selectors/search.py and the templates share one reading of a
query. The excerpt is plain text; the template escapes it like any other user text.
"""

from __future__ import annotations

import re

EXCERPT_CHARS = 160
MAX_WORDS = 12  # a longer query is cut: each word costs a condition per field
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
_WORD = re.compile(r"\w+")


def search_words(query: str) -> list[str]:
    """The words of a query, lower-cased, each once, in order; punctuation is dropped."""
    words: list[str] = []
    for word in _WORD.findall(query.lower()):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def excerpt(text: str, words: list[str], width: int = EXCERPT_CHARS) -> str:
    """About `width` characters of `text` around the first of `words` found in it.

    Whitespace is folded to single spaces. Where no word appears as typed (PostgreSQL matched a
    stem: "decisions" in "decision"), the excerpt is the text's beginning.
    """
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    folded = flat.lower()
    found = [at for at in (folded.find(word) for word in words) if at >= 0]
    start = max(min(found, default=0) - width // 3, 0)
    # Start and end on word boundaries, so no word is shown cut in half.
    if start > 0:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < start + width // 3 else start
    end = start + width
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    middle = flat[start:end].strip()
    return (ELLIPSIS if start > 0 else "") + middle + (ELLIPSIS if end < len(flat) else "")
