"""What a pure rule returns when it refuses (pure; no Django imports).

Pure-rule modules (``*/rules.py``, ``*/acts.py``) may not import Django, so they cannot raise the
errors of :mod:`cqdt.core.errors`. A guard returns a :class:`Refusal` (or ``None``) instead, and the
service raises it with :func:`cqdt.core.errors.refuse`: the sentence, the field at fault and the
code are written once, next to the rule and its legal source.
"""

from __future__ import annotations

from dataclasses import dataclass

# Which error a refusal becomes (cqdt.core.errors): malformed input, a rule of law, a clash,
# an actor without the authority to do it (403).
INVALID = "invalid"
RULE = "rule"
CONFLICT = "conflict"
FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class Refusal:
    vi: str
    en: str
    field: str | None = None
    code: str | None = None
    kind: str = RULE


def invalid(vi: str, en: str, field: str) -> Refusal:
    return Refusal(vi, en, field=field, kind=INVALID)


def forbidden(vi: str, en: str, *, field: str | None = None, code: str | None = None) -> Refusal:
    """Who acts may not do it (``PermissionDenied``, 403), for a record they may see."""
    return Refusal(vi, en, field=field, code=code, kind=FORBIDDEN)
