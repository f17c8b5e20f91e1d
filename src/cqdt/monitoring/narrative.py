"""The review's narrative, written from its figures (pure; no Django imports).

Each section is sentences built from the period's figures, with the number beside every claim;
a figure without data says "chưa có dữ liệu" rather than a number, and a shortcoming appears only
when a rule flagged it on recorded evidence (``docs/indicators.md``). Nothing here judges beyond
the figures: the proposals name the rule that was crossed and the units it was crossed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cqdt.monitoring import tables

NO_DATA = "chưa có dữ liệu"

# What a crossed rule asks the issuing body to look at (the proposal of section V) [C].
PROPOSALS: Mapping[str, str] = {
    "late_rate": (
        "rà soát quy trình nội bộ và việc phân công giải quyết các thủ tục có hồ sơ quá hạn"
    ),
    "understaffed_population": "xem xét bổ sung công chức so với quy mô dân số",
    "understaffed_workload": (
        "xem xét bổ sung công chức hoặc điều chỉnh phân công theo khối lượng hồ sơ"
    ),
    "signing_overload": (
        "xem xét ủy quyền, phân công ký cho cấp phó hoặc công chức theo quy định để giảm tải"
    ),
    "unanswered_petitions": "chỉ đạo trả lời các kiến nghị cử tri quá hạn",
    "dialogue_shortfall": "tổ chức đủ số hội nghị đối thoại với Nhân dân theo quy định",
}


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...]


def figure(value: Any, kind: str) -> str:
    """A figure as Vietnamese text; "chưa có dữ liệu" when there is none."""
    return NO_DATA if value is None else tables.fmt(value, kind, "vi")


def _scope_sentence(level: str, name: str, wards: int, children: int, start: str, end: str) -> str:
    if level == "city":
        where = f"{wards} phường thí điểm thuộc {children} quận, thị xã của {name}"
    elif level == "district":
        where = f"{wards} phường thí điểm của {name}"
    else:
        where = name
    return (
        f"Báo cáo sơ kết việc thực hiện thí điểm mô hình chính quyền đô thị (Nghị quyết "
        f"97/2019/QH14 của Quốc hội, Nghị định 32/2021/NĐ-CP của Chính phủ) tại {where}, "
        f"từ ngày {start} đến ngày {end}. Số liệu lấy từ hồ sơ thủ tục hành chính, phản ánh "
        "kiến nghị, nhân sự và hoạt động giám sát được ghi nhận trên nền tảng; cách tính từng "
        "chỉ số theo định nghĩa ở phụ lục."
    )


def sections(
    *,
    level: str,
    name: str,
    start: str,
    end: str,
    main: Mapping[str, Any],
    children: Sequence[tuple[str, Mapping[str, Any]]],
    scores: Sequence[tuple[str, float | None, float]],
    flags: Sequence[tuple[str, str, str]],
    gaps: Sequence[str],
    nothing_recorded: str = "",
) -> list[Section]:
    """The narrative: I scope and data, II results, III organisation, IV shortcomings, V
    proposals. ``scores``: (month label, score, measured weight); ``flags``: (rule, label,
    unit name); ``gaps``: the "no data" sentences; ``nothing_recorded``: the sentence of a
    period in which nothing is recorded (``dashboards.NothingRecorded``), said in I and, with
    no flag, in IV instead of "no shortcoming" (QA Q4)."""
    m = main
    wards = int(m.get("wards") or 0)
    out = []
    data = [_scope_sentence(level, name, wards, len(children), start, end)]
    if nothing_recorded:
        data.append(nothing_recorded)
    if gaps:
        data.append(
            "Phần chưa có dữ liệu không được tính là 0 và không dùng làm căn cứ xác định bất "
            "cập: " + " ".join(gaps)
        )
    elif not nothing_recorded:
        data.append("Các phường trong phạm vi đã ghi nhận đủ các nguồn số liệu của kỳ.")
    out.append(Section("I. PHẠM VI VÀ NGUỒN SỐ LIỆU", tuple(data)))

    results = []
    if m.get("received") is None:
        results.append(f"Hồ sơ thủ tục hành chính: {NO_DATA} trong kỳ.")
    else:
        results.append(
            f"Tiếp nhận {figure(m.get('received'), 'count')} hồ sơ (trực tuyến "
            f"{figure(m.get('online_share'), 'share')}); đã giải quyết "
            f"{figure(m.get('resolved'), 'count')} hồ sơ, trong đó trước hạn "
            f"{figure(m.get('early_share'), 'share')}, đúng hạn "
            f"{figure(m.get('on_time_share'), 'share')}, quá hạn "
            f"{figure(m.get('late_share'), 'share')} ({figure(m.get('late'), 'count')} hồ sơ; "
            f"có phiếu xin lỗi {figure(m.get('apology_rate'), 'share')}). Thời gian giải quyết "
            f"bình quân {figure(m.get('processing_days_avg'), 'decimal')} ngày làm việc (phân vị "
            f"95: {figure(m.get('processing_days_p95'), 'count')}); tồn cuối kỳ "
            f"{figure(m.get('backlog'), 'count')} hồ sơ. Mức hài lòng bình quân "
            f"{figure(m.get('rating_avg'), 'rating')}/5 trên {figure(m.get('rated'), 'count')} "
            "lượt đánh giá."
        )
        if m.get("wards_recorded") is not None and m.get("wards_recorded") != wards:
            results.append(
                f"Số liệu hồ sơ gồm {m.get('wards_recorded')}/{wards} phường đã ghi nhận dữ liệu."
            )
    measured = [(label, s, w) for label, s, w in scores if s is not None]
    if measured:
        best = max(measured, key=lambda x: x[1])
        worst = min(measured, key=lambda x: x[1])
        results.append(
            "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg), tính trên phần "
            f"trọng số đo được ({tables.fmt(best[2], 'count')}/100): cao nhất "
            f"{tables.fmt(best[1], 'score')} điểm (tháng {best[0]}), thấp nhất "
            f"{tables.fmt(worst[1], 'score')} điểm (tháng {worst[0]}); "
            f"{len(scores) - len(measured)} tháng {NO_DATA}."
        )
    else:
        results.append(f"Chỉ số Quyết định 766/QĐ-TTg: {NO_DATA} trong kỳ.")
    late = [(n, x["late_share"]) for n, x in children if x.get("late_share") is not None]
    if len(late) >= 2:
        high = max(late, key=lambda x: x[1])
        low = min(late, key=lambda x: x[1])
        results.append(
            f"Tỷ lệ quá hạn cao nhất ở {high[0]} ({tables.fmt(high[1], 'share')}), thấp nhất ở "
            f"{low[0]} ({tables.fmt(low[1], 'share')}); "
            f"{len(children) - len(late)} đơn vị chưa có hồ sơ được giải quyết."
        )
    fb = m.get("feedback_sla_compliance")
    results.append(
        f"Phản ánh, kiến nghị của người dân: tiếp nhận {figure(m.get('feedback_received'), 'count')}"
        f", giải quyết đúng hạn {figure(fb, 'share')}."
    )
    out.append(Section("II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", tuple(results)))

    organisation = [
        f"Công chức tại chức cuối kỳ: {figure(m.get('civil_servants'), 'count')} (định mức bình "
        f"quân {figure(m.get('norm_average_max'), 'count')}/phường, Nghị định 32/2021/NĐ-CP); "
        f"{figure(m.get('civil_servants_per_10k'), 'decimal')} công chức/10.000 dân; "
        f"{figure(m.get('dossiers_per_civil_servant'), 'decimal')} hồ sơ/công chức.",
        f"Chữ ký của lãnh đạo theo thẩm quyền: "
        f"{figure(m.get('leader_signatures_per_day'), 'decimal')} chữ ký/lãnh đạo/ngày làm việc; "
        f"ký theo ủy quyền {figure(m.get('delegated_share'), 'share')} kết quả.",
    ]
    out.append(Section("III. TỔ CHỨC BỘ MÁY, NHÂN SỰ", tuple(organisation)))

    by_rule: Counter[str] = Counter()
    labels: dict[str, str] = {}
    units: dict[str, list[str]] = {}
    for rule, label, unit in flags:
        by_rule[rule] += 1
        labels[rule] = label
        units.setdefault(rule, [])
        if unit not in units[rule]:
            units[rule].append(unit)
    if by_rule:
        shortcomings = [
            f"Trên số liệu đã ghi nhận, {sum(by_rule.values())} bất cập vượt ngưỡng "
            "(chi tiết và bằng chứng ở phụ lục):"
        ]
        for rule, n in by_rule.most_common():
            shown = ", ".join(units[rule][:5]) + (" …" if len(units[rule]) > 5 else "")
            shortcomings.append(f"– {labels[rule]}: {n} ({shown}).")
    elif nothing_recorded:
        shortcomings = [nothing_recorded]
    else:
        shortcomings = ["Trên số liệu đã ghi nhận, không có bất cập nào vượt ngưỡng trong kỳ."]
    out.append(Section("IV. BẤT CẬP, HẠN CHẾ", tuple(shortcomings)))

    proposals = [
        f"– {labels[rule][0].upper()}{labels[rule][1:]}: {PROPOSALS[rule]} tại "
        + ", ".join(units[rule][:5])
        + (" và các đơn vị khác ở phụ lục." if len(units[rule]) > 5 else ".")
        for rule, _ in by_rule.most_common()
        if rule in PROPOSALS
    ]
    if gaps or nothing_recorded:
        proposals.append(
            "– Cập nhật đầy đủ dữ liệu lên nền tảng ở các đơn vị còn thiếu (mục I) để kỳ sau "
            "đánh giá được."
        )
    if not proposals:
        proposals = ["Tiếp tục theo dõi các chỉ số trên nền tảng trong kỳ tới."]
    out.append(Section("V. KIẾN NGHỊ, ĐỀ XUẤT", tuple(proposals)))
    return out
