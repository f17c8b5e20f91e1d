"""Logging through structlog: named events with fields, JSON in production, readable in development.

Every line carries the request id (``core.context``; the ``X-Request-ID`` the response returns) so
an operator can join a user's report, the access log and the audit trail. Django's and the
libraries' own ``logging`` records go through the same renderer (``ProcessorFormatter``), so the
output is one format.

Personal data never goes into logs (the project's rule, and Decree 13/2023/NĐ-CP on personal data
protection): fields whose names say they hold names, ID numbers, phones, addresses or e-mail
are replaced by ``"[redacted]"`` before rendering, whatever the caller passed; callers log ids and
counts, never the person.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import MutableMapping
from typing import Any

import structlog

from cqdt.core.context import current_request_id

# Field names that may carry personal data; matched on the whole key, case-insensitively.
PERSONAL_KEYS = frozenset(
    {
        "full_name",
        "name",
        "applicant",
        "applicant_name",
        "citizen",
        "id_number",
        "identity_number",
        "cccd",
        "phone",
        "phone_number",
        "address",
        "email",
        "recipient",
        "username",
        "password",
        "secret",
        "token",
    }
)
REDACTED = "[redacted]"


def add_request_id(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Bind the current request's id (empty outside a request: commands, workers)."""
    request_id = current_request_id()
    if request_id and "request_id" not in event:
        event["request_id"] = request_id
    return event


def redact_personal_data(
    _: Any, __: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in list(event):
        if key.lower() in PERSONAL_KEYS:
            event[key] = REDACTED
    return event


# A URL's query string inside logged text: "?" then name=value pairs up to a space, a double
# quote (the quoted request line of an access log) or a fragment. Its values are dropped, its
# names kept (what was asked, not with what). An apostrophe, "<", ">" or ";" does not end a value
# (browsers send an apostrophe unencoded: a name searched for, "Nguyễn Thị O'Hara", must not leave
# its tail in the log), so a value runs to the next "&".
_QUERY = re.compile(r"\?[^\s\"#]*")
_QUERY_VALUE = re.compile(r"=[^&]*")


def redact_query(text: str) -> str:
    """``text`` with the values of every URL query string in it replaced: a citizen's look-up
    secret (``?secret=``), an invitation's (``?t=``), a sign-in code (``?code=``), a name typed
    into a search travel there, and none of them may reach a log. ``GET /x?secret=abc HTTP/1.1``
    becomes ``GET /x?secret=[redacted] HTTP/1.1``."""
    if "?" not in text or "=" not in text:
        return text
    return _QUERY.sub(lambda m: _QUERY_VALUE.sub("=" + REDACTED, m.group(0)), text)


def redact_query_values(
    _: Any, __: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Every text field of an event (the message of a library's record too) through
    :func:`redact_query`."""
    for key, value in list(event.items()):
        if isinstance(value, str) and not key.startswith("_"):
            event[key] = redact_query(value)
    return event


class QueryRedactingFilter(logging.Filter):
    """On a logger whose lines carry request lines (the development server's ``django.server``,
    a production server's access logger): the record's message, its arguments merged, through
    :func:`redact_query` — before any handler, formatter or test capture sees the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a badly formatted call must not fail the request
            message = f"{record.msg} {record.args!r}"
        redacted = redact_query(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def add_timestamp(
    logger: Any, method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """The moment of the line in ISO 8601 with its UTC offset, to the millisecond:
    ``2026-12-07T12:14:23.522+07:00`` — the process's local time (Django sets it to
    ``TIME_ZONE``, Asia/Ho_Chi_Minh), as the operators read it, and unambiguous for a log
    store that would take an offset-less time for UTC (seven hours off)."""
    event["timestamp"] = dt.datetime.now().astimezone().isoformat(timespec="milliseconds")
    return event


SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    add_timestamp,
    add_request_id,
    redact_personal_data,
    redact_query_values,
]


def formatter(fmt: str) -> dict[str, Any]:
    """The ``LOGGING`` formatter entry: ``json`` (production) or ``console`` (development)."""
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
        "foreign_pre_chain": SHARED_PROCESSORS,
    }


# Libraries that narrate every step at INFO (PDF rendering, font subsetting, signing): warnings only,
# whichever settings module builds ``LOGGING`` (prod.py rebuilds it).
QUIET_LOGGERS = ("weasyprint", "fontTools", "pyhanko")


# Loggers that write request lines, query strings included: the development server's (Django
# gives it a handler and format of its own, which would bypass the formatter's redaction) and
# the production servers' access logs when an operator turns them on.
REQUEST_LINE_LOGGERS = ("django.server", "granian.access", "gunicorn.access", "uvicorn.access")


def logging_config(fmt: str, level: str) -> dict[str, Any]:
    """Django's ``LOGGING``: one handler on stderr, every logger through structlog's formatter;
    request lines with their query values redacted (:class:`QueryRedactingFilter`)."""
    loggers: dict[str, Any] = {name: {"level": "WARNING"} for name in QUIET_LOGGERS}
    for name in REQUEST_LINE_LOGGERS:
        loggers[name] = {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_query"],
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_query": {"()": QueryRedactingFilter}},
        "formatters": {"structlog": formatter(fmt)},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structlog"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": loggers,
    }


def configure() -> None:
    """structlog's own loggers hand their events to ``logging`` (configured by ``LOGGING``)."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)
