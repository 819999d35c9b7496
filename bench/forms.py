"""What a browser sends from a form on a page: every field with the value it was rendered with.

For the requests a page makes itself (htmx posting a form as the user types), so the bench
sends what the app rendered rather than a list of fields kept here by hand. Submit buttons are
left out, as a form posted by htmx on an `input` event carries none.
"""

from __future__ import annotations

from html.parser import HTMLParser

_NOT_SENT = {"submit", "button", "image", "reset", "file"}


def form_fields(html: str, action: str) -> dict[str, str]:
    """The fields of the form posting to `action` in `html`, as the browser would send them."""
    reader = _FormReader(action)
    reader.feed(html)
    reader.close()
    if not reader.found:
        raise RuntimeError(f"no form posts to {action}")
    return reader.fields


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.found = False
        self.inside = False
        self.fields: dict[str, str] = {}
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = attributes.get("action") == self.action
            self.found |= self.inside
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields[name] = attributes.get("value") or "on"
            elif kind not in _NOT_SENT:
                self.fields[name] = attributes.get("value", "")
        elif tag == "select" and name:
            self.select, self.first_option = name, None
        elif tag == "option" and self.select:
            value = attributes.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in attributes:
                self.fields[self.select] = value
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            # A select with no option marked selected sends its first.
            self.fields.setdefault(self.select, self.first_option or "")
            self.select = None
        elif tag == "textarea":
            self.textarea = None
