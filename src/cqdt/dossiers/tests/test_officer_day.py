"""What a one-stop officer of Phường Hồng Hà (00097) tripped over on a day in December 2026,
each through the page as the officer's browser asks it.

- The dossier page named how the result was signed by the resolver's key: "CHỦ TỊCH —
  appointment 01/NQ-HĐND", English in a Vietnamese page, and "appointment" for a chairman the
  ward's People's Council elected (issue 19: an elected chairman holds no appointment decision).
  The unit's signing grid said "Chủ tịch theo quyết định bổ nhiệm" of the same chairman.
- The dossier page never showed the applicant's address nor the request the officer typed at
  the counter, nor who it was transferred to; the transfer choice then fell back to the first
  name in the list, so pressing it again moved the dossier to someone else.
- A predecessor's closed record (Phường Phúc Xá's, decision 0025) offered "In: Mẫu 01 · Mẫu
  05", links that answer 404 to a successor's official.
- The queue's unit filter offered only today's unit: the predecessors whose closed dossiers
  the queue lists could be picked only by typing ``?unit=00001`` into the address."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.authority.selectors import BASIS_APPOINTMENT, basis_label
from cqdt.staff import posts
from cqdt.testing import logged_in

pytestmark = pytest.mark.django_db

PHUC_XA = "00001"  # whole into Phường Hồng Hà on 1 July 2025
HONG_HA = "00097"
DECEMBER_2026 = dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC)


def _returned(code: str, unit: str, day: dt.date, **fields) -> object:
    return testing.returned_row(
        code,
        unit,
        day,
        applicant_address="Số 8, ngõ 66 Yên Phụ, phường Hồng Hà, Hà Nội",
        note="Xin giấy xác nhận để đăng ký kết hôn với anh Trần Văn B",
        **fields,
    )


@pytest.fixture
def world(history_reference_data):
    chairman = testing.elect_chairman(HONG_HA, term_start=dt.date(2025, 7, 1), code="hh-ct")
    user = testing.login_for(chairman.official, username="hongha")
    elected = {
        "basis": BASIS_APPOINTMENT,
        "instrument": {"kind": posts.ELECTION, "number": "01/NQ-HĐND"},
    }
    own = _returned(
        "T-00097-0001",
        HONG_HA,
        dt.date(2026, 12, 2),
        signature_block="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        signature_basis=elected,
        assigned_to=chairman.official,
    )
    appointed = {
        "basis": BASIS_APPOINTMENT,
        "instrument": {"kind": "appointment", "number": "21/QĐ-UBND"},
    }
    old = _returned(
        "T-00001-0001",
        PHUC_XA,
        dt.date(2023, 5, 10),
        signature_block="CHỦ TỊCH",
        signature_basis=appointed,
    )
    return {"user": user, "chairman": chairman.official, "own": own.code, "old": old.code}


def test_a_signature_by_the_elected_chairman_is_named_as_elected_in_vietnamese(world):
    with time_machine.travel(DECEMBER_2026, tick=False):
        body = logged_in(world["user"]).get(f"/staff/dossiers/{world['own']}/").content.decode()
    assert "Chủ tịch do Hội đồng nhân dân bầu, số 01/NQ-HĐND" in body
    assert "appointment" not in body
    assert "quyết định bổ nhiệm" not in body


def test_a_pilot_chairman_s_signature_is_named_by_the_appointment_decision(world):
    with time_machine.travel(DECEMBER_2026, tick=False):
        body = logged_in(world["user"]).get(f"/staff/dossiers/{world['old']}/").content.decode()
    assert "Chủ tịch theo quyết định bổ nhiệm, số 21/QĐ-UBND" in body
    assert "appointment" not in body


def test_the_signing_grid_names_the_elected_chairman_as_elected(world):
    with time_machine.travel(DECEMBER_2026, tick=False):
        page = logged_in(world["user"]).get(
            f"/staff/units/{HONG_HA}/signing/", {"on": "2026-12-07"}
        )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Chủ tịch do Hội đồng nhân dân bầu" in body
    assert "Chủ tịch theo quyết định bổ nhiệm" not in body
    assert "căn cứ nào (được bầu, bổ nhiệm, giao quyền, phân công, ủy quyền)" in body


def test_basis_labels_follow_the_instrument_and_show_unknown_keys_as_stored():
    assert basis_label(None) == ""
    assert basis_label(BASIS_APPOINTMENT, {"kind": "appointment"}) == (
        "Chủ tịch theo quyết định bổ nhiệm"
    )
    assert basis_label(BASIS_APPOINTMENT, {"kind": posts.ELECTION}) == (
        "Chủ tịch do Hội đồng nhân dân bầu"
    )
    assert basis_label("delegation") == "Ủy quyền"
    assert basis_label("something_new") == "something_new"


def test_the_page_shows_the_address_the_request_and_who_processes_it(world):
    with time_machine.travel(DECEMBER_2026, tick=False):
        body = logged_in(world["user"]).get(f"/staff/dossiers/{world['own']}/").content.decode()
    assert 'id="applicant-address">Số 8, ngõ 66 Yên Phụ, phường Hồng Hà, Hà Nội<' in body
    assert "Xin giấy xác nhận để đăng ký kết hôn với anh Trần Văn B" in body
    assert f'id="dossier-assignee">{world["chairman"].full_name}<' in body


def test_a_predecessor_s_record_masks_the_address_and_the_request(world):
    with time_machine.travel(DECEMBER_2026, tick=False):
        body = logged_in(world["user"]).get(f"/staff/dossiers/{world['old']}/").content.decode()
    assert 'id="applicant-address">***, phường Hồng Hà<' in body
    assert 'id="applicant-note" class="pre-line">***<' in body
    assert "Trần Văn B" not in body and "Yên Phụ" not in body


def test_a_predecessor_s_record_offers_no_printed_form_it_cannot_open(world):
    session = logged_in(world["user"])
    with time_machine.travel(DECEMBER_2026, tick=False):
        old = session.get(f"/staff/dossiers/{world['old']}/").content.decode()
        assert session.get(f"/staff/dossiers/{world['old']}/form/01/").status_code == 404
        own = session.get(f"/staff/dossiers/{world['own']}/").content.decode()
    assert f"/staff/dossiers/{world['old']}/form/" not in old
    assert 'id="read-only-record"' in old and "Phường Phúc Xá" in old
    assert f"/staff/dossiers/{world['own']}/form/01/" in own
    assert 'id="read-only-record"' not in own


def test_the_queue_offers_the_predecessors_by_their_own_names(world):
    session = logged_in(world["user"])
    with time_machine.travel(DECEMBER_2026, tick=False):
        page = session.get("/staff/dossiers/", {"status": "returned"})
        picked = session.get("/staff/dossiers/", {"status": "returned", "unit": PHUC_XA})
    body = page.content.decode()
    assert '<option value="00001">Phường Phúc Xá (đến 30/06/2025)</option>' in body
    chosen = picked.content.decode()
    assert '<option value="00001" selected>Phường Phúc Xá (đến 30/06/2025)</option>' in chosen
    assert chosen.count('value="00001"') == 1  # not also as the address's extra choice
    assert f">{world['old']}</a>" in chosen


def test_after_a_transfer_the_choice_shows_who_has_the_dossier(client, ward):
    """Transferred to the culture officer, the page's transfer choice still showed the first
    name of the list (the justice officer): pressing "Chuyển xử lý" again, to check it, moved
    the dossier to someone else."""
    import re

    from cqdt.dossiers.models import Dossier
    from cqdt.dossiers.tests.conftest import APPLICANT_FORM, MARITAL

    culture = testing.official("T-culture", "001", "Bùi Văn Hóa")
    testing.appoint(culture, "00001", posts.CULTURE_SOCIETY, by=ward["district_chair"])
    client.force_login(ward["user_desk"])
    client.post(
        "/staff/dossiers/counter/",
        APPLICANT_FORM
        | {"procedure": MARITAL, "documents": ["to_khai"]}
        | {"channel": "counter", "accept_now": "on", "submit_intake": "1"},
    )
    d = Dossier.objects.get()
    moved = client.post(
        f"/staff/dossiers/{d.code}/",
        {"action": "assign", "version": d.version, "assignee": str(culture.public_id)},
    )
    assert moved.status_code == 302
    html = client.get(f"/staff/dossiers/{d.code}/").content.decode()
    select = re.search(r'<select id="assignee-\d+" name="assignee">(.*?)</select>', html, re.S)
    chosen = re.findall(r'<option value="([^"]+)" selected>', select.group(1))
    assert chosen == [str(culture.public_id)]
    assert 'id="dossier-assignee">Bùi Văn Hóa<' in html


def test_the_receipt_names_the_applicant_s_address(world):
    """Mẫu 01 (Circular 01/2018/TT-VPCP; text not checked offline) names the applicant and
    where they live; the paper printed the name, number and phone but not the address typed at
    the counter."""
    with time_machine.travel(DECEMBER_2026, tick=False):
        page = logged_in(world["user"]).get(f"/staff/dossiers/{world['own']}/form/01/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="form-address">Địa chỉ: Số 8, ngõ 66 Yên Phụ, phường Hồng Hà, Hà Nội<' in body


def test_a_dossier_with_no_paper_yet_shows_no_empty_print_line(world):
    """A dossier recorded at the desk and not yet received has no paper to print: the page
    said "In:" followed by nothing."""
    testing.dossier_row("T-00097-0002", HONG_HA, status="submitted", submitted_at=DECEMBER_2026)
    session = logged_in(world["user"])
    with time_machine.travel(DECEMBER_2026, tick=False):
        waiting = session.get("/staff/dossiers/T-00097-0002/").content.decode()
        received = session.get(f"/staff/dossiers/{world['own']}/").content.decode()
    assert 'id="print-forms"' not in waiting
    assert 'id="print-forms"' in received


def test_the_queue_opens_a_dossier_by_the_code_the_citizen_brings(world):
    """A citizen at the desk names their code; the queue had no field for it (the officer
    paged through, or typed the dossier's address by hand). Lower case and spaces are the
    officer's typing; a predecessor's closed record opens read only; another unit's code and a
    code that names nothing get the same answer."""
    other = testing.returned_row("T-00352-0001", "00352", dt.date(2023, 5, 10)).code
    session = logged_in(world["user"])
    with time_machine.travel(DECEMBER_2026, tick=False):
        page = session.get("/staff/dossiers/").content.decode()
        old = session.get("/staff/dossiers/", {"code": f"  {world['old'].lower()} "})
        hidden = session.get("/staff/dossiers/", {"code": other})
        missing = session.get("/staff/dossiers/", {"code": "T-00352-9999"})
    assert '<label for="q-code">Tìm theo mã hồ sơ</label>' in page
    assert old.status_code == 302 and old["Location"] == f"/staff/dossiers/{world['old']}/"
    assert hidden.status_code == missing.status_code == 404
    body = hidden.content.decode()
    assert "Không tìm thấy hồ sơ mã “T-00352-0001”" in body
    assert f'href="/staff/dossiers/{other}/"' not in body
