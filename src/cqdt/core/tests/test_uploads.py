"""core.uploads: the type from the content, and the optional ClamAV hook over clamd's socket."""

import socket
import threading

import pytest

from cqdt.core import uploads
from cqdt.core.errors import InvalidInput, RuleViolation


def test_the_type_comes_from_the_content_not_the_name():
    assert uploads.sniff(b"%PDF-1.7\n...") == uploads.PDF
    assert uploads.sniff(b"\xff\xd8\xff\xe0....") == uploads.JPEG
    assert uploads.sniff(b"\x89PNG\r\n\x1a\n....") == uploads.PNG
    assert uploads.sniff(b"MZ\x90\x00 This program cannot be run in DOS mode") is None


def fake_clamd(path, reply: bytes):
    """A one-connection clamd that reads an INSTREAM and answers ``reply``."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    received = []

    def serve():
        conn, _ = server.accept()
        with conn:
            data = b""
            while not data.endswith(b"\0\0\0\0"):
                data += conn.recv(65536)
            received.append(data)
            conn.sendall(reply + b"\0")
        server.close()

    threading.Thread(target=serve, daemon=True).start()
    return received


def test_without_cqdt_clamd_no_scan_is_made_and_it_says_so(monkeypatch):
    monkeypatch.delenv("CQDT_CLAMD", raising=False)
    assert uploads.scan(b"%PDF-1.7", field="f", name="a.pdf") == "skipped"


def test_a_file_clamd_flags_is_refused_naming_it(monkeypatch, tmp_path):
    path = tmp_path / "clamd.sock"
    received = fake_clamd(path, b"stream: Eicar-Test-Signature FOUND")
    monkeypatch.setenv("CQDT_CLAMD", str(path))
    with pytest.raises(InvalidInput) as refused:
        uploads.scan(b"X5O!P%@AP", field="f", name="eicar.pdf")
    assert "eicar.pdf" in refused.value.vi and refused.value.code == "malware_found"
    assert received[0].startswith(b"zINSTREAM\0")


def test_a_clean_file_passes_and_a_dead_daemon_refuses(monkeypatch, tmp_path):
    path = tmp_path / "clamd.sock"
    fake_clamd(path, b"stream: OK")
    monkeypatch.setenv("CQDT_CLAMD", str(path))
    assert uploads.scan(b"%PDF-1.7", field="f", name="a.pdf") == "clean"
    monkeypatch.setenv("CQDT_CLAMD", str(tmp_path / "none.sock"))
    with pytest.raises(RuleViolation):
        uploads.scan(b"%PDF-1.7", field="f", name="a.pdf")
