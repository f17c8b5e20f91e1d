"""Registers that explain the shortcomings (issue 15, item 3): acts still needing approval above,
per ward and over time, and the recommendations register (shortcoming → proposal → adjustment)."""

import datetime as dt

import pytest

from cqdt.core.audit import Actor
from cqdt.core.errors import Conflict, InvalidInput
from cqdt.core.models import AuditEvent
from cqdt.monitoring import registers, selectors
from cqdt.monitoring.tests.conftest import DISTRICT, JULY, WARD, WARD_B
from cqdt.procedures.models import Procedure

ADMIN = Actor.system("test-admin")
BA_DINH_WARDS = [
    "00001",  # Phúc Xá
    "00004",  # Trúc Bạch
    "00006",  # Vĩnh Phúc
    "00007",  # Cống Vị
    "00008",  # Liễu Giai
    "00010",  # Nguyễn Trung Trực
    "00013",  # Quán Thánh
    "00016",  # Ngọc Hà
    "00019",  # Điện Biên
    "00022",  # Đội Cấn
    "00025",  # Ngọc Khánh
    "00028",  # Kim Mã
    "00031",  # Giảng Võ
    "00034",  # Thành Công
]


def _above_district(slug: str) -> None:
    Procedure.objects.filter(slug=slug).update(competent_level="district")


def _devolve(slug, unit_code, **kwargs):
    """Record a devolution of ``slug`` to ``unit_code``, in force from its instrument's date."""
    kwargs.setdefault("valid_from", kwargs["instrument_date"])
    return registers.devolution_record(
        actor=ADMIN, procedure_slug=slug, unit_code=unit_code, **kwargs
    )


# A recommendation raised for Phúc Xá on 2 August 2021.
RECOMMENDATION = {
    "rule": "late_rate",
    "unit_code": WARD,
    "raised_on": dt.date(2021, 8, 2),
    "shortcoming": "50,0% quá hạn.",
    "proposal": "Rà soát quy trình.",
}


def _recommend(**change):
    return registers.recommendation_raise(actor=ADMIN, **(RECOMMENDATION | change))


def test_a_procedure_decided_above_counts_until_devolved_to_the_ward(folded):
    scope = selectors.scope_on(JULY[0])
    slug = Procedure.objects.order_by("slug").first().slug
    _above_district(slug)
    before = {x.ward: x for x in registers.approval_above(scope, DISTRICT, JULY[1])}
    assert slug in before[WARD].above and slug in before[WARD_B].above
    _devolve(
        slug,
        WARD,
        kind="authorisation",
        instrument="01/QĐ-UBND",
        instrument_date=dt.date(2021, 7, 14),
        valid_from=dt.date(2021, 7, 15),
    )
    assert AuditEvent.objects.filter(action="monitoring.devolution_record").exists()
    after = {x.ward: x for x in registers.approval_above(scope, DISTRICT, JULY[1])}
    assert after[WARD].count == before[WARD].count - 1 and slug in after[WARD].devolved
    assert after[WARD_B].count == before[WARD_B].count  # only Phúc Xá received it
    by_month = registers.approval_above_by_month(scope, DISTRICT, dt.date(2021, 7, 1), JULY[1])
    assert by_month[dt.date(2021, 7, 1)][WARD] == after[WARD].count
    early = {x.ward: x for x in registers.approval_above(scope, DISTRICT, dt.date(2021, 7, 10))}
    assert slug in early[WARD].above  # before the decision took effect


def test_a_district_wide_devolution_reaches_all_its_wards(folded):
    scope = selectors.scope_on(JULY[0])
    slug = Procedure.objects.order_by("slug").first().slug
    _above_district(slug)
    district_wide = {"kind": "decentralisation", "instrument_date": dt.date(2021, 7, 1)}
    _devolve(slug, DISTRICT, instrument="02/QĐ-UBND", **district_wide)
    reached = registers.approval_above(scope, DISTRICT, JULY[1])
    # Ba Đình's fourteen wards (shared/data/hanoi-units-2021.csv), every one reached: all() over
    # no ward at all held as well (found in review).
    assert [x.ward for x in reached] == BA_DINH_WARDS
    assert all(slug in x.devolved and slug not in x.above for x in reached)
    with pytest.raises(InvalidInput):
        _devolve("no-such-procedure", DISTRICT, instrument="03/QĐ-UBND", **district_wide)


def test_recommendation_from_shortcoming_to_adjustment(folded):
    scope = selectors.scope_on(JULY[0])
    rec = _recommend(
        shortcoming="2/4 hồ sơ quá hạn = 50,0% (ngưỡng 5,0%).",
        proposal="Rà soát quy trình nội bộ thủ tục xác nhận tình trạng hôn nhân.",
    )
    with pytest.raises(InvalidInput):  # an adjustment names its instrument and date
        registers.recommendation_answer(
            actor=ADMIN, pk=rec.pk, version=1, status="adjusted", adjustment="Sửa quy trình."
        )
    done = registers.recommendation_answer(
        actor=ADMIN,
        pk=rec.pk,
        version=1,
        status="adjusted",
        adjustment="Sửa quy trình nội bộ: thêm bước kiểm tra hạn.",
        instrument="15/QĐ-UBND",
        instrument_date=dt.date(2021, 9, 1),
        changed="Ngưỡng late_rate phiên bản 2",
    )
    assert done.status == "adjusted" and done.version == 2
    with pytest.raises(Conflict) as stale:  # a stale version: the kernel's one answer
        registers.recommendation_answer(
            actor=ADMIN, pk=rec.pk, version=1, status="declined", adjustment="x"
        )
    assert stale.value.code == "stale_version" and stale.value.field == "version"
    rec.refresh_from_db()
    assert (rec.status, rec.version) == ("adjusted", 2)  # nothing written
    assert [r.pk for r in registers.recommendations_of(scope, DISTRICT)] == [rec.pk]
    assert registers.recommendations_of(scope, WARD_B) == []
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"monitoring.recommendation_raise", "monitoring.recommendation_answer"} <= actions
    with pytest.raises(InvalidInput):
        _recommend(rule="nope", shortcoming="x", proposal="y")


def test_the_review_workbook_carries_the_registers(folded):
    import io

    from openpyxl import load_workbook

    from cqdt.monitoring import report_xlsx
    from cqdt.monitoring.tests.conftest import NOW

    _recommend()
    wb = load_workbook(
        io.BytesIO(report_xlsx.pilot_review_xlsx(*JULY, now=NOW, unit_code=DISTRICT))
    )
    rows = list(wb["Kiến nghị, điều chỉnh"].iter_rows(min_row=2, values_only=True))
    assert rows and rows[0][3] == "Rà soát quy trình." and rows[0][4] == "Chưa điều chỉnh"
    approval = {r[0]: r for r in wb["Phân cấp, ủy quyền"].iter_rows(min_row=3, values_only=True)}
    assert isinstance(approval[WARD][2], int)
