"""Where the verified unit data starts and stops, and the units lacking a figure the rules need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cqdt.units.models import COMMUNE_LEVEL, ReferenceDataset, Unit
from cqdt.units.selectors.units import today, valid_on_q


@dataclass(frozen=True)
class DataStatus:
    """Where the platform's verified unit data starts and stops for a province, on a date.

    ``verified_to`` is the last date up to which the loaded sources were checked; a date after
    it is answered from the last recorded state and flagged ``beyond``, never extrapolated
    silently (issue 19, item 4). ``before`` flags a date earlier than the first verified state
    (e.g. Đà Nẵng's wards, whose dataset reflects 2025, asked about 2021).
    """

    as_of: dt.date
    verified_from: dt.date | None
    verified_to: dt.date | None
    sources: tuple[str, ...]

    @property
    def beyond(self) -> bool:
        return self.verified_to is None or self.as_of > self.verified_to

    @property
    def before(self) -> bool:
        return self.verified_from is not None and self.as_of < self.verified_from

    def note(self) -> dict[str, str] | None:
        if self.verified_to is None:
            return {
                "vi": "Dữ liệu đơn vị hành chính này không thuộc bộ dữ liệu đã kiểm chứng nào.",
                "en": "This unit data belongs to no verified dataset.",
            }
        if self.beyond:
            return {
                "vi": (
                    f"Dữ liệu đơn vị hành chính chỉ được kiểm chứng đến ngày "
                    f"{self.verified_to:%d/%m/%Y}; câu trả lời cho ngày {self.as_of:%d/%m/%Y} "
                    "là hiện trạng ghi nhận cuối cùng, chưa kiểm chứng thay đổi sau ngày đó."
                ),
                "en": (
                    f"Unit data is verified up to {self.verified_to.isoformat()}; the answer for "
                    f"{self.as_of.isoformat()} is the last recorded state, with no check of "
                    "changes after that date."
                ),
            }
        if self.before:
            assert self.verified_from is not None
            return {
                "vi": (
                    f"Dữ liệu đơn vị hành chính chỉ được kiểm chứng từ ngày "
                    f"{self.verified_from:%d/%m/%Y}; trước ngày đó danh sách có thể khác."
                ),
                "en": (
                    f"Unit data is verified from {self.verified_from.isoformat()}; the list "
                    "may differ before that date."
                ),
            }
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "data_verified_from": self.verified_from,
            "data_verified_to": self.verified_to,
            "beyond_verified_data": self.beyond,
            "before_verified_data": self.before,
            "data_sources": list(self.sources),
            "data_note": self.note(),
        }


def _datasets() -> list[tuple[str, list[str], dt.date | None, dt.date | None]]:
    return [
        (d.title, list(d.province_codes or []), d.verified_from, d.verified_to)
        for d in ReferenceDataset.objects.order_by("verified_to", "slug")
    ]


def data_status(unit_or_province: Unit | str | None, on: dt.date) -> DataStatus:
    """Verified window of the unit data for a unit's province, a province code, or (None) all
    the data loaded, on ``on``."""
    from cqdt.core import refcache

    rows = refcache.get(("unit-datasets",), _datasets)
    if unit_or_province is None:
        covering = rows
    else:
        province = (
            unit_or_province
            if isinstance(unit_or_province, str)
            else (unit_or_province.province_code or "")
        )
        covering = [r for r in rows if not r[1] or province in r[1]]
    froms = [r[2] for r in covering if r[2] is not None]
    tos = [r[3] for r in covering if r[3] is not None]
    return DataStatus(
        as_of=on,
        verified_from=min(froms) if froms else None,
        verified_to=max(tos) if tos else None,
        sources=tuple(r[0] for r in covering),
    )


def units_missing(field_name: str, on: dt.date | None = None) -> QuerySet[Unit]:
    """Commune-level units in force on ``on`` that lack ``ward_class`` or ``population``.

    Rules that need the figure (vice-chairman limit by class, staffing per population) answer
    "unknown" for these units rather than guess (DOMAIN §8).
    """
    on = on or today()
    qs = Unit.objects.filter(valid_on_q(on), division_type__in=COMMUNE_LEVEL)
    if field_name == "ward_class":
        qs = qs.filter(ward_class="")
    elif field_name == "population":
        qs = qs.filter(population__isnull=True)
    else:
        raise ValueError(field_name)
    return qs.order_by("code")
