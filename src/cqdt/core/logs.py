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


SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=False),
    add_request_id,
    redact_personal_data,
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


def logging_config(fmt: str, level: str) -> dict[str, Any]:
    """Django's ``LOGGING``: one handler on stderr, every logger through structlog's formatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structlog": formatter(fmt)},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structlog"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {name: {"level": "WARNING"} for name in QUIET_LOGGERS},
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
