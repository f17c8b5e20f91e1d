"""Which figures the dashboards and the review show, in which order, and how they are written
(pure; no Django imports). The dashboard, the XLSX and the PDF all take their columns and their
number formats from here, so the three show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    code: str
    label_vi: str
    label_en: str
    kind: str  # count, share, decimal, rating
    # The dossiers behind the figure (a queue filter, see monitoring.dashboard_page): "" none, or
    # received, online, returned, early, on_time, late, apologised (in the period), open,
    # overdue (now).
    queue: str = ""

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang.startswith("en") else self.label_vi


COLUMNS: tuple[Column, ...] = (
    Column("received", "Tiếp nhận", "Received", "count", "received"),
    Column("online_share", "Trực tuyến", "Online", "share", "online"),
    Column("resolved", "Đã giải quyết", "Resolved", "count", "returned"),
    Column("early_share", "Trước hạn", "Early", "share", "early"),
    Column("on_time_share", "Đúng hạn", "On time", "share", "on_time"),
    Column("late_share", "Quá hạn", "Late", "share", "late"),
    Column("apology_rate", "Có phiếu xin lỗi", "With apology", "share", "apologised"),
    Column("processing_days_avg", "Thời gian TB (ngày LV)", "Mean time (working days)", "decimal"),
    Column("processing_days_p95", "Phân vị 95 (ngày LV)", "95th pct (working days)", "count"),
    Column("backlog", "Tồn cuối kỳ", "Backlog at end", "count", "open"),
    Column("overdue_now", "Đang quá hạn", "Overdue now", "count", "overdue"),
    Column("rating_avg", "Hài lòng TB (1–5)", "Mean rating (1–5)", "rating"),
    Column("rated_share", "Tỷ lệ được đánh giá", "Share rated", "share"),
    Column(
        "dossiers_per_civil_servant", "Hồ sơ/công chức", "Dossiers per civil servant", "decimal"
    ),
    Column(
        "leader_signatures_per_day",
        "Chữ ký/lãnh đạo/ngày LV",
        "Signatures per leader per working day",
        "decimal",
    ),
    Column("delegated_share", "Ký theo ủy quyền", "Signed under delegation", "share"),
    Column("feedback_sla_compliance", "Phản ánh đúng hạn", "Feedback within SLA", "share"),
    Column("petition_answer_rate", "Kiến nghị đã trả lời", "Petitions answered", "share"),
    Column("petition_delay_avg", "Ngày trả lời kiến nghị TB", "Mean days to answer", "decimal"),
    Column("civil_servants", "Công chức", "Civil servants", "count"),
    Column(
        "norm_average_max",
        "Định mức CC bình quân/phường",
        "Norm: mean civil servants per ward",
        "count",
    ),
    Column(
        "civil_servants_per_10k", "Công chức/10.000 dân", "Civil servants per 10,000", "decimal"
    ),
)
NO_DATA = "—"


def _group(text: str, lang: str) -> str:
    """Swap separators for Vietnamese: 1,234.5 → 1.234,5."""
    if lang.startswith("en"):
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt(value: Any, kind: str, lang: str = "vi") -> str:
    """A figure as text; None is "—" (no data), never 0."""
    if value is None:
        return NO_DATA
    if kind == "share":
        return _group(f"{value * 100:.1f}", lang) + "%"
    if kind in ("decimal", "rating"):
        return _group(f"{value:,.2f}", lang)
    if kind == "score":
        return _group(f"{value:.1f}", lang)
    return _group(f"{int(value):,}", lang)


def excel_format(kind: str) -> str:
    return {"share": "0.0%", "decimal": "#,##0.00", "rating": "0.00", "score": "0.0"}.get(
        kind, "#,##0"
    )


# The thresholds' parameters in words, (vi, en, kind): the shortcomings pages, their flags and the
# review's PDF and XLSX name them so; the keys of the rules' data (``definitions.SHORTCOMING_RULES``
# and their stored versions) stay out of what people read. A key not listed shows as itself.
THRESHOLD_PARAMS: dict[str, tuple[str, str, str]] = {
    "max_residents_per_civil_servant": (
        "Số dân tối đa/công chức",
        "Most residents per civil servant",
        "count",
    ),
    "max_dossiers_per_civil_servant_per_day": (
        "Hồ sơ tối đa/công chức/ngày",
        "Most dossiers per civil servant per day",
        "decimal",
    ),
    "min_received": (
        "Số hồ sơ tiếp nhận tối thiểu để xét",
        "Fewest dossiers received to be judged",
        "count",
    ),
    "max_signatures_per_leader_per_day": (
        "Chữ ký tối đa/lãnh đạo/ngày",
        "Most signatures per leader per day",
        "decimal",
    ),
    "max_late_share": ("Tỷ lệ quá hạn tối đa", "Highest late share", "share"),
    "min_resolved": (
        "Số hồ sơ giải quyết tối thiểu để xét",
        "Fewest dossiers resolved to be judged",
        "count",
    ),
    "max_unanswered": ("Số kiến nghị quá hạn tối đa", "Most petitions past their day", "count"),
    "prorate_first_year": (
        "Năm đầu tính theo tỷ lệ tháng",
        "First year prorated by month",
        "bool",
    ),
    "required": ("Số hội nghị phải tổ chức", "Conferences required", "count"),
}
_YES_NO = {"vi": ("có", "không"), "en": ("yes", "no")}


def threshold_text(threshold: dict[str, Any], lang: str = "vi") -> str:
    """A rule's thresholds in words (``THRESHOLD_PARAMS``), numbers in their format, in the
    order ``THRESHOLD_PARAMS`` lists them (keys it does not know after, by name): a stored
    version's keys come back in another order on PostgreSQL (jsonb sorts them)."""
    en = lang.startswith("en")
    order = {key: n for n, key in enumerate(THRESHOLD_PARAMS)}
    parts = []
    for key, value in sorted(
        threshold.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])
    ):
        vi_label, en_label, kind = THRESHOLD_PARAMS.get(key, (key, key, "decimal"))
        if kind == "bool":
            shown = _YES_NO["en" if en else "vi"][0 if value else 1]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            shown = fmt(value, kind, lang)
        else:
            shown = str(value)
        parts.append(f"{en_label if en else vi_label}: {shown}")
    return "; ".join(parts)
