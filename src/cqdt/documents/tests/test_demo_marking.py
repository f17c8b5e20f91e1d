# ruff: noqa: S603, S607 - pdftotext is run as a program, by name, on files we wrote
"""A document made from demo data says so on every page and on its verify page; a real document's
page is as it was (the engineering rule: demo data is labelled as demo)."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from django.test import Client

from cqdt.documents import layout, production, register, render
from cqdt.documents.tests.test_batch import awaiting, chair_client
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import WARD

pytestmark = pytest.mark.django_db
PDFTOTEXT = shutil.which("pdftotext") is not None
SIGNING = {"who": "Lê Minh Chính", "org": "ỦY BAN NHÂN DÂN PHƯỜNG A", "when": "x", "seal": True}


def page(*, demo, paragraphs=3):
    return production.Page(
        kind="decision",
        number=15,
        place="Phúc Xá",
        issued_on=dt.date(2026, 3, 2),
        issuing_body=["UBND QUẬN BA ĐÌNH", "ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ"],
        title="Về việc thử nghiệm",
        body="\n\n".join(f"Điều {i}. Nội dung thử nghiệm của văn bản." for i in range(paragraphs)),
        recipients=["- Như Điều 2;"],
        signature_block="TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
        signer_name="Lê Minh Chính",
        is_demo=demo,
    )


def pages_text(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_a_real_document_s_page_has_no_band_and_a_demo_one_only_adds_it():
    context = render.context(page(demo=False), "http://x/verify/1?h=2") | {"signing": SIGNING}
    real = render_to_string("documents/document.html", context)
    assert "MINH HỌA" not in real and "@top-center" not in real
    context = render.context(page(demo=True), "http://x/verify/1?h=2") | {"signing": SIGNING}
    demo = render_to_string("documents/document.html", context)
    assert layout.DEMO_BAND in demo and "@top-center" in demo


@pytest.mark.skipif(not PDFTOTEXT, reason="poppler-utils not installed")
def test_every_page_of_a_demo_pdf_carries_the_band_and_a_real_pdf_none(tmp_path):
    demo = render.render(page(demo=True, paragraphs=60), "http://x/verify/1?h=2", SIGNING)
    real = render.render(page(demo=False, paragraphs=60), "http://x/verify/1?h=2", SIGNING)
    demo_pages, real_pages = pages_text(demo.pdf, tmp_path), pages_text(real.pdf, tmp_path)
    assert len(demo_pages) == len(real_pages) >= 2
    for text in demo_pages:
        # above everything else on the page: the band is in the top margin, over no text
        assert text.strip().splitlines()[0].strip() == layout.DEMO_BAND
    assert not any("MINH HỌA" in text for text in real_pages)
    # the band moves nothing: the signatures are placed exactly where a real page puts them
    assert (demo.placement, demo.seal_placement) == (real.placement, real.seal_placement)


@pytest.mark.skipif(not PDFTOTEXT, reason="poppler-utils not installed")
def test_a_demo_dossier_s_signed_result_is_marked_and_a_real_one_is_not(ward, frozen, tmp_path):
    (real, demo), _secret = awaiting(ward, frozen, n=2)
    Dossier.objects.filter(pk=demo.pk).update(is_demo=True)  # as the demo loader makes them
    client = chair_client(ward)
    answers = {}
    for d in (real, demo):
        signed = client.post(
            f"/api/v1/dossiers/{d.code}/actions/sign",
            {"version": d.version},
            content_type="application/json",
        )
        assert signed.status_code == 200, signed.content
        (doc,) = client.get(f"/api/v1/dossiers/{d.code}/documents").json()["items"]
        pdf = client.get(doc["pdf_url"]).content
        verify = Client().get(doc["verify_url"].split("8000", 1)[1]).content.decode()
        answers[d.code] = (doc, pages_text(pdf, tmp_path), verify)

    doc, pages, verify = answers[demo.code]
    assert doc["is_demo"] is True
    assert all(layout.DEMO_BAND in text for text in pages)
    assert 'id="demo"' in verify and "không có giá trị pháp lý" in verify

    doc, pages, verify = answers[real.code]
    assert doc["is_demo"] is False
    assert not any("MINH HỌA" in text for text in pages)
    assert 'id="demo"' not in verify

    # the register book (page, JSON and XLSX: the same rows) notes the demo entry, only it
    rows = client.get("/api/v1/documents/register", {"unit": WARD, "year": 2026}).json()["rows"]
    notes = {row[0].split("/")[0]: row[5] for row in rows}
    assert notes == {"01": "", "02": register.DEMO_NOTE}, rows
    book = client.get("/staff/documents/register/", {"unit": WARD, "year": 2026})
    assert book.content.decode().count(register.DEMO_NOTE) == 1
