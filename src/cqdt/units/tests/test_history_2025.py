"""Hanoi as it is today (issue 19): the 2025 arrangements, the two-tier model, dated answers."""

import datetime as dt

import pytest

from cqdt.units import selectors
from cqdt.units.models import GovernanceAssignment, Unit, UnitSuccession

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 4)
PILOT_START = dt.date(2021, 7, 1)
LAST_DAY = dt.date(2025, 6, 30)
TWO_TIER = dt.date(2025, 7, 1)


# ---- acceptance ---------------------------------------------------------------------------


def test_phuc_xa_is_not_in_force_and_went_whole_into_hong_ha(client, reference_data):
    response = client.get("/api/v1/units/00001", {"on": TODAY.isoformat()})
    assert response.status_code == 200
    body = response.json()
    assert body["in_force"] is False
    assert body["valid_to"] == "2025-07-01"  # exclusive: in force up to 30 June 2025
    assert body["replaced_by"] == [
        {
            "code": "00097",
            "name": "Phường Hồng Hà",
            "division_type": "ward",
            "parent_code": "01",
            "valid_from": "2025-07-01",
            "valid_to": None,
            "share": "whole",
        }
    ]
    assert body["governance"] is None


def test_hong_ha_has_a_council_under_the_city_and_cites_the_2025_law(client, reference_data):
    body = client.get("/api/v1/units/00097", {"on": TODAY.isoformat()}).json()
    assert body["name"] == "Phường Hồng Hà" and body["in_force"] is True
    assert body["parent"]["code"] == "01"
    gov = body["governance"]
    assert gov["model"] == "two-tier-2025"
    assert gov["has_people_council"] is True
    assert gov["regime"] == "collective"
    assert gov["chairman_appointed_by"]["method"] == "elected_by_own_council"
    assert gov["chairman_approved_by"]["unit_code"] == "01"
    assert gov["supervised_by"]["unit_code"] == "00097"
    assert gov["budget_status"] == "budget_level"
    assert "72/2025/QH15" in gov["legal_basis"] + gov["source"]
    assert gov["as_of"] == TODAY.isoformat()
    assert gov["signature_templates"]["chairman"] == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    replaces = {(r["code"], r["name"], r["share"]) for r in body["replaces"]}
    assert ("00001", "Phường Phúc Xá", "whole") in replaces
    assert ("00097", "Phường Tứ Liên", "part") in replaces  # the code's previous holder


def test_hanoi_has_126_commune_level_units_today(client, reference_data):
    wards = selectors.units_on(TODAY, division_type="ward", province="01").count()
    communes = selectors.units_on(TODAY, division_type="commune", province="01").count()
    assert (wards, communes) == (51, 75)
    assert not selectors.units_on(TODAY, division_type="urban_district").exists()
    body = client.get(
        "/api/v1/units", {"on": TODAY.isoformat(), "parent": "01", "limit": 1000}
    ).json()
    assert body["count"] == 126


def test_the_175_pilot_wards_answer_as_before_on_the_first_day(client, reference_data):
    body = client.get(
        "/api/v1/units", {"type": "ward", "pilot": "true", "on": PILOT_START.isoformat()}
    ).json()
    assert body["count"] == 175
    gov = client.get("/api/v1/units/00097", {"on": "2021-07-01"}).json()
    assert gov["name"] == "Phường Tứ Liên" and gov["parent"]["code"] == "003"  # Quận Tây Hồ
    assert gov["governance"]["model"] == "hanoi-urban-pilot-2021"


def test_no_2025_unit_exists_on_30_june_2025(reference_data):
    assert not selectors.units_on(LAST_DAY).filter(valid_from=TWO_TIER).exists()
    assert selectors.unit_on("00097", LAST_DAY).name == "Phường Tứ Liên"
    commune_level = selectors.units_on(LAST_DAY).filter(
        division_type__in=["ward", "commune", "township"]
    )
    assert commune_level.count() == 526  # after the 2025-01-01 arrangement
    assert selectors.units_on(LAST_DAY, division_type="urban_district").count() == 12


def test_districts_end_on_30_june_2025_and_every_link_is_whole_or_part(reference_data):
    districts = Unit.objects.filter(division_type__in=["urban_district", "rural_district", "town"])
    assert districts.count() == 30
    assert set(districts.values_list("valid_to", flat=True)) == {TWO_TIER}
    assert set(UnitSuccession.objects.values_list("share", flat=True)) == {"whole", "part"}
    # Every unit in force on 30 June 2025 at commune level went somewhere.
    linked = set(
        UnitSuccession.objects.filter(effective_on=TWO_TIER).values_list(
            "predecessor__code", flat=True
        )
    )
    before = set(
        selectors.units_on(LAST_DAY)
        .filter(division_type__in=["ward", "commune", "township"])
        .values_list("code", flat=True)
    )
    assert before == linked


