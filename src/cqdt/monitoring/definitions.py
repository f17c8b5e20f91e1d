"""What the monitoring measures, as data: indicator definitions, the Decision 766 index, the
shortcoming rules and their thresholds (pure; no Django imports).

These are the defaults a fresh database is seeded with (migration ``0002``) and what applies when
no row is in force; an administrator changes a value by adding a row with a new ``version`` and
``valid_from`` (``monitoring.models``), never by editing code. ``docs/indicators.md`` is the
readable form of version 1 and must change with it.

Sources: DOMAIN.md §6 (Decision 766/QĐ-TTg of 23 June 2022: five groups, 100 points; 90–100
excellent, under 50 weak; satisfaction 18 points of which reception and handling 6) [V]; how the
groups' points split into components, and the intermediate grades, are configuration [C] because
the platform measures only part of what the Decision scores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

DEFINITIONS_VERSION = 1
PILOT_START = dt.date(2021, 7, 1)
SOURCE_766 = "Quyết định 766/QĐ-TTg ngày 23/6/2022 (Bộ chỉ số phục vụ người dân, doanh nghiệp)"

# --- indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit: str  # "count", "share", "working_days", "rating", "per_cs", "per_leader_day", "per_10k"
    definition_vi: str
    definition_en: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "received",
        "Hồ sơ tiếp nhận",
        "Dossiers received",
        "count",
        "Số hồ sơ được tiếp nhận hợp lệ (có thời điểm tiếp nhận hồ sơ hợp lệ) trong kỳ.",
        "Dossiers validly received (accepted, with a valid-receipt time) in the period.",
    ),
    Indicator(
        "online_share",
        "Tỷ lệ hồ sơ trực tuyến",
        "Online share",
        "share",
        "Hồ sơ tiếp nhận qua kênh trực tuyến ÷ hồ sơ tiếp nhận.",
        "Dossiers received online ÷ dossiers received.",
    ),
    Indicator(
        "resolved",
        "Hồ sơ đã giải quyết",
        "Dossiers resolved",
        "count",
        "Số hồ sơ đã trả kết quả (trạng thái đã trả kết quả) có thời điểm trả trong kỳ.",
        "Dossiers whose result was returned in the period.",
    ),
    Indicator(
        "early_share",
        "Tỷ lệ trước hạn",
        "Early share",
        "share",
        "Hồ sơ không trễ và trả trước ngày hẹn trả ÷ hồ sơ đã giải quyết.",
        "Not late and returned on a day before the due day ÷ resolved.",
    ),
    Indicator(
        "on_time_share",
        "Tỷ lệ đúng hạn",
        "On-time share",
        "share",
        "Hồ sơ không trễ và trả đúng ngày hẹn trả ÷ hồ sơ đã giải quyết.",
        "Not late and returned on the due day ÷ resolved.",
    ),
    Indicator(
        "late_share",
        "Tỷ lệ quá hạn",
        "Late share",
        "share",
        "Hồ sơ trả sau thời điểm hẹn trả, hoặc đã có phiếu xin lỗi (Mẫu 04), ÷ hồ sơ đã giải "
        "quyết. Phiếu xin lỗi là việc thừa nhận trễ hạn nên hồ sơ đó vẫn tính là quá hạn dù trả "
        "trước ngày hẹn mới.",
        "Returned after the due moment, or with an apology (form 04), ÷ resolved. An apology "
        "admits lateness, so such a dossier counts as late even when returned by the new date.",
    ),
    Indicator(
        "apology_rate",
        "Tỷ lệ có phiếu xin lỗi",
        "Apology rate",
        "share",
        "Hồ sơ đã giải quyết có ít nhất một phiếu xin lỗi (Mẫu 04) ÷ hồ sơ đã giải quyết.",
        "Resolved dossiers with at least one apology (form 04) ÷ resolved.",
    ),
    Indicator(
        "processing_days_avg",
        "Thời gian giải quyết trung bình",
        "Average processing time",
        "working_days",
        "Trung bình số ngày làm việc d với ngày tiếp nhận hợp lệ < d ≤ ngày trả kết quả (giờ Hà "
        "Nội; theo lịch ngày làm việc của đơn vị; không trừ thời gian tạm dừng bổ sung).",
        "Mean of the working days d with valid-receipt day < d ≤ return day (Hanoi dates, the "
        "unit's working-day calendar; supplement pauses are not subtracted).",
    ),
    Indicator(
        "processing_days_p95",
        "Thời gian giải quyết, phân vị 95",
        "Processing time, 95th percentile",
        "working_days",
        "Giá trị nhỏ nhất v sao cho ít nhất 95% hồ sơ đã giải quyết có thời gian ≤ v (phân vị "
        "theo thứ hạng gần nhất).",
        "The smallest v such that at least 95% of resolved dossiers took ≤ v working days "
        "(nearest-rank percentile).",
    ),
    Indicator(
        "backlog",
        "Hồ sơ tồn cuối kỳ",
        "Backlog at period end",
        "count",
        "Hồ sơ đã tiếp nhận hợp lệ đến hết ngày cuối kỳ mà chưa kết thúc (trả, rút, hủy) trước "
        "hết ngày đó.",
        "Dossiers validly received by the end of the period's last day and not closed "
        "(returned, withdrawn, cancelled) by then.",
    ),
    Indicator(
        "overdue_now",
        "Hồ sơ đang quá hạn (hiện tại)",
        "Overdue now",
        "count",
        "Hồ sơ đang giải quyết, đồng hồ đang chạy, đã qua thời điểm hẹn trả — tại thời điểm xem.",
        "Open dossiers with the clock running and the due moment passed — at the time of viewing.",
    ),
    Indicator(
        "rating_avg",
        "Mức hài lòng trung bình",
        "Average rating",
        "rating",
        "Trung bình điểm đánh giá (1–5) của hồ sơ đã giải quyết trong kỳ có đánh giá.",
        "Mean rating (1–5) of the period's resolved dossiers that were rated.",
    ),
    Indicator(
        "rated_share",
        "Tỷ lệ hồ sơ được đánh giá",
        "Share rated",
        "share",
        "Hồ sơ đã giải quyết trong kỳ có đánh giá ÷ hồ sơ đã giải quyết.",
        "Resolved dossiers of the period that were rated ÷ resolved.",
    ),
    Indicator(
        "dossiers_per_civil_servant",
        "Hồ sơ trên một công chức",
        "Dossiers per civil servant",
        "per_cs",
        "Hồ sơ tiếp nhận ÷ số công chức (5 chức danh) đang giữ chức vụ ngày cuối kỳ.",
        "Dossiers received ÷ civil servants (the five posts) in post on the period's last day.",
    ),
    Indicator(
        "leader_signatures_per_day",
        "Chữ ký của lãnh đạo mỗi người mỗi ngày làm việc",
        "Leader signatures per leader per working day",
        "per_leader_day",
        "Kết quả được ký theo chức vụ (Chủ tịch, giao quyền, Phó Chủ tịch được phân công) ÷ số "
        "lãnh đạo UBND giữ chức ngày cuối kỳ ÷ số ngày làm việc của kỳ.",
        "Results signed on a leader's own authority (chairman, acting, vice-chairman by field "
        "assignment) ÷ committee leaders in post on the last day ÷ working days in the period.",
    ),
    Indicator(
        "delegated_share",
        "Tỷ lệ ký theo ủy quyền",
        "Share signed under delegation",
        "share",
        "Kết quả ký theo ủy quyền (TUQ.) ÷ tất cả kết quả được ký trong kỳ.",
        "Results signed under a delegation (TUQ.) ÷ all results signed in the period.",
    ),
    Indicator(
        "feedback_sla_compliance",
        "Tỷ lệ phản ánh xử lý đúng hạn",
        "Feedback handled within SLA",
        "share",
        "Phản ánh, kiến nghị được xử lý trong kỳ, trước hạn xử lý của lĩnh vực ÷ phản ánh được "
        "xử lý trong kỳ (đơn vị đang chịu trách nhiệm).",
        "Feedback reports resolved in the period by their category's due moment ÷ reports "
        "resolved in the period (the unit responsible now).",
    ),
    Indicator(
        "petition_answer_rate",
        "Tỷ lệ kiến nghị cử tri được trả lời",
        "Voter petitions answered",
        "share",
        "Kiến nghị cử tri tiếp nhận trong kỳ đã được trả lời (đến thời điểm xem) ÷ kiến nghị "
        "tiếp nhận trong kỳ.",
        "Voter petitions received in the period that have an answer (by now) ÷ received.",
    ),
    Indicator(
        "petition_delay_avg",
        "Thời gian trả lời kiến nghị trung bình",
        "Average days to answer a petition",
        "days",
        "Trung bình số ngày (lịch) từ ngày tiếp nhận đến ngày trả lời, với kiến nghị đã trả lời.",
        "Mean calendar days from receipt to answer, over the answered petitions.",
    ),
    Indicator(
        "civil_servants_per_10k",
        "Công chức trên 10.000 dân",
        "Civil servants per 10,000 residents",
        "per_10k",
        "Công chức đang giữ chức vụ ngày cuối kỳ × 10.000 ÷ dân số; “không có dữ liệu” khi dân "
        "số chưa được ghi nhận (không bao giờ ước đoán).",
        "Civil servants in post on the last day × 10,000 ÷ population; “no data” when no "
        "population is recorded (never guessed).",
    ),
)

# --- Decision 766 index ------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """A part of a group's points; ``measure`` names a figure in ``formulas.component_scores``,
    or None when the platform has no data source for it (shown as ``NO_SOURCE``)."""

    code: str
    weight: float
    measure: str | None
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Group:
    code: str
    weight: float
    label_vi: str
    label_en: str
    components: tuple[Component, ...]
    source: str = SOURCE_766

    @property
    def sourced(self) -> bool:
        """Whether the platform has a data source for any of its components."""
        return any(c.measure for c in self.components)


INDEX_GROUPS: tuple[Group, ...] = (
    Group(
        "transparency",
        18,
        "Công khai, minh bạch",
        "Transparency",
        (
            Component(
                "publication",
                18,
                None,
                "Công khai thủ tục, tiến độ trên Cổng dịch vụ công (ngoài nền tảng)",
                "Procedures and progress published on the public-service portal (outside the platform)",
            ),
        ),
    ),
    Group(
        "progress",
        20,
        "Tiến độ, kết quả giải quyết",
        "Progress and results (on time)",
        (
            Component(
                "on_time",
                16,
                "on_time_or_early_share",
                "Hồ sơ giải quyết trước hạn, đúng hạn",
                "Dossiers resolved early or on time",
            ),
            Component(
                "apology_when_late",
                4,
                "late_apologised_share",
                "Hồ sơ quá hạn có phiếu xin lỗi",
                "Late dossiers with an apology (form 04)",
            ),
        ),
        SOURCE_766 + "; chia điểm trong nhóm [C]",
    ),
    Group(
        "online",
        22,
        "Dịch vụ công trực tuyến, thanh toán trực tuyến",
        "Online service and payment",
        (
            Component(
                "online_submission",
                12,
                "online_share",
                "Hồ sơ nộp trực tuyến",
                "Dossiers submitted online",
            ),
            Component(
                "online_payment",
                10,
                None,
                "Thanh toán trực tuyến (nền tảng chưa có dữ liệu thanh toán)",
                "Online payment (the platform holds no payment data)",
            ),
        ),
        SOURCE_766 + "; chia điểm trong nhóm [C]",
    ),
    Group(
        "digitisation",
        22,
        "Số hóa hồ sơ, kết quả",
        "Dossier digitisation",
        (
            Component(
                "digitisation",
                22,
                None,
                "Số hóa hồ sơ, kết quả (nền tảng chưa ghi nhận)",
                "Digitised dossiers and results (not recorded by the platform)",
            ),
        ),
        SOURCE_766 + " [C]",
    ),
    Group(
        "satisfaction",
        18,
        "Mức độ hài lòng",
        "Satisfaction",
        (
            Component(
                "complaints_on_time",
                6,
                "feedback_sla_compliance",
                "Phản ánh, kiến nghị xử lý đúng hạn ÷ tổng số",
                "Complaints (feedback reports) handled on time ÷ total",
            ),
            Component(
                "not_unsatisfied_or_late",
                6,
                "not_unsatisfied_or_late_share",
                "(Tổng − không hài lòng hoặc quá hạn) ÷ tổng",
                "(Total − unsatisfied or late) ÷ total",
            ),
            Component(
                "reception_handling",
                6,
                "satisfied_share",
                "Hài lòng với việc tiếp nhận, giải quyết (đánh giá 4–5)",
                "Satisfied with reception and handling (rated 4–5)",
            ),
        ),
    ),
)

# (lower bound, code, vi, en): the first band whose bound the score reaches. 90 and 50 are the
# Decision's [V]; the bands between are configuration [C].
GRADES: tuple[tuple[float, str, str, str], ...] = (
    (90, "excellent", "Xuất sắc", "Excellent"),
    (80, "good", "Tốt", "Good"),
    (70, "fair", "Khá", "Fair"),
    (50, "average", "Trung bình", "Average"),
    (0, "weak", "Yếu", "Weak"),
)

# Why a component or a group of the index has no points (docs/indicators.md): the platform has no
# data source for it (it never has points: the portal's publication, online payment,
# digitisation), or it has one and nothing was recorded that month. (vi, en); the scorecard, the
# review (HTML, PDF, XLSX) and the API tell them apart.
NO_SOURCE = ("chưa có nguồn đo", "no data source")
NO_DATA = ("chưa có dữ liệu", "no data")

# --- shortcomings ("bất cập") ---------------------------------------------------------------


@dataclass(frozen=True)
class ShortcomingRule:
    code: str
    label_vi: str
    label_en: str
    threshold: dict[str, Any] = field(default_factory=dict)
    source: str = ""


SHORTCOMING_RULES: tuple[ShortcomingRule, ...] = (
    ShortcomingRule(
        "understaffed_population",
        "Thiếu công chức so với dân số",
        "Too few civil servants for the population",
        {"max_residents_per_civil_servant": 3000},
        "DOMAIN §1: phường ~80.000 dân với 25 người (≈3.200 dân/người) là quá ít; ngưỡng [C]",
    ),
    ShortcomingRule(
        "understaffed_workload",
        "Thiếu công chức so với định mức và khối lượng hồ sơ",
        "Too few civil servants for the norm and the workload",
        {"max_dossiers_per_civil_servant_per_day": 6.0, "min_received": 20},
        "Nghị định 32/2021/NĐ-CP: bình quân không quá 15 công chức/phường (định mức của mô hình); "
        "ngưỡng khối lượng [C]",
    ),
    ShortcomingRule(
        "signing_overload",
        "Lãnh đạo quá tải ký",
        "Leader overloaded with signatures",
        {"max_signatures_per_leader_per_day": 50.0},
        "DOMAIN §1: phường xử lý 80–100 hồ sơ chứng thực/ngày khiến lãnh đạo quá tải ký; ngưỡng [C]",
    ),
    ShortcomingRule(
        "late_rate",
        "Tỷ lệ hồ sơ quá hạn cao",
        "Late rate above the threshold",
        {"max_late_share": 0.05, "min_resolved": 20},
        "DOMAIN Workload: Hà Nội 99,85% đúng hạn (quý III/2025); ngưỡng [C]",
    ),
    ShortcomingRule(
        "unanswered_petitions",
        "Kiến nghị cử tri chưa được trả lời đúng hạn",
        "Voter petitions unanswered past their day",
        {"max_unanswered": 0},
        "Thời hạn trả lời kiến nghị: quy tắc giám sát (oversight) [C]",
    ),
    ShortcomingRule(
        "dialogue_shortfall",
        "Chưa đủ hội nghị đối thoại",
        "Too few dialogue conferences",
        {"prorate_first_year": True},
        "Nghị định 32/2021/NĐ-CP: ít nhất 02 hội nghị đối thoại/năm [V] (số lượng đọc từ quy tắc "
        "giám sát đang có hiệu lực); năm đầu thí điểm tính theo tỷ lệ tháng [C]",
    ),
)
RULE_BY_CODE = {r.code: r for r in SHORTCOMING_RULES}


def index_spec_as_data(groups: tuple[Group, ...] = INDEX_GROUPS) -> list[dict[str, Any]]:
    """The groups as JSON-ready rows (how they are stored in ``IndexWeight``)."""
    return [
        {
            "group": g.code,
            "weight": g.weight,
            "label_vi": g.label_vi,
            "label_en": g.label_en,
            "source": g.source,
            "components": [
                {
                    "code": c.code,
                    "weight": c.weight,
                    "measure": c.measure,
                    "label_vi": c.label_vi,
                    "label_en": c.label_en,
                }
                for c in g.components
            ],
        }
        for g in groups
    ]


def groups_from_data(rows: list[dict[str, Any]]) -> tuple[Group, ...]:
    return tuple(
        Group(
            r["group"],
            float(r["weight"]),
            r["label_vi"],
            r["label_en"],
            tuple(
                Component(
                    c["code"], float(c["weight"]), c.get("measure"), c["label_vi"], c["label_en"]
                )
                for c in r["components"]
            ),
            r.get("source", SOURCE_766),
        )
        for r in rows
    )
