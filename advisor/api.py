"""The JSON API: evaluate answers without saving anything."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from advisor import engine


def _error(status: int, message: str, errors: dict[str, str] | None = None) -> JsonResponse:
    body: dict = {"error": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status)


# No session or cookie is involved and nothing is written, so CSRF protection has nothing to
# protect here; the endpoint is public by design.
@csrf_exempt
def evaluate(request: HttpRequest) -> JsonResponse:
    """POST {"answers": {question: value, ...}} and get the recommendation back as JSON."""
    if request.method != "POST":
        response = _error(405, "Use POST with a JSON body.")
        response["Allow"] = "POST"
        return response
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not (declared.isascii() and declared.isdigit()):
        return _error(400, "The Content-Length header is not a number.")
    # Checking the digits first keeps int() away from absurdly long numbers.
    if len(declared) > 9 or int(declared) > settings.API_MAX_BODY_BYTES:
        return _error(413, f"The body must be at most {settings.API_MAX_BODY_BYTES} bytes.")
    try:
        payload = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return _error(400, "The body must be a JSON object.")
    answers = payload.get("answers") if isinstance(payload, dict) else None
    if not isinstance(answers, dict):
        return _error(400, 'The body must be a JSON object with an "answers" object.')
    try:
        result = engine.evaluate(engine.Answers.from_mapping(answers))
    except engine.InvalidAnswers as error:
        return _error(400, "Some answers are missing or not valid.", error.errors)
    return JsonResponse(result.to_dict())
