"""Monitoring's own tables: per-dossier facts, rollups by unit and day (and month), the refresh
watermarks, and the definitions, index weights and shortcoming thresholds as versioned data.

Monitoring never writes another context's tables. The facts mirror what each dossier (or feedback
report) contributes to the rollups as of the last refresh; a refresh re-reads the source rows
changed since the watermark, and adds to the rollups the difference between each row's new and
old contribution (``monitoring.rollups``). Rollup rows exist at three grains — a day, a calendar
month and a calendar year (``day`` is then the month's or the year's first day) — so a dashboard
reads at most a few thousand rows whatever the history's size.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt.core.models import BaseModel, PublicModel


class Grain(models.TextChoices):
    DAY = "day", _("Ngày")
    MONTH = "month", _("Tháng")
    YEAR = "year", _("Năm")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class DossierFact(models.Model):
    """What one dossier contributed to the rollups at the last refresh (one row per dossier)."""

    dossier_id = models.BigIntegerField(
        _("dossier"), primary_key=True, help_text=_("Primary key of the dossier.")
    )
    unit_code = models.CharField(_("unit"), max_length=8, help_text=_("Unit handling it."))
    moved_from = models.CharField(
        _("moved from"),
        max_length=8,
        blank=True,
        help_text=_(
            "Unit it was at before units were arranged; its events before then count there."
        ),
    )
    moved_on = models.DateField(
        _("moved on"),
        null=True,
        blank=True,
        help_text=_("Day the arrangement moved it to ``unit_code``; empty: never moved."),
    )
    submitted_day = models.DateField(_("submitted"), help_text=_("Hanoi date of submission."))
    receipt_day = models.DateField(
        _("received"), null=True, blank=True, help_text=_("Hanoi date of valid receipt.")
    )
    online = models.BooleanField(_("online"), default=False, help_text=_("Submitted online."))
    closed_day = models.DateField(
        _("closed"),
        null=True,
        blank=True,
        help_text=_("Hanoi date it closed after a valid receipt (returned, withdrawn, cancelled)."),
    )
    resolved_day = models.DateField(
        _("resolved"), null=True, blank=True, help_text=_("Hanoi date the result was returned.")
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=8,
        choices=Outcome.choices,
        blank=True,
        help_text=_("Early, on time or late (returned dossiers)."),
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
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, help_text=_("1–5, counted on the resolved day.")
    )
    signed_day = models.DateField(
        _("signed"), null=True, blank=True, help_text=_("Hanoi date the result was signed.")
    )
    signer_id = models.BigIntegerField(
        _("signer"), null=True, blank=True, help_text=_("Official who signed (primary key).")
    )
    signer_basis = models.CharField(
        _("signature basis"), max_length=30, blank=True, help_text=_("Resolver's basis.")
    )

    class Meta:
        verbose_name = _("dossier fact")
        verbose_name_plural = _("dossier facts")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.unit_code}"


class RollupBase(models.Model):
    grain = models.CharField(
        _("grain"), max_length=5, choices=Grain.choices, help_text=_("Day, month or year.")
    )
    unit_code = models.CharField(_("unit"), max_length=8, help_text=_("GSO code."))
    day = models.DateField(_("day"), help_text=_("The day, or the first day of the month or year."))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.grain} {self.unit_code} {self.day}"


class DossierCounts(RollupBase):
    """Additive dossier counts of one unit (or group) on one day, month or year."""

    submitted = models.IntegerField(_("submitted"), default=0, help_text=_("Submitted that day."))
    received = models.IntegerField(_("received"), default=0, help_text=_("Validly received."))
    received_online = models.IntegerField(
        _("received online"), default=0, help_text=_("Of them, online.")
    )
    closed = models.IntegerField(
        _("closed"), default=0, help_text=_("Received dossiers that closed that day.")
    )
    resolved = models.IntegerField(_("resolved"), default=0, help_text=_("Results returned."))
    early = models.IntegerField(_("early"), default=0, help_text=_("Returned early."))
    on_time = models.IntegerField(_("on time"), default=0, help_text=_("Returned on the due day."))
    late = models.IntegerField(_("late"), default=0, help_text=_("Returned late."))
    apologised = models.IntegerField(
        _("apologised"), default=0, help_text=_("Returned with an apology.")
    )
    late_apologised = models.IntegerField(
        _("late with apology"), default=0, help_text=_("Late ones with an apology.")
    )
    processing_days_sum = models.BigIntegerField(
        _("processing days sum"), default=0, help_text=_("Σ working days, for the mean.")
    )
    rated = models.IntegerField(_("rated"), default=0, help_text=_("Resolved and rated."))
    rating_sum = models.IntegerField(_("rating sum"), default=0, help_text=_("Σ ratings."))
    satisfied = models.IntegerField(_("satisfied"), default=0, help_text=_("Rated 4–5."))
    unsatisfied_or_late = models.IntegerField(
        _("unsatisfied or late"), default=0, help_text=_("Late, or rated 1–2.")
    )
    signed = models.IntegerField(_("signed"), default=0, help_text=_("Results signed."))
    signed_leader = models.IntegerField(
        _("signed by leaders"), default=0, help_text=_("On a leader's own authority.")
    )
    signed_delegation = models.IntegerField(
        _("signed under delegation"), default=0, help_text=_("TUQ.")
    )

    class Meta:
        abstract = True


class DossierRollup(DossierCounts):
    """Additive dossier counts of one unit on one day (or month) — see docs/indicators.md."""

    class Meta:
        verbose_name = _("dossier rollup")
        verbose_name_plural = _("dossier rollups")
        constraints = [
            models.UniqueConstraint(fields=["grain", "unit_code", "day"], name="dossier_rollup_key")
        ]
        indexes = [models.Index(fields=["grain", "day", "unit_code"], name="dossier_rollup_day")]


class ProcessingRollup(RollupBase):
    """How many dossiers returned on a day (or month) took ``working_days`` (for percentiles)."""

    working_days = models.IntegerField(_("working days"), help_text=_("Processing time."))
    resolved = models.IntegerField(_("resolved"), default=0, help_text=_("Dossiers."))

    class Meta:
        verbose_name = _("processing-time rollup")
        verbose_name_plural = _("processing-time rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "unit_code", "day", "working_days"], name="processing_rollup_key"
            )
        ]
        # Covering on PostgreSQL: a period's histograms are read from the index alone.
        indexes = [
            models.Index(
                fields=["grain", "day", "unit_code"],
                include=["working_days", "resolved"],
                name="processing_rollup_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.unit_code} {self.day} {self.working_days}"


class SignerRollup(RollupBase):
    """Results one official signed at a unit on a day (or month), by basis."""

    signer_id = models.BigIntegerField(_("signer"), help_text=_("Official (primary key)."))
    basis = models.CharField(_("basis"), max_length=30, help_text=_("Resolver's basis."))
    signatures = models.IntegerField(_("signatures"), default=0, help_text=_("Count."))

    class Meta:
        verbose_name = _("signer rollup")
        verbose_name_plural = _("signer rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "unit_code", "day", "signer_id", "basis"], name="signer_rollup_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["grain", "day", "unit_code"],
                include=["signer_id", "basis", "signatures"],
                name="signer_rollup_period",
            )
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
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "unit_code", "day"], name="group_dossier_rollup_key"
            )
        ]


class GroupProcessingRollup(RollupBase):
    """Processing-time histogram of a district's or the city's pilot wards (see
    :class:`GroupDossierRollup`)."""

    working_days = models.IntegerField(_("working days"), help_text=_("Processing time."))
    resolved = models.IntegerField(_("resolved"), default=0, help_text=_("Dossiers."))

    class Meta:
        verbose_name = _("district or city processing-time rollup")
        verbose_name_plural = _("district or city processing-time rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "unit_code", "day", "working_days"],
                name="group_processing_rollup_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["grain", "unit_code", "day"],
                include=["working_days", "resolved"],
                name="group_processing_rollup_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.unit_code} {self.day} {self.working_days}"


class FeedbackFact(models.Model):
    """What one feedback report contributed to the feedback rollups at the last refresh."""

    report_id = models.BigIntegerField(
        _("report"), primary_key=True, help_text=_("Primary key of the report.")
    )
    unit_code = models.CharField(_("unit"), max_length=8, help_text=_("Unit responsible."))
    moved_from = models.CharField(
        _("moved from"),
        max_length=8,
        blank=True,
        help_text=_("Unit responsible before units were arranged; earlier events count there."),
    )
    moved_on = models.DateField(
        _("moved on"),
        null=True,
        blank=True,
        help_text=_("Day the arrangement moved it to ``unit_code``; empty: never moved."),
    )
    submitted_day = models.DateField(_("submitted"), help_text=_("Hanoi date."))
    resolved_day = models.DateField(
        _("resolved"), null=True, blank=True, help_text=_("Hanoi date of resolution.")
    )
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

    received = models.IntegerField(_("received"), default=0, help_text=_("Submitted."))
    resolved = models.IntegerField(_("resolved"), default=0, help_text=_("Resolved."))
    resolved_on_time = models.IntegerField(
        _("resolved on time"), default=0, help_text=_("Within the SLA.")
    )

    class Meta:
        verbose_name = _("feedback rollup")
        verbose_name_plural = _("feedback rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "unit_code", "day"], name="feedback_rollup_key"
            )
        ]


class Watermark(models.Model):
    """How far a source has been folded into the rollups: its latest ``updated_at`` seen."""

    source = models.CharField(
        _("source"), max_length=20, primary_key=True, help_text=_("dossiers or feedback.")
    )
    updated_at = models.DateTimeField(
        _("source updated at"), null=True, blank=True, help_text=_("Latest change folded in.")
    )
    refreshed_at = models.DateTimeField(
        _("refreshed at"), null=True, blank=True, help_text=_("When the last refresh ran.")
    )
    rows = models.BigIntegerField(
        _("rows folded"), default=0, help_text=_("Source rows read by the last refresh.")
    )
    version = models.CharField(
        _("version"),
        max_length=64,
        blank=True,
        help_text=_("For the district and city rows: a digest of the wards' mapping they used."),
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


# --- definitions as data ---------------------------------------------------------------------


class VersionedBase(BaseModel):
    version = models.PositiveIntegerField(_("version"), help_text=_("Definition version."))
    valid_from = models.DateField(_("valid from"), help_text=_("First day it applies."))
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("First day it no longer applies; empty: until replaced."),
    )
    source = models.CharField(
        _("source"), max_length=400, help_text=_("Legal source or decision; [C] when configured.")
    )

    class Meta:
        abstract = True


class IndicatorDefinition(VersionedBase):
    """An indicator's definition — định nghĩa chỉ số — versioned (docs/indicators.md)."""

    code = models.CharField(_("code"), max_length=40, help_text=_("Stable code."))
    name = models.CharField(_("name"), max_length=200, help_text=_("Vietnamese name."))
    name_en = models.CharField(_("name (English)"), max_length=200, help_text=_("English name."))
    unit = models.CharField(_("unit"), max_length=20, help_text=_("count, share, working_days…"))
    definition = models.TextField(_("definition"), help_text=_("Vietnamese definition."))
    definition_en = models.TextField(_("definition (English)"), help_text=_("English."))

    class Meta:
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indicator_code_version"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="indicator_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class IndexWeight(VersionedBase):
    """One group of the Decision 766 index with its weight and components (weights as data)."""

    group = models.CharField(_("group"), max_length=40, help_text=_("Group code."))
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, help_text=_("Points of the group.")
    )
    label = models.CharField(_("label"), max_length=200, help_text=_("Vietnamese label."))
    label_en = models.CharField(_("label (English)"), max_length=200, help_text=_("English."))
    components = models.JSONField(
        _("components"),
        help_text=_(
            "[{code, weight, measure (null: not measured), label_vi, label_en}]; the weights add "
            "up to the group's."
        ),
    )

    class Meta:
        verbose_name = _("index weight")
        verbose_name_plural = _("index weights")
        ordering = ["version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "version"], name="index_group_version"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.weight} v{self.version}"


class ShortcomingThreshold(VersionedBase):
    """A shortcoming rule's threshold — ngưỡng cảnh báo bất cập — as data."""

    rule = models.CharField(_("rule"), max_length=40, help_text=_("Rule code."))
    label = models.CharField(_("label"), max_length=200, help_text=_("Vietnamese label."))
    label_en = models.CharField(_("label (English)"), max_length=200, help_text=_("English."))
    threshold = models.JSONField(_("threshold"), help_text=_("The rule's parameters."))

    class Meta:
        verbose_name = _("shortcoming threshold")
        verbose_name_plural = _("shortcoming thresholds")
        ordering = ["rule", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "version"], name="shortcoming_rule_version"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} v{self.version}"


