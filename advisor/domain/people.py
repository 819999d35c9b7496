"""How the team's records name a person, and what they say once the account is deleted."""

from __future__ import annotations

from typing import Protocol

# What every page, export and snapshot says where a deleted account's name was.
FORMER_MEMBER = "a former member"


class Named(Protocol):
    def get_username(self) -> str: ...


def person_name(user: Named | None) -> str:
    """The person's username, or "a former member" once their account is gone (a reference
    to it is then null)."""
    return user.get_username() if user is not None else FORMER_MEMBER


# The audit lines that name a member someone else acted on: written by services.teams, and
# found by account deletion (which rewrites the name) and by the data download.
def role_change_summary(name: str, old: str, new: str) -> str:
    return f"{role_change_prefix(name)}{old} to {new}"


def role_change_prefix(name: str) -> str:
    return f"changed {name} from "


def removal_summary(name: str) -> str:
    return f"removed {name} from the team"
