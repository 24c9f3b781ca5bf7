"""Logs: the request id every line of a request carries, and one JSON object a line (LOG_FORMAT=json).

Imported by the logging configuration itself (settings.LOGGING), before Django's apps are loaded: nothing
here may import a model.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from celery import current_task
from django.core.signals import request_finished

request_id = ContextVar("request_id", default="")
# What a proxy or a load balancer may hand over as the request's id; anything else is replaced.
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


class RequestIdMiddleware:
    """Each request gets an id: the one its X-Request-ID header brings, when valid, or a new one.

    It is returned in the response's X-Request-ID header, so a person reporting a problem can quote it.
    It is kept until the response is sent, not only while the middleware runs: Django logs 4xx and 5xx
    answers ("Not Found: /...") after the middleware chain returned.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id.set(given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id.get()
        return response


def request_id_forget(**kwargs):
    request_id.set("")


request_finished.connect(request_id_forget, dispatch_uid="lms.logs.request_id_forget")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: what log collectors parse without guessing where a message ends."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get() or None,
            "task_id": current_task.request.id if current_task else None,
            "task_name": current_task.name if current_task else None,
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False)
