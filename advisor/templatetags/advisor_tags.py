from __future__ import annotations

from django import template
from django.http import HttpRequest

from advisor.domain.engine import Approach, Verdict
from advisor.models import Role

register = template.Library()


@register.filter
def approach_label(value: str | None) -> str:
    return Approach(value).label if value else ""


@register.filter
def verdict_label(value: str) -> str:
    return Verdict(value).label


@register.filter
def absolute(path: str, request: HttpRequest) -> str:
    """The full address of a path on this site, for links that are copied elsewhere."""
    return request.build_absolute_uri(path)


@register.filter
def role_label(value: str) -> str:
    return Role(value).label
