"""Unguessable tokens for links that work without an account (share links, invites)."""

from __future__ import annotations

import secrets

# 24 random bytes: 192 bits, 32 URL-safe characters. Guessing one is out of reach even at
# millions of tries a second, and the share pages are rate-limited on top.
TOKEN_BYTES = 24
TOKEN_MAX_LENGTH = 64


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)
