"""Unguessable tokens for links that work without an account (share links, invites)."""

from __future__ import annotations

import re
import secrets

# 24 random bytes: 192 bits, 32 URL-safe characters. Guessing one is out of reach even at
# millions of tries a second, and the share pages are rate-limited on top.
TOKEN_BYTES = 24
TOKEN_MAX_LENGTH = 64
# What token_urlsafe writes: base64's URL-safe alphabet, unpadded.
_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def well_formed(token: str) -> bool:
    """Whether `token` could be one of ours: checked before any query, so a token with a NUL
    byte or of absurd length never reaches the database."""
    return len(token) <= TOKEN_MAX_LENGTH and _ALPHABET.fullmatch(token) is not None
