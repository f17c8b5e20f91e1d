"""Monitoring's facts and rollups: what each dossier or feedback report adds (its fact), the rollup
rows by unit and grain, the refresh watermarks and the stored standard reads.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields

if TYPE_CHECKING:
    import datetime as dt

    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise


class Grain(models.TextChoices):
    DAY = "day", _("Ngày")
    MONTH = "month", _("Tháng")
    YEAR = "year", _("Năm")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


def _moved_from(
    help_text: "StrOrPromise",
) -> "models.CharField[str | int | Combinable, str]":
    """Where a fact's record was before an arrangement of units moved it to ``unit_code`` (empty:
    never moved): its events before ``moved_on`` count at that unit."""
    return fields.gso_code(_("moved from"), help_text, blank=True)


def _moved_on() -> "models.DateField[str | dt.date | Combinable | None, dt.date | None]":
    """The day the arrangement moved a fact's record to ``unit_code`` (see :func:`_moved_from`)."""
    return fields.optional_date(
        _("moved on"), _("Day the arrangement moved it to ``unit_code``; empty: never moved.")
    )


class DossierFact(models.Model):
    """What one dossier contributed to the rollups at the last refresh (one row per dossier)."""

    dossier_id = models.BigIntegerField(
        _("dossier"), primary_key=True, help_text=_("Primary key of the dossier.")
    )
    unit_code = fields.gso_code(_("unit"), _("Unit handling it."))
    moved_from = _moved_from(
        _("Unit it was at before units were arranged; its events before then count there.")
    )
    moved_on = _moved_on()
    submitted_day = models.DateField(_("submitted"), help_text=_("Hanoi date of submission."))
    receipt_day = fields.optional_date(_("received"), _("Hanoi date of valid receipt."))
    online = models.BooleanField(_("online"), default=False, help_text=_("Submitted online."))
    closed_day = fields.optional_date(
        _("closed"),
        _("Hanoi date it closed after a valid receipt (returned, withdrawn, cancelled)."),
    )
    resolved_day = fields.optional_date(_("resolved"), _("Hanoi date the result was returned."))
    outcome = fields.choice(
        _("outcome"),
        Outcome,
        _("Early, on time or late (returned dossiers)."),
        max_length=8,
        blank=True,
    )
    apologised = models.BooleanField(
        _("apologised"), default=False, help_text=_("At least one apology (form 04).")
    )
    processing_days = models.IntegerField(
        _("processing days"),
        null=True,
        blank=True,
        help_text=_("Working days from valid receipt to return."),
    )
    rating = fields.rating(_("rating"), _("1–5, counted on the resolved day."))
    signed_day = fields.optional_date(_("signed"), _("Hanoi date the result was signed."))
    signer_id = models.BigIntegerField(
        _("signer"), null=True, blank=True, help_text=_("Official who signed (primary key).")
    )
    signer_basis = fields.optional_text(_("signature basis"), 30, _("Resolver's basis."))

    class Meta:
        verbose_name = _("dossier fact")
        verbose_name_plural = _("dossier facts")
        # The few dossiers an arrangement moved, read by every dashboard's backlog
        # (``selectors.rollup_reads.backlogs``): without it, a scan of every fact.
        indexes = [
            models.Index(
                fields=["moved_on"],
                condition=models.Q(moved_on__isnull=False),
                name="dossier_fact_moved",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.unit_code}"


def _count(
    verbose_name: "StrOrPromise", help_text: "StrOrPromise"
) -> "models.IntegerField[float | int | str | Combinable, int]":
    """A rollup's additive count: zero until facts add to it; a refresh adds each fact's new
    contribution and takes back its old one, so the row always equals the sum of its facts."""
    return models.IntegerField(verbose_name, default=0, help_text=help_text)


class RollupBase(models.Model):
    grain = fields.choice(_("grain"), Grain, _("Day, month or year."), max_length=5)
    unit_code = fields.gso_code(_("unit"), _("GSO code."))
    day = models.DateField(_("day"), help_text=_("The day, or the first day of the month or year."))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.grain} {self.unit_code} {self.day}"


