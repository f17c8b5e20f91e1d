"""The place line of units named after a person or a historical event keeps the full name
(Decree 30/2020/NĐ-CP, Appendix I, recalled; the list is configuration data, to verify)."""

import csv
import datetime as dt
import json

import pytest

from cqdt.documents import layout, numbering, places
from cqdt.documents.services import heading_for
from cqdt.units.reference.files import DATA_DIR


def test_a_unit_named_after_a_person_keeps_its_full_name_on_the_place_line():
    assert layout.place("Phường Nguyễn Trung Trực") == "Phường Nguyễn Trung Trực"
    assert layout.place("Xã Tô Hiệu") == "Xã Tô Hiệu"
    assert numbering.date_line(layout.place("Phường Trần Hưng Đạo"), dt.date(2024, 5, 6)) == (
        "Phường Trần Hưng Đạo, ngày 06 tháng 5 năm 2024"
    )


def test_a_numbered_unit_keeps_its_full_name_and_an_ordinary_one_its_proper_name():
    assert layout.place("Phường 15") == "Phường 15"
    assert layout.place("Phường Phúc Xá") == "Phúc Xá"
    assert layout.place("Phường Hàng Trống") == "Hàng Trống"
    assert layout.place("Phường Cổ Nhuế 1") == "Cổ Nhuế 1"  # a place name with a number after it


def test_every_listed_unit_is_a_unit_of_the_shipped_data_with_its_basis_and_is_marked_to_verify():
    data = json.loads(places.DATA.read_text(encoding="utf-8"))
    assert data["status"] == "list compiled by the project, to verify"
    assert "text not checked offline" in data["rule"]
    shipped = set()
    for name in ("hanoi-units-2021.csv", "hanoi-units-2025-06.csv", "units-2025-07.csv"):
        with (DATA_DIR / name).open(encoding="utf-8") as f:
            shipped |= {(r["code"], r["name"]) for r in csv.DictReader(f)}
    listed = places.named_after()
    assert len(listed) >= 15
    for row in data["units"]:
        assert (row["code"], row["name"]) in shipped, row
        assert row["named_after"] in ("person", "event") and len(row["basis"]) > 10, row
    left_out = {name for row in data["left_out"] for name in row["names"]}
    assert not left_out & set(listed)


@pytest.mark.django_db
def test_the_heading_of_a_ward_named_after_a_person_writes_its_full_name(reference_data):
    day = dt.date(2022, 3, 1)
    lines, place = heading_for("00010", day)
    assert place == "Phường Nguyễn Trung Trực"
    assert lines[-1] == "ỦY BAN NHÂN DÂN PHƯỜNG NGUYỄN TRUNG TRỰC"
    assert heading_for("00001", day)[1] == "Phúc Xá"


def test_a_name_stored_decomposed_or_with_a_lower_case_level_noun_is_still_found():
    """Names were matched as exact strings: "Phường Nguyễn Trung Trực" stored in NFD (combining
    marks apart) or written "phường …" silently missed the list and printed "Nguyễn Trung Trực,
    ngày …". Compared in NFC with the level noun's case ignored; the proper name is not folded."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Phường Nguyễn Trung Trực")
    assert decomposed != "Phường Nguyễn Trung Trực"
    assert places.written_in_full(decomposed)
    assert places.written_in_full("phường Nguyễn Trung Trực")
    assert places.written_in_full(unicodedata.normalize("NFD", "PHƯỜNG Trần Hưng Đạo"))
    assert places.written_in_full(" xã Tô Hiệu ")
    assert places.name_key("phường Nguyễn Trung Trực") == "Phường Nguyễn Trung Trực"
    assert not places.written_in_full("Phường nguyễn trung trực")
    assert not places.written_in_full(unicodedata.normalize("NFD", "Phường Phúc Xá"))


def test_ba_dinh_is_left_out_with_its_reason_like_dong_da_and_bach_dang():
    """Phường Ba Đình (00004 from 1 July 2025) is named, through the district and Ba Đình
    Square, after the Ba Đình uprising of 1886–87: an event's name reached through a place, left
    out for the same reason as Đống Đa and Bạch Đằng; its place line is "Ba Đình"."""
    data = json.loads(places.DATA.read_text(encoding="utf-8"))
    why = {name: row["why"] for row in data["left_out"] for name in row["names"]}
    assert "Ba Đình uprising of 1886–1887" in why["Phường Ba Đình"]
    assert "Đống Đa" in why["Phường Ba Đình"] and "Bạch Đằng" in why["Phường Ba Đình"]
    with (DATA_DIR / "units-2025-07.csv").open(encoding="utf-8") as f:
        assert ("00004", "Phường Ba Đình") in {(r["code"], r["name"]) for r in csv.DictReader(f)}
    assert not places.written_in_full("Phường Ba Đình")
    assert layout.place("Phường Ba Đình") == "Ba Đình"
