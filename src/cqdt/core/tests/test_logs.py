"""Logs: one JSON object per line in production, the request id on every line, no personal data."""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog

from cqdt.core import logs
from cqdt.core.context import request_id_var


@pytest.fixture
def json_lines():
    """Route the root logger through the production (JSON) formatter into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    config = logs.formatter("json")
    factory = config.pop("()")
    handler.setFormatter(factory(**config))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    structlog.reset_defaults()
    logs.configure()
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_a_structlog_event_is_one_json_line_with_the_request_id(json_lines) -> None:
    token = request_id_var.set("req-42")
    try:
        logs.get_logger("cqdt.test").info("dossier_received", dossier="000010001", count=3)
    finally:
        request_id_var.reset(token)
    [line] = [x for x in json_lines() if x["event"] == "dossier_received"]
    assert line["request_id"] == "req-42"
    assert line["level"] == "info" and line["logger"] == "cqdt.test"
    assert line["dossier"] == "000010001" and line["count"] == 3
    assert "timestamp" in line


def test_personal_data_is_redacted_whatever_the_caller_passes(json_lines) -> None:
    logs.get_logger("cqdt.test").warning(
        "careless", full_name="Nguyễn Văn A", phone="0912345678", id_number="001099012345"
    )
    raw = json.dumps(json_lines(), ensure_ascii=False)
    for value in ("Nguyễn Văn A", "0912345678", "001099012345"):
        assert value not in raw
    [line] = [x for x in json_lines() if x["event"] == "careless"]
    assert line["phone"] == logs.REDACTED


def test_stdlib_records_share_the_format(json_lines) -> None:
    logging.getLogger("django.request").error("Internal Server Error: %s", "/x")
    [line] = [x for x in json_lines() if x["logger"] == "django.request"]
    assert line["event"] == "Internal Server Error: /x" and line["level"] == "error"


@pytest.mark.django_db
def test_the_access_log_has_the_path_without_its_query_and_no_user_name(client, json_lines) -> None:
    response = client.get("/healthz?secret=abc123", HTTP_X_REQUEST_ID="trace-7")
    assert response["X-Request-ID"] == "trace-7"
    [line] = [x for x in json_lines() if x["event"] == "request"]
    assert line == line | {
        "path": "/healthz",
        "method": "GET",
        "status": response.status_code,
        "request_id": "trace-7",
        "user_id": None,
    }
    assert "abc123" not in json.dumps(json_lines())


def test_every_logging_config_quiets_the_narrating_libraries() -> None:
    """prod.py rebuilds LOGGING for JSON: the PDF libraries' step-by-step INFO stays out there too."""
    for fmt in ("json", "console"):
        loggers = logs.logging_config(fmt, "INFO")["loggers"]
        assert loggers["weasyprint"] == {"level": "WARNING"}
        assert loggers["fontTools"] == {"level": "WARNING"}
