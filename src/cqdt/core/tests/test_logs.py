"""Logs: one JSON object per line in production, the request id on every line, no personal data."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging

import pytest
import structlog

from cqdt.core import logs
from cqdt.core.context import request_id_var


@pytest.fixture
def json_lines():
    """Route the root logger through the production (JSON) formatter into a buffer, from INFO up
    as in production (the test settings' root level is WARNING). Each test asserts the lines it
    expects were written: one that proves something stays out of the logs fails on no log."""
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
    # With its offset: a log store would read a bare local time as UTC, seven hours off.
    moment = dt.datetime.fromisoformat(line["timestamp"])
    assert moment.utcoffset() == dt.timedelta(hours=7)  # Asia/Ho_Chi_Minh, TIME_ZONE
    assert abs(moment - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


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


SECRET = "Zq7SECRETvalue42"


def _served_once(path: str) -> None:
    """One GET to the development server (``cqdt runserver``: Django's own WSGI server and request
    handler, which logs every request line on ``django.server``), as an outside client."""
    import http.client
    import threading

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    # The application as runserver builds it, without django.setup() again (get_wsgi_application
    # would reconfigure logging and drop the test's capture).
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", path)
        connection.getresponse().read()
        connection.close()
    finally:
        thread.join(10)
        server.server_close()


@pytest.mark.django_db(transaction=True)
def test_the_development_server_logs_no_lookup_secret_from_a_query_string(caplog) -> None:
    # Found by trying `make run` as a client: runserver's access line carried ?secret=.
    server_log = logging.getLogger("django.server")  # not propagated: caplog listens on it
    attached = caplog.handler not in server_log.handlers
    if attached:
        server_log.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO):
            _served_once(f"/api/v1/public/dossiers/H26.001.00001-260302-0001?secret={SECRET}")
    finally:
        if attached:
            server_log.removeHandler(caplog.handler)
    lines = [r for r in caplog.records if r.name == "django.server"]
    assert lines, "the development server logged the request line"
    assert "/api/v1/public/dossiers/H26.001.00001-260302-0001?secret=[redacted]" in caplog.text
    assert SECRET not in caplog.text
    assert all(SECRET not in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_error_lines_and_our_events_carry_no_query_values(client, caplog, json_lines) -> None:
    with caplog.at_level(logging.INFO):
        client.get(f"/api/v1/public/dossiers/NO-SUCH-CODE?secret={SECRET}")  # a 404: warned
        client.get(f"/no-such-page/?secret={SECRET}&code=H26")
        logging.getLogger("cqdt.test").warning("Fetched %s", f"/lookup/?secret={SECRET}")
        logs.get_logger("cqdt.test").info("careless", url=f"/x?t={SECRET}&h=1")
    written = json_lines()
    # Each request's line and Django's warning of its 404 were written, without the query.
    assert {x["path"] for x in written if x["event"] == "request"} >= {
        "/api/v1/public/dossiers/NO-SUCH-CODE",
        "/no-such-page/",
    }
    assert {x["event"] for x in written if x["logger"] == "django.request"} >= {
        "Not Found: /api/v1/public/dossiers/NO-SUCH-CODE",
        "Not Found: /no-such-page/",
    }
    rendered = json.dumps(written, ensure_ascii=False)
    assert SECRET not in rendered
    assert "/lookup/?secret=[redacted]" in rendered and "/x?t=[redacted]&h=[redacted]" in rendered


def test_a_query_string_in_text_keeps_its_names_and_loses_its_values() -> None:
    line = '"GET /lookup/?code=H26.1&secret=abc HTTP/1.1" 200 12'
    assert logs.redact_query(line) == (
        '"GET /lookup/?code=[redacted]&secret=[redacted] HTTP/1.1" 200 12'
    )
    assert logs.redact_query("Is it done? Yes = 1") == "Is it done? Yes = 1"
    assert logs.redact_query("no query here") == "no query here"


def test_a_production_servers_access_line_with_the_query_is_redacted_too(caplog) -> None:
    # granian's access logger, when an operator turns it on with the query in its format: its
    # arguments are a mapping, merged by the filter before any handler sees the record.
    access = logging.getLogger("granian.access")
    attached = caplog.handler not in access.handlers
    if attached:
        access.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO):
            access.info(
                '"%(method)s %(path)s?%(query_string)s" %(status)d',
                {
                    "method": "GET",
                    "path": "/lookup/",
                    "query_string": f"secret={SECRET}",
                    "status": 200,
                },
            )
    finally:
        if attached:
            access.removeHandler(caplog.handler)
    assert '"GET /lookup/?secret=[redacted]" 200' in caplog.text and SECRET not in caplog.text


@pytest.mark.parametrize(
    "line",
    [
        "GET /lookup/?q=O'Hara-secret HTTP/1.1",
        "GET /lookup/?q=a;secret-tail HTTP/1.1",
        "GET /lookup/?q=a<secret-tail>&b=1 HTTP/1.1",
    ],
)
def test_a_query_value_is_redacted_whole_whatever_it_holds(line):
    """A value ran only to an apostrophe, ";", "<" or ">", leaving its tail in the log (found
    by hreview in ce14867)."""
    from cqdt.core.logs import redact_query

    redacted = redact_query(line)
    assert "secret" not in redacted and "Hara" not in redacted, redacted
    assert redacted.startswith("GET /lookup/?q=[redacted]") and redacted.endswith(" HTTP/1.1")


def test_a_badly_formatted_request_line_log_call_does_not_raise():
    import logging

    from cqdt.core.logs import QueryRedactingFilter

    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, "%s %s ?secret=%s", ("GET",), None
    )
    assert QueryRedactingFilter().filter(record) is True
    assert "[redacted]" in record.getMessage()
