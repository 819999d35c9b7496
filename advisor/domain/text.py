"""Text Advisor can store: the one check every input goes through before it reaches a query,
a template or a file, whichever way it came in (a form, a query string, the API, an import).

Two kinds of character are refused. A NUL byte (U+0000): PostgreSQL cannot hold it in a text
column and SQLite would cut the text at it. A lone UTF-16 surrogate (U+D800 to U+DFFF on its
own, which JSON's "\\ud800" escape produces): it is not a character, cannot be written as UTF-8
and so cannot be stored or sent at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

NUL_MESSAGE = "contains a NUL character (U+0000), which cannot be stored: remove it"
SURROGATE_MESSAGE = (
    "contains a lone UTF-16 surrogate (U+D800 to U+DFFF), which is not text: remove it"
)


def text_problem(value: str) -> str | None:
    """What is wrong with `value` as stored text ("contains ..."), or None if nothing is."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    return NUL_MESSAGE if found.group() == "\x00" else SURROGATE_MESSAGE


def printable_name(name: str) -> str:
    """A field or key name fit to show in a message, even when the name itself is bad."""
    shown = _UNSTORABLE.sub("\N{REPLACEMENT CHARACTER}", name)[:80]
    return shown or "(no name)"


def document_problems(document: object) -> Iterator[tuple[str, str, str]]:
    """(path, "text" or "key", problem) for each text or key of a parsed JSON document that
    cannot be stored, in document order; paths name fields as the API does: `estimate.model`,
    `outcomes[0].note`.

    A loop over a stack rather than recursion: JSON nests as deep as its parser allows.
    """
    stack: list[tuple[str, object, bool]] = [("", document, False)]
    while stack:
        at, value, is_key = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                yield at or "(the document)", "key" if is_key else "text", problem
        elif isinstance(value, dict):
            children = []
            for key, child in value.items():
                path = f"{at}.{printable_name(key)}" if at else printable_name(key)
                children += [(path, key, True), (path, child, False)]
            stack.extend(reversed(children))
        elif isinstance(value, list):
            items = [(f"{at}[{i}]", child, False) for i, child in enumerate(value)]
            stack.extend(reversed(items))
