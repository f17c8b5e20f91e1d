#!/usr/bin/env python3
"""Regenerate the shipped unit data from the `vietnamadminunits` package (MIT), reproducibly.

    .venv/bin/python scripts/units_from_vietnamadminunits.py          # rewrite the CSVs
    .venv/bin/python scripts/units_from_vietnamadminunits.py --check  # exit 1 if they differ

Reads only the package's data files (``data/dataset.db`` and ``data/converter_2025.json``), never
the network, and writes under ``src/cqdt/units/data/``:

- ``hanoi-units-2025-06.csv``: Hanoi's city, 30 district-level and 526 commune-level units in
  force before 1 July 2025 (the dataset's ``admin_units_legacy``), with centroids and bounding
  boxes, and how each row compares with the 2021 file (``since_2021``).
- ``urban-units-2025-06.csv``: the same for Đà Nẵng (48) and Hồ Chí Minh City (79), the two other
  cities with an urban-government model from 2021 — the dataset reflects their state just before
  1 July 2025, not 1 July 2021 (see the data README).
- ``units-2025-07.csv``: Vietnam's 34 provinces and 3,321 commune-level units from 1 July 2025
  (``admin_units``), with centroids and areas.
- ``successions-2025-07.csv``: for provinces 01, 48 and 79, every predecessor → successor link of
  the 2025 arrangement, ``whole`` when the converter sends the old unit to one new unit only,
  ``part`` when it divides it; Hanoi rows are cross-checked against the resolution's text where a
  copy of it was read (``scripts/data/resolution-1656-crosscheck.csv``); a mismatch stops the run.

The package is a dev dependency (``pip install -e '.[dev]'``); ``units/tests/test_shipped_data.py``
runs this script's ``--check`` so the shipped files cannot drift from the package silently.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path

PACKAGE = "vietnamadminunits"
PACKAGE_VERSION = "1.0.4"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "cqdt" / "units" / "data"
CROSSCHECK = ROOT / "scripts" / "data" / "resolution-1656-crosscheck.csv"
HANOI_2021 = OUT / "hanoi-units-2021.csv"

DATASET = f"{PACKAGE} {PACKAGE_VERSION}"
HANOI = "01"
URBAN_2021 = ("48", "79")

WARD_TYPES = {
    "Phường": "ward",
    "Xã": "commune",
    "Thị trấn": "township",
    "Đặc khu": "special_zone",
}
DISTRICT_TYPES = {
    "Quận": "urban_district",
    "Huyện": "rural_district",
    "Thị xã": "town",
    "Thành phố": "district_city",
}

# Old-style and new-style tone placement spell the same name ("Hoà" = "Hòa"): not a rename.
TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFC", name).strip()
    for old, new in TONE_PAIRS.items():
        text = text.replace(old, new).replace(old.capitalize(), new.capitalize())
    return text


def package_data_dir() -> Path:
    """The installed package's ``data`` folder, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{PACKAGE} is not installed: pip install -e '.[dev]'")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def bounds(text: str | None) -> tuple[str, str, str, str]:
    """'lat,lon – lat,lon' (south-west – north-east) → (south, west, north, east)."""
    if not text:
        return ("", "", "", "")
    sw, ne = (part.strip() for part in text.split("–"))
    (s, w), (n, e) = (p.split(",") for p in (sw, ne))
    south, north = sorted((float(s), float(n)))
    west, east = sorted((float(w), float(e)))
    return (f"{south:.6f}", f"{west:.6f}", f"{north:.6f}", f"{east:.6f}")


def num(value: float | None, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}"


def legacy_rows(db: sqlite3.Connection, province: str) -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    query = (
        "select province, provinceCode, provinceLat, provinceLon, provinceBounds, district, "
        "districtType, districtCode, districtLat, districtLon, districtBounds, ward, wardType, "
        "wardCode, wardLat, wardLon, wardBounds from admin_units_legacy where provinceCode = ?"
    )
    for r in db.execute(query, (province,)):
        (pname, pcode, plat, plon, _pb, dname, dtype, dcode, dlat, dlon, db_, wname, wtype, wcode,
         wlat, wlon, wb) = r  # fmt: skip
        if pcode not in rows:
            # The geocoder's box for a city is its core, not its territory: not shipped.
            rows[pcode] = _row(pcode, pname, "city", "", plat, plon, None)
        if dcode not in rows:
            rows[dcode] = _row(dcode, dname, DISTRICT_TYPES[dtype], pcode, dlat, dlon, db_)
        if wcode:  # five districts of the country have no commune-level unit in the dataset
            rows[wcode] = _row(wcode, wname, WARD_TYPES[wtype], dcode, wlat, wlon, wb)
    return sorted(rows.values(), key=lambda r: (len(r["code"]), r["code"]))


def _row(code, name, division_type, parent, lat, lon, bbox) -> dict[str, str]:  # type: ignore[no-untyped-def]
    south, west, north, east = bounds(bbox)
    return {
        "code": code,
        "name": unicodedata.normalize("NFC", name),
        "division_type": division_type,
        "parent_code": parent,
        "centroid_lat": num(lat, 6),
        "centroid_lon": num(lon, 6),
        "bbox_south": south,
        "bbox_west": west,
        "bbox_north": north,
        "bbox_east": east,
    }


