"""Citizen feedback reports — phản ánh, kiến nghị — and their categories, SLAs as data."""

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel, Versioned, demo_flag
from cqdt.staff.models import ActedEntry, Official

if TYPE_CHECKING:
    from decimal import Decimal

    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise


class SlaUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("Giờ làm việc")
    WORKING_DAYS = "working_days", _("Ngày làm việc")


class ResponsibleLevel(models.TextChoices):
    WARD = "ward", _("Cấp phường")
    DISTRICT = "district", _("Cấp quận")


class Category(BaseModel):
    """A feedback category — lĩnh vực phản ánh — its responsible level and SLAs (data, [C]).

    It is also the Open311 ``service`` (``code`` is the ``service_code``).
    """

    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Open311 service_code.")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("Vietnamese name."))
    name_en = models.CharField(_("name (English)"), max_length=200, help_text=_("English name."))
    description = fields.optional_text(_("description"), 500, _("What it covers."))
    group = fields.optional_text(_("group"), 100, _("Open311 group."))
    keywords = fields.optional_text(_("keywords"), 300, _("Comma-separated."))
    responsible_level = fields.choice(
        _("responsible level"),
        ResponsibleLevel,
        _("Who handles it first."),
        max_length=10,
        default=ResponsibleLevel.WARD,
    )
    ack_sla_value = models.PositiveIntegerField(
        _("acknowledge within"), help_text=_("Number of SLA units.")
    )
    ack_sla_unit = fields.choice(
        _("acknowledge unit"), SlaUnit, _("Working hours or days."), max_length=20
    )
    resolve_sla_value = models.PositiveIntegerField(
        _("resolve within"), help_text=_("Number of SLA units.")
    )
    resolve_sla_unit = fields.choice(
        _("resolve unit"), SlaUnit, _("Working hours or days."), max_length=20
    )
    sla_source = models.CharField(
        _("SLA source"), max_length=300, help_text=_("Rule the SLA comes from.")
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Offered to citizens."))

    class Meta:
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the page's language (the English name on an English page)."""
        english = (get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name


def _wgs84(
    verbose_name: "StrOrPromise", help_text: "StrOrPromise"
) -> "models.DecimalField[str | float | Decimal | Combinable | None, Decimal | None]":
    """One coordinate of where the problem is, in WGS84 degrees to six decimals (about 10 cm);
    empty when the reporter gave no position."""
    return models.DecimalField(
        verbose_name, max_digits=9, decimal_places=6, null=True, blank=True, help_text=help_text
    )


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ACKNOWLEDGED = "acknowledged", _("Đã xác nhận")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã xử lý")
    NOT_COMPETENT = "not_competent", _("Chuyển đơn vị có thẩm quyền")
    CLOSED = "closed", _("Đã đóng")


class Report(Versioned, BaseModel):
    """A citizen's report about a problem in a ward. Reporter contact is personal data."""

    public_id = fields.public_id(_("Internal identifier."))
    code = models.CharField(
        _("code"), max_length=30, unique=True, help_text=_("Public code (service_request_id).")
    )
    token = models.UUIDField(
        _("token"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Open311 token returned at submission."),
    )
    category = fields.protected_fk(
        Category, _("category"), _("What it is about."), related_name="reports"
    )
    description = models.TextField(
        _("description"), max_length=4000, help_text=_("The problem, in the reporter's words.")
    )
    lat = _wgs84(_("latitude"), _("WGS84 latitude."))
    lon = _wgs84(_("longitude"), _("WGS84 longitude."))
    address = fields.optional_text(_("address"), 300, _("Where, in words."))
    ward_code = fields.gso_code(_("ward"), _("Ward where the problem is."), db_index=True)
    unit_code = fields.gso_code(_("unit"), _("Unit responsible now."), db_index=True)
    original_unit_code = fields.gso_code(_("first unit"), _("Unit it was first sent to."))
    status = fields.choice(
        _("status"), ReportStatus, _("Current state."), max_length=20, default=ReportStatus.RECEIVED
    )
    channel = models.CharField(
        _("channel"), max_length=20, default="web", help_text=_("web, open311, ...")
    )
    reporter_name = fields.optional_text(_("reporter name"), 120, _("Personal data."))
    reporter_phone = fields.optional_text(_("reporter phone"), 20, _("Personal data."))
    reporter_email = models.EmailField(
        _("reporter email"), max_length=120, blank=True, help_text=_("Personal data.")
    )
    follow_up_secret_hash = models.CharField(
        _("follow-up secret hash"),
        max_length=64,
        help_text=_("SHA-256 of the reporter's follow-up secret."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), help_text=_("When received."))
    ack_due_at = models.DateTimeField(_("acknowledge due"), help_text=_("SLA for acknowledgement."))
    resolve_due_at = models.DateTimeField(_("resolve due"), help_text=_("SLA for resolution."))
    acknowledged_at = fields.optional_moment(_("acknowledged at"), _("When."))
    resolved_at = fields.optional_moment(_("resolved at"), _("When."))
    closed_at = fields.optional_moment(_("closed at"), _("When."))
    assigned_to = fields.optional_protected_fk(Official, _("assigned to"), _("Who handles it."))
    resolution_note = fields.optional_text(_("resolution"), 2000, _("Public answer."))
    escalated_at = fields.optional_moment(_("escalated at"), _("When escalated."))
    escalated_to_unit_code = fields.gso_code(
        _("escalated to"), _("District it was escalated to."), blank=True
    )
    satisfaction = fields.rating(_("satisfaction"), _("1–5."))
    satisfaction_comment = fields.optional_text(
        _("satisfaction comment"), 1000, _("Reporter's comment on closing.")
    )
    reopen_count = models.PositiveSmallIntegerField(
        _("reopened"), default=0, help_text=_("Times reopened.")
    )
    is_demo = demo_flag(_("Generated demo activity."))

    class Meta:
        verbose_name = _("feedback report")
        verbose_name_plural = _("feedback reports")
        indexes = [
            models.Index(
                fields=["unit_code", "status", "submitted_at"], name="report_unit_status_idx"
            ),
            models.Index(fields=["submitted_at"], name="report_submitted_idx"),
            models.Index(fields=["category", "submitted_at"], name="report_category_idx"),
        ]
        constraints = [
            fields.rating_range("satisfaction", "report_satisfaction_range"),
        ]

    def __str__(self) -> str:
        return self.code


def photo_path(instance: "ReportPhoto", filename: str) -> str:
    # Never the uploaded name: a random one, by month.
    return f"feedback/{instance.report.submitted_at:%Y/%m}/{uuid.uuid4().hex}.jpg"


class ReportPhoto(models.Model):
    """A photo attached to a report, re-encoded as JPEG without metadata (EXIF, GPS)."""

    public_id = fields.public_id(_("Identifier in URLs."))
    report = fields.part_of(Report, _("report"), "photos", _("The report."))
    image = models.FileField(_("image"), upload_to=photo_path, help_text=_("Stored JPEG."))
    width = models.PositiveIntegerField(_("width"), help_text=_("Pixels."))
    height = models.PositiveIntegerField(_("height"), help_text=_("Pixels."))
    size = models.PositiveIntegerField(_("size"), help_text=_("Bytes stored."))

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return str(self.public_id)


class ReportEvent(ActedEntry):
    """The report's timeline, with what the reporter and the public may see."""

    report = fields.part_of(Report, _("report"), "events", _("The report."))
    action = models.CharField(_("action"), max_length=40, help_text=_("Event name."))
    from_status = fields.optional_text(_("from"), 20, _("State before."))
    to_status = fields.optional_text(_("to"), 20, _("State after."))
    unit_code = fields.gso_code(_("unit"), _("Unit responsible after it."), blank=True)
    public_note = fields.optional_text(_("public note"), 2000, _("Shown to the public."))

    class Meta(ActedEntry.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"


class ReportSequence(models.Model):
    """Daily counter for report codes (PA-YYMMDD-NNNNN), allocated like dossier codes."""

    day = models.DateField(_("day"), unique=True, help_text=_("Local day."))
    last_value = models.PositiveIntegerField(
        _("last value"), default=0, help_text=_("Last number issued.")
    )

    class Meta:
        verbose_name = _("report sequence")
        verbose_name_plural = _("report sequences")

    def __str__(self) -> str:
        return f"{self.day} {self.last_value}"
