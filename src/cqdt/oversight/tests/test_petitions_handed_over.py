"""A petition raised in one ward and handed to another ward's committee to answer (the
arrangements move the open petitions of a ward merged away to the unit that took it over:
00001, Phường Phúc Xá, into 00097, Phường Hồng Hà, on 1 July 2025, Resolution
1656/NQ-UBTVQH15) is read by the committee that must answer it: its leader's worklist listed it,
but its page was a 404 and the petitions page said there were none (found on the demo as
chutich.hongha). Tested as an outside client: a CSRF-enforcing session and a bearer token."""

import pytest
from django.test import Client

from cqdt.oversight.models import Petition, PetitionStatus
from cqdt.oversight.tests.conftest import WARD, WARD_B, petition

pytestmark = pytest.mark.django_db


def _handed_to_b(ba_dinh) -> Petition:
    """Phúc Xá's petition, handed to Trúc Bạch's committee (as ``cqdt reorganise`` moves it)."""
    p = petition(ba_dinh, ward=WARD)
    Petition.objects.filter(pk=p.pk).update(routed_unit_code=WARD_B)
    p.refresh_from_db()
    return p


def test_the_committee_a_petition_was_handed_to_opens_lists_and_answers_it(ba_dinh, session):
    p = _handed_to_b(ba_dinh)
    browser: Client = session("chair_b")
    url = f"/staff/oversight/petitions/{p.public_id}/"
    page = browser.get(url)
    assert page.status_code == 200
    assert "Sửa đường ngõ 5" in page.content.decode()
    listed = browser.get("/staff/oversight/petitions/", {"status": "received"}).content.decode()
    assert str(p.public_id) in listed
    answered = browser.post(
        url,
        {
            "csrfmiddlewaretoken": page.cookies["csrftoken"].value,
            "form": "answer",
            "a-version": p.version,
            "a-answer": "Đã đưa vào kế hoạch duy tu.",
        },
    )
    assert answered.status_code == 302, answered.content.decode()[:2000]
    p.refresh_from_db()
    assert p.status == PetitionStatus.ANSWERED


def test_the_api_lists_and_reads_a_handed_over_petition_for_its_answering_committee(
    ba_dinh, bearer
):
    p = _handed_to_b(ba_dinh)
    client = bearer("chair_b")
    listed = client.get("/api/v1/oversight/petitions")
    assert listed.status_code == 200
    assert str(p.public_id) in listed.content.decode()
    assert client.get(f"/api/v1/oversight/petitions/{p.public_id}").status_code == 200


def test_a_petition_neither_raised_in_nor_handed_to_the_ward_stays_unseen(ba_dinh, session):
    p = petition(ba_dinh, ward=WARD)
    assert session("chair_b").get(f"/staff/oversight/petitions/{p.public_id}/").status_code == 404


def test_the_petitions_page_names_the_committees_it_answers_to_and_escalated_to(ba_dinh, session):
    """'đã chuyển lên 01' and 'UBND phường (00097)' named nobody a councillor knows: the list
    and the petition's page name the committee (found on the demo, Phúc Xá's petitions)."""
    from cqdt.oversight import services
    from cqdt.oversight.tests.conftest import TODAY
    from cqdt.testing import at

    p = petition(ba_dinh, ward=WARD)
    services.petitions_escalate(now=at(TODAY))
    browser: Client = session("deputy")
    listed = browser.get("/staff/oversight/petitions/").content.decode()
    assert "đã chuyển lên Quận Ba Đình" in listed
    assert "UBND phường Phúc Xá (00001)" in listed.split("Kiến nghị quá hạn trả lời lên đầu")[1]
    page = browser.get(f"/staff/oversight/petitions/{p.public_id}/").content.decode()
    assert "UBND phường Phúc Xá (00001)" in page


def test_a_petition_of_2024_names_the_units_of_2024_when_read_after_the_codes_were_reused(
    history_reference_data,
):
    """00004 was Phường Trúc Bạch's code until 30 June 2025 and is Phường Ba Đình's from 1 July
    2025 (Resolution 1656/NQ-UBTVQH15): a petition raised in Trúc Bạch and answered by its
    chairman in 2024, read in December 2026, was shown as answered by Phường Ba Đình
    (hreview R4 on ad3de0c)."""
    import datetime as dt

    import time_machine
    from django.contrib.auth import get_user_model

    from cqdt.oversight.tests.conftest import _build_ba_dinh, answer, question

    world = _build_ba_dinh()
    p = petition(world, ward=WARD_B)
    answer(world, p, by="chair_b")
    question(world, ward_code=WARD_B, addressed_to=world["chair_b"])
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    with time_machine.travel(dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC), tick=False):
        browser = Client()
        browser.force_login(root)
        page = browser.get(f"/staff/oversight/petitions/{p.public_id}/").content.decode()
        listed = browser.get("/staff/oversight/petitions/", {"ward": WARD_B}).content.decode()
        meeting = browser.get(f"/staff/oversight/meetings/{p.meeting.public_id}/").content.decode()
        council = p.meeting.council.public_id
        meetings = browser.get(f"/staff/oversight/councils/{council}/meetings/").content.decode()
        asked = browser.get(f"/staff/oversight/councils/{council}/questions/").content.decode()
    assert "Phường Trúc Bạch" in asked.split("<main", 1)[1]  # the 2023 session's ward
    assert "Phường Ba Đình" not in asked.split("<main", 1)[1]
    assert "Phường Trúc Bạch" in meetings.split("<main", 1)[1]  # the council's list agrees (R5)
    assert "Phường Ba Đình" not in meetings.split("<main", 1)[1]
    assert "Phường Trúc Bạch" in meeting.split("<main", 1)[1]  # where the voters met, in 2024
    assert "Phường Ba Đình" not in meeting.split("<main", 1)[1]
    rows = listed.split("Kiến nghị quá hạn trả lời lên đầu", 1)[1]  # the table, not the filter
    for html in (page.split("<main", 1)[1], rows):
        assert "UBND phường Trúc Bạch (00004)" in html  # the committee, as in a sentence
        assert "phường ba đình" not in html.lower()
