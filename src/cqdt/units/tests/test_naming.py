"""Unit names inside a Vietnamese sentence: the level noun in lower case, the proper name as it is
(Decree 30/2020/NĐ-CP, Appendix II, Part II, items 3(a) and 4)."""

import pytest

from cqdt.units.naming import in_text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Phường Phúc Xá", "phường Phúc Xá"),
        ("Xã Sóc Sơn", "xã Sóc Sơn"),
        ("Thị xã Sơn Tây", "thị xã Sơn Tây"),
        ("Thành phố Hà Nội", "thành phố Hà Nội"),
        ("Quận Ba Đình", "quận Ba Đình"),
        ("Thị trấn Đông Anh", "thị trấn Đông Anh"),
        ("Đặc khu Phú Quốc", "đặc khu Phú Quốc"),
        ("Phường 15", "phường 15"),
        ("phường Phúc Xá", "phường Phúc Xá"),  # already so
        ("Xuân Phương", "Xuân Phương"),  # a proper name that only starts like a level noun
        ("Phường", "Phường"),  # the noun alone is no unit's name
    ],
)
def test_the_level_noun_is_lower_case_and_the_proper_name_kept(name, expected):
    assert in_text(name) == expected
