"""The pure rules of a report's intake (feedback.rules): no database, microseconds each."""

from decimal import Decimal

import pytest

from cqdt.core.refusals import FORBIDDEN, INVALID, Refusal
from cqdt.feedback import rules


def text(**given):
    return rules.text_refusal(
        **{"description": "Đèn đường hỏng", "address": "", "reporter_name": ""} | given
    )


def test_the_words_of_a_report_pass_within_their_limits():
    assert text() is None
    assert text(description="x" * 4000, address="a" * 300, reporter_name="n" * 120) is None


@pytest.mark.parametrize(
    "given, field, en",
    [
        ({"description": ""}, "description", "A description is required."),
        (
            {"description": "x" * 4001},
            "description",
            "Description too long (4,000 characters at most).",
        ),
        ({"address": "a" * 301}, "address", "Address too long."),
        ({"reporter_name": "n" * 121}, "reporter_name", "Name too long."),
    ],
)
def test_words_over_their_limit_are_refused_naming_the_field(given, field, en):
    refusal = text(**given)
    assert (refusal.field, refusal.en, refusal.kind) == (field, en, INVALID)
    assert refusal.vi


def test_the_first_problem_of_the_words_wins():
    assert text(description="", address="a" * 301).field == "description"
    assert text(address="a" * 301, reporter_name="n" * 121).field == "address"


def test_contact_details_are_optional_but_must_be_usable():
    assert rules.contact_refusal(reporter_phone="", reporter_email="") is None
    assert rules.contact_refusal(reporter_phone="0912 345 678", reporter_email="a@b.vn") is None
    assert rules.contact_refusal(reporter_phone="12", reporter_email="").field == "phone"
    assert rules.contact_refusal(reporter_phone="", reporter_email="ab.vn").field == "email"
    long = "a@" + "b" * 119
    assert rules.contact_refusal(reporter_phone="", reporter_email=long).en == "Invalid email."
    # the phone is looked at before the email
    assert rules.contact_refusal(reporter_phone="12", reporter_email="x").field == "phone"


def test_a_pin_is_both_coordinates_or_neither_to_the_micro_degree():
    assert rules.pin(None, "") == (None, None)
    assert rules.pin("21.0285", 105.8542) == (Decimal("21.028500"), Decimal("105.854200"))
    only_lat = rules.pin(21.0, None)
    assert isinstance(only_lat, Refusal) and only_lat.field == "long"
    assert "missing" in only_lat.en and "bị thiếu" in only_lat.vi
    assert rules.pin(None, 105.8).field == "lat"


@pytest.mark.parametrize(
    "lat, lon, field, en",
    [
        ("abc", 105.8, "lat", "The pin's latitude is not a number."),
        ("NaN", 105.8, "lat", "The pin's latitude must be a finite number."),
        (21.0, "Infinity", "long", "The pin's longitude must be a finite number."),
        (6.99, 105.8, "lat", "The pin's latitude is outside Vietnam (7 to 24 degrees)."),
        (21.0, 118.01, "long", "The pin's longitude is outside Vietnam (102 to 118 degrees)."),
        (21.0, 101.99, "long", "The pin's longitude is outside Vietnam (102 to 118 degrees)."),
        ("abc", "xyz", "lat", "The pin's latitude is not a number."),  # the latitude first
    ],
)
def test_an_unusable_coordinate_is_refused_naming_its_field(lat, lon, field, en):
    refusal = rules.pin(lat, lon)
    assert isinstance(refusal, Refusal)
    assert (refusal.field, refusal.en, refusal.kind) == (field, en, INVALID)


def test_the_edges_of_vietnam_are_inside():
    assert rules.pin(7, 102) == (Decimal("7.000000"), Decimal("102.000000"))
    assert rules.pin(24, 118) == (Decimal("24.000000"), Decimal("118.000000"))


