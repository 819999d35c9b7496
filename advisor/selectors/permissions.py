"""What each team role may do, and the refusal a user sees when their role falls short.

Objects of a team the user is not in are never found at all (404, from the selectors), so
a refusal here only ever reaches a member, and it can say why.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from advisor.models import Role

REFUSALS = {
    Role.EDITOR: (
        "You are a viewer in this team: you can read its decisions but not change them. "
        "Ask one of its owners for the editor role."
    ),
    Role.OWNER: "Only the team's owners can do that.",
}


class RoleTooLow(PermissionDenied):
    """The refusal, as the exception's message; the 403 page shows it."""

    def __init__(self, needed: Role) -> None:
        super().__init__(REFUSALS[needed])


class TwoFactorRequired(PermissionDenied):
    """The team requires two-factor sign-in and the user has none. advisor.web.twofactor turns
    it into a trip to the set-up page; anywhere else it is a 403 with this message."""

    def __init__(self, team_name: str) -> None:
        super().__init__(
            f"The team “{team_name}” requires two-factor sign-in. Set it up to open its pages."
        )


def require(role: str, needed: Role) -> None:
    """Raise RoleTooLow unless a member with `role` may do what needs `needed`."""
    if not Role(role).allows(needed):
        raise RoleTooLow(needed)


def can(role: str, needed: Role) -> bool:
    return Role(role).allows(needed)
