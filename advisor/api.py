"""The JSON API: evaluate answers (and, optionally, the team's numbers) without saving
anything; and the JSON Schemas of what Advisor reads and writes, as docs/schemas/ holds them."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from advisor import selectors
from advisor.domain import costs, engine, schemas, text
from advisor.web import ratelimit
from advisor.web.inputs import checks_own_input


def _error(status: int, message: str, errors: dict[str, str] | None = None) -> JsonResponse:
    body: dict = {"error": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status)


# No session or cookie is involved and nothing is written, so CSRF protection has nothing to
# protect here; the endpoint is public by design. It reads and checks its raw body itself.
@checks_own_input
@login_not_required
@csrf_exempt
def evaluate(request: HttpRequest) -> JsonResponse:
    """POST {"answers": {question: value, ...}} and get the recommendation back as JSON.

    An optional "refine" object (docs/decision-rules.md, "The refine step") shapes the plan,
    the next steps and the confidence.

    An optional "estimate" object (the numbers step's fields and choices, with "model"
    naming a row of the price table, else its default row, "tuned_model" the row of the
    model to tune when it is another, and "latency_target_ms") adds the cost, latency and
    time-to-ship report under "estimate", with the price row's warnings ("price_warnings"),
    and counts where cost decides.

    Each address may make API_RATE_LIMIT_PER_MINUTE requests a minute (counted before the
    method or the body is looked at); past that, 429 with Retry-After.
    """
    if ratelimit.over_limit(request, scope="api", limit=settings.API_RATE_LIMIT_PER_MINUTE):
        response = _error(429, "Too many requests: wait a minute.")
        response["Retry-After"] = ratelimit.retry_after()
        return response
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
    # ValueError: json refuses integer literals of thousands of digits.
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _error(400, "The body must be a JSON object.")
    unstorable = {
        path: f"This {what} {problem}." for path, what, problem in text.document_problems(payload)
    }
    if unstorable:
        return _error(400, "Some text cannot be read.", unstorable)
    answers = payload.get("answers") if isinstance(payload, dict) else None
    if not isinstance(answers, dict):
        return _error(400, 'The body must be a JSON object with an "answers" object.')
    try:
        parsed = engine.Answers.from_mapping(answers)
    except engine.InvalidAnswers as error:
        return _error(400, "Some answers are missing or not valid.", error.errors)
    try:
        refinement = _read_refine(payload.get("refine"))
    except engine.InvalidAnswers as error:
        errors = {f"refine.{key}": message for key, message in error.errors.items()}
        return _error(400, "Some refine answers are not valid.", errors)
    if payload.get("estimate") is None:
        return JsonResponse(engine.evaluate(parsed, refinement=refinement).to_dict())
    try:
        estimate, options = _read_estimate(payload["estimate"], parsed, refinement)
    except costs.InvalidEstimate as error:
        errors = {f"estimate.{field}": message for field, message in error.errors.items()}
        return _error(400, "Some figures of the estimate are not valid.", errors)
    result, report = costs.estimate_advice(
        answers=parsed, estimate=estimate, refinement=refinement, **options
    )
    warnings = costs.price_warnings(
        estimate.prices, today=timezone.localdate(), tuned=estimate.tuned_prices
    )
    report = {**report, "price_warnings": list(warnings)}
    return JsonResponse({**result.to_dict(), "estimate": report})


def _read_refine(data: object) -> engine.Refinement:
    """The optional refine answers; InvalidAnswers names each bad key."""
    if data is None:
        return engine.Refinement()
    if not isinstance(data, dict):
        raise engine.InvalidAnswers({"refine": "Send the refine answers as an object."})
    return engine.Refinement.from_mapping(data)


def _read_estimate(
    data: object, answers: engine.Answers, refinement: engine.Refinement
) -> tuple[costs.CostInputs, dict]:
    """The cost model's estimate and options from the request; InvalidEstimate if not. The
    refine answers feed the defaults (the corpus size, how often the behaviour changes)."""
    if not isinstance(data, dict):
        raise costs.InvalidEstimate({"estimate": "Send the estimate as an object."})
    figures = dict(data)
    name = figures.pop("model", None)
    tuned_name = figures.pop("tuned_model", None)
    target = figures.pop("latency_target_ms", None)
    price = selectors.price_named(model=name)
    tuned = None if tuned_name is None else selectors.price_named(model=tuned_name)
    errors = {}
    if price is None:
        errors["model"] = "Name a model of the price table."
    if tuned_name is not None and tuned is None:
        errors["tuned_model"] = "Name a model of the price table, or leave it out."
    try:  # the latency budget checks the target (whole milliseconds, within bounds)
        costs.latency_budget(target_ms=target)
    except costs.InvalidEstimate as error:
        errors["latency_target_ms"] = error.errors["target_ms"]
    estimate = None
    if price is not None:
        try:
            estimate = selectors.estimate_build(
                answers={**answers.as_dict(), **refinement.as_dict()},
                price=price,
                tuned_price=tuned,
                data=figures,
            )
        except costs.InvalidEstimate as error:
            errors |= error.errors
    if errors or estimate is None:
        raise costs.InvalidEstimate(errors)
    return estimate, {"target_ms": target}


@require_safe
@login_not_required
def schema(request: HttpRequest, name: str) -> HttpResponse:
    """GET /api/v1/schemas/<name>.json: a JSON Schema of the export or of the API, public
    like the API itself (docs/schemas.md)."""
    if name not in schemas.SCHEMAS:
        return _error(404, f"No such schema; there are: {', '.join(schemas.SCHEMAS)}.")
    return HttpResponse(schemas.schema_text(name), content_type="application/schema+json")
