"""``{{ unit.name|in_text }}``: a unit's name inside a Vietnamese sentence, its level noun in
lower case ("UBND phường Phúc Xá", "HĐND xã Sóc Sơn"), as Decree 30/2020/NĐ-CP, Appendix II
writes it (``units.naming``). The rule is the Vietnamese language's: on a page in another
language the name is shown as stored, a proper noun."""

from __future__ import annotations

from django import template
from django.utils import translation

from cqdt.units import naming

register = template.Library()


@register.filter(name="in_text")
def in_text(name: object) -> object:
    if not isinstance(name, str) or not (translation.get_language() or "vi").startswith("vi"):
        return name
    return naming.in_text(name)
