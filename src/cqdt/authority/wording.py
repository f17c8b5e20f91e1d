"""The resolver's words for how a chairman holds the post (pure; no Django imports).

An elected chairman holds office by the People's Council's election (Law 72/2025/QH15; Law
77/2015/QH13 before it), approved by the higher chairman; an appointed one (the Hanoi pilot,
Resolution 97/2019/QH14 and Decree 32/2021/NĐ-CP; the Capital Law 2024) by the district
chairman's appointment decision; an acting one by the assignment of the chairman's authority
(giao quyền). Saying "theo quyết định bổ nhiệm" to an elected chairman is wrong (issue 19).
"""

from __future__ import annotations


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