# --- registers that explain the shortcomings (issue 15, item 3) -------------------------------


class DevolutionKind(models.TextChoices):
    DECENTRALISATION = "decentralisation", _("Phân cấp")
    AUTHORISATION = "authorisation", _("Ủy quyền")


class Devolution(BaseModel):
    """A decision of the city or a district giving wards a power that their procedure's
    competent level keeps above — phân cấp, ủy quyền cho UBND phường.

    ``unit_code`` is the ward that receives it, or a district or the city (all their pilot
    wards). Until one is in force for a ward, a procedure decided at district or city level
    still needs approval above for that ward (``monitoring.registers.approval_above``).
    """

    procedure_slug = models.SlugField(
        _("procedure"), max_length=80, help_text=_("Slug of the procedure (catalog).")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DevolutionKind.choices, help_text=_("Kind of transfer.")
    )
    unit_code = models.CharField(
        _("unit"), max_length=8, help_text=_("Ward receiving it, or a district or city: all wards.")
    )
    instrument = models.CharField(
        _("instrument"), max_length=120, help_text=_("Number and symbol of the decision.")
    )
    instrument_date = models.DateField(_("instrument date"), help_text=_("Date it was signed."))
    valid_from = models.DateField(_("valid from"), help_text=_("First day in force."))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("First day no longer in force.")
    )

    class Meta:
        ordering = ["valid_from", "procedure_slug", "unit_code"]
        indexes = [models.Index(fields=["procedure_slug", "unit_code"], name="devolution_idx")]


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Chưa điều chỉnh")
    ADJUSTED = "adjusted", _("Đã điều chỉnh")
    DECLINED = "declined", _("Không điều chỉnh")


