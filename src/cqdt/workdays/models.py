"""The working-day calendar's data: overrides to the statutory holidays, and office hours.

The statutory holidays themselves come from the ``holidays`` library (Labour Code 2019,
Art. 111–112); what a notice changes on top of it is stored here, with the notice.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise


def _calendar_scope(help_text: "StrOrPromise") -> "models.CharField[str | int | Combinable, str]":
    """Whose calendar a row belongs to: a unit's GSO code, or empty (``""``) for the whole city's,
    which every unit follows where it has no row of its own."""
    return fields.gso_code(_("unit code"), help_text, blank=True, default="")


class OverrideKind(models.TextChoices):
    CLOSED = "closed", _("Ngày nghỉ")
    WORKING = "working", _("Ngày làm việc")


class CalendarOverride(BaseModel):
    """One day whose status a notice decides — điều chỉnh lịch làm việc.

    ``closed`` adds a day off (an extra closure, or one unit's own closure); ``working`` makes a
    day a working day (a make-up Saturday, or a correction to the statutory calendar). An empty
    ``unit_code`` applies to the whole city; a unit's own row wins over the city's on that day.
    """

    date = models.DateField(_("date"), help_text=_("The day whose status is decided."))
    kind = fields.choice(
        _("kind"),
        OverrideKind,
        _("closed: not a working day; working: a working day."),
        max_length=10,
    )
    unit_code = _calendar_scope(_("GSO code of the unit it applies to; empty for the whole city."))
    reason = models.CharField(
        _("reason"), max_length=200, help_text=_("Why, in Vietnamese, as shown to the public.")
    )
    reason_en = fields.optional_text(_("reason (English)"), 200, _("Why, in English."), default="")
    notice_number = fields.optional_text(
        _("notice number"),
        60,
        _("Number and symbol of the notice that decided it, e.g. 6150/TB-BLĐTBXH."),
        default="",
    )
    notice_date = fields.optional_date(_("notice date"), _("Date the notice was issued."))
    notice_issuer = fields.optional_text(
        _("notice issuer"), 200, _("The body that issued the notice."), default=""
    )

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date", "unit_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "unit_code"], name="workdays_override_day_unit"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["closed", "working"]), name="workdays_override_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.unit_code or '*'}"

    @property
    def notice(self) -> str:
        """The notice in one line: number, date, issuer (whatever is known)."""
        parts = [self.notice_number]
        if self.notice_date:
            parts.append(f"ngày {self.notice_date:%d/%m/%Y}")
        parts.append(self.notice_issuer)
        return ", ".join(p for p in parts if p)


class OfficeHours(BaseModel):
    """Office hours of the city or one unit over a period — giờ làm việc hành chính.

    Effective-dated: ``valid_to`` is exclusive and empty while the row is in force. The defaults
    (08:00–12:00, 13:00–17:00, same-day cut-off 15:00) are configuration [C] until confirmed
    against the city's decision on office hours.
    """

    valid_from = fields.effective_from(_("First day these hours apply."))
    valid_to = fields.effective_to(
        _("First day these hours no longer apply; empty while in force.")
    )
    unit_code = _calendar_scope(_("GSO code of the unit; empty for the whole city."))
    morning_start = models.TimeField(_("morning start"), help_text=_("Office opens."))
    morning_end = models.TimeField(_("morning end"), help_text=_("Morning session ends."))
    afternoon_start = models.TimeField(
        _("afternoon start"), help_text=_("Afternoon session starts.")
    )
    afternoon_end = models.TimeField(_("afternoon end"), help_text=_("Office closes."))
    same_day_cutoff = models.TimeField(
        _("same-day cut-off"),
        help_text=_("Same-day procedures received before this time are due the same day."),
    )
    roll_after_hours_receipt = models.BooleanField(
        _("roll after-hours receipt"),
        default=True,
        help_text=_(
            "Count a dossier received after closing time or on a day off as received on the "
            "next working day."
        ),
    )
    source = models.CharField(
        _("source"), max_length=300, help_text=_("The decision that sets these hours, or [C].")
    )

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["unit_code", "valid_from"]
        constraints = [
            fields.effective_key("unit_code", "workdays_officehours_unit_from"),
            fields.effective_range("workdays_officehours_period"),
            models.CheckConstraint(
                condition=Q(morning_start__lt=F("morning_end"))
                & Q(morning_end__lte=F("afternoon_start"))
                & Q(afternoon_start__lt=F("afternoon_end")),
                name="workdays_officehours_sessions",
            ),
            models.CheckConstraint(
                condition=Q(same_day_cutoff__gt=F("morning_start"))
                & Q(same_day_cutoff__lte=F("afternoon_end")),
                name="workdays_officehours_cutoff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code or '*'} {self.valid_from}–{self.valid_to or ''}"


class CalendarChange(BaseModel):
    """What one published notice changed in the working-day calendar, scope by scope.

    Written by the override services in the transaction of the override (and its audit event):
    ``changes`` maps each calendar the notice touches — ``""`` for the city's, a unit code for a
    unit with overrides of its own — to the days it turned into days off (``closed``) and into
    working days (``opened``), as ISO dates. Contexts that count on the calendar (the dossiers'
    due dates, docs/decisions/0015 §5) read it to know what to recompute; their progress is
    their own.
    """

    date = models.DateField(_("date"), help_text=_("The day the notice decides."))
    unit_code = _calendar_scope(
        _("GSO code of the unit the notice applies to; empty for the whole city.")
    )
    notice = fields.optional_text(
        _("notice"), 300, _("Number, date and issuer of the notice, and its reason."), default=""
    )
    changes = models.JSONField(
        _("changes"),
        default=dict,
        help_text=_("Per calendar (city or unit): the days closed and opened, ISO dates."),
    )

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.date} {self.unit_code or '*'}"

    def closed_days(self, scope: str) -> list[str]:
        return list(self.changes.get(scope, {}).get("closed", []))