@pytest.mark.parametrize(
    "lat, lon",
    [(16.45, 111.71), (16.83, 112.34), (8.64, 111.92), (11.43, 114.33)],
    ids=["hoang-sa-quang-hoa", "hoang-sa-phu-lam", "truong-sa-lon", "song-tu-tay"],
)
def test_a_pin_on_hoang_sa_or_truong_sa_is_in_vietnam(lat, lon):
    """Hoàng Sa (Đà Nẵng) and Trường Sa (Khánh Hòa) are Vietnam's: a pin there is never refused
    as outside Vietnam (it is placed, or not, by the units' location data)."""
    assert not isinstance(rules.pin(lat, lon), Refusal)


def test_an_unplaced_report_blames_the_pin_only_when_it_came_alone():
    assert rules.unplaced_refusal(address="", pinned=True) is rules.POINT_IN_NO_WARD
    assert rules.unplaced_refusal(address="số 1", pinned=True) is rules.WARD_NOT_IN_ADDRESS
    assert rules.unplaced_refusal(address="số 1", pinned=False) is rules.WARD_NOT_IN_ADDRESS
    assert rules.POINT_IN_NO_WARD.field == "lat"
    assert rules.WARD_NOT_IN_ADDRESS.field == "address"
    assert rules.POINT_IN_NO_WARD.code == rules.WARD_NOT_IN_ADDRESS.code == "ward_unresolved"


def test_the_field_a_ward_came_from():
    assert rules.placed_from(ward_code="00001", address="x", by_point=True) == "ward"
    assert rules.placed_from(ward_code="", address="x", by_point=True) == "lat"
    assert rules.placed_from(ward_code="", address="", by_point=False) == "lat"
    assert rules.placed_from(ward_code="", address="x", by_point=False) == "address"


def test_an_api_key_reports_only_within_its_units():
    assert rules.key_scope_refusal("00001", "Phúc Xá", None, "ward") is None
    assert rules.key_scope_refusal("00001", "Phúc Xá", {"00001", "001"}, "ward") is None
    refusal = rules.key_scope_refusal("00004", "Trúc Bạch", {"00001"}, "address")
    assert refusal.code == "outside_key_scope" and refusal.field == "address"
    assert refusal.kind == FORBIDDEN  # a refusal of authority: 403
    assert "Trúc Bạch" in refusal.vi and "Trúc Bạch" in refusal.en


def test_a_pin_outside_the_wards_outline_is_refused_on_the_latitude():
    refusal, note = rules.pin_verdict("outside_outline", "Phường Phúc Xá", None)
    assert (refusal.field, refusal.code, refusal.kind, note) == (
        "lat",
        "pin_outside_ward",
        INVALID,
        "",
    )
    assert "outline (bounding box) of Phường Phúc Xá" in refusal.en
    assert "khung bao" in refusal.vi


def test_a_pin_far_from_the_centre_of_a_ward_without_an_outline_is_refused_with_the_distance():
    refusal, note = rules.pin_verdict("far_from_centroid", "Xã Bắc Sơn", 3.14159)
    assert (refusal.field, refusal.code, note) == ("lat", "pin_outside_ward", "")
    assert "3.1 km from the centre of Xã Bắc Sơn" in refusal.en
    assert "cách tâm xã Bắc Sơn 3.1 km" in refusal.vi


def test_an_accepted_pin_notes_how_it_was_compared():
    assert rules.pin_verdict("inside_outline", "Phường Phúc Xá", 0.2) == (
        None,
        " Điểm ghim nằm trong khung bao của phường Phúc Xá.",
    )
    refusal, note = rules.pin_verdict("near_centroid", "Xã Bắc Sơn", 1.25)
    assert refusal is None and "cách tâm gần đúng 1.2 km" in note
    assert rules.pin_verdict("no_geodata", "Xã Bắc Sơn", None) == (
        None,
        " Không có dữ liệu vị trí của xã Bắc Sơn để đối chiếu điểm ghim.",
    )
