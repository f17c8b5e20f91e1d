"""Act kinds and the fields they belong to (pure; no Django imports).

An act kind names what is signed: ``certify_copy`` (chứng thực bản sao từ bản chính),
``certify_signature``, ``certify_contract``, ``register_civil_status``, ``sign_result:<field>``
(the result of a procedure in a field), ``issue_document``, ``answer_petition``. A vice-chairman
signs acts in the fields the chairman assigned (phân công); a delegate signs acts in the
delegation's scope. Delegable acts per governance model are data, listing only acts a source
allows to be delegated, never a pattern such as ``sign_result:*`` (DOMAIN §1, §8).

Some results are decided outside the People's Committee: residence registration is decided by
the commune-level police (Law on Residence 2020, Art. 22 and 28), so ``decide_residence`` is
never signed by a chairman, vice-chairman or delegate of the committee.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from cqdt.core.refusals import CONFLICT, Refusal, invalid
from cqdt.staff.posts import ONE_STOP_DESK, WARD_POSTS, WORK_FIELDS

# The fields of work, defined with the posts whose holders are assigned them (staff.posts).
FIELDS = WORK_FIELDS

_FIXED_ACT_FIELDS = {
    "certify_copy": "certification",
    "certify_signature": "certification",
    "certify_contract": "certification",
    "register_civil_status": "civil_status",
    "issue_document": "general",
    "answer_petition": "general",
    "answer_feedback": "general",
    "decide_residence": "security",
}

# Acts decided by another body than the committee: who decides, and the source (vi, en).
DECIDED_OUTSIDE_COMMITTEE = {
    "decide_residence": (
        "Công an cấp xã",
        "the commune-level police",
        "Luật Cư trú 2020 (68/2020/QH14), Điều 22 (đăng ký thường trú), Điều 28 (đăng ký tạm trú)",
    ),
}

_ACT_RE = re.compile(r"^(sign_result:[a-z_]+|[a-z_]+)$")


def is_valid_act(act: str) -> bool:
    if not _ACT_RE.match(act):
        return False
    if act.startswith("sign_result:"):
        return act.split(":", 1)[1] in FIELDS
    return act in _FIXED_ACT_FIELDS


def field_of(act: str) -> str:
    """The field an act belongs to: ``sign_result:land`` → land; ``certify_copy`` → certification."""
    if act.startswith("sign_result:"):
        return act.split(":", 1)[1]
    return _FIXED_ACT_FIELDS.get(act, "general")


def scope_covers(scope: list[str], act: str) -> bool:
    """A scope entry covers an act exactly, or by pattern (``sign_result:*``)."""
    for entry in scope:
        if entry == act:
            return True
        if entry.endswith(":*") and act.startswith(entry[:-1]):
            return True
    return False


def is_pattern(entry: str) -> bool:
    return entry.endswith(":*") or "*" in entry


def delegable_list_errors(delegable: list[str]) -> list[str]:
    """Entries a governance model may not list as delegable: patterns, unknown acts, and acts
    the committee does not decide (DOMAIN §8: only acts a source allows)."""
    return [
        e
        for e in delegable
        if is_pattern(e) or not is_valid_act(e) or e in DECIDED_OUTSIDE_COMMITTEE
    ]


def delegable_list_refusal(delegable: list[str]) -> Refusal | None:
    """A governance model's list of delegable acts, refused when it names an entry
    :func:`delegable_list_errors` finds — each named, with why: an act the committee does not
    decide with who decides it and the law that says so (``decide_residence``: the commune-level
    police, Law on Residence 2020), a pattern, an act of no catalogue. The chairman authorises
    only the committee's own acts that a source allows (Decree 32/2021/NĐ-CP; DOMAIN §8). Read
    by ``units.GovernanceModel.clean`` through ``core.registry`` (the units context cannot name
    this one), so /admin/ refuses what a grant would be refused for (:func:`not_delegable_refusal`)."""
    wrong = delegable_list_errors(delegable)
    if not wrong:
        return None
    vi, en = [], []
    for entry in wrong:
        who = DECIDED_OUTSIDE_COMMITTEE.get(entry)
        if who is not None:
            vi.append(f"{entry} do {who[0]} quyết định ({who[2]}), không thuộc thẩm quyền của UBND")
            en.append(f"{entry} is decided by {who[1]} ({who[2]}), not by the People's Committee")
        elif is_pattern(entry):
            vi.append(f"{entry} là một mẫu, không phải một việc cụ thể")
            en.append(f"{entry} is a pattern, not one act")
        else:
            vi.append(f"{entry} không phải loại việc nào đã biết")
            en.append(f"{entry} is no known act kind")
    return Refusal(
        "Không được ghi là việc được ủy quyền: "
        + "; ".join(vi)
        + ". Chủ tịch chỉ ủy quyền việc thuộc thẩm quyền của UBND mà có căn cứ cho phép "
        "(Nghị định 32/2021/NĐ-CP).",
        "These may not be listed as delegable: "
        + "; ".join(en)
        + ". The chairman delegates only the committee's acts that a source allows "
        "(Decree 32/2021/NĐ-CP).",
        field="delegable_acts",
        code="not_delegable",
    )


def all_acts() -> list[str]:
    return sorted(set(_FIXED_ACT_FIELDS) | {f"sign_result:{f}" for f in FIELDS})


# --- guards of a delegation (authority.services.delegation_grant) ----------------------------
# DOMAIN §1 (Decree 32/2021/NĐ-CP and a published ward decision): a delegation (ủy quyền) is in
# writing, naming the person, the scope and the term; the delegator must hold the power and keeps
# it; a delegate cannot delegate further; only acts the governance model lists as delegable ([C]);
# no grant overlapping another for the same delegate and act; within the delegator's own term.


def delegation_input_refusal(
    *,
    scope: list[str],
    instrument_number: str,
    instrument_date: dt.date,
    valid_from: dt.date,
    valid_to: dt.date,
    to_oneself: bool,
) -> Refusal | None:
    """The written instrument itself: known acts, a decision number, a term that starts no
    earlier than the decision is signed and ends after it starts, and someone else to act."""
    if not scope or any(
        not is_valid_act(a) and not (a.endswith(":*") and a[:-2] == "sign_result") for a in scope
    ):
        return invalid(
            "Phạm vi ủy quyền không hợp lệ.", "The scope names unknown act kinds.", "scope"
        )
    if not instrument_number.strip() or len(instrument_number) > 60:
        return invalid(
            "Cần số quyết định ủy quyền.",
            "The delegation's decision number is required.",
            "instrument_number",
        )
    if valid_to < valid_from:
        return invalid(
            "Ngày hết hạn trước ngày hiệu lực.", "The term ends before it starts.", "valid_to"
        )
    if valid_from < instrument_date:
        return Refusal(
            "Ủy quyền không có hiệu lực trước ngày ký quyết định.",
            "A delegation cannot take effect before its decision is signed.",
            field="valid_from",
            code="retroactive_delegation",
        )
    if to_oneself:
        return invalid(
            "Không tự ủy quyền cho chính mình.", "One cannot delegate to oneself.", "delegate"
        )
    return None


def not_delegable_refusal(
    scope: list[str], delegable: list[str], model_name: tuple[str, str]
) -> Refusal | None:
    """Only the acts the governance model lists as delegable ([C]); ``model_name``: (vi, en).

    An act the committee does not decide (:data:`DECIDED_OUTSIDE_COMMITTEE`) is never
    delegable, whatever the model lists — the model is data an administrator edits; its own
    check (``GovernanceModel.clean``, :func:`delegable_list_refusal`) refuses such a list, but a
    list written without it (a bulk update, older data) is refused here: the chairman cannot
    authorise a power the committee does not hold (Decree 32/2021/NĐ-CP; DOMAIN §8)."""
    outside = [a for a in scope if a in DECIDED_OUTSIDE_COMMITTEE]
    if outside:
        who = DECIDED_OUTSIDE_COMMITTEE[outside[0]]
        return Refusal(
            f"Không được ủy quyền việc không thuộc thẩm quyền của UBND: {', '.join(outside)} "
            f"do {who[0]} quyết định ({who[2]}).",
            f"An act the committee does not decide cannot be delegated: {', '.join(outside)} "
            f"is decided by {who[1]} ({who[2]}).",
            field="scope",
            code="not_delegable",
        )
    not_delegable = [a for a in scope if not scope_covers(delegable, a)]
    if not not_delegable:
        return None
    listed = ", ".join(not_delegable)
    return Refusal(
        f"Theo mô hình “{model_name[0]}”, không được ủy quyền: {listed}.",
        f"Under “{model_name[1]}” these acts may not be delegated: {listed}.",
        field="scope",
        code="not_delegable",
    )


def delegator_refusal(holds_a_delegation: bool) -> Refusal:
    """Whoever does not hold the chair may not delegate; a delegate may not delegate further."""
    if holds_a_delegation:
        return Refusal(
            "Người được ủy quyền không được ủy quyền lại cho người khác.",
            "A delegate may not delegate further.",
            field="delegator",
            code="no_subdelegation",
        )
    return Refusal(
        "Người ủy quyền phải là Chủ tịch (hoặc người được giao quyền Chủ tịch) đang giữ chức.",
        "The delegator must hold the chair (by appointment or acting assignment).",
        field="delegator",
        code="delegator_lacks_power",
    )


def out_of_term_refusal(chair_last_day: dt.date | None, valid_to: dt.date) -> Refusal | None:
    """The delegation ends no later than the delegator's own term (inclusive last day)."""
    if chair_last_day is not None and valid_to > chair_last_day:
        return Refusal(
            f"Thời hạn ủy quyền vượt quá nhiệm kỳ của người ủy quyền (đến {chair_last_day:%d/%m/%Y}).",
            f"The delegation outlasts the delegator's own term (ends {chair_last_day}).",
            field="valid_to",
            code="out_of_term",
        )
    return None


