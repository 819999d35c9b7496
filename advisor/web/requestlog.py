"""A request id on every log line, and one JSON object per line.

The id comes from the proxy's X-Request-ID when it looks like one (so a line in the proxy's log
and a line here can be matched), else it is drawn fresh; it goes back in the response's
X-Request-ID header. Every record logged while the request is handled carries it, whichever
logger wrote it, because a handler filter stamps it from a context variable.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
NO_REQUEST = "-"
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

logger = logging.getLogger("advisor.request")

# Attributes every LogRecord has; anything else on a record was passed in `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Give the request an id, log one line when it ends, return the id in a header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Django logs 4xx and 5xx responses after the middleware has returned, so the id is
        # kept until the response is closed rather than dropped on the way out.
        request_finished.connect(_forget_request_id, dispatch_uid="advisor.web.requestlog")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
        _request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = request_id
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


def _forget_request_id(**kwargs) -> None:
    _request_id.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """Stamp the current request's id on every record (NO_REQUEST outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        entry |= {key: value for key, value in vars(record).items() if key not in _STANDARD}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
