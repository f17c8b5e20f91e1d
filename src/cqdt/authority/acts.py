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

import re

from cqdt.staff.posts import WORK_FIELDS

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


def all_acts() -> list[str]:
    return sorted(set(_FIXED_ACT_FIELDS) | {f"sign_result:{f}" for f in FIELDS})
