"""Outgoing documents under a reused code follow the code's holding (docs/decisions/0025, W11).

00097 was Phường Tứ Liên's until 30 June 2025 and is Phường Hồng Hà's since 1 July 2025 (Tứ
Liên went in part into Hồng Hà, in part into Phường Tây Hồ, 00103); 00004 was Phường Trúc
Bạch's and is Phường Ba Đình's (Trúc Bạch went whole into it). A document the earlier holder
issued under the code is a predecessor's: missing (404) to each successor alike, by its id, its
PDF and its edXML; the code's outgoing register is the holder's from its first day — a year
wholly before it answers 404, the year it began in lists the entries from that day and says
so. The city's posts, a district's on the pilot's days and the pilot ward itself read as before.
The public verify page (the QR code's link, by the document's id and hash) is anyone's, as before.

As an integrator and a browser call them: a bearer token, a session with CSRF enforced."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cqdt import testing
from cqdt.documents.models import Document
from cqdt.documents.services import HASH_PREFIX, record_hash, register_first_day
from cqdt.staff import posts
from cqdt.testing import logged_in

pytestmark = pytest.mark.django_db

HONG_HA = "00097"  # Phường Hồng Hà from 1 July 2025; Phường Tứ Liên's code before
TAY_HO = "00103"  # Phường Tây Hồ from 1 July 2025: took a part of Tứ Liên
BA_DINH = "00004"  # Phường Ba Đình from 1 July 2025; Phường Trúc Bạch's code before
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DECEMBER_2026 = dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC)
LAST_PILOT_DAY = dt.datetime(2025, 6, 30, 10, tzinfo=dt.UTC)  # 17:00 in Hanoi
MISSING = "00000000-0000-4000-8000-000000000000"
EDXML = {"to": "000.00.00.G01", "to_name": "Văn phòng"}


def _doc(unit: str, number: int, at: dt.datetime, title: str) -> Document:
    """A signed decision of ``unit`` issued at ``at`` (Hanoi time), with its PDF."""
    pdf = b"%PDF-1.7\n" + title.encode()
    return Document.objects.create(
        unit_code=unit,
        year=at.year,
        register_from=register_first_day(unit, at.date()),
        kind="decision",
        number=number,
        symbol="QĐ-UBND",
        issued_at=at,
        issued_on=at.date(),
        place="Hà Nội",
        title=title,
        body="Quyết định.",
        recipients=["- Như Điều 3;"],
        status="signed",
        signer_name="Nguyễn Văn Chủ",
        signed_at=at,
        pdf=pdf,
        sha256=f"{number:064d}",
    )


def _hanoi(y: int, m: int, d: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hour, minute, tzinfo=HANOI)


@pytest.fixture
def world(history_reference_data):
    docs = {
        # Phường Tứ Liên's, under 00097: an applicant's name in the title, as results carry.
        "tu_lien_2024": _doc(HONG_HA, 5, _hanoi(2024, 5, 6, 9), "Cấp phép cho ông Trần Văn Bình"),
        "tu_lien_last": _doc(HONG_HA, 40, _hanoi(2025, 6, 30, 23, 30), "Tứ Liên ngày cuối"),
        # Phường Hồng Hà's, under the same code: from its first minute on.
        "hong_ha_first": _doc(HONG_HA, 41, _hanoi(2025, 7, 1, 0, 30), "Hồng Hà ngày đầu"),
        "hong_ha_2026": _doc(HONG_HA, 1, _hanoi(2026, 3, 2, 9), "Hồng Hà năm 2026"),
        "truc_bach_2024": _doc(
            BA_DINH, 7, _hanoi(2024, 5, 6, 9), "Trúc Bạch cấp cho bà Lê Thị Hoa"
        ),
        "ba_dinh_2026": _doc(BA_DINH, 2, _hanoi(2026, 3, 2, 9), "Ba Đình năm 2026"),
    }
    people = {}
    for unit, name in ((HONG_HA, "hongha"), (TAY_HO, "tayho"), (BA_DINH, "badinh")):
        chairman = testing.elect_chairman(unit, term_start=dt.date(2025, 7, 1), code=f"{name}-ct")
        people[name] = testing.login_for(chairman.official, username=name)
    return {"docs": {k: str(d.public_id) for k, d in docs.items()}, **people}


def _answers(client: Client, doc: str) -> list[int]:
    """The status of a document's detail, its PDF and its edXML."""
    base = f"/api/v1/documents/{doc}"
    return [
        client.get(base).status_code,
        client.get(f"{base}/pdf").status_code,
        client.get(f"{base}/edxml", EDXML).status_code,
    ]


def _register(client: Client, unit: str, year: int, **more: str):
    return client.get("/api/v1/documents/register", {"unit": unit, "year": year, **more})


