"""What the fuzz suite (tests/test_fuzz.py) sends: classes of bad value, each a strategy, and the
requests that carry them the way an attacker's client would (raw bytes, not a browser's).

A lone surrogate cannot be encoded by a browser or Django's test client, so form bodies and
query strings are percent-encoded here from UTF-8 with `surrogatepass`: the bytes a hostile
client would send.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import strategies as st

# Each class of bad text, with examples of it; the closing note of issue 16 quotes the names.
TEXT_CLASSES: dict[str, list[str]] = {
    "NUL byte": ["\x00", "a\x00b", "title\x00"],
    "lone surrogate": ["\ud800", "x\udfff", "\udbff\udbff"],
    "other control characters": ["\x01\x07\x08", "\x1b[31mred", "a\r\nSet-Cookie: x=1", "\x7f"],
    "empty or blank": ["", " ", "\t\r\n", "\u00a0\u2003"],
    "huge text": ["x" * 100_000, "é" * 30_000],
    "huge or odd numbers": [
        "9" * 40,
        "-" + "9" * 40,
        "9223372036854775808",
        "-9223372036854775809",
        "2147483648",
        "1e400",
        "-1e400",
        "NaN",
        "Infinity",
        "-0",
        "0x1F",
        "1_000",
        "١٢٣",
        "3.14159265358979323846264338327950288",
    ],
    "negative and zero": ["-1", "0", "-0.0"],
    "out-of-range dates": [
        "0001-01-01",
        "9999-12-31",
        "2026-02-30",
        "99999-01-01",
        "0000-00-00",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
    ],
    "markup and templates": [
        '"><script>alert(1)</script>',
        "<img src=x onerror=alert(1)>",
        "{{ 7|add:7 }}",
        "{% debug %}",
        "](javascript:alert(1))",
    ],
    "spreadsheet formulas": ["=1+1", "@SUM(A1)", "+1", "-1+1", "|calc", "  =1+1", "\t=1"],
    "unicode oddities": ["\u202eevil", "\u200b", "\ufeff", "e\u0301", "🚀" * 40, "\U0010ffff"],
    "injection-shaped": ["' OR 1=1 --", "../../etc/passwd", "%00", "%s%s%n", "//evil.example"],
}


# What storage itself cannot take: every field meets each of these in the sweep.
SWEEP = ["a\x00b", "x\udfff", "9" * 40, "0001-01-01T00:00:00+05:00", "x" * 100_000]


def bad_text() -> st.SearchStrategy[str]:
    """A class chosen evenly, then one of its values; or arbitrary text (any code point,
    surrogates included) as a class of its own."""
    listed = st.sampled_from(sorted(TEXT_CLASSES)).flatmap(
        lambda name: st.sampled_from(TEXT_CLASSES[name])
    )
    return st.one_of(listed, st.text(max_size=40))


def every_value() -> list[str]:
    return [value for values in TEXT_CLASSES.values() for value in values]


# JSON's own wrong values: every type where another is expected, and numbers past any column.
JSON_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    10**30,
    -(10**30),
    1e308,
    [],
    {},
    [1, "a"],
    {"x": "y"},
    {"\x00": 1},
]


def bad_json() -> st.SearchStrategy[object]:
    return st.one_of(bad_text(), st.sampled_from(JSON_VALUES))


def form_body(data: dict[str, list[str]]) -> str:
    """application/x-www-form-urlencoded, each value encoded as raw UTF-8 (surrogates too)."""
    return "&".join(
        f"{raw(name)}={raw(value)}" for name, values in data.items() for value in values
    )


def raw(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def json_text(document: object) -> bytes:
    """JSON as a hostile client writes it: lone surrogates as escapes, which parsers accept."""
    return json.dumps(document).encode("ascii")
