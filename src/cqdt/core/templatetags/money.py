"""``{% load money %}`` then ``{{ amount|vnd }}``: the one money format of every page;
``{{ amount|grouped }}`` the same number without "đ" (a column headed "đồng") and
``{{ ratio|percent }}`` a ratio as a percentage ("2,26 %")."""

from django import template

from cqdt.core import text

register = template.Library()


@register.filter(name="vnd")
def vnd(amount: object) -> str:
    """2000 → "2.000 đ"; None → "" (see ``core.text.vnd``)."""
    if amount is None or isinstance(amount, bool):
        return ""
    if not isinstance(amount, (int, float, str)):
        return ""
    try:
        return text.vnd(amount)
    except ValueError:
        return ""


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@register.filter(name="grouped")
def grouped(amount: object) -> str:
    """530000000 → "530.000.000"; None → "" (see ``core.text.grouped``)."""
    return text.grouped(amount) if _number(amount) else ""  # type: ignore[arg-type]


@register.filter(name="percent")
def percent(ratio: object) -> str:
    """0.0226 → "2,26 %"; None → "" (see ``core.text.percent``)."""
    return text.percent(ratio) if _number(ratio) else ""  # type: ignore[arg-type]
