"""Dossier records kept outside the platform, imported for the pilot's evaluation.

A unit's one-stop desk kept its dossiers in its own software (or the national portal) before the
platform, and the communes outside the pilot still do: a difference in differences needs their
records before and after 1 July 2021. ``cqdt import_dossiers FILE`` reads them
(``monitoring.record_import``), one row per dossier, into :class:`ImportedDossier`; each import is
a :class:`RecordImport` (file name, its SHA-256, when, by whom, the counts). ``cqdt simulate
--comparison`` writes simulated ones through the same tables, as an import marked ``simulated``:
the evaluation never mixes them with recorded data.

Loaded by ``monitoring.models`` (one line at its end) so that Django registers them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import PublicModel


class RecordImport(PublicModel):
    """One import of dossier records — một lần nhập hồ sơ từ nguồn ngoài nền tảng."""

    file_name = models.CharField(
        _("file name"), max_length=255, help_text=_("Name of the imported file (no path).")
    )
    file_sha256 = models.CharField(
        _("file SHA-256"), max_length=64, help_text=_("Hash of the file's bytes, as read.")
    )
    actor_label = models.CharField(
        _("imported by"), max_length=150, help_text=_("User or system job that imported it.")
    )
    simulated = models.BooleanField(
        _("simulated"),
        default=False,
        help_text=_("Simulated records (cqdt simulate --comparison): demo data, never real."),
    )
    mapping = models.JSONField(
        _("column mapping"), default=dict, help_text=_("Field → column heading used.")
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0, help_text=_("Data rows."))
    rows_added = models.PositiveIntegerField(
        _("rows added"), default=0, help_text=_("New records written.")
    )
    rows_existing = models.PositiveIntegerField(
        _("rows already present"),
        default=0,
        help_text=_("Rows whose unit and external id were already imported: left unchanged."),
    )
    rows_rejected = models.PositiveIntegerField(
        _("rows rejected"), default=0, help_text=_("Rows refused, with their reasons.")
    )

    class Meta:
        verbose_name = _("record import")
        verbose_name_plural = _("record imports")
        ordering = ["-created_at"]
        constraints = [
            # One simulated set at most: simulated data is never mixed (record_import), and two
            # writers that both found none (PostgreSQL's read committed) cannot both add one.
            models.UniqueConstraint(
                fields=["simulated"],
                condition=models.Q(simulated=True),
                name="record_import_one_simulated_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} {self.created_at:%Y-%m-%d %H:%M}"


class ImportStatus(models.TextChoices):
    RETURNED = "returned", _("Đã trả kết quả")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    REFUSED = "refused", _("Từ chối")
    WITHDRAWN = "withdrawn", _("Đã rút")
    CANCELLED = "cancelled", _("Đã hủy")


class ImportedDossier(models.Model):
    """A dossier handled outside the platform, as its unit recorded it — hồ sơ nhập từ nguồn
    ngoài. No personal data: unit, procedure, dates, status, outcome, rating and cost only."""

    batch = fields.protected_fk(
        RecordImport,
        _("import"),
        _("The import that wrote it (its file and time)."),
        related_name="records",
    )
    unit_code = fields.gso_code(_("unit"), _("Official (GSO) code of the commune-level unit."))
    external_id = models.CharField(
        _("external id"), max_length=100, help_text=_("The record's id in its source system.")
    )
    procedure = fields.optional_text(
        _("procedure"), 80, _("Slug of the catalog procedure; empty for simulated records.")
    )
    field = models.CharField(_("field"), max_length=40, help_text=_("Field of the procedure."))
    received_day = models.DateField(_("received"), help_text=_("Day of valid receipt."))
    due_day = fields.optional_date(_("due"), _("Due day."))
    returned_day = fields.optional_date(_("returned"), _("Day the result was returned."))
    status = fields.choice(_("status"), ImportStatus, _("Last status."), max_length=12)
    on_time = models.BooleanField(
        _("on time"),
        null=True,
        blank=True,
        help_text=_("Returned on or before the due day; empty when not returned or not known."),
    )
    processing_days = models.IntegerField(
        _("processing days"),
        null=True,
        blank=True,
        help_text=_("Working days from receipt to return (the platform's calendar)."),
    )
    month = models.DateField(
        _("month"),
        help_text=_("First day of the month it counts in: of its return, else of its receipt."),
    )
    rating = fields.rating(_("rating"), _("Satisfaction 1–5; empty: not rated."))
    cost_vnd = models.BigIntegerField(
        _("cost (VND)"), null=True, blank=True, help_text=_("Cost of handling it; empty: unknown.")
    )
    simulated = models.BooleanField(
        _("simulated"), default=False, help_text=_("Copied from its import: demo data.")
    )

    class Meta:
        verbose_name = _("imported dossier")
        verbose_name_plural = _("imported dossiers")
        constraints = [
            models.UniqueConstraint(
                fields=["unit_code", "external_id"], name="imported_dossier_unit_external_id"
            ),
            fields.not_before(
                "returned_day",
                "received_day",
                "imported_dossier_returned_after_received",
                optional=True,
            ),
            fields.rating_range("rating", "imported_dossier_rating_1_5"),
        ]
        indexes = [
            models.Index(fields=["simulated", "month", "unit_code"], name="imported_dossier_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.external_id}"
