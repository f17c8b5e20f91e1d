"""Act kinds and the fields they belong to (pure; no Django imports).

An act kind names what is signed: ``certify_copy`` (chứng thực bản sao từ bản chính),
``certify_signature``, ``certify_contract``, ``register_civil_status``, ``sign_result:<field>``
(the result of a procedure in a field), ``issue_document``, ``answer_petition``. A vice-chairman
signs acts in the fields the chairman assigned (phân công); a delegate signs acts in the
delegation's scope. Delegable acts per governance model are data ([C], DOMAIN §1).
"""

from __future__ import annotations

import re

FIELDS = {
    "certification": ("Chứng thực", "Certification"),
    "civil_status": ("Hộ tịch", "Civil status"),
    "land": ("Đất đai", "Land"),
    "construction": ("Xây dựng", "Construction"),
    "social_protection": ("Bảo trợ xã hội", "Social protection"),
    "culture": ("Văn hóa", "Culture"),
    "finance": ("Tài chính", "Finance"),
    "internal_affairs": ("Nội vụ", "Internal affairs"),
    "security": ("An ninh, trật tự", "Security and order"),
    "general": ("Chung", "General"),
}

_FIXED_ACT_FIELDS = {
    "certify_copy": "certification",
    "certify_signature": "certification",
    "certify_contract": "certification",
    "register_civil_status": "civil_status",
    "issue_document": "general",
    "answer_petition": "general",
    "answer_feedback": "general",
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


def all_acts() -> list[str]:
    return sorted(set(_FIXED_ACT_FIELDS) | {f"sign_result:{f}" for f in FIELDS})
