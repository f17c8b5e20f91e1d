"""The shipped reference files: where each comes from (its dataset and legal basis) and the unit
versions read from them, before anything is written."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


UNITS_CSV = DATA_DIR / "hanoi-units-2021.csv"


HANOI_2025_06_CSV = DATA_DIR / "hanoi-units-2025-06.csv"


URBAN_2025_06_CSV = DATA_DIR / "urban-units-2025-06.csv"


UNITS_2025_07_CSV = DATA_DIR / "units-2025-07.csv"


SUCCESSIONS_CSV = DATA_DIR / "successions-2025-07.csv"


GOVERNANCE_JSON = DATA_DIR / "governance.json"


UNITS_SOURCE = "Danh mục đơn vị hành chính (mã Tổng cục Thống kê), hiện trạng 01/07/2021"


UNITS_SOURCE_DATE = dt.date(2021, 7, 1)


HANOI = "01"


URBAN_2021 = ("48", "79")


DANANG, HCMC = URBAN_2021


# Resolution 1286/NQ-UBTVQH15 (Hanoi's 2023–2025 arrangement): in force 1 Jan 2025 [C: the
# press gives the date; no copy of the text listing which units merged into which was found,
# so the versions it changed end and start on that day without succession links].
ARRANGEMENT_2025_01 = dt.date(2025, 1, 1)


ARRANGEMENT_2025_01_BASIS = (
    "Nghị quyết 1286/NQ-UBTVQH15 (sắp xếp ĐVHC cấp huyện, cấp xã TP Hà Nội giai đoạn 2023–2025) "
    "[C: ngày hiệu lực 01/01/2025 theo báo chí; chưa có văn bản để ghi liên kết]"
)


# Two-tier local government from 1 July 2025: districts end on 30 June 2025.
TWO_TIER = dt.date(2025, 7, 1)


HANOI_2025_BASIS = "Nghị quyết 1656/NQ-UBTVQH15 ngày 16/6/2025 (hiệu lực 01/7/2025)"


COUNTRY_2025_BASIS = (
    "Nghị quyết 202/2025/QH15 (sắp xếp cấp tỉnh) và nghị quyết của UBTVQH năm 2025 về sắp xếp "
    "ĐVHC cấp xã của tỉnh, thành phố [C: số nghị quyết từng tỉnh chưa ghi]"
)


VAU = "vietnamadminunits 1.0.4 (MIT)"


VAU_DATE = dt.date(2025, 8, 23)  # date of the package's data files


DATASETS: dict[str, dict[str, Any]] = {
    "gso-hanoi-2021": {
        "title": UNITS_SOURCE,
        "url": "src/cqdt/units/data/hanoi-units-2021.csv",
        "licence": "public facts",
        "province_codes": [HANOI],
        "verified_from": UNITS_SOURCE_DATE,
        "verified_to": UNITS_SOURCE_DATE,
        "notes": "The 610 units of Hanoi on 1 July 2021; no founding dates.",
    },
    "vau-hanoi-2025": {
        "title": f"{VAU}: Hà Nội trước và từ 01/7/2025; liên kết kế thừa đối chiếu một phần với "
        "NQ 1656/NQ-UBTVQH15",
        "url": "https://pypi.org/project/vietnamadminunits/1.0.4/",
        "licence": "MIT",
        "province_codes": [HANOI],
        "verified_from": None,
        "verified_to": VAU_DATE,
        "notes": "526 commune-level units before 1 July 2025 (press: 526 on 3 April 2025); 126 "
        "from 1 July 2025 (51 wards, 75 communes). Links cross-checked for the articles read.",
    },
    "vau-country-2025": {
        "title": f"{VAU}: 34 tỉnh, thành phố và 3.321 đơn vị hành chính cấp xã từ 01/7/2025",
        "url": "https://pypi.org/project/vietnamadminunits/1.0.4/",
        "licence": "MIT",
        "province_codes": [],
        "verified_from": TWO_TIER,
        "verified_to": VAU_DATE,
        "notes": "Codes, names, centroids and areas; not cross-checked against each resolution.",
    },
    "vau-urban-2025-06": {
        "title": f"{VAU}: Đà Nẵng và TP Hồ Chí Minh trước 01/7/2025 (không phải hiện trạng "
        "01/7/2021)",
        "url": "https://pypi.org/project/vietnamadminunits/1.0.4/",
        "licence": "MIT",
        "province_codes": list(URBAN_2021),
        "verified_from": dt.date(2025, 6, 30),
        "verified_to": VAU_DATE,
        "notes": "The state just before 1 July 2025, after the 2023–2025 arrangements; units "
        "merged in 2023–2025 are missing and merged units carry their 2025 names.",
    },
}


DIVISION_TYPES = {
    "thành phố trung ương": "city",
    "quận": "urban_district",
    "thị xã": "town",
    "huyện": "rural_district",
    "phường": "ward",
    "xã": "commune",
    "thị trấn": "township",
}


@dataclass
class _Version:
    code: str
    name: str
    division_type: str
    parent_code: str
    province_code: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str
    source_date: dt.date | None
    legal_basis: str
    dataset: str
    verification: str = ""
    geo: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, row: dict[str, str], **values: Any) -> _Version:
        """The unit of a CSV row (code, name, division type, parent), the rest as given."""
        named = {k: row.get(k, "") for k in ("code", "name", "division_type", "parent_code")}
        return cls(**{**named, **values})


def _two_tier(
    row: dict[str, str],
    *,
    province_code: str,
    legal_basis: str,
    dataset: str,
    geo_source: str,
    **values: Any,
) -> _Version:
    """A unit of the two-tier local government (from 1 July 2025, ``TWO_TIER``, still in force)
    as VAU's ``admin_units`` lists it; ``values``: what this dataset adds (parent, verification)."""
    return _Version.of(
        row,
        province_code=province_code,
        valid_from=TWO_TIER,
        valid_to=None,
        source=f"{VAU}, admin_units",
        source_date=VAU_DATE,
        legal_basis=legal_basis,
        dataset=dataset,
        geo=_geo(row, geo_source),
        **values,
    )


