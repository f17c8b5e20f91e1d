"""Export in an edXML envelope (issue 12, item 6), validated against our XSD."""

import base64

import pytest
from django.test import Client
from lxml import etree

from cqdt.documents import exchange
from cqdt.documents.tests.conftest import issue_and_sign

pytestmark = pytest.mark.django_db
NS = {"e": exchange.NS}


def signed(ward):
    return issue_and_sign(
        ward,
        signer="vice",
        kind="decision",
        title="Về việc trao đổi",
        body="Điều 1. Thử.",
        signature_block="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
    )


def test_envelope_carries_the_header_and_the_signed_pdf_and_validates(ward, frozen):
    doc = signed(ward)
    client = Client()
    client.force_login(ward["user_chair"])
    response = client.get(
        f"/api/v1/documents/{doc.public_id}/edxml", {"to": "H26.01", "to_name": "UBND quận"}
    )
    assert response.status_code == 200, response.content
    root = etree.fromstring(response.content)
    exchange.schema().assertValid(root)
    header = root.find("e:edXMLHeader/e:MessageHeader", NS)
    assert header.findtext("e:Code/e:CodeNumber", namespaces=NS) == "1"
    assert header.findtext("e:Code/e:CodeNotation", namespaces=NS) == "QĐ-UBND"
    assert header.findtext("e:To/e:OrganId", namespaces=NS) == "H26.01"
    assert header.findtext("e:PromulgationInfo/e:PromulgationDate", namespaces=NS) == "2026-03-02"
    assert header.findtext("e:SignerInfo/e:Competence", namespaces=NS) == "KT. CHỦ TỊCH"
    assert header.findtext("e:SignerInfo/e:FullName", namespaces=NS) == "Đỗ Thu Phương"
    content = root.findtext("e:Attachments/e:Attachment/e:ContentTransferEncoded", namespaces=NS)
    assert base64.b64decode(content) == bytes(doc.pdf)


def test_the_schema_refuses_an_envelope_without_a_signer(ward, frozen):
    doc = signed(ward)
    doc.signer_name = ""
    with pytest.raises(etree.DocumentInvalid):
        exchange.envelope(doc, sender_id="H26.1", receivers=[("H26.01", "UBND quận")])
