"""Teams, their members' roles, and the invite links that bring people in."""

from __future__ import annotations

import ipaddress
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from advisor.models.tokens import TokenQuerySet
from advisor.tokens import TOKEN_MAX_LENGTH, new_token


class Role(models.TextChoices):
    """What a member may do in a team; each role can do everything the one below can."""

    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"

    @property
    def rank(self) -> int:
        return {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}[self]

    def allows(self, needed: Role) -> bool:
        return self.rank >= Role(needed).rank


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/Berlin or UTC.")


def validate_webhook_url(value: str) -> None:
    """An https address on the internet: the worker posts the team's messages to it, so it
    must not be turned against the machine it runs on or its network (docs/security.md)."""
    # A code of its own: the form would show its generic "Enter a valid URL." for "invalid".
    URLValidator(schemes=["https"], message="Give an https:// address.", code="not_https")(value)
    host = (urlsplit(value).hostname or "").lower()
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise ValidationError("Give the address of a service on the internet, not a local one.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return
    if not address.is_global:
        raise ValidationError("Give the address of a service on the internet, not a local one.")


class Team(models.Model):
    name = models.CharField(max_length=120)
    # The team's own clock: its daily review digest goes out at the digest hour there.
    time_zone = models.CharField(
        max_length=64, default="UTC", db_default="UTC", validators=[validate_time_zone]
    )
    # A Slack-compatible incoming webhook for "decision completed" and "review due" messages.
    webhook_url = models.URLField(
        max_length=500, blank=True, db_default="", validators=[validate_webhook_url]
    )
    # Members without two-factor sign-in are sent to set it up before any page of the team.
    require_two_factor = models.BooleanField(default=False, db_default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("advisor:team_detail", args=[self.pk])


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.team_id} as {self.role}"


INVITE_DAYS = 7


class Invite(models.Model):
    """A one-time link that makes whoever opens it (signed in) a member with `role`."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=TOKEN_MAX_LENGTH, unique=True, default=new_token)
    role = models.CharField(max_length=10, choices=Role, default=Role.EDITOR)
    note = models.CharField(max_length=120, blank=True)
    # Where the invite was emailed; invites made before emails existed have none.
    email = models.EmailField(blank=True, db_default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invite to {self.team_id} as {self.role}"

    def get_absolute_url(self) -> str:
        return reverse("advisor:invite_accept", args=[self.token])

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
