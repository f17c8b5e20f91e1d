"""A petition routed to the city where the city is not the level directly above is refused with
a sentence that names the unit and the unit above on the meeting's day, cites the governance
model in force for the unit that day (Resolution 97/2019/QH14 only for the pilot's wards), and
offers only the committees ``routed_levels_on`` offers, each of which is then taken (review W7:
every refusal spoke of "phường" and "quận" under the pilot's law, and offered "UBND quận" where
no unit above was recorded, which was refused in turn)."""

import datetime as dt

import pytest

from cqdt import testing
from cqdt.core import refcache
from cqdt.core.errors import RuleViolation
from cqdt.oversight import selectors
from cqdt.oversight.models import Petition
from cqdt.oversight.tests.conftest import (
    bearer_client,
    counts,
    meeting,
    received,
    register_council,
    seated_on_own_council,
    voter_meeting,
)
from cqdt.units.models import Unit

pytestmark = pytest.mark.django_db

SOC_SON = "016"  # Huyện Sóc Sơn, a rural district until 30 June 2025
BAC_SON = "00379"  # Xã Bắc Sơn, a commune of Huyện Sóc Sơn
HONG_HA = "00097"  # Phường Hồng Hà, a ward of Thành phố Hà Nội from 1 July 2025


def _refusal(deputy, met) -> RuleViolation:
    before = counts()
    with pytest.raises(RuleViolation) as refused:
        received(deputy, met, "city")
    assert counts() == before
    assert (refused.value.field, refused.value.code) == ("routed_level", "city_not_level_above")
    return refused.value


def test_a_commune_of_a_rural_district_in_2023_is_told_of_its_district_not_of_the_pilot(
    reference_data,
):
    """Xã Bắc Sơn, May 2023: the refusal names the commune and Huyện Sóc Sơn, cites the Law on
    Local Government 2015 (the model governing it that day), says neither "phường", "quận" nor
    Resolution 97/2019; the API says the same; the district it offers is taken."""
    deputy = testing.elect_deputy(SOC_SON, "SS-DB", "Nguyễn Đại Biểu")
    council, seat = testing.seat_deputy(
        deputy, [BAC_SON], SOC_SON, council_name="HĐND huyện Sóc Sơn, nhiệm kỳ 2021–2026"
    )
    met = voter_meeting(deputy, council, seat, BAC_SON, dt.date(2023, 5, 10))
    refused = _refusal(deputy, met)
    assert refused.vi == (
        "Ngày 10/05/2023, xã Bắc Sơn trực thuộc huyện Sóc Sơn: cấp trên trực tiếp của UBND xã "
        "Bắc Sơn là UBND huyện Sóc Sơn, không phải UBND thành phố (Luật Tổ chức chính quyền địa "
        "phương số 77/2015/QH13), nên không thể chuyển thẳng kiến nghị cho UBND thành phố. Hãy "
        "chọn UBND xã Bắc Sơn hoặc UBND huyện Sóc Sơn trả lời."
    )
    assert "Xã Bắc Sơn is under Huyện Sóc Sơn" in refused.en
    assert "the committee of Huyện Sóc Sơn (“district”)" in refused.en
    for wrong in ("phường", "quận", "97/2019"):
        assert wrong not in refused.vi and wrong not in refused.en

    api = bearer_client(testing.login_for(deputy, username="ss_deputy"))
    posted = {"meeting": str(met.public_id), "content": "Nạo vét kênh", "routed_level": "city"}
    by_api = api.post("/api/v1/oversight/petitions", posted, content_type="application/json")
    assert (by_api.status_code, by_api.json()["code"]) == (422, "city_not_level_above")
    assert by_api.json()["messages"]["vi"] == refused.vi
    assert selectors.routed_levels_on(BAC_SON, dt.date(2023, 5, 10)) == ["ward", "district"]
    taken = api.post(
        "/api/v1/oversight/petitions",
        {**posted, "routed_level": "district"},
        content_type="application/json",
    )
    assert taken.status_code == 200, taken.content.decode()
    assert (taken.json()["routed_level"], taken.json()["routed_unit_code"]) == (
        "district",
        SOC_SON,
    )


def test_a_pilot_ward_in_2024_is_told_of_its_district_under_the_pilot_s_law(ba_dinh):
    """Phường Phúc Xá, January 2024, a ward of the pilot that day by the governance data:
    Resolution 97/2019/QH14 and Decree 32/2021/NĐ-CP are cited, the ward and Quận Ba Đình named,
    and the two committees offered are each taken."""
    met = meeting(ba_dinh)
    refused = _refusal(ba_dinh["deputy"], met)
    assert refused.vi.startswith("Ngày 10/01/2024, phường Phúc Xá trực thuộc quận Ba Đình: ")
    assert "cấp trên trực tiếp của UBND phường Phúc Xá là UBND quận Ba Đình" in refused.vi
    assert "(Nghị quyết 97/2019/QH14; Nghị định 32/2021/NĐ-CP)" in refused.vi
    assert refused.vi.endswith("Hãy chọn UBND phường Phúc Xá hoặc UBND quận Ba Đình trả lời.")
    assert "Hanoi urban-government pilot: Nghị quyết 97/2019/QH14" in refused.en
    for level, unit in (("ward", "00001"), ("district", "001")):
        p = received(ba_dinh["deputy"], met, level, content=f"Kiến nghị {level}")
        assert (p.routed_level, p.routed_unit_code) == (level, unit)


def test_a_unit_with_no_unit_above_on_record_is_offered_its_own_committee_only(
    history_reference_data,
):
    """Phường Hồng Hà, September 2025, its parent taken off the record after the meeting: no
    unit above is named nor any law guessed; only "UBND phường Hồng Hà" is offered (the city and
    a "UBND quận" would be refused), and it is taken."""
    council = register_council(
        HONG_HA, "HĐND phường Hồng Hà", dt.date(2025, 7, 1), dt.date(2026, 6, 30)
    )
    deputy, seat = seated_on_own_council(council, testing.elect_deputy(HONG_HA, "HH-DB"))
    day = dt.date(2025, 9, 10)
    met = voter_meeting(deputy, council, seat, HONG_HA, day)
    ward = Unit.objects.filter(code=HONG_HA, valid_from__lte=day, valid_to__isnull=True).get()
    ward.parent_code = ""
    ward.save(update_fields=["parent_code"])
    refcache.clear()
    assert selectors.level_above(HONG_HA, day) is None
    refused = _refusal(deputy, met)
    assert refused.vi == (
        "Ngày 10/09/2025 không có đơn vị cấp trên nào của phường Hồng Hà được ghi nhận, nên "
        "không thể chuyển kiến nghị cho UBND thành phố. Hãy chọn UBND phường Hồng Hà trả lời."
    )
    assert refused.en.endswith("Route it to the committee of Phường Hồng Hà (“ward”).")
    with pytest.raises(RuleViolation) as district:
        received(deputy, met, "district")
    assert district.value.vi.endswith("Hãy chọn UBND phường Hồng Hà trả lời.")
    p = received(deputy, met, "ward")
    assert (p.routed_level, p.routed_unit_code) == ("ward", HONG_HA)
    assert Petition.objects.filter(pk=p.pk).exists()