def test_the_earlier_holder_s_document_is_missing_to_each_successor_alike(world):
    docs = world["docs"]
    with time_machine.travel(DECEMBER_2026, tick=False):
        for who in ("hongha", "tayho"):
            client = testing.bearer_client(world[who])
            missing = client.get(f"/api/v1/documents/{MISSING}")
            for old in ("tu_lien_2024", "tu_lien_last"):
                assert _answers(client, docs[old]) == [404, 404, 404], (who, old)
                hidden = client.get(f"/api/v1/documents/{docs[old]}")
                assert hidden.json() == missing.json()
        hong_ha = testing.bearer_client(world["hongha"])
        for own in ("hong_ha_first", "hong_ha_2026"):
            assert _answers(hong_ha, docs[own]) == [200, 200, 200], own
        found = testing.json_ok(hong_ha.get(f"/api/v1/documents/{docs['hong_ha_first']}"))
        assert found["title"] == "Hồng Hà ngày đầu"
        # Tây Hồ never saw Hồng Hà's own, nor Ba Đình's.
        tay_ho = testing.bearer_client(world["tayho"])
        assert _answers(tay_ho, docs["hong_ha_2026"]) == [404, 404, 404]
        ba_dinh = testing.bearer_client(world["badinh"])
        assert _answers(ba_dinh, docs["truc_bach_2024"]) == [404, 404, 404]
        assert _answers(ba_dinh, docs["ba_dinh_2026"]) == [200, 200, 200]


def test_the_register_of_a_held_code_is_its_holder_s_from_its_first_day(world):
    with time_machine.travel(DECEMBER_2026, tick=False):
        client = testing.bearer_client(world["hongha"])
        refused = _register(client, HONG_HA, 2024)
        assert refused.status_code == 404
        assert refused.json()["code"] == "register_not_held"
        assert refused.json()["field"] == "year"
        assert "01/07/2025" in refused.json()["message"]
        assert _register(client, HONG_HA, 2024, format="xlsx").status_code == 404
        straddling = testing.json_ok(_register(client, HONG_HA, 2025))
        assert straddling["entries_from"] == "2025-07-01"
        assert [r[2] for r in straddling["rows"]] == ["Quyết định Hồng Hà ngày đầu"]
        sheet = _register(client, HONG_HA, 2025, format="xlsx")
        assert sheet.status_code == 200
        text = _xlsx_text(sheet.content)
        assert "từ ngày 01/07/2025" in text and "Tứ Liên" not in text and "Hồng Hà" in text
        whole = testing.json_ok(_register(client, HONG_HA, 2026))
        assert whole["entries_from"] is None
        assert [r[2] for r in whole["rows"]] == ["Quyết định Hồng Hà năm 2026"]
        # Tây Hồ does not read 00097's register at all, as before.
        assert _register(testing.bearer_client(world["tayho"]), HONG_HA, 2025).status_code == 404
        # Hồng Hà's own register: a day before its holding is the earlier holder's (QA Q14)
        refused = _register(client, HONG_HA, 2025, on="2025-06-30")
        assert (refused.status_code, refused.json()["field"]) == (404, "on")
        ba_dinh = testing.bearer_client(world["badinh"])
        assert _register(ba_dinh, BA_DINH, 2024).status_code == 404
        assert testing.json_ok(_register(ba_dinh, BA_DINH, 2025)) | {"columns": []} == {
            "unit": BA_DINH,
            "year": 2025,
            "columns": [],
            "rows": [],
            "entries_from": "2025-07-01",
            "entries_to": None,
            "unit_name": "Phường Ba Đình",
        }


def _xlsx_text(data: bytes) -> str:
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


def _page(user, **params: str | int):
    browser = logged_in(user)
    return browser.get("/staff/documents/register/", params)


def test_the_register_page_says_from_which_day_the_book_is_the_ward_s(world):
    with time_machine.travel(DECEMBER_2026, tick=False):
        refused = _page(world["hongha"], unit=HONG_HA, year=2024)
        assert refused.status_code == 404
        body = refused.content.decode()
        assert 'data-code="register_not_held"' in body and "01/07/2025" in body
        assert "Trần Văn Bình" not in body
        page = _page(world["hongha"], unit=HONG_HA, year=2025)
        assert page.status_code == 200
        body = page.content.decode()
        assert 'id="register-since"' in body and "01/07/2025" in body
        assert "Hồng Hà ngày đầu" in body and "Tứ Liên ngày cuối" not in body
        page = _page(world["hongha"], unit=HONG_HA, year=2026)
        body = page.content.decode()
        assert page.status_code == 200 and 'id="register-since"' not in body
        assert "Hồng Hà năm 2026" in body
        assert _page(world["badinh"], unit=BA_DINH, year=2024).status_code == 404


