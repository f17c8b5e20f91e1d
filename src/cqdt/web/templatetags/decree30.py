"""``{{ day|date_line:unit_name }}``: the place and date line of a printed paper, as Decree
30/2020/NĐ-CP, Appendix I writes it ("Phúc Xá, ngày 05 tháng 3 năm 2026": the ward's own name
without "Phường", a leading 0 for days below 10 and for January and February only).

The one-stop forms (Circular 01/2018/TT-VPCP, Mẫu 01–04) are printed by the dossiers context,
which may not import the documents context that keeps these rules (``documents.layout``,
``documents.numbering``, ``documents.services.heading_for``); the web layer may, and lends them
to the templates here, so that a ward's forms are headed as its outgoing documents are.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from cqdt.documents import layout, numbering
from cqdt.documents.services import heading_for

register = template.Library()


@register.filter(name="date_line")
def date_line(day: dt.date | dt.datetime | None, unit_name: str) -> str:
    """The date line of ``day`` (a moment is read as its Hanoi day) at the unit ``unit_name``."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day)
    return numbering.date_line(layout.place(unit_name), day)


@register.simple_tag
def issuing_body(unit_code: str, day: dt.date) -> list[str]:
    """``{% issuing_body code day as lines %}``: the heading's issuing body of unit ``unit_code``
    on ``day`` — its governing body's line where it has one, then "ỦY BAN NHÂN DÂN PHƯỜNG …"
    in full, by the unit's name that day (Decree 30/2020/NĐ-CP, Appendix I; ``heading_for``)."""
    lines, _place = heading_for(unit_code, day)
    return lines