class Recommendation(BaseModel):
    """A shortcoming, the proposal it led to and the adjustment that answered it — kiến nghị,
    đề xuất điều chỉnh — with the instrument, its date and what it changed (the governance
    model's or a rule's version)."""

    rule = models.CharField(
        _("shortcoming rule"), max_length=40, help_text=_("Shortcoming rule code, or 'other'.")
    )
    unit_code = models.CharField(_("unit"), max_length=8, help_text=_("Unit concerned."))
    raised_on = models.DateField(_("raised on"), help_text=_("Day the shortcoming was raised."))
    shortcoming = models.TextField(_("shortcoming"), help_text=_("What was found, with figures."))
    proposal = models.TextField(_("proposal"), help_text=_("What was proposed."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
        help_text=_("Whether an adjustment answered it."),
    )
    adjustment = models.TextField(
        _("adjustment"), blank=True, help_text=_("The adjustment that answered it.")
    )
    instrument = models.CharField(
        _("instrument"), max_length=120, blank=True, help_text=_("Number and symbol.")
    )
    instrument_date = models.DateField(
        _("instrument date"), null=True, blank=True, help_text=_("Date it was signed.")
    )
    changed = models.CharField(
        _("changed"),
        max_length=200,
        blank=True,
        help_text=_("Governance model or rule version it changed."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Row version."))
    public_id = models.UUIDField(
        _("public id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Identifier used in URLs and the API."),
    )

    class Meta:
        ordering = ["raised_on", "id"]


class ImplementationPlan(PublicModel):
    """The city's plan implementing the pilot — kế hoạch triển khai thí điểm — whose tasks are
    tracked for readiness. ``instrument`` (number and symbol) and its date are filled only when
    read in a source (``verified``); otherwise the plan is named generically and marked so."""

    title = models.CharField(_("title"), max_length=300, help_text=_("Title of the plan."))
    instrument = models.CharField(
        _("instrument"),
        max_length=120,
        blank=True,
        help_text=_("Number and symbol, only if read in a source."),
    )
    instrument_date = models.DateField(
        _("instrument date"), null=True, blank=True, help_text=_("Date it was signed.")
    )
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Number, date and title read in a source.")
    )
    verification = models.CharField(
        _("verification"), max_length=600, blank=True, help_text=_("Source read, or why not.")
    )
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Demo row loaded by the demo loader.")
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.instrument or self.title


class PlanTaskStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class PlanTask(PublicModel):
    """One task of the implementation plan — nhiệm vụ — with its owner unit, deadline, status
    and the evidence of its completion."""

    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="tasks",
        help_text=_("The plan it belongs to."),
    )
    task = models.TextField(_("task"), help_text=_("What is to be done."))
    owner_unit_code = models.CharField(
        _("owner unit"), max_length=8, help_text=_("Unit in charge (GSO code).")
    )
    owner = models.CharField(
        _("owner"), max_length=200, blank=True, help_text=_("Department or office in charge.")
    )
    deadline = models.DateField(_("deadline"), help_text=_("Day it is due."))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PlanTaskStatus.choices,
        default=PlanTaskStatus.OPEN,
        help_text=_("Open or done."),
    )
    done_on = models.DateField(
        _("done on"), null=True, blank=True, help_text=_("Day it was completed.")
    )
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Document or record showing it was done.")
    )
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Demo row loaded by the demo loader.")
    )
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Row version."))

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["owner_unit_code"], name="plantask_owner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="plantask_done_has_day",
            ),
        ]

    def __str__(self) -> str:
        return self.task[:60]


# Imported (and simulated) dossier records for the evaluation: their own module, registered here.
from cqdt.monitoring.recorded import ImportedDossier, ImportStatus, RecordImport  # noqa: E402, F401
