"""The shortcomings' checks: each compares a unit's figures with its threshold and flags what falls
short (pure; no Django imports).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cqdt.monitoring import definitions as d

# --- shortcomings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One shortcoming found in the data: which rule, which unit, the evidence and the threshold."""

    rule: str
    unit_code: str
    label_vi: str
    label_en: str
    evidence: dict[str, Any]
    threshold: dict[str, Any]
    message_vi: str
    message_en: str
    subject: str = ""  # e.g. a leader's post, when the flag is about one person


def _flag(
    code: str,
    unit_code: str,
    evidence: dict[str, Any],
    threshold: Mapping[str, Any],
    message_vi: str,
    message_en: str,
    subject: str = "",
) -> Flag:
    """A flag of the shortcoming rule ``code`` (its labels from ``definitions.RULE_BY_CODE``)."""
    rule = d.RULE_BY_CODE[code]
    return Flag(
        rule.code,
        unit_code,
        rule.label_vi,
        rule.label_en,
        evidence,
        dict(threshold),
        message_vi,
        message_en,
        subject=subject,
    )


def check_understaffed_population(
    unit_code: str, population: int | None, civil_servants: int | None, threshold: Mapping[str, Any]
) -> Flag | None:
    """Residents per civil servant above the threshold; silent when the population or the civil
    servants are not recorded (no civil servant in post is a gap in the records, not evidence)."""
    limit = float(threshold["max_residents_per_civil_servant"])
    if not population or not civil_servants:
        return None
    per = population / civil_servants
    if per <= limit:
        return None
    shown = f"{per:,.0f}"
    return _flag(
        "understaffed_population",
        unit_code,
        {
            "population": population,
            "civil_servants": civil_servants,
            "residents_per_civil_servant": round(per, 1),
        },
        threshold,
        f"{population:,} dân, {civil_servants} công chức: {shown} dân/công chức (ngưỡng {limit:,.0f}).",
        f"{population:,} residents, {civil_servants} civil servants: {shown} residents each "
        f"(threshold {limit:,.0f}).",
    )


def check_understaffed_workload(
    unit_code: str,
    *,
    received: int,
    civil_servants: int | None,
    working_days: int,
    norm_limit: int | None,
    threshold: Mapping[str, Any],
) -> Flag | None:
    """Fewer civil servants than the model's norm while each handles more dossiers a working day
    than the threshold (Decree 32/2021/NĐ-CP: on average at most 15 per ward)."""
    limit = float(threshold["max_dossiers_per_civil_servant_per_day"])
    if received < int(threshold.get("min_received", 0)) or not working_days:
        return None
    if not civil_servants:  # none recorded: a gap in the records, not evidence
        return None
    below_norm = norm_limit is None or civil_servants < norm_limit
    per_day = received / civil_servants / working_days
    if not below_norm or per_day <= limit:
        return None
    shown = f"{per_day:.1f}"
    norm = f"{norm_limit}" if norm_limit is not None else "—"
    return _flag(
        "understaffed_workload",
        unit_code,
        {
            "received": received,
            "civil_servants": civil_servants,
            "working_days": working_days,
            "dossiers_per_civil_servant_per_day": round(per_day, 2),
            "norm_average_max": norm_limit,
        },
        threshold,
        f"{received:,} hồ sơ trong {working_days} ngày làm việc với {civil_servants} công chức "
        f"(định mức bình quân {norm}): {shown} hồ sơ/công chức/ngày (ngưỡng {limit:g}).",
        f"{received:,} dossiers in {working_days} working days with {civil_servants} civil "
        f"servants (norm average {norm}): {shown} per civil servant per day (threshold {limit:g}).",
    )


def check_signing_overload(
    unit_code: str,
    *,
    signer_label_vi: str,
    signer_label_en: str,
    signatures: int,
    working_days: int,
    threshold: Mapping[str, Any],
) -> Flag | None:
    limit = float(threshold["max_signatures_per_leader_per_day"])
    if not working_days:
        return None
    per_day = signatures / working_days
    if per_day <= limit:
        return None
    return _flag(
        "signing_overload",
        unit_code,
        {
            "signer": signer_label_en,
            "signatures": signatures,
            "working_days": working_days,
            "signatures_per_day": round(per_day, 2),
        },
        threshold,
        f"{signer_label_vi}: {signatures:,} chữ ký trong {working_days} ngày làm việc = "
        f"{per_day:.1f}/ngày (ngưỡng {limit:g}).",
        f"{signer_label_en}: {signatures:,} signatures in {working_days} working days = "
        f"{per_day:.1f} a day (threshold {limit:g}).",
        subject=signer_label_en,
    )


def check_late_rate(
    unit_code: str, *, late: int, resolved: int, threshold: Mapping[str, Any]
) -> Flag | None:
    limit = float(threshold["max_late_share"])
    if resolved < int(threshold.get("min_resolved", 1)) or not resolved:
        return None
    share = late / resolved
    if share <= limit:
        return None
    return _flag(
        "late_rate",
        unit_code,
        {"late": late, "resolved": resolved, "late_share": round(share, 4)},
        threshold,
        f"{late:,}/{resolved:,} hồ sơ quá hạn = {share:.1%} (ngưỡng {limit:.1%}).",
        f"{late:,} of {resolved:,} dossiers late = {share:.1%} (threshold {limit:.1%}).",
    )


def check_unanswered_petitions(
    unit_code: str, *, unanswered_late: int, received: int, threshold: Mapping[str, Any]
) -> Flag | None:
    limit = int(threshold["max_unanswered"])
    if unanswered_late <= limit:
        return None
    return _flag(
        "unanswered_petitions",
        unit_code,
        {"unanswered_past_due": unanswered_late, "petitions_received": received},
        threshold,
        f"{unanswered_late} kiến nghị cử tri (trong {received} kiến nghị của kỳ) chưa được trả "
        f"lời khi đã hết hạn, hoặc trả lời sau hạn (ngưỡng {limit}).",
        f"{unanswered_late} voter petitions (of {received} in the period) unanswered past their "
        f"day, or answered late (threshold {limit}).",
    )


def required_conferences(per_year: int, year: int, pilot_start: dt.date, prorate: bool) -> int:
    """Conferences a year asks for; the pilot's first (part) year pro rata by whole months."""
    if not prorate or year != pilot_start.year:
        return per_year
    months = 12 - pilot_start.month + 1
    return math.ceil(per_year * months / 12)


def check_dialogue_shortfall(
    unit_code: str,
    *,
    year: int,
    held: int,
    required: int,
    held_dates: list[dt.date],
    threshold: Mapping[str, Any],
    recorded: bool,
) -> Flag | None:
    """Fewer conferences held in ``year`` than required — only when the ward's conferences are
    recorded for that year (``recorded``: a conference of the ward, announced, held or
    cancelled, on or before the year's last day). A year with no record is missing data, not a
    shortfall: none held and none recorded cannot be told apart."""
    if not recorded or held >= required:
        return None
    dates = ", ".join(f"{x:%d/%m/%Y}" for x in held_dates) or "—"
    return _flag(
        "dialogue_shortfall",
        unit_code,
        {
            "year": year,
            "held": held,
            "required": required,
            "held_on": [x.isoformat() for x in held_dates],
        },
        dict(threshold) | {"required": required},
        f"Năm {year}: tổ chức {held}/{required} hội nghị đối thoại (ngày: {dates}).",
        f"{year}: {held} of {required} dialogue conferences held (on: {dates}).",
    )
