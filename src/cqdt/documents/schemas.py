"""The answers of the documents API, typed (issue 11, item 5): the JSON is the one of api.py."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from cqdt.core.schemas import Bilingual, Text

# Whether a document was made from demo data: the register entry and the staff's answer say it
# in the same words.
DemoMark = Annotated[
    bool,
    Field(
        description="Made from demo data (a demo dossier's result, by the demo loader): no legal "
        "effect; its PDF says so on every page."
    ),
]


class PublicDocument(Schema):
    """The register entry anyone holding the QR code may see; nothing about the applicant."""

    id: Text
    number: int
    symbol: Text
    number_line: Text
    kind: Text
    issuer: Text
    issued_on: dt.date
    signature_block: Text | None
    signer: Text | None
    signed_at: dt.datetime | None
    status: Text
    withdrawn: bool
    withdrawn_at: dt.datetime | None
    sha256: Text | None
    verify_url: Text
    is_demo: DemoMark


class VerificationOut(Schema):
    valid: bool = Field(description="Cryptographically sound and intact.")
    intact: bool = Field(description="The bytes are those that were signed.")
    trusted: bool = Field(
        description="The signature chains to a trusted root and its certificate is not the test "
        "CA's: false for a test signature, which has no legal effect."
    )
    test_ca: bool = Field(
        description="A signature's certificate is the test CA's (development, demo): the document "
        "has no legal effect, whatever valid and intact say."
    )
    note: Bilingual | None = Field(
        description="What the answer means for a reader, when it is not a trusted signature."
    )
    signed_by: Text | None
    signed_at: dt.datetime | None
    signatures: int
    sha256: Text
    document: PublicDocument | None = Field(
        description="The register entry when this platform signed exactly this file."
    )


class DocumentOut(Schema):
    id: Text
    number: int
    symbol: Text
    number_line: Text
    kind: Text
    title: Text
    issued_on: dt.date
    unit_code: Text
    status: Text
    signature_block: Text | None
    signed_by: Text | None
    signed_at: dt.datetime | None
    sha256: Text | None
    dossier: Text | None = Field(description="The dossier's code, when it is a dossier's result.")
    pdf_url: Text | None = Field(description="Null until signed.")
    verify_url: Text
    is_demo: DemoMark


class DocumentList(Schema):
    items: list[DocumentOut]


class BatchOutcomeOut(Schema):
    code: Text
    ok: bool
    document: DocumentOut | None
    error: dict[str, Any] | None = Field(description="The refusal, in the API's error shape.")


class SignBatchOut(Schema):
    signed: int
    refused: int
    items: list[BatchOutcomeOut]


PDF_ANSWER = {
    "responses": {
        200: {
            "description": "The signed PDF (`X-Content-SHA256` carries its digest).",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class RegisterOut(Schema):
    """The outgoing register as JSON (``format=xlsx`` answers the same rows as a spreadsheet)."""

    unit: Text
    year: int
    columns: list[Text]
    rows: list[list[Any]]
    entries_from: dt.date | None = Field(
        None,
        description="Set when the register's unit has held this reused code only since a day of "
        "the year (Phường Hồng Hà's 00097 in 2025: 2025-07-01): the rows are those issued from "
        "that day, numbered from 01; the earlier holder's entries are its own register "
        "(docs/decisions/0025, QA Q14). Null: from 1 January.",
    )
    entries_to: dt.date | None = Field(
        None,
        description="Set when the register's unit stopped holding the code during the year "
        "(Phường Tứ Liên's 00097 in 2025: 2025-06-30): the rows are those issued up to that "
        "day. Null: to the year's end.",
    )
    unit_name: Text | None = Field(
        None,
        description="The unit whose register it is: the one holding the code on `on` (default "
        "the year's last day, or today in the current year). Null: no unit recorded.",
    )


EDXML_ANSWER = {
    "responses": {
        200: {
            "description": "The edXML envelope (QCVN 102:2016) carrying the signed PDF.",
            "content": {"application/xml": {"schema": {"type": "string"}}},
        }
    }
}