def hanoi_2025_06(db: sqlite3.Connection) -> list[dict[str, str]]:
    with HANOI_2021.open(encoding="utf-8", newline="") as handle:
        old = {r["code"]: r for r in csv.DictReader(handle)}
    rows = legacy_rows(db, HANOI)
    for row in rows:
        before = old.get(row["code"])
        if before is None:
            row["since_2021"] = "new"
        elif before["name"] == row["name"]:
            row["since_2021"] = "same"
        elif normalise_name(before["name"]) == normalise_name(row["name"]):
            row["since_2021"] = "same_spelling_differs"
        else:
            row["since_2021"] = "renamed"
        if before is not None and before["parent_code"] != row["parent_code"]:
            row["since_2021"] = "reparented"
    return rows


def units_2025_07(db: sqlite3.Connection) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    provinces = db.execute(
        "select distinct provinceCode, province, provinceLat, provinceLon from admin_units"
    ).fetchall()
    for code, name, lat, lon in sorted(provinces):
        out.append(
            {
                "code": code,
                "name": name,
                "division_type": "city" if name.startswith("Thành phố") else "province",
                "parent_code": "",
                "centroid_lat": num(lat, 6),
                "centroid_lon": num(lon, 6),
                "area_km2": "",
            }
        )
    for code, name, wtype, pcode, lat, lon, area in db.execute(
        "select wardCode, ward, wardType, provinceCode, wardLat, wardLon, wardAreaKm2 "
        "from admin_units order by wardCode"
    ):
        out.append(
            {
                "code": code,
                "name": unicodedata.normalize("NFC", name),
                "division_type": WARD_TYPES[wtype],
                "parent_code": pcode,
                "centroid_lat": num(lat, 6),
                "centroid_lon": num(lon, 6),
                "area_km2": num(area, 2),
            }
        )
    return out


def successions(db: sqlite3.Connection, converter: dict) -> list[dict[str, str]]:  # type: ignore[type-arg]
    old_by_key: dict[str, tuple[str, str, str]] = {}
    for pcode, key, code, name in db.execute(
        "select provinceCode, provinceKey || '_' || districtKey || '_' || wardKey, wardCode, ward "
        "from admin_units_legacy where wardCode is not null"
    ):
        old_by_key[key] = (pcode, code, name)
    new_by_key: dict[tuple[str, str], tuple[str, str, str]] = {}
    for pkey, wkey, code, name, pcode in db.execute(
        "select provinceKey, wardKey, wardCode, ward, provinceCode from admin_units"
    ):
        new_by_key[(pkey, wkey)] = (pcode, code, name)

    links: dict[tuple[str, str], dict[str, str]] = {}

    def add(old_key: str, new_pkey: str, new_wkey: str, share: str, default: bool) -> None:
        if old_key not in old_by_key:  # a district without commune-level units (Hoàng Sa)
            return
        old_province, old_code, old_name = old_by_key[old_key]
        if old_province not in (HANOI, *URBAN_2021):
            return
        _new_province, new_code, new_name = new_by_key[(new_pkey, new_wkey)]
        links[(old_code, new_code)] = {
            "old_province": old_province,
            "predecessor_code": old_code,
            "predecessor_name": old_name,
            "successor_code": new_code,
            "successor_name": new_name,
            "share": share,
            "default_successor": "yes" if default else "",
            "source": DATASET + " converter_2025.json",
            "cross_checked": "",
            "cross_check_source": "",
            "article": "",
        }

    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            for old_key in old_keys:
                add(old_key, new_pkey, new_wkey, "whole", True)
    for new_pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in olds.items():
            for target in targets:
                add(old_key, new_pkey, target["newWardKey"], "part", target["isDefaultNewWard"])
    rows = sorted(links.values(), key=lambda r: (r["successor_code"], r["predecessor_code"]))
    _cross_check(rows)
    return rows


def _cross_check(rows: list[dict[str, str]]) -> None:
    """Compare Hanoi's links with the articles of Resolution 1656 that were read; stop on a
    mismatch, mark the matching rows."""
    with CROSSCHECK.open(encoding="utf-8", newline="") as handle:
        checks = list(csv.DictReader(handle))
    for check in checks:
        mine = [
            r
            for r in rows
            if r["successor_code"] == check["successor_code"] and r["old_province"] == HANOI
        ]
        if not mine or mine[0]["successor_name"] != check["successor_name"]:
            raise SystemExit(
                f"cross-check: {check['successor_code']} is not {check['successor_name']}"
            )
        expected = {("Phường " + n, "whole") for n in check["whole"].split(";") if n}
        expected |= {("Phường " + n, "part") for n in check["part"].split(";") if n}
        got = {(normalise_name(r["predecessor_name"]), r["share"]) for r in mine}
        expected = {(normalise_name(n), s) for n, s in expected}
        if got != expected:
            raise SystemExit(
                f"cross-check failed for {check['successor_name']}: dataset {sorted(got - expected)}"
                f" vs text {sorted(expected - got)}"
            )
        for r in mine:
            r["cross_checked"] = "yes"
            r["cross_check_source"] = check["source"]
            r["article"] = check["article"]


def render(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def build() -> dict[str, str]:
    data = package_data_dir()
    db = sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True)
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    urban = [r for p in URBAN_2021 for r in legacy_rows(db, p)]
    return {
        "hanoi-units-2025-06.csv": render(hanoi_2025_06(db)),
        "urban-units-2025-06.csv": render(urban),
        "units-2025-07.csv": render(units_2025_07(db)),
        "successions-2025-07.csv": render(successions(db, converter)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    differ = []
    for name, text in build().items():
        path = OUT / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)} ({text.count(chr(10)) - 1} rows)")
    if differ:
        print("differ from the package: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