def read_units_csv(path: Path = UNITS_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["division_type"] not in DIVISION_TYPES:
            raise ValueError(f"Unknown division type {row['division_type']!r} for {row['code']}")
    return rows


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def pilot_ward_codes(rows: list[dict[str, str]]) -> set[str]:
    """Wards of the 12 urban districts and Sơn Tây town (Resolution 97/2019/QH14 scope)."""
    parents = {
        r["code"] for r in rows if DIVISION_TYPES[r["division_type"]] in ("urban_district", "town")
    }
    return {
        r["code"]
        for r in rows
        if DIVISION_TYPES[r["division_type"]] == "ward" and r["parent_code"] in parents
    }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _float(value: str) -> float | None:
    return float(value) if value else None


def _geo(row: dict[str, str], source: str) -> dict[str, Any]:
    geo: dict[str, Any] = {
        "centroid_lat": _float(row.get("centroid_lat", "")),
        "centroid_lon": _float(row.get("centroid_lon", "")),
        "bbox_south": _float(row.get("bbox_south", "")),
        "bbox_west": _float(row.get("bbox_west", "")),
        "bbox_north": _float(row.get("bbox_north", "")),
        "bbox_east": _float(row.get("bbox_east", "")),
        "area_km2": _float(row.get("area_km2", "")),
    }
    if any(v is not None for v in geo.values()):
        geo["geo_source"] = source
    return geo


def _hanoi_2021(row: dict[str, str], *, valid_to: dt.date | None, geo: dict[str, Any]) -> _Version:
    """A unit of the 2021 file (GSO codes, Hanoi on 1 July 2021; no founding dates)."""
    return _Version.of(
        row,
        division_type=DIVISION_TYPES[row["division_type"]],
        province_code=HANOI,
        valid_from=None,
        valid_to=valid_to,
        source=UNITS_SOURCE,
        source_date=UNITS_SOURCE_DATE,
        legal_basis="",
        dataset="gso-hanoi-2021",
        geo=geo,
    )


def _hanoi_2021_only() -> tuple[list[_Version], dict[str, set[str]]]:
    """Only the 2021 file, open-ended: the world the pre-issue-19 tests were written on."""
    rows_2021 = read_units_csv()
    versions = [_hanoi_2021(r, valid_to=None, geo={}) for r in rows_2021]
    selections = {
        "hanoi_2021": {r["code"] for r in rows_2021},
        "pilot_wards": pilot_ward_codes(rows_2021),
    }
    return versions, selections


def _hanoi_versions() -> tuple[list[_Version], dict[str, set[str]]]:
    """Hanoi's versions from the three files, and the code selections governance needs."""
    rows_2021 = read_units_csv()
    before = {r["code"]: r for r in _read(HANOI_2025_06_CSV)}
    after = [r for r in _read(UNITS_2025_07_CSV) if r["parent_code"] == HANOI]
    city_2025 = next(r for r in _read(UNITS_2025_07_CSV) if r["code"] == HANOI)
    checked = {
        r["successor_code"]: r["article"]
        for r in _read(SUCCESSIONS_CSV)
        if r["old_province"] == HANOI and r["cross_checked"] == "yes"
    }
    versions: list[_Version] = []
    unchanged = ("same", "same_spelling_differs")
    legacy_geo = f"{VAU}, admin_units_legacy (hiện trạng trước 01/7/2025)"
    for r in rows_2021:
        division_type = DIVISION_TYPES[r["division_type"]]
        later = before.get(r["code"])
        if division_type == "city":
            valid_to = None
            geo = _geo(city_2025, f"{VAU}, admin_units (tâm tỉnh)")
        elif later is not None and later["since_2021"] in unchanged:
            valid_to = TWO_TIER
            geo = _geo(later, legacy_geo + ", cùng mã và tên với năm 2021")
        else:
            valid_to = ARRANGEMENT_2025_01
            geo = {}
        versions.append(_hanoi_2021(r, valid_to=valid_to, geo=geo))
    for r in before.values():
        if r["since_2021"] in unchanged:
            continue
        versions.append(
            _Version.of(
                r,
                province_code=HANOI,
                valid_from=ARRANGEMENT_2025_01,
                valid_to=TWO_TIER,
                source=f"{VAU}, admin_units_legacy",
                source_date=VAU_DATE,
                legal_basis=ARRANGEMENT_2025_01_BASIS,
                dataset="vau-hanoi-2025",
                geo=_geo(r, legacy_geo),
            )
        )
    for r in after:
        article = checked.get(r["code"], "")
        versions.append(
            _two_tier(
                r,
                province_code=HANOI,
                legal_basis=HANOI_2025_BASIS,
                dataset="vau-hanoi-2025",
                geo_source=f"{VAU}, admin_units (tâm và diện tích từ 01/7/2025)",
                parent_code=HANOI,
                verification=f"Đối chiếu {article}" if article else "",
            )
        )
    selections = {
        "hanoi_2021": {r["code"] for r in rows_2021},
        "pilot_wards": pilot_ward_codes(rows_2021),
        "hanoi_wards_2025_01": {c for c, r in before.items() if r["division_type"] == "ward"},
        "hanoi_2025_07": {r["code"] for r in after} | {HANOI},
    }
    return versions, selections


def _urban_versions() -> tuple[list[_Version], dict[str, set[str]]]:
    """Đà Nẵng's and HCMC's units before 1 July 2025 (their 2025 state: see the README)."""
    rows = _read(URBAN_2025_06_CSV)
    by_code = {r["code"]: r for r in rows}
    versions = [
        _Version.of(
            r,
            province_code=r["code"] if not r["parent_code"] else _province_of(r, by_code),
            valid_from=None,
            valid_to=TWO_TIER,
            source=f"{VAU}, admin_units_legacy (hiện trạng trước 01/7/2025, không phải 01/7/2021)",
            source_date=VAU_DATE,
            legal_basis="",
            dataset="vau-urban-2025-06",
            geo=_geo(r, f"{VAU}, admin_units_legacy"),
        )
        for r in rows
    ]
    kinds = {r["code"]: r["division_type"] for r in rows}

    def wards_under(province: str, parent_kinds: set[str]) -> set[str]:
        return {
            r["code"]
            for r in rows
            if r["division_type"] == "ward"
            and kinds.get(r["parent_code"]) in parent_kinds
            and _province_of(r, by_code) == province
        }

    districts = {
        p: {
            r["code"]
            for r in rows
            if r["parent_code"] == p and r["division_type"] == "urban_district"
        }
        for p in URBAN_2021
    }
    danang = districts[DANANG] | wards_under(DANANG, {"urban_district"})
    hcmc = districts[HCMC] | wards_under(HCMC, {"urban_district"})
    thu_duc = wards_under(HCMC, {"district_city"})
    selections = {
        "urban_2025_06": {r["code"] for r in rows},
        "urban_model_units": danang | hcmc | thu_duc,
        "danang_urban": danang,
        "hcmc_urban": hcmc,
        "hcmc_thu_duc_wards": thu_duc,
    }
    return versions, selections


def _province_of(row: dict[str, str], by_code: dict[str, dict[str, str]]) -> str:
    while row["parent_code"]:
        row = by_code[row["parent_code"]]
    return row["code"]


def _country_versions(
    skip_provinces: Iterable[str] = (),
) -> tuple[list[_Version], dict[str, set[str]]]:
    rows = _read(UNITS_2025_07_CSV)
    skip = set(skip_provinces)
    versions = []
    for r in rows:
        province = r["code"] if not r["parent_code"] else r["parent_code"]
        if province in skip:
            continue
        versions.append(
            _two_tier(
                r,
                province_code=province,
                legal_basis=COUNTRY_2025_BASIS,
                dataset="vau-country-2025",
                geo_source=f"{VAU}, admin_units",
            )
        )
    return versions, {"country_2025_07": {v.code for v in versions}}