def _reads_tu_lien_s_book(client: Client, docs: dict[str, str]) -> None:
    """``client`` opens Tứ Liên's 2024 decision and its PDF, and reads 00097's whole 2024 book."""
    assert _answers(client, docs["tu_lien_2024"])[:2] == [200, 200]
    book = testing.json_ok(_register(client, HONG_HA, 2024))
    assert book["entries_from"] is None
    assert [r[2] for r in book["rows"]] == ["Quyết định Cấp phép cho ông Trần Văn Bình"]


def test_the_city_a_district_on_the_pilot_s_days_and_the_pilot_ward_read_as_before(world):
    docs = world["docs"]
    monitor = testing.login_for(testing.city_monitor("H-SNV"), username="monitor")
    with time_machine.travel(DECEMBER_2026, tick=False):
        client = testing.bearer_client(monitor)
        _reads_tu_lien_s_book(client, docs)
        assert client.get(f"/api/v1/documents/{docs['truc_bach_2024']}").status_code == 200
        # QA Q14: one register per unit that held the code in the year, never the two mixed
        hong_ha = testing.json_ok(_register(client, HONG_HA, 2025))
        assert [r[2] for r in hong_ha["rows"]] == ["Quyết định Hồng Hà ngày đầu"]
        assert (hong_ha["unit_name"], hong_ha["entries_from"], hong_ha["entries_to"]) == (
            "Phường Hồng Hà",
            "2025-07-01",
            None,
        )
        tu_lien = testing.json_ok(_register(client, HONG_HA, 2025, on="2025-06-30"))
        assert [r[2] for r in tu_lien["rows"]] == ["Quyết định Tứ Liên ngày cuối"]
        assert (tu_lien["unit_name"], tu_lien["entries_from"], tu_lien["entries_to"]) == (
            "Phường Tứ Liên",
            None,
            "2025-06-30",
        )
        assert "Phường Tứ Liên (00097) — năm 2025 (đến ngày 30/06/2025)" in _xlsx_text(
            _register(client, HONG_HA, 2025, on="2025-06-30", format="xlsx").content
        )
        page = _page(monitor, unit=HONG_HA, year=2025)
        body = page.content.decode()
        assert page.status_code == 200 and 'id="register-since"' not in body
        heading = body.split('id="register-unit">', 1)[1].split("</h2>", 1)[0]
        assert heading == "Phường Hồng Hà (mã 00097, từ 01/07/2025) — năm 2025"
        assert "Tứ Liên ngày cuối" not in body
        assert 'href="?unit=00097&amp;year=2025&amp;on=2025-01-01"' in body
        page = _page(monitor, unit=HONG_HA, year=2025, on="2025-06-30")
        body = page.content.decode()
        heading = body.split('id="register-unit">', 1)[1].split("</h2>", 1)[0]
        assert heading == "Phường Tứ Liên (mã 00097, đến 30/06/2025) — năm 2025"
        assert "Tứ Liên ngày cuối" in body and "Hồng Hà ngày đầu" not in body
    # Quận Tây Hồ's chairman (Tứ Liên's district) on a pilot day, and Tứ Liên's own vice-chairman.
    chairman = testing.district_chairman("003", code="q-th")
    district = testing.login_for(chairman, username="q_th")
    vice = testing.official("tl-pct", "003")
    testing.appoint(
        vice, HONG_HA, posts.VICE_CHAIRMAN, by=chairman, by_unit="003", term_end=dt.date(2025, 7, 1)
    )
    tu_lien = testing.login_for(vice, username="tulien")
    with time_machine.travel(LAST_PILOT_DAY, tick=False):
        for user in (district, tu_lien):
            _reads_tu_lien_s_book(testing.bearer_client(user), docs)


def test_the_public_verify_page_is_anyone_s_as_before(world):
    """The QR code's page, by the document's id and its hash: the register entry, issuer, date
    and signer, nothing about the applicant — to anyone, Hồng Hà's chairman included."""
    doc = Document.objects.get(public_id=world["docs"]["tu_lien_2024"])
    url = f"/verify/{doc.public_id}?h={record_hash(doc)[:HASH_PREFIX]}"
    with time_machine.travel(DECEMBER_2026, tick=False):
        anyone = Client().get(url)
        browser = logged_in(world["hongha"])
        staff = browser.get(url)
        assert anyone.status_code == staff.status_code == 200
        body = anyone.content.decode()
        assert "05/QĐ-UBND" in body
        assert "Trần Văn Bình" not in body and "Trần Văn Bình" not in staff.content.decode()
        assert Client().get(f"/verify/{doc.public_id}?h=0").status_code == 404


def _counter(call: Callable[[], int]) -> Callable[[], int]:
    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert call() == 200
        return len(queries)

    return counted