def test_pilot_and_capital_law_end_where_the_law_ended_them(reference_data):
    pilot = GovernanceAssignment.objects.filter(model__slug="hanoi-urban-pilot-2021")
    assert set(pilot.values_list("valid_to", flat=True)) == {dt.date(2025, 1, 1)}
    capital = GovernanceAssignment.objects.filter(model__slug="hanoi-capital-law-2024")
    assert set(capital.values_list("valid_to", flat=True)) == {TWO_TIER}
    assert not GovernanceAssignment.objects.filter(
        model__slug="standard-2015", valid_to__isnull=True, unit_code__startswith="0"
    ).exists()


# ---- code reuse: identity is code + validity -----------------------------------------------


def test_a_lookup_by_code_without_a_date_is_in_force_today_else_the_latest(reference_data):
    assert selectors.unit_on("00097").name == "Phường Hồng Hà"  # in force today
    ended = selectors.unit_on("00001")  # Phúc Xá ended: its latest version
    assert ended.name == "Phường Phúc Xá" and ended.valid_to == TWO_TIER
    assert [v.name for v in selectors.unit_versions("00097")] == [
        "Phường Tứ Liên",
        "Phường Hồng Hà",
    ]


# ---- dated answers ------------------------------------------------------------------------


def test_every_answer_says_its_date_and_where_verified_data_stops(client, reference_data):
    body = client.get("/api/v1/units/00097", {"on": TODAY.isoformat()}).json()
    assert body["as_of"] == TODAY.isoformat()
    assert body["data_verified_to"] == "2025-08-23"
    assert body["beyond_verified_data"] is True
    assert "23/08/2025" in body["data_note"]["vi"]
    assert body["source"].startswith("vietnamadminunits 1.0.4")
    inside = client.get("/api/v1/units/00097", {"on": "2025-07-01"}).json()
    assert inside["beyond_verified_data"] is False and inside["data_note"] is None
    listing = client.get("/api/v1/units", {"on": TODAY.isoformat()}).json()
    assert listing["as_of"] == TODAY.isoformat() and listing["beyond_verified_data"] is True


def test_a_2025_01_version_ends_without_invented_links(client, reference_data):
    # Resolution 1286/NQ-UBTVQH15: no verified text of which 2021 unit went where, so the 2021
    # version of Phường Nguyễn Trung Trực ends on 1 January 2025 [C] and names no successor.
    body = client.get("/api/v1/units/00010", {"on": TODAY.isoformat()}).json()
    assert body["in_force"] is False and body["valid_to"] == "2025-01-01"
    assert body["replaced_by"] == []


# ---- choosers -----------------------------------------------------------------------------


def test_choices_are_units_in_force_grouped_and_found_without_accents(client, reference_data):
    body = client.get("/api/v1/units/choices", {"on": TODAY.isoformat(), "q": "hong ha"}).json()
    assert body["count"] == 1
    (group,) = body["groups"]
    assert group["parent"]["code"] == "01"
    assert [u["code"] for u in group["units"]] == ["00097"]
    pilot_day = client.get("/api/v1/units/choices", {"on": "2024-01-01", "q": "PHUC XA"}).json()
    assert [u["name"] for g in pilot_day["groups"] for u in g["units"]] == ["Phường Phúc Xá"]
    assert pilot_day["groups"][0]["parent"]["name"] == "Quận Ba Đình"
    everything = client.get("/api/v1/units/choices", {"on": TODAY.isoformat()}).json()
    assert everything["count"] == 126


def test_choices_read_in_a_fixed_number_of_queries(reference_data, django_assert_num_queries):
    with django_assert_num_queries(2):
        groups = selectors.units_in_force_grouped(TODAY, q="xa")
    assert groups


# ---- geodata --------------------------------------------------------------------------------


HO_HOAN_KIEM = (21.0288, 105.8525)


def test_hoan_kiem_lake_lies_in_hang_trong_then_in_phuong_hoan_kiem(reference_data):
    before = selectors.locate_point(*HO_HOAN_KIEM, on=dt.date(2024, 1, 1))
    assert before is not None
    assert (before.unit.code, before.unit.name) == ("00070", "Phường Hàng Trống")
    assert before.method == "bbox+nearest_centroid"
    after = selectors.locate_point(*HO_HOAN_KIEM, on=TODAY)
    assert after is not None
    assert (after.unit.code, after.unit.name) == ("00070", "Phường Hoàn Kiếm")
    assert after.method == "nearest_centroid_within_radius"
    assert after.distance_km <= 1.5 * after.radius_km


