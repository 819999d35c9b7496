"""Django's form renderer, with the widgets the pages show most written out in Python.

Django draws each widget with its template engine: a text box is three templates (the type's,
input.html and attrs.html) and a loop over its attributes, a select one more per option. On
the project page the filter form's widgets alone took a tenth of the page. This renderer
writes the same HTML for the templates in WRITERS (inputs, textareas and selects of plain
options) and leaves every other template (radios, checkboxes in a list, file inputs, whole
forms) to Django's. tests/test_form_renderer.py fetches the app's pages with forms both ways,
unbound and bound with errors, and compares them byte for byte, and compares the widgets
themselves over generated values and attributes.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

OPTION = "django/forms/widgets/select_option.html"


def _value(value: object) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless it is marked safe."""
    return str(value) if isinstance(value, SafeData) else conditional_escape(str(value))


def _attrs(attrs: dict) -> str:
    """attrs.html: `name="value"` for each attribute, the name alone for True, none for
    False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_value(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_value(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{_value(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(localize(option['label']))}</option>\n"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


INPUTS = (
    "text",
    "number",
    "email",
    "date",
    "time",
    "datetime",
    "hidden",
    "url",
    "password",
    "search",
    "tel",
    "checkbox",
)
WRITERS = {f"django/forms/widgets/{kind}.html": _input for kind in INPUTS} | {
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class FormRenderer(DjangoTemplates):
    """DjangoTemplates, but for the widget templates in WRITERS (settings.FORM_RENDERER)."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        html = write(context["widget"]) if write else None
        if html is None:
            return super().render(template_name, context, request=request)
        return html