def rollup_key(name: str, *more: str) -> models.UniqueConstraint:
    """One row of a rollup per grain, unit and day, and per the rollup's own columns ``more``
    (the bar of a histogram, the signer and basis): a refresh adds to that row."""
    return models.UniqueConstraint(fields=["grain", "unit_code", "day", *more], name=name)


def period_index(name: str, *, include: list[str] | None = None) -> models.Index:
    """A rollup read by period (grain and days) for every unit at once: the dashboards' range
    scans; ``include`` makes it covering on PostgreSQL (the read comes from the index alone)."""
    return models.Index(fields=["grain", "day", "unit_code"], include=include, name=name)


class DossierCounts(RollupBase):
    """Additive dossier counts of one unit (or group) on one day, month or year."""

    submitted = _count(_("submitted"), _("Submitted that day."))
    received = _count(_("received"), _("Validly received."))
    received_online = _count(_("received online"), _("Of them, online."))
    closed = _count(_("closed"), _("Received dossiers that closed that day."))
    resolved = _count(_("resolved"), _("Results returned."))
    early = _count(_("early"), _("Returned early."))
    on_time = _count(_("on time"), _("Returned on the due day."))
    late = _count(_("late"), _("Returned late."))
    apologised = _count(_("apologised"), _("Returned with an apology."))
    late_apologised = _count(_("late with apology"), _("Late ones with an apology."))
    processing_days_sum = models.BigIntegerField(
        _("processing days sum"), default=0, help_text=_("Σ working days, for the mean.")
    )
    rated = _count(_("rated"), _("Resolved and rated."))
    rating_sum = _count(_("rating sum"), _("Σ ratings."))
    satisfied = _count(_("satisfied"), _("Rated 4–5."))
    unsatisfied_or_late = _count(_("unsatisfied or late"), _("Late, or rated 1–2."))
    signed = _count(_("signed"), _("Results signed."))
    signed_leader = _count(_("signed by leaders"), _("On a leader's own authority."))
    signed_delegation = _count(_("signed under delegation"), _("TUQ."))

    class Meta:
        abstract = True


class DossierRollup(DossierCounts):
    """Additive dossier counts of one unit on one day (or month) — see docs/indicators.md."""

    class Meta:
        verbose_name = _("dossier rollup")
        verbose_name_plural = _("dossier rollups")
        constraints = [rollup_key("dossier_rollup_key")]
        indexes = [period_index("dossier_rollup_day")]


class ProcessingCounts(RollupBase):
    """A processing-time histogram's bar: how many dossiers returned took ``working_days``."""

    working_days = models.IntegerField(_("working days"), help_text=_("Processing time."))
    resolved = _count(_("resolved"), _("Dossiers."))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.grain} {self.unit_code} {self.day} {self.working_days}"


class ProcessingRollup(ProcessingCounts):
    """How many dossiers returned on a day (or month) took ``working_days`` (for percentiles)."""

    class Meta:
        verbose_name = _("processing-time rollup")
        verbose_name_plural = _("processing-time rollups")
        constraints = [rollup_key("processing_rollup_key", "working_days")]
        # Covering on PostgreSQL: a period's histograms are read from the index alone.
        indexes = [period_index("processing_rollup_period", include=["working_days", "resolved"])]


class SignerRollup(RollupBase):
    """Results one official signed at a unit on a day (or month), by basis."""

    signer_id = models.BigIntegerField(_("signer"), help_text=_("Official (primary key)."))
    basis = models.CharField(_("basis"), max_length=30, help_text=_("Resolver's basis."))
    signatures = _count(_("signatures"), _("Count."))

    class Meta:
        verbose_name = _("signer rollup")
        verbose_name_plural = _("signer rollups")
        constraints = [rollup_key("signer_rollup_key", "signer_id", "basis")]
        indexes = [
            period_index("signer_rollup_period", include=["signer_id", "basis", "signatures"])
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.unit_code} {self.day} {self.signer_id}"


