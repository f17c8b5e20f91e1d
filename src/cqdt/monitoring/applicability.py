"""Which indicators apply to a unit, by the governance model of the period's days (pure; no
Django imports): docs/decisions/0024.

The one-stop-shop and feedback indicators (received, on time, late, apologies, processing time,
backlog, overdue now, ratings, citizen reports handled in time, the Decision 766 parts the
platform records) measure any commune-level unit's service at any date: Decree 61/2018/NĐ-CP
(as amended by Decree 107/2021/NĐ-CP) and, from 1 July 2025, Decree 118/2025/NĐ-CP govern the
one-stop desk of every commune and ward; Decision 766/QĐ-TTg scores every level.

The pilot-model questions (DOMAIN.md §6) that measure the model without a ward People's Council
and have no object under any other — the authorisation of the Justice–Civil status civil servant
by the pilot ward's chairman, the district's staff norm for its wards, the dialogue conferences
before the district council's sessions (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP) — are
"not applicable" to a unit governed by a model with a People's Council (from 1 July 2025 every
commune and ward of Hà Nội, districts abolished: Law 72/2025/QH15; Resolution 1656/NQ-UBTVQH15):
never 0, and never "no data" (nothing is missing: there is nothing to record).

Present is present, as missing is missing (decision 0024, amended 7 December 2026): two of the
pilot's questions still have their object and apply to any commune-level unit. Voter petitions
answered, and how fast: a commune's or ward's council deputies carry its voters' petitions to its
own committee, or to the city's beyond its competence (Law 72/2025/QH15; text not checked
offline; ``oversight.selectors.routed_levels_on``); a today's unit's figures count the petitions
its own committee answers. Signatures per leader: the chairman and vice-chairmen still sign the
one-stop results; the count measures their signing load (DOMAIN.md §1), whoever elects them.
The texts of Decree 118/2025 and Law 72/2025 were not checked offline; DOMAIN.md §2 is the
source followed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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
        "authorisation_share",
        ("delegated_share", "signed_delegation"),
        _COUNCIL_VI + "tỷ lệ ký theo ủy quyền đo việc Chủ tịch UBND phường thí điểm ủy quyền "
        "công chức Tư pháp – Hộ tịch ký chứng thực.",
        _COUNCIL_EN + "the share signed under authorisation measures the pilot ward chairman's "
        "authorisation of the Justice–Civil status civil servant.",
        f"Nghị định 32/2021/NĐ-CP (ủy quyền ký chứng thực); {_TWO_LEVEL}",
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


# The shortcoming rules (``definitions.SHORTCOMING_RULES``) that measure the pilot's model only:
# the dialogue conferences held before the district council's sessions (Decree 32/2021/NĐ-CP).
# The late rate, the staff against population and workload, the signing overload and the voter
# petitions unanswered past their day apply to any unit (module docstring).
PILOT_RULES: tuple[PilotQuestion, ...] = (
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


def of_the_city_s_units(items: list[NotApplicable]) -> list[NotApplicable]:
    """``items`` as the city's view after the pilot says them (decision 0024): of its communes
    and wards, each with its own council from 1 July 2025 — not of the city, which always had
    its People's Council."""
    return [
        replace(
            x,
            message_vi="Với các xã, phường của thành phố: "
            + x.message_vi[:1].lower()
            + x.message_vi[1:],
            message_en="For the city's communes and wards: "
            + x.message_en[:1].lower()
            + x.message_en[1:],
        )
        for x in items
    ]
