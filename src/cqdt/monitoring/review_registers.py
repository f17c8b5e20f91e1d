"""The review's registers (issue 15, item 3): in the workbook, sheets of the acts still needing
approval above per ward and month and of the recommendations; in the PDF, a section each for
decentralisation, recommendations, sector-law conflicts and the implementation plan's tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cqdt.monitoring import plan, registers, selectors


def add_register_sheets(wb: Any, r: Any) -> None:
    """Two sheets on ``wb`` for the review ``r`` (``report.Review``)."""
    from openpyxl.styles import Alignment, Font

    scope = selectors.scope_on(r.start)
    code = r.main.unit.code
    by_month = registers.approval_above_by_month(scope, code, r.start, r.end)
    months = sorted(by_month)
    ws = wb.create_sheet("Phân cấp, ủy quyền")
    ws.append(
        [
            "Số thủ tục phường còn phải trình cấp trên quyết định (thẩm quyền cấp huyện, cấp tỉnh "
            "theo danh mục, chưa được phân cấp hoặc ủy quyền cho phường), cuối mỗi tháng."
        ]
    )
    ws.append(["Mã", "Phường", *months])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for month_col in range(3, len(months) + 3):
        ws.cell(row=2, column=month_col).number_format = "mm/yyyy"
    for ward in r.wards:
        ws.append(
            [ward.unit.code, ward.unit.name, *[by_month[m].get(ward.unit.code) for m in months]]
        )
    ws.column_dimensions["B"].width = 28
    last = registers.approval_above(scope, code, r.end)
    ws.append([])
    ws.append(["Cuối kỳ: thủ tục còn phải trình cấp trên", "", "Số phường"])
    counts: dict[str, int] = {}
    for x in last:
        for slug in x.above:
            counts[slug] = counts.get(slug, 0) + 1
    for slug, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        ws.append([slug, "", n])

    rec = wb.create_sheet("Kiến nghị, điều chỉnh")
    rec.append(
        [
            "Ngày",
            "Đơn vị",
            "Bất cập",
            "Đề xuất",
            "Trạng thái",
            "Điều chỉnh",
            "Văn bản",
            "Ngày văn bản",
            "Đã thay đổi",
        ]
    )
    for cell in rec[1]:
        cell.font = Font(bold=True)
    for row in registers.recommendations_of(scope, code):
        rec.append(
            [
                row.raised_on,
                r.names.get(row.unit_code, row.unit_code),
                row.shortcoming,
                row.proposal,
                row.get_status_display(),
                row.adjustment,
                row.instrument,
                row.instrument_date,
                row.changed,
            ]
        )
        for col in (1, 8):
            rec.cell(row=rec.max_row, column=col).number_format = "dd/mm/yyyy"
        for col in (3, 4, 6):
            rec.cell(row=rec.max_row, column=col).alignment = Alignment(wrap_text=True)
    for letter, width in zip("ABCDEFGHI", (12, 24, 50, 50, 16, 50, 18, 14, 30), strict=True):
        rec.column_dimensions[letter].width = width


# --- the PDF's register sections (issue 15, item 3) ---------------------------------------------

NOT_RECORDED = "Chưa có dữ liệu được ghi nhận."


@dataclass(frozen=True)
class RegisterSection:
    """One register in the review's appendix: sentences with their figures, and a table.
    Nothing recorded is said so (``NOT_RECORDED``), never a count of 0."""

    title: str
    paragraphs: tuple[str, ...]
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _day(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def register_sections(r: Any) -> list[RegisterSection]:
    """The four registers for the review ``r`` (``report.Review``), as of its last day."""
    scope = selectors.scope_on(r.start)
    code = r.main.unit.code
    return [
        _decentralisation(scope, code, r),
        _recommendations(scope, code, r),
        _law_conflicts(scope, code, r),
        _plan(scope, code, r),
    ]


def _decentralisation(scope: Any, code: str, r: Any) -> RegisterSection:
    title = "Phân cấp, ủy quyền cho phường"
    last = registers.approval_above(scope, code, r.end)
    decided_above = sorted({s for x in last for s in (*x.above, *x.devolved)})
    if not last or not decided_above:
        return RegisterSection(title, (NOT_RECORDED,))
    devolutions = [d for d in registers.devolutions_for(scope, code) if d.valid_from <= r.end]
    counts = [x.count for x in last]
    paragraphs = [
        f"Cuối kỳ ({_day(r.end)}), theo danh mục thủ tục có {len(decided_above)} thủ tục thuộc "
        f"thẩm quyền cấp huyện, cấp tỉnh; mỗi phường còn phải trình cấp trên quyết định từ "
        f"{min(counts)} đến {max(counts)} thủ tục ({len(last)} phường).",
        (
            f"Quyết định phân cấp, ủy quyền đã ghi nhận: {len(devolutions)}."
            if devolutions
            else "Quyết định phân cấp, ủy quyền: " + NOT_RECORDED.lower()
        ),
    ]
    above_count: dict[str, int] = {}
    for x in last:
        for slug in x.above:
            above_count[slug] = above_count.get(slug, 0) + 1
    rows = tuple(
        (slug, str(n)) for slug, n in sorted(above_count.items(), key=lambda kv: (-kv[1], kv[0]))
    )[:15]
    return RegisterSection(
        title, tuple(paragraphs), ("Thủ tục còn trình cấp trên", "Số phường"), rows
    )


def _recommendations(scope: Any, code: str, r: Any) -> RegisterSection:
    title = "Kiến nghị và điều chỉnh"
    rows = [x for x in registers.recommendations_of(scope, code) if x.raised_on <= r.end]
    if not rows:
        return RegisterSection(title, (NOT_RECORDED,))
    answered = [x for x in rows if x.status != "open"]
    paragraphs = (
        f"Đến {_day(r.end)}: {len(rows)} kiến nghị được ghi nhận, {len(answered)} đã được trả "
        f"lời (điều chỉnh hoặc không điều chỉnh), {len(rows) - len(answered)} đang chờ.",
    )
    table = tuple(
        (
            _day(x.raised_on),
            r.names.get(x.unit_code, x.unit_code),
            x.shortcoming,
            x.proposal,
            x.get_status_display(),
            " ".join(
                p for p in (x.instrument, _day(x.instrument_date) if x.instrument else "") if p
            )
            or "—",
        )
        for x in rows
    )
    return RegisterSection(
        title,
        paragraphs,
        ("Ngày", "Đơn vị", "Bất cập", "Đề xuất", "Trạng thái", "Văn bản điều chỉnh"),
        table,
    )


def _law_conflicts(scope: Any, code: str, r: Any) -> RegisterSection:
    title = "Xung đột với pháp luật chuyên ngành"
    rows = registers.law_conflicts_register(scope, code, r.end)
    if not rows:
        return RegisterSection(title, (NOT_RECORDED,))
    unverified = sum(1 for x in rows if not x.note.verified)
    paragraphs = (
        f"{len(rows)} thủ tục có luật chuyên ngành giao thẩm quyền cho chủ thể mà mô hình không "
        f"có ở phường (Hội đồng nhân dân phường, Ủy ban nhân dân phường là tập thể)"
        + (f"; {unverified} chưa kiểm chứng điều khoản." if unverified else "."),
    )
    table = tuple(
        (
            x.note.procedure_name,
            x.note.law,
            x.note.article or "chưa kiểm chứng",
            x.note.actor_vi,
            f"{x.wards_without_actor}/{x.wards_known}" if x.wards_known else "—",
        )
        for x in rows
    )
    return RegisterSection(
        title,
        paragraphs,
        ("Thủ tục", "Luật", "Điều, khoản", "Chủ thể luật giao", "Phường không có chủ thể"),
        table,
    )


def _plan(scope: Any, code: str, r: Any) -> RegisterSection:
    title = "Kế hoạch triển khai"
    current = plan.current_plan()
    if current is None:
        return RegisterSection(title, (NOT_RECORDED,))
    visible: set[str] | None = None  # the city's review: every task
    if code != selectors.CITY_CODE:
        visible = {code, *(w.code for w in scope.wards_of(code))}
        visible |= {c.code for c in scope.children(code)}
    tasks = plan.tasks_visible(current, visible)
    name = current.instrument or current.title
    if not current.verified:
        name += " (chưa kiểm chứng số, ngày văn bản)"
    if not tasks:
        return RegisterSection(title, (f"{name}: nhiệm vụ — " + NOT_RECORDED.lower(),))
    ready = plan.readiness(tasks, r.end)
    paragraphs = (
        f"{name}: đến {_day(r.end)}, {ready.total} nhiệm vụ; hoàn thành {ready.done}, quá hạn "
        f"{ready.overdue}, đang thực hiện {ready.open}.",
    )
    labels = {plan.DONE: "Hoàn thành", plan.OVERDUE: "Quá hạn", plan.OPEN: "Đang thực hiện"}
    table = tuple(
        (t.task, t.owner, _day(t.deadline), labels[plan.state_on(t, r.end)]) for t in tasks
    )
    return RegisterSection(
        title, paragraphs, ("Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Trạng thái"), table
    )
