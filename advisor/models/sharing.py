"""Read-only links to a completed decision for people without an account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from advisor.models.decisions import Decision
from advisor.models.tokens import TokenQuerySet
from advisor.tokens import TOKEN_MAX_LENGTH, new_token


class ShareLinkQuerySet(TokenQuerySet):
    def live(self) -> ShareLinkQuerySet:
        """Links that open: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class ShareLink(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=TOKEN_MAX_LENGTH, unique=True, default=new_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Whether the page and its JSON show the cost figures (advisor.domain.costs.withheld),
    # chosen when the link is made: off unless the editor ticks it. The database's default is
    # True, so the links made before the choice existed (and any the previous release makes
    # while this one deploys) keep showing them, as they always did.
    include_costs = models.BooleanField(default=False, db_default=True)
    view_count = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Share link {self.pk} of decision {self.decision_id}"

    def get_absolute_url(self) -> str:
        return reverse("advisor:share_page", args=[self.token])

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )
