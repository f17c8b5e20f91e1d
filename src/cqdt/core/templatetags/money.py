"""``{% load money %}`` then ``{{ amount|vnd }}``: the one money format of every page."""

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
