"""The resolver's words: how a chairman holds the post, and why an act is refused (pure; no
Django imports).

An elected chairman holds office by the People's Council's election (Law 72/2025/QH15; Law
77/2015/QH13 before it), approved by the higher chairman; an appointed one (the Hanoi pilot,
Resolution 97/2019/QH14 and Decree 32/2021/NĐ-CP; the Capital Law 2024) by the district
chairman's appointment decision; an acting one by the assignment of the chairman's authority
(giao quyền). Saying "theo quyết định bổ nhiệm" to an elected chairman is wrong (issue 19).
"""

from __future__ import annotations

import datetime as dt

from cqdt.authority import acts
from cqdt.units import naming


def chair_reason(kind: str, number: str = "") -> tuple[str, str]:
    """(Vietnamese, English) reason for a chairman allowed on the basis of ``kind``."""
    ref_vi = f" số {number}" if number else ""
    ref_en = f" No. {number}" if number else ""
    if kind == "acting":
        return (
            f"Được giao quyền Chủ tịch theo quyết định{ref_vi}.",
            f"Holds the chairman's authority by acting assignment{ref_en}.",
        )
    if kind == "election":
        return (
            f"Chủ tịch UBND do Hội đồng nhân dân bầu (nghị quyết{ref_vi}).",
            f"The committee's chairman, elected by the People's Council (resolution{ref_en}).",
        )
    if kind == "appointment":
        return (
            f"Chủ tịch UBND theo quyết định bổ nhiệm{ref_vi}.",
            f"The committee's chairman by appointment decision{ref_en}.",
        )
    return (
        f"Chủ tịch UBND (căn cứ giữ chức vụ{ref_vi}).",
        f"The committee's chairman (instrument{ref_en}).",
    )


def decided_elsewhere_reason(body_vi: str, body_en: str, source: str) -> tuple[str, str]:
    return (
        f"Việc này do {body_vi} quyết định theo {source}; Chủ tịch, Phó Chủ tịch UBND và người "
        "được ủy quyền không ký.",
        f"This is decided by {body_en} under {source}; the committee's chairman, vice-chairmen "
        "and delegates do not sign it.",
    )


def refusal_reason(
    *,
    act: str,
    unit_name: str,
    on: dt.date,
    left_unit_number: str | None = None,
    lapsed_number: str | None = None,
    vice_field: tuple[str, str] | None = None,
) -> tuple[str, str]:
    """Why no basis allows the act, most specific first: the delegate left the unit; the
    delegation lapsed with its delegator's chair; a vice-chairman lacks the field
    (``vice_field``: its code and Vietnamese label); else no basis at all (DOMAIN §1, §4)."""
    if left_unit_number is not None:
        return (
            f"Người được ủy quyền theo Quyết định số {left_unit_number} không còn giữ chức danh tại {naming.in_text(unit_name)} vào ngày {on:%d/%m/%Y}.",
            f"The delegate under decision No. {left_unit_number} no longer holds a post in {unit_name} on {on.isoformat()}.",
        )
    if lapsed_number is not None:
        return (
            f"Quyết định ủy quyền số {lapsed_number} không còn hiệu lực vì người ủy quyền không còn giữ chức Chủ tịch.",
            f"Delegation No. {lapsed_number} has lapsed: the delegator no longer holds the chair.",
        )
    if vice_field is not None:
        code, label = vice_field
        return (
            f"Phó Chủ tịch chưa được phân công lĩnh vực “{label}” "
            f"và không có quyết định ủy quyền còn hiệu lực cho việc “{act_label(act)}” vào ngày {on:%d/%m/%Y}.",
            f"The vice-chairman has no assignment of the field “{code}” and no delegation in "
            f"force for “{act_label(act, 'en')}” on {on.isoformat()}.",
        )
    return (
        f"Không có thẩm quyền ký việc “{act_label(act)}” tại {naming.in_text(unit_name)} vào ngày {on:%d/%m/%Y}: không phải Chủ tịch, "
        "không được giao quyền, phân công hay ủy quyền.",
        f"No authority for “{act_label(act, 'en')}” at {unit_name} on {on.isoformat()}: not the chairman, and no acting "
        "assignment, field assignment or delegation.",
    )


# How an act kind reads in pages and refusals. The codes and their fields live in authority.acts;
# these are display words only.
_ACT_LABELS = {
    "certify_copy": ("Chứng thực bản sao từ bản chính", "Certify copies from originals"),
    "certify_signature": ("Chứng thực chữ ký", "Certify signatures"),
    "certify_contract": ("Chứng thực hợp đồng, giao dịch", "Certify contracts and transactions"),
    "register_civil_status": ("Đăng ký hộ tịch", "Register civil status"),
    "issue_document": ("Ban hành văn bản", "Issue documents"),
    "answer_petition": ("Trả lời kiến nghị cử tri", "Answer voter petitions"),
    "answer_feedback": ("Trả lời phản ánh, kiến nghị", "Answer feedback reports"),
    # Decided by the commune police, not the committee (Law on Residence 2020, Art. 22, 28);
    # listed so the grid says so in words, not as a code.
    "decide_residence": (
        "Đăng ký cư trú (thường trú, tạm trú)",
        "Residence registration (permanent, temporary)",
    ),
}


def act_label(act: str, lang: str = "vi") -> str:
    """``sign_result:land`` → "Ký kết quả TTHC lĩnh vực Đất đai"; unknown codes read as themselves."""
    english = lang.startswith("en")
    if act.startswith("sign_result:"):
        vi, en = acts.FIELDS.get(act.split(":", 1)[1], (act, act))
        return f"Sign procedure results: {en}" if english else f"Ký kết quả TTHC lĩnh vực {vi}"
    vi, en = _ACT_LABELS.get(act, (act, act))
    return en if english else vi
