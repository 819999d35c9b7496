"""advisor.forms.renderer writes the HTML Django's widget templates would, byte for byte.

The app's pages with forms are fetched twice, once with the app's renderer and once with Django's
own, and the two pages compared (CSRF tokens and CSP nonces, which change on every request,
set aside): unbound forms, forms bound with errors, selects with and without a choice. Below
them, the widgets themselves with values a page could carry (markup, quotes, marked-safe
text, True and False attributes, optgroups)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.core.cache import cache
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.forms.renderer import FormRenderer
from tests.conftest import client_for
from tests.factories import ProjectFactory, completed_decision

DJANGO = "django.forms.renderers.DjangoTemplates"
APP = "advisor.forms.renderer.FormRenderer"
CHANGING = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+')


def _both(client, method: str, url: str, data: dict | None = None) -> tuple[str, str]:
    pages = []
    for renderer in (DJANGO, APP):
        cache.clear()  # no page part cached by the first render is read by the second
        with override_settings(FORM_RENDERER=renderer):
            response = getattr(client, method)(url, data or {})
        pages.append(CHANGING.sub(r"\1…", response.content.decode()))
    return pages[0], pages[1]


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "project", None),
        ("get", "project", {"status": "nope", "started_from": "2026-13-01", "author": "x"}),
        ("get", "project", {"approach": "rag", "started_to": "2026-12-01"}),
        ("post", "start", {"title": "x" * 1000}),
        ("get", "result", None),
        ("post", "share", {"expires": "later", "note": "<b>x</b>"}),
        ("post", "comment", {"body": ""}),
        ("get", "search", {"q": "<script>", "approach": "rag"}),
        ("get", "search", {"status": "wrong"}),
        ("get", "dashboard", {"period": "bad"}),
        ("get", "team", None),
        ("post", "settings", {"review_days": "-1", "require_two_factor": "maybe"}),
        ("get", "new_project", None),
        ("post", "new_project", {"name": "", "description": "\"quoted\" & 'single'"}),
        ("get", "step", None),
    ],
)
def test_every_form_renders_as_djangos_templates_would(user, team, project, method, url, data):
    decision = completed_decision(project=project, created_by=user)
    unfinished = ProjectFactory(team=team, created_by=user).decisions.create(
        title="Open", created_by=user
    )
    urls = {
        "project": reverse("advisor:project_detail", args=[project.pk]),
        "start": reverse("advisor:decision_create", args=[project.pk]),
        "result": decision.get_absolute_url(),
        "share": reverse("advisor:share_create", args=[decision.pk]),
        "comment": reverse("advisor:comment_create", args=[decision.pk]),
        "search": reverse("advisor:search"),
        "dashboard": reverse("advisor:team_dashboard", args=[team.pk]),
        "team": reverse("advisor:team_detail", args=[team.pk]),
        "settings": reverse("advisor:team_settings", args=[team.pk]),
        "new_project": reverse("advisor:project_create"),
        "step": reverse("advisor:decision_step", args=[unfinished.pk, 1]),
    }
    django_page, app_page = _both(client_for(user), method, urls[url], data)
    assert "<input" in django_page or "<select" in django_page or "<textarea" in django_page
    assert app_page == django_page


def _render(widget: forms.Widget, value, renderer) -> str:
    return widget.render("field", value, attrs={"id": "id_field"}, renderer=renderer)


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
VALUES = st.one_of(st.none(), TEXT, st.integers(), TEXT.map(mark_safe))
ATTRS = st.dictionaries(
    st.sampled_from(["class", "placeholder", "required", "disabled", "aria-describedby", "max"]),
    st.one_of(st.booleans(), TEXT, st.integers(), TEXT.map(mark_safe)),
)
WIDGETS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.DateInput,
    forms.TimeInput,
    forms.DateTimeInput,
    forms.CheckboxInput,
    forms.HiddenInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.Textarea,
]


@settings(max_examples=150, deadline=None)
@given(widget=st.sampled_from(WIDGETS), value=VALUES, attrs=ATTRS)
def test_inputs_and_textareas_match_djangos_templates(widget, value, attrs):
    expected = _render(widget(attrs=attrs), value, DjangoTemplates())
    assert _render(widget(attrs=attrs), value, FormRenderer()) == expected


CHOICES = st.lists(st.tuples(st.one_of(TEXT, st.integers()), TEXT), max_size=5)
GROUPS = st.lists(st.tuples(TEXT, CHOICES), max_size=3)


@settings(max_examples=150, deadline=None)
@given(
    choices=st.one_of(CHOICES, GROUPS.map(lambda groups: [(g, list(c)) for g, c in groups])),
    value=VALUES,
    attrs=ATTRS,
)
def test_selects_match_djangos_templates(choices, value, attrs):
    expected = _render(forms.Select(attrs=attrs, choices=choices), value, DjangoTemplates())
    rendered = _render(forms.Select(attrs=attrs, choices=choices), value, FormRenderer())
    assert rendered == expected


def test_other_widgets_are_left_to_djangos_templates():
    radios = forms.RadioSelect(choices=[("a", "A"), ("b", "B")])
    assert _render(radios, "a", FormRenderer()) == _render(radios, "a", DjangoTemplates())
