"""Which indicators apply to a unit, by the governance model of the period's days (pure; no
Django imports): docs/decisions/0024.

The one-stop-shop and feedback indicators (received, on time, late, apologies, processing time,
backlog, overdue now, ratings, citizen reports handled in time, the Decision 766 parts the
platform records) measure any commune-level unit's service at any date: Decree 61/2018/NĐ-CP
(as amended by Decree 107/2021/NĐ-CP) and, from 1 July 2025, Decree 118/2025/NĐ-CP govern the
one-stop desk of every commune and ward; Decision 766/QĐ-TTg scores every level.

The pilot-model questions (DOMAIN.md §6) measure the model without a ward People's Council —
the chairman's head-of-unit regime, the authorisation of the Justice–Civil status civil servant,
the district People's Council's oversight of the wards, the district's staff norm for its wards
(Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP). From 1 July 2025 districts are abolished and
every commune and ward of Hà Nội has its own council (Law 72/2025/QH15; Resolution
1656/NQ-UBTVQH15): for a unit governed by a model with a People's Council these questions are
"not applicable" — never 0, and never "no data" (nothing is missing: there is nothing to
record). The texts of Decree 118/2025 and Law 72/2025 were not checked offline; DOMAIN.md §2
is the source followed.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_APPLICABLE = ("không áp dụng", "not applicable")

_COUNCIL_VI = (
    "Từ 01/07/2025 đơn vị có Hội đồng nhân dân của mình (chính quyền địa phương hai cấp, không "
    "còn cấp quận); "
)
_COUNCIL_EN = (
    "From 1 July 2025 the unit has its own People's Council (two-level local government, no "
    "districts); "
)
_TWO_LEVEL = "Luật 72/2025/QH15; Nghị quyết 1656/NQ-UBTVQH15"
_PILOT = "Nghị quyết 97/2019/QH14; Nghị định 32/2021/NĐ-CP"


@dataclass(frozen=True)
class PilotQuestion:
    """A group of indicators that measure the pilot's model only, why, and on what basis."""

    code: str
    indicators: tuple[str, ...]
    reason_vi: str
    reason_en: str
    legal_basis: str


PILOT_QUESTIONS: tuple[PilotQuestion, ...] = (
    PilotQuestion(
        "head_of_unit_signatures",
        ("leader_signatures_per_day", "signed_leader"),
        _COUNCIL_VI + "chỉ số chữ ký của lãnh đạo theo chế độ thủ trưởng đo mô hình thí điểm "
        "phường không tổ chức HĐND.",
        _COUNCIL_EN + "signatures per leader under the head-of-unit regime measure the pilot's "
        "wards without a council.",
        f"{_PILOT} (chế độ thủ trưởng); {_TWO_LEVEL}",
    ),
    PilotQuestion(
        "authorisation_share",
        ("delegated_share", "signed_delegation"),
        _COUNCIL_VI + "tỷ lệ ký theo ủy quyền đo việc Chủ tịch UBND phường thí điểm ủy quyền "
        "công chức Tư pháp – Hộ tịch ký chứng thực.",
        _COUNCIL_EN + "the share signed under authorisation measures the pilot ward chairman's "
        "authorisation of the Justice–Civil status civil servant.",
        f"Nghị định 32/2021/NĐ-CP (ủy quyền ký chứng thực); {_TWO_LEVEL}",
    ),
    PilotQuestion(
        "district_council_oversight",
        (
            "petitions_received",
            "petitions_answered",
            "petition_answer_rate",
            "petition_delay_avg",
            "petitions_overdue_now",
        ),
        _COUNCIL_VI + "kiến nghị cử tri ở đây là việc HĐND quận giám sát UBND phường thí điểm; "
        "HĐND quận không còn.",
        _COUNCIL_EN + "these voter petitions are the district council's oversight of the "
        "pilot's wards; district councils no longer exist.",
        f"{_PILOT} (HĐND quận giám sát phường); {_TWO_LEVEL}",
    ),
    PilotQuestion(
        "district_staff_norm",
        ("norm_average_max",),
        _COUNCIL_VI + "định mức bình quân công chức mỗi phường là định mức của quận trong mô "
        "hình thí điểm.",
        _COUNCIL_EN + "the average civil-servant norm per ward is the district's norm under "
        "the pilot's model.",
        f"Nghị định 32/2021/NĐ-CP (bình quân không quá 15 công chức/phường); {_TWO_LEVEL}",
    ),
)


@dataclass(frozen=True)
class NotApplicable:
    """One indicator that does not apply to a unit, with the reason and its legal basis."""

    indicator: str
    question: str
    message_vi: str
    message_en: str
    legal_basis: str


def not_applicable(has_people_council: bool) -> list[NotApplicable]:
    """The indicators that do not apply to a unit governed by a model with (``True``) or
    without (``False``) a People's Council (DOMAIN.md §1, §2, §6; module docstring): none
    without one (the pilot's wards: every indicator applies), the pilot-model questions
    with one."""
    return _listed(PILOT_QUESTIONS, has_people_council)


def _listed(questions: tuple[PilotQuestion, ...], has_people_council: bool) -> list[NotApplicable]:
    """Each code of ``questions`` not applicable, for a unit with a council; none without."""
    if not has_people_council:
        return []
    return [
        NotApplicable(code, q.code, q.reason_vi, q.reason_en, q.legal_basis)
        for q in questions
        for code in q.indicators
    ]


# The shortcoming rules (``definitions.SHORTCOMING_RULES``) that measure the pilot's model: the
# chairman's signing load under the head regime, the district council's voter petitions, the
# dialogue conferences held before the district council's sessions (Decree 32/2021/NĐ-CP). The
# late rate and the staff against population and workload apply to any unit.
PILOT_RULES: tuple[PilotQuestion, ...] = (
    PilotQuestion(
        "head_of_unit_signatures",
        ("signing_overload",),
        PILOT_QUESTIONS[0].reason_vi,
        PILOT_QUESTIONS[0].reason_en,
        PILOT_QUESTIONS[0].legal_basis,
    ),
    PilotQuestion(
        "district_council_oversight",
        ("unanswered_petitions",),
        PILOT_QUESTIONS[2].reason_vi,
        PILOT_QUESTIONS[2].reason_en,
        PILOT_QUESTIONS[2].legal_basis,
    ),
    PilotQuestion(
        "dialogue_conferences",
        ("dialogue_shortfall",),
        _COUNCIL_VI + "hội nghị đối thoại là nghĩa vụ của Chủ tịch UBND phường thí điểm trước "
        "các kỳ họp thường lệ của HĐND quận.",
        _COUNCIL_EN + "the dialogue conferences are the pilot ward chairman's duty before the "
        "district council's regular sessions.",
        f"Nghị định 32/2021/NĐ-CP (ít nhất 02 hội nghị đối thoại/năm); {_TWO_LEVEL}",
    ),
)


def rules_not_applicable(has_people_council: bool) -> list[NotApplicable]:
    """The shortcoming rules that do not apply to a unit governed by a model with (``True``) or
    without (``False``) a People's Council (:data:`PILOT_RULES`), as :func:`not_applicable`
    says for the indicators."""
    return _listed(PILOT_RULES, has_people_council)
