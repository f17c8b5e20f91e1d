"""Export of a signed document in an edXML envelope for inter-agency exchange.

QCVN 102:2016/BTTTT (edXML) carries, in the message header, the sender's and receivers' agency
identifiers, the number and notation, the promulgation place and date, the document type, the
subject, the signer (competence, position, name), and the attachments. ``edxml/envelope.xsd``
states the structure written here and every export is validated against it before it leaves.
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import Any

from lxml import etree

from cqdt.documents import layout, numbering

NS = "urn:cqdt:edxml:1"
SCHEMA = Path(__file__).resolve().parent / "edxml" / "envelope.xsd"


@functools.lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _el(parent: Any, name: str, text: str | None = None) -> Any:
    node = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        node.text = text
    return node


def _organ(parent: Any, name: str, organ_id: str, organ_name: str) -> None:
    node = _el(parent, name)
    _el(node, "OrganId", organ_id)
    _el(node, "OrganName", organ_name)


def envelope(doc: Any, *, sender_id: str, receivers: list[tuple[str, str]]) -> bytes:
    """The envelope of signed ``doc`` from agency ``sender_id`` to ``receivers`` (id, name);
    raises ``etree.DocumentInvalid`` if it does not match the schema."""
    root = etree.Element(f"{{{NS}}}edXMLEnvelope", nsmap={None: NS})
    header = _el(_el(root, "edXMLHeader"), "MessageHeader")
    _organ(header, "From", sender_id, doc.issuing_body[-1] if doc.issuing_body else doc.unit_code)
    for organ_id, organ_name in receivers:
        _organ(header, "To", organ_id, organ_name)
    _el(header, "DocumentId", str(doc.public_id))
    code = _el(header, "Code")
    _el(code, "CodeNumber", str(doc.number))
    _el(code, "CodeNotation", doc.symbol)
    info = _el(header, "PromulgationInfo")
    _el(info, "Place", doc.place)
    _el(info, "PromulgationDate", doc.issued_on.isoformat())
    kind = _el(header, "DocumentType")
    _el(kind, "Type", numbering.KINDS[doc.kind].abbreviation or doc.kind)
    _el(kind, "TypeName", numbering.KINDS[doc.kind].name_vi)
    _el(header, "Subject", doc.title)
    lines = layout.signature_lines(doc.signature_block)
    signer = _el(header, "SignerInfo")
    _el(signer, "Competence", lines[0] if len(lines) > 1 else "")
    _el(signer, "Position", lines[-1] if lines else "")
    _el(signer, "FullName", doc.signer_name)
    _el(header, "SignedAt", doc.signed_at.isoformat())
    attachment = _el(_el(root, "Attachments"), "Attachment")
    _el(attachment, "ContentId", "1")
    _el(attachment, "ContentType", "application/pdf")
    _el(attachment, "AttachmentName", f"{doc.number:02d}-{doc.symbol}-{doc.year}.pdf")
    _el(attachment, "Sha256", doc.sha256)
    _el(attachment, "ContentTransferEncoded", base64.b64encode(bytes(doc.pdf)).decode("ascii"))
    schema().assertValid(root)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