def test_the_register_of_a_held_code_reads_in_as_many_statements_however_many_entries(world):
    with time_machine.travel(DECEMBER_2026, tick=False):
        client = testing.bearer_client(world["hongha"])
        browser = logged_in(world["hongha"])
        api = _counter(lambda: _register(client, HONG_HA, 2025).status_code)
        page = _counter(
            lambda: (
                browser.get(
                    "/staff/documents/register/", {"unit": HONG_HA, "year": 2025}
                ).status_code
            )
        )
        api(), page()
        few = api(), page()
        for n in range(1, 6):
            _doc(HONG_HA, 100 + n, _hanoi(2025, 3, n, 9), f"Tứ Liên {n}")
            _doc(HONG_HA, 200 + n, _hanoi(2025, 9, n, 9), f"Hồng Hà {n}")
        many = api(), page()
        assert many == few, (few, many)
        assert len(testing.json_ok(_register(client, HONG_HA, 2025))["rows"]) == 6


def _two_desks(*, tu_lien_to: dt.date) -> None:
    """00097's desks: Phường Tứ Liên's, undated (since before the records) to ``tu_lien_to``
    (exclusive), and Phường Hồng Hà's from 1 July 2025."""
    from cqdt.dossiers.models import Desk

    Desk.objects.create(
        unit_code=HONG_HA, agency_identifier="H26.003.00097", valid_to=tu_lien_to, heading="Tứ Liên"
    )
    Desk.objects.create(
        unit_code=HONG_HA,
        agency_identifier="H26.01.00097",
        valid_from=dt.date(2025, 7, 1),
        heading="Phường Hồng Hà",
    )


def test_the_edxml_sender_is_the_desk_in_force_on_the_document_s_date(world):
    """QA Q21: Hồng Hà's document named Tứ Liên's desk (the first ever opened under 00097)."""
    from lxml import etree

    from cqdt.documents import exchange

    _two_desks(tu_lien_to=dt.date(2025, 7, 1))
    with time_machine.travel(DECEMBER_2026, tick=False):
        client = testing.bearer_client(world["hongha"])
        for own in ("hong_ha_first", "hong_ha_2026"):
            answer = client.get(f"/api/v1/documents/{world['docs'][own]}/edxml", EDXML)
            assert answer.status_code == 200, answer.content
            sender = etree.fromstring(answer.content).findtext(
                "e:edXMLHeader/e:MessageHeader/e:From/e:OrganId", namespaces={"e": exchange.NS}
            )
            assert sender == "H26.01.00097", own
    earlier = Document.objects.get(public_id=world["docs"]["tu_lien_last"])
    from cqdt.documents import selectors

    assert selectors.sender_identifier(earlier) == "H26.003.00097"


def test_a_unit_that_took_a_code_in_the_year_numbers_its_register_from_01(world):
    """QA Q14 (Decree 30/2020/NĐ-CP: each issuing body numbers its own documents from 01 each
    year): Hồng Hà's first decision of July 2025 is 01, not the next number of Tứ Liên's 2025
    register of 00097, and its next one 02."""
    from cqdt.core.audit import Actor
    from cqdt.documents import services

    def issue(at: dt.datetime) -> Document:
        return services.document_issue(
            actor=Actor.system("test"),
            unit_code=HONG_HA,
            doc=services.DocumentIn(kind="decision", title="Thử", body="Nội dung."),
            now=at,
        )

    with time_machine.travel(LAST_PILOT_DAY, tick=False):
        earlier = issue(LAST_PILOT_DAY)
    later = issue(_hanoi(2025, 7, 2, 9))
    again = issue(_hanoi(2025, 7, 3, 9))
    assert (earlier.number, earlier.register_from) == (1, dt.date(2025, 1, 1))
    assert (later.number, later.register_from) == (1, dt.date(2025, 7, 1))
    assert (again.number, again.register_from) == (2, dt.date(2025, 7, 1))
    assert services.register_first_day(HONG_HA, dt.date(2026, 3, 2)) == dt.date(2026, 1, 1)


def test_where_two_desks_overlap_the_dated_one_is_in_force_on_every_engine(world):
    """Review R7: an undated desk (since before the records) still open on the day a dated one
    began: the dated one is the desk in force, on PostgreSQL (NULLs first in DESC) as on SQLite."""
    from cqdt.dossiers import selectors as dossier_selectors

    _two_desks(tu_lien_to=dt.date(2025, 7, 3))
    found = dossier_selectors.desk_open_on(HONG_HA, dt.date(2025, 7, 2))
    assert found is not None and found.agency_identifier == "H26.01.00097"
    found = dossier_selectors.desk_open_on(HONG_HA, dt.date(2025, 6, 30))
    assert found is not None and found.agency_identifier == "H26.003.00097"
