import pytest

from cqdt.units.governance_rules import level_key, max_vice_chairmen, signature_block, staffing_norm

PILOT = {"commune_level": {"I": 2, "II": 2, "III": 1}}
PILOT_TEMPLATES = {
    "chairman": "CHỦ TỊCH",
    "vice_chairman": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    "delegate": "TUQ. CHỦ TỊCH\n{post}",
    "acting": "Q. CHỦ TỊCH",
}


@pytest.mark.parametrize(("cls", "expected"), [("I", 2), ("II", 2), ("III", 1), ("", None)])
def test_pilot_ward_vice_chairmen_by_class(cls, expected):
    assert max_vice_chairmen(PILOT, "ward", cls) == expected


def test_limits_silent_for_a_level_give_none():
    assert max_vice_chairmen(PILOT, "urban_district", "I") is None
    assert level_key("town") == "district_level" and level_key("city") == "city"


def test_signature_blocks_follow_templates():
    assert signature_block(PILOT_TEMPLATES, "vice_chairman") == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert signature_block(PILOT_TEMPLATES, "delegate", "Công chức Tư pháp - Hộ tịch") == (
        "TUQ. CHỦ TỊCH\nCÔNG CHỨC TƯ PHÁP - HỘ TỊCH"
    )


def test_staffing_norms():
    pilot = staffing_norm({"scope": "parent_average", "average_max_per_unit": 15}, "")
    assert (pilot.scope, pilot.limit) == ("parent_average", 15)
    standard = staffing_norm({"scope": "per_unit", "max_by_class": {"I": 23}}, "I")
    assert standard.limit == 23
