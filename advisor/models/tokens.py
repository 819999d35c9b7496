"""Looking rows up by the token in a public link (share links, invites)."""

from __future__ import annotations

from django.db import models

from advisor.tokens import well_formed


class TokenQuerySet(models.QuerySet):
    def with_token(self, token: str) -> models.QuerySet:
        """The row with this token; none, without a query, for a token that is not well formed
        (a NUL byte in it would make PostgreSQL refuse the whole statement)."""
        return self.filter(token=token) if well_formed(token) else self.none()