@pytest.mark.parametrize(
    "point",
    [(48.8566, 2.3522), (13.7563, 100.5018), (21.0, 106.9), (float("nan"), 105.85)],
    ids=["paris", "bangkok", "gulf-of-tonkin", "nan"],
)
def test_a_point_outside_every_plausible_unit_is_none(reference_data, point):
    assert selectors.locate_point(*point, on=TODAY) is None


def test_locate_endpoint_and_its_404(client, reference_data):
    body = client.get(
        "/api/v1/units/locate",
        {"lat": HO_HOAN_KIEM[0], "lon": HO_HOAN_KIEM[1], "on": TODAY.isoformat()},
    ).json()
    assert body["unit"]["code"] == "00070" and body["method"]
    assert "approximation" in body
    missing = client.get("/api/v1/units/locate", {"lat": 48.85, "lon": 2.35})
    assert missing.status_code == 404 and missing.json()["code"] == "point_not_located"
    bad = client.get("/api/v1/units/locate", {"lat": 123, "lon": 2.35})
    assert bad.status_code == 422 and bad.json()["field"] == "lat"


def test_gaps_list_units_without_class_or_population(client, reference_data):
    body = client.get("/api/v1/units/gaps", {"on": TODAY.isoformat()}).json()
    assert body["ward_class"]["count"] == 126  # no verified classification loaded
    assert body["population"]["count"] == 126
    assert body["geodata"]["count"] == 0


# ---- the whole country ------------------------------------------------------------------------


def test_the_country_loads_34_provinces_and_3321_communes_and_the_urban_models(reference_data):
    from cqdt.units.reference import country_load

    country_load()
    commune_level = ["ward", "commune", "township", "special_zone"]
    assert selectors.units_on(TODAY).filter(division_type__in=commune_level).count() == 3321
    assert selectors.units_on(TODAY).filter(division_type__in=["city", "province"]).count() == 34
    # Đà Nẵng's wards under the city council's supervision, flagged: the data reflects 2025.
    ward = selectors.units_on(PILOT_START, province="48", division_type="ward").first()
    governance = selectors.governance_for(ward, PILOT_START)
    assert governance.model.slug == "danang-urban-2021"
    assert governance.supervising_unit.code == "48"
    assert governance.as_dict()["supervised_by"]["unit_code"] == "48"
    assert selectors.data_status(ward, PILOT_START).before is True
    again = country_load()
    assert (again.units_created, again.successions_created, again.assignments_created) == (0, 0, 0)


def test_an_ended_unit_whose_successor_is_not_recorded_says_so(client, history_reference_data):
    """Phường Nguyễn Trung Trực (00010) ended on 1 January 2025 and the data holds no link to
    what replaced it: the page says the successor is not recorded, not nothing at all; a unit
    with its successor recorded names it instead."""
    page = client.get("/units/00010/", {"on": TODAY.isoformat()}).content.decode()
    assert "không còn tồn tại từ ngày 01/01/2025" in page
    assert "Chưa ghi nhận đơn vị thay thế." in page
    linked = client.get("/units/00001/", {"on": TODAY.isoformat()}).content.decode()
    assert "Được thay thế bởi:" in linked
    assert "Chưa ghi nhận đơn vị thay thế." not in linked


def test_the_api_tells_a_successor_not_recorded_from_none(client, history_reference_data):
    def unit(code: str) -> dict:
        return client.get(f"/api/v1/units/{code}", {"on": TODAY.isoformat()}).json()

    ended_unlinked = unit("00010")
    assert ended_unlinked["in_force"] is False and ended_unlinked["replaced_by"] == []
    assert ended_unlinked["successor_recorded"] is False
    assert unit("00001")["successor_recorded"] is True  # whole into Phường Hồng Hà
    assert unit("00097")["successor_recorded"] is None  # in force


@pytest.mark.parametrize("on", [None, PILOT_START, LAST_DAY, TWO_TIER, TODAY])
def test_latest_versions_answers_as_latest_version_for_each_code_in_one_query(
    reference_data, django_assert_num_queries, on
):
    """00097 was Phường Tứ Liên until 30 June 2025 and is Phường Hồng Hà from 1 July 2025; a
    code begun after ``on`` (none of Hanoi's before 2025's) is left out, as ``latest_version``
    answers None."""
    codes = ["01", "001", "00001", "00097", "00098", "99999"]
    with django_assert_num_queries(1):
        found = selectors.latest_versions(codes, on)
    for code in codes:
        one = selectors.latest_version(code, on)
        assert (found.get(code).pk if code in found else None) == (one.pk if one else None), code
    assert found["00097"].name == (
        "Phường Hồng Hà" if on in (None, TWO_TIER, TODAY) else "Phường Tứ Liên"
    )