def delegate_not_in_unit_refusal(held: list[str]) -> Refusal | None:
    """A delegation names a person in a post of the unit (``held``: the posts she holds there)."""
    if held:
        return None
    return Refusal(
        "Người được ủy quyền phải là cán bộ, công chức đang làm việc tại đơn vị.",
        "The delegate must hold a post in the unit.",
        field="delegate",
        code="delegate_not_in_unit",
    )


def delegate_post(held: list[str]) -> str:
    """The post the delegate signs under: the first ward post held (the one-stop desk last)."""
    return next((p for p in WARD_POSTS if p in held and p != ONE_STOP_DESK), held[0])


def overlap_refusal(scope: list[str], others: Iterable[tuple[str, list[str]]]) -> Refusal | None:
    """No two delegations to the same person sharing an act in one period; ``others`` are the
    instrument number and scope of the delegations to that person overlapping the term."""
    for number, other in others:
        if any(scope_covers(other, a) for a in scope) or any(scope_covers(scope, b) for b in other):
            return Refusal(
                f"Đã có quyết định ủy quyền số {number} cho người này trùng thời gian và phạm vi.",
                f"Delegation No. {number} already covers this person, period and scope.",
                field="valid_from",
                code="overlapping_delegation",
                kind=CONFLICT,
            )
    return None
