"""One gate for text that cannot be stored (advisor/domain/text.py), in front of every view.

Before a view runs, every path parameter, query-string parameter (names and values), posted
field name and uploaded file name is checked. The first that holds a NUL byte or a lone
surrogate ends the request with 400 and a message naming it; the view never runs, so nothing is
read with it or written.

Posted field values are the forms' to check, so the error stands next to its field with the
rest of the form as typed: every text field of a Django form refuses a NUL byte, and choice,
number and date fields refuse anything not theirs. A lone surrogate cannot arrive in a form at
all (Django decodes form bodies with replacement characters). JSON bodies are not forms: the API
and the import check their documents with `text.document_problems`. tests/test_fuzz.py holds
the whole arrangement to "no 5xx, nothing written" on SQLite and PostgreSQL.

Views that check their own input say so with `@checks_own_input`, and only their query string
is checked here: those that look a token up by its address (share pages, invites) answer any
token that does not open, however malformed, with their own "not found" page, headers and rate
limit, their lookups refusing a malformed token before any query (`advisor.tokens.well_formed`);
the API reads its own raw body, limited before it is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from advisor.domain.text import printable_name, text_problem

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def checks_own_input(view: Callable) -> Callable:
    """Mark a view that answers malformed path parameters and bodies itself."""
    view.checks_own_input = True
    return view


class BadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(self, request, response):
        """A form posted and shown again with its errors is a refusal: 400, not 200. The app's
        views say so themselves; this covers the library views that render a TemplateResponse
        (allauth's sign-in, sign-up and password pages)."""
        context = response.context_data or {}
        shown_again = any(
            getattr(value, "errors", None)
            for value in context.values()
            if hasattr(value, "is_bound")
        )
        if request.method == "POST" and response.status_code == 200 and shown_again:
            response.status_code = 400
        return response

    def process_view(self, request, view_func, view_args, view_kwargs) -> HttpResponse | None:
        own = getattr(view_func, "checks_own_input", False)
        for field, value in _fields(request, {} if own else view_kwargs, body=not own):
            problem = text_problem(value)
            if problem:
                return refusal(request, field, problem)
        return None


def _fields(request: HttpRequest, path: dict, *, body: bool) -> Iterator[tuple[str, str]]:
    """(what to call it, text) for each piece of input the request carries."""
    for value in path.values():
        if isinstance(value, str):
            yield "the page address", value
    for name, values in request.GET.lists():
        label = f"the address's parameter “{printable_name(name)}”"
        yield f"the name of {label}", name
        for value in values:
            yield label, value
    if body and request.method in {"POST", "PUT", "PATCH"} and request.content_type in FORM_TYPES:
        for name in request.POST:
            yield "the name of a field", name
        for name, upload in request.FILES.items():
            yield "the name of a field", name
            yield f"the name of the file in “{printable_name(name)}”", upload.name or ""


def refusal(request: HttpRequest, field: str, problem: str) -> HttpResponse:
    """400 naming the field. htmx gets plain text with 422, which htmx does not swap in and
    advisor.js shows above the page, so what the person typed stays in the form."""
    message = f"Nothing was saved: {field} {problem}."
    if getattr(request, "htmx", False):
        return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
    return render(request, "400.html", {"message": message}, status=400)
