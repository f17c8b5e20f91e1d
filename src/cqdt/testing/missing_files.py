"""What the log says when a stored file is gone (``stored_file_missing``): the same checks for a
dossier's attachment and a report's photo, on the filesystem and on S3."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

# The start of the file_missing refusal's sentence, in Vietnamese and in English.
MISSING_VI = "Tệp này hiện không có trong kho lưu trữ nên không mở được"
MISSING_EN = "This file is not available in the file store, so it cannot be opened"


def missing_file_lines(
    caplog: Any, operation: str, public_id: object, hidden: Iterable[str]
) -> list[logging.LogRecord]:
    """The ``stored_file_missing`` lines captured by ``caplog``. Each is an error naming
    ``operation`` and the file's ``public_id``, and names none of ``hidden`` (the file's name,
    where it was stored, the person's data)."""
    hidden = list(hidden)
    records = [r for r in caplog.records if "stored_file_missing" in r.getMessage()]
    for r in records:
        line = r.getMessage()
        assert r.levelno == logging.ERROR and operation in line
        assert str(public_id) in line
        assert not [value for value in hidden if value in line], line
    return records


def missing_page(client: Any, url: str, caplog: Any) -> Any:
    """``url``, a page whose stored file is gone, asked in Vietnamese and in English (warnings
    captured by ``caplog``): each a 404 with the refusal's sentence in its language. The
    Vietnamese page."""
    with caplog.at_level(logging.WARNING):
        page = client.get(url)
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 404 and MISSING_VI in page.content.decode()
    assert english.status_code == 404 and MISSING_EN in english.content.decode()
    return page