class GroupDossierRollup(DossierCounts):
    """The dossier counts of a district's or the city's pilot wards on a day (or month, year),
    grouped at refresh time with the mapping in force on each day (``monitoring.groups``):
    a district or city dashboard reads its own rows instead of grouping its wards'."""

    class Meta:
        verbose_name = _("district or city dossier rollup")
        verbose_name_plural = _("district or city dossier rollups")
        constraints = [rollup_key("group_dossier_rollup_key")]


class GroupProcessingRollup(ProcessingCounts):
    """Processing-time histogram of a district's or the city's pilot wards (see
    :class:`GroupDossierRollup`)."""

    class Meta:
        verbose_name = _("district or city processing-time rollup")
        verbose_name_plural = _("district or city processing-time rollups")
        constraints = [rollup_key("group_processing_rollup_key", "working_days")]
        indexes = [
            models.Index(
                fields=["grain", "unit_code", "day"],
                include=["working_days", "resolved"],
                name="group_processing_rollup_unit",
            )
        ]


class FeedbackFact(models.Model):
    """What one feedback report contributed to the feedback rollups at the last refresh."""

    report_id = models.BigIntegerField(
        _("report"), primary_key=True, help_text=_("Primary key of the report.")
    )
    unit_code = fields.gso_code(_("unit"), _("Unit responsible."))
    moved_from = _moved_from(
        _("Unit responsible before units were arranged; earlier events count there.")
    )
    moved_on = _moved_on()
    submitted_day = models.DateField(_("submitted"), help_text=_("Hanoi date."))
    resolved_day = fields.optional_date(_("resolved"), _("Hanoi date of resolution."))
    resolved_on_time = models.BooleanField(
        _("on time"), default=False, help_text=_("Resolved by the resolution due moment.")
    )

    class Meta:
        verbose_name = _("feedback fact")
        verbose_name_plural = _("feedback facts")

    def __str__(self) -> str:
        return f"{self.report_id} {self.unit_code}"


class FeedbackRollup(RollupBase):
    """Feedback reports of one responsible unit on a day (or month)."""

    received = _count(_("received"), _("Submitted."))
    resolved = _count(_("resolved"), _("Resolved."))
    resolved_on_time = _count(_("resolved on time"), _("Within the SLA."))

    class Meta:
        verbose_name = _("feedback rollup")
        verbose_name_plural = _("feedback rollups")
        constraints = [rollup_key("feedback_rollup_key")]


class Watermark(models.Model):
    """How far a source has been folded into the rollups: its latest ``updated_at`` seen."""

    source = models.CharField(
        _("source"), max_length=20, primary_key=True, help_text=_("dossiers or feedback.")
    )
    updated_at = fields.optional_moment(_("source updated at"), _("Latest change folded in."))
    refreshed_at = fields.optional_moment(_("refreshed at"), _("When the last refresh ran."))
    rows = models.BigIntegerField(
        _("rows folded"), default=0, help_text=_("Source rows read by the last refresh.")
    )
    version = fields.optional_text(
        _("version"),
        64,
        _("For the district and city rows: a digest of the wards' mapping they used."),
    )

    class Meta:
        verbose_name = _("rollup watermark")
        verbose_name_plural = _("rollup watermarks")

    def __str__(self) -> str:
        return f"{self.source} {self.updated_at}"


class StoredRead(models.Model):
    """The rollup reads of a standard dashboard (``monitoring.stored_reads``), computed by the
    refresh that wrote the rollups, in its transaction: a dashboard's first request after a
    refresh reads this row instead of aggregating the rollup rows (issue 15, item 5)."""

    digest = models.CharField(
        _("digest"),
        max_length=64,
        primary_key=True,
        help_text=_("Of the unit, the period and the rollups' version."),
    )
    unit_code = models.CharField(_("unit code"), max_length=16, help_text=_("City or district."))
    start = models.DateField(_("from"), help_text=_("First day of the period."))
    end = models.DateField(_("to"), help_text=_("Last day of the period."))
    value = models.TextField(_("reads"), help_text=_("The reads' answers, encoded as JSON."))

    class Meta:
        verbose_name = _("stored rollup read")
        verbose_name_plural = _("stored rollup reads")

    def __str__(self) -> str:
        return f"{self.unit_code} {self.start}–{self.end}"
