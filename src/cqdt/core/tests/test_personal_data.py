"""Citizen IDs and phone numbers: validation and masking (pure).

A citizen ID has 12 digits, the first three a province code (Decree 137/2015/NĐ-CP; Circular
07/2016/TT-BCA). A masked value keeps the province code and the last two digits.
"""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqdt.core.personal_data import (
    PROVINCE_CODES,
    citizen_id_problem,
    mask_address,
    mask_citizen_id,
    mask_phone,
    phone_problem,
)

ASCII_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=20)


def test_there_are_63_province_codes_with_hanoi_first():
    assert len(PROVINCE_CODES) == 63
    assert "001" in PROVINCE_CODES and "079" in PROVINCE_CODES  # Hà Nội, TP Hồ Chí Minh
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)


@pytest.mark.parametrize("value", ["001190012345", "079303000001", "096099999999"])
def test_well_formed_ids_pass(value):
    assert citizen_id_problem(value) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", "12"),
        ("00119001234", "12"),  # 11 digits
        ("0011900123456", "12"),  # 13 digits
        ("00119001234A", "12"),
        ("001 90012345", "12"),
        ("-01190012345", "12"),
        ("999190012345", "province"),
        ("000190012345", "province"),
        ("003190012345", "province"),  # no province has code 003
    ],
)
def test_malformed_ids_are_refused_with_the_reason(value, words):
    problem = citizen_id_problem(value)
    assert problem is not None
    vi, en = problem
    assert vi and words in en


@pytest.mark.parametrize("value", ["001190012345\n", "001١٩٠٠١٢٣٤٥", "001１９００１２３４５"])
def test_only_ascii_digits_make_an_id(value):
    assert citizen_id_problem(value) is not None


@given(ASCII_DIGITS)
def test_a_digit_string_is_an_id_exactly_when_it_has_12_digits_and_a_province(value):
    valid = len(value) == 12 and value[:3] in PROVINCE_CODES
    assert (citizen_id_problem(value) is None) == valid


def test_masking_keeps_the_province_and_the_last_two_digits():
    assert mask_citizen_id("001190012345") == "001*******45"
    assert mask_citizen_id("") == ""


@given(
    st.sampled_from(sorted(PROVINCE_CODES)), st.text(alphabet="0123456789", min_size=9, max_size=9)
)
def test_a_masked_id_hides_the_birth_and_serial_digits(province, rest):
    value = province + rest
    masked = mask_citizen_id(value)
    assert len(masked) == len(value)
    assert masked[:3] == province and masked[-2:] == value[-2:]
    assert masked[3:-2] == "*" * 7


@pytest.mark.parametrize("value", ["", "0912345678", "+84912345678", "091 234 5678", "02439876543"])
def test_good_phones_pass(value):
    assert phone_problem(value) is None


@pytest.mark.parametrize("value", ["12345", "0912", "84912345678", "09123456789012", "091234567x"])
def test_bad_phones_are_refused(value):
    assert phone_problem(value) is not None


def test_masked_phones_keep_the_first_and_last_three_digits():
    assert mask_phone("0912345678") == "091****678"
    assert mask_phone("+84912345678") == "+84******678"
    assert mask_phone("") == ""


def test_a_refused_phone_says_what_a_good_one_looks_like():
    """Seen on the online form and the feedback form at 320 px: "Số điện thoại không hợp lệ."
    and nothing on how to write it."""
    assert phone_problem("09123") == (
        "Số điện thoại không hợp lệ: hãy nhập số bắt đầu bằng 0 (10 hoặc 11 chữ số) hoặc +84, "
        "ví dụ 0912345678.",
        "Invalid phone number: enter a number starting with 0 (10 or 11 digits) or +84, "
        "for example 0912345678.",
    )


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        (
            "Số 12, ngõ 5, phố Huế, phường Hai Bà Trưng, Hà Nội",
            "***, phường Hai Bà Trưng",
        ),
        (
            "Tổ 3, Số 8 ngách 12/4 ngõ 66 Yên Phụ, Phường Hồng Hà",
            "***, Phường Hồng Hà",
        ),
        ("Số 12 ngõ 5 Phố Huế, phường Hai Bà Trưng", "***, phường Hai Bà Trưng"),
        ("Thôn Đông, xã Sóc Sơn, thành phố Hà Nội", "***, xã Sóc Sơn, thành phố Hà Nội"),
        ("Số 8 ngõ 66, phường Hồng Hà, Yên Phụ", "***, phường Hồng Hà"),
        ("12 Phó Đức Chính", "***"),
        ("Số 8, ngõ 5, phố Huế, Hà Nội", "***"),
        ("Phố Huế, 12", "***"),
        ("P. Hồng Hà, Q. Ba Đình", "***, P. Hồng Hà, Q. Ba Đình"),
        ("", ""),
    ],
)
def test_an_address_keeps_only_the_units_it_names(address: str, masked: str) -> None:
    assert mask_address(address) == masked


def test_no_part_of_the_house_s_address_survives_masking() -> None:
    """Whatever the order of its parts, a masked address keeps no number and no lane, alley,
    street, group or village word (the house's own address)."""
    parts = ["Số 12", "ngõ 5", "ngách 12/4", "phố Huế", "đường Láng", "tổ 3", "thôn Đông"]
    areas = ["phường Hồng Hà", "xã Sóc Sơn", "quận Ba Đình", "Hà Nội"]
    for n in range(1, len(parts) + 1):
        for area_from in range(len(areas)):
            address = ", ".join(parts[:n] + areas[area_from:])
            masked = mask_address(address)
            assert not re.search(r"\d", masked), (address, masked)
            assert not re.search(r"\b(ngõ|ngách|phố|đường|tổ|thôn|số)\b", masked, re.IGNORECASE), (
                address,
                masked,
            )
            assert masked.startswith("***"), masked
