"""The catalog of administrative procedures — thủ tục hành chính (TTHC) — and their norms."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel, PublicModel, demo_flag


class TimeKind(models.TextChoices):
    WORKING_DAYS = "working_days", _("Ngày làm việc")
    WORKING_HOURS = "working_hours", _("Giờ làm việc")
    SAME_DAY = "same_day", _("Trong ngày (trước 15 giờ)")
    # A period the law sets in days, not working days (e.g. land-dispute mediation at the commune:
    # at most 30 days, Land Law 2024, Art. 235).
    CALENDAR_DAYS = "calendar_days", _("Ngày (theo lịch)")


class CompetentLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    DISTRICT = "district", _("Cấp huyện")
    CITY = "city", _("Cấp tỉnh")


class Procedure(BaseModel):
    """One administrative procedure as a ward handles it, for an effective period.

    Processing time is a number of working days, working hours, or same-day with the 15:00
    cut-off (Decree 61/2018/NĐ-CP; DOMAIN §3). ``sign_act`` is the act kind the authority
    resolver is asked about when the result is signed. ``verified`` says whether the time was
    read in a source (named in ``verification``); unverified rows are marked in the UI.
    """

    slug = models.SlugField(
        _("slug"), max_length=80, help_text=_("Stable identifier within the catalog.")
    )
    code = models.CharField(
        _("national code"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("Code in the national procedure database, if known."),
    )
    name = models.CharField(_("name"), max_length=300, help_text=_("Official Vietnamese name."))
    name_en = fields.optional_text(_("name (English)"), 300, _("English name."))
    field = models.CharField(_("field"), max_length=40, help_text=_("Field of work (lĩnh vực)."))
    competent_level = fields.choice(
        _("competent level"),
        CompetentLevel,
        _("Level that decides."),
        max_length=20,
        default=CompetentLevel.COMMUNE,
    )
    time_kind = fields.choice(
        _("time kind"), TimeKind, _("How the processing time is counted."), max_length=20
    )
    time_value = models.PositiveIntegerField(
        _("time value"),
        default=0,
        help_text=_("Working days, hours or calendar days; 0 for same-day."),
    )
    fee_vnd = models.PositiveIntegerField(
        _("fee (VND)"), null=True, blank=True, help_text=_("Fee or charge.")
    )
    fee_note = fields.optional_text(_("fee note"), 400, _("How the fee is set."))
    required_documents = models.JSONField(
        _("required documents"), default=list, blank=True, help_text=_("[{code, name, required}]")
    )
    result_type = models.CharField(
        _("result"), max_length=300, help_text=_("What the applicant receives.")
    )
    sign_act = models.CharField(
        _("signing act"),
        max_length=60,
        help_text=_("Act kind asked of the authority resolver when signing."),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=400, help_text=_("Provisions fixing the time.")
    )
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Time read in a named source.")
    )
    verification = fields.optional_text(_("verification"), 600, _("Source read."))
    valid_from = fields.effective_from(_("First day in force."))
    valid_to = fields.effective_to(_("First day no longer in force."))
    online_allowed = models.BooleanField(
        _("online submission"), default=True, help_text=_("Whether citizens may submit online.")
    )
    search_text = models.CharField(
        _("search text"),
        max_length=1200,
        blank=True,
        editable=False,
        help_text=_(
            "Name, English name, code and field, lower-case without diacritics; kept by the "
            "procedure services (procedures.services), searched on SQLite."
        ),
    )

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["field", "name"]
        constraints = [
            fields.effective_key("slug", "procedure_slug_from_uniq"),
            fields.effective_range("procedure_valid_range"),
            models.CheckConstraint(
                condition=Q(time_kind="same_day") | Q(time_value__gt=0),
                name="procedure_time_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def required_codes(self) -> list[str]:
        return [d["code"] for d in self.required_documents if d.get("required")]


class LawActor(models.TextChoices):
    """Actors a sector law may name that a governance model may lack (``procedures.rules``)."""

    COMMUNE_COUNCIL = "commune_council", _("Hội đồng nhân dân phường (xã)")
    COMMITTEE_COLLECTIVE = "committee_collective", _("Ủy ban nhân dân phường (xã) – tập thể")


class LawConflict(PublicModel):
    """A sector law that gives a procedure's power to an actor a governance model may not have —
    xung đột pháp luật chuyên ngành — with the law's number and article.

    Whether it bites on a day is the rule ``procedures.rules.actor_exists`` applied to the unit's
    governance model then. ``verified`` says whether the article's text was read (``verification``
    names the source); an unverified row is shown as "chưa kiểm chứng", never as fact.
    """

    procedure_slug = models.SlugField(
        _("procedure"), max_length=80, help_text=_("Slug of the procedure (catalog).")
    )
    law = models.CharField(
        _("law"), max_length=200, help_text=_("Name and number of the sector law or decree.")
    )
    article = fields.optional_text(
        _("article"), 120, _("Article and clause, only if read in a source; empty otherwise.")
    )
    actor = fields.choice(
        _("actor named"), LawActor, _("The council or collective the law names."), max_length=30
    )
    excerpt = models.TextField(
        _("excerpt"), blank=True, help_text=_("The provision's words, as read in the source.")
    )
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("The article's text was read in a source.")
    )
    verification = fields.optional_text(_("verification"), 600, _("Source read, or why not."))
    is_demo = demo_flag(_("Demo row loaded by the demo loader."))

    class Meta:
        verbose_name = _("sector-law conflict")
        verbose_name_plural = _("sector-law conflicts")
        ordering = ["procedure_slug", "law", "article"]
        indexes = [models.Index(fields=["procedure_slug"], name="lawconflict_procedure_idx")]

    def __str__(self) -> str:
        return f"{self.procedure_slug}: {self.law} {self.article}".strip()
