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
