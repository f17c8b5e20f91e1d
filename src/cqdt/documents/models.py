"""Outgoing documents — văn bản đi — and their register — sổ đăng ký văn bản đi."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel
from cqdt.documents.numbering import KINDS
from cqdt.dossiers.models import Dossier
from cqdt.staff.models import Official

KIND_CHOICES = [(k.code, k.name_vi) for k in KINDS.values()]


class RegisterCounter(models.Model):
    """The last number given in one register: per issuing unit, per year, per document type.

    The row is incremented by one statement that locks it until the issuing transaction ends
    (``services.register._next_number``), so concurrent issues queue on it; a rolled-back issue gives its
    number back. A new year is a new row, so numbering restarts at 1 on 1 January.
    """

    unit_code = fields.gso_code(_("unit"), _("Issuing unit (GSO code)."))
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("Calendar year of issue."))
    register_from = models.DateField(
        _("register from"),
        help_text=_(
            "First day of the register the number belongs to: 1 January, or the day the issuing "
            "unit began to hold its code that year (codes are reused)."
        ),
    )
    kind = models.CharField(
        _("document type"), max_length=20, choices=KIND_CHOICES, help_text=_("Register's type.")
    )
    last_value = models.PositiveIntegerField(
        _("last number"), default=0, help_text=_("Last number given.")
    )

    class Meta:
        verbose_name = _("outgoing register")
        verbose_name_plural = _("outgoing registers")
        constraints = [
            models.UniqueConstraint(
                fields=["unit_code", "year", "register_from", "kind"],
                name="register_counter_part_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.year} {self.kind} {self.last_value}"


class DocumentStatus(models.TextChoices):
    ISSUED = "issued", _("Đã cấp số")
    SIGNED = "signed", _("Đã ký số")
    WITHDRAWN = "withdrawn", _("Đã thu hồi")


class Document(BaseModel):
    """An outgoing document — văn bản đi: numbered in its register, laid out per Decree
    30/2020/NĐ-CP, rendered to PDF and signed. A withdrawn document keeps its row and number."""

    public_id = fields.public_id(_("Identifier used in URLs and the QR code."))
    unit_code = fields.gso_code(_("unit"), _("Issuing unit (GSO code)."))
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("Register year."))
    register_from = models.DateField(
        _("register from"),
        help_text=_(
            "First day of the register the number belongs to: 1 January, or the day the issuing "
            "unit began to hold its code that year (codes are reused)."
        ),
    )
    kind = models.CharField(
        _("document type"), max_length=20, choices=KIND_CHOICES, help_text=_("Decree 30 type.")
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("Order in the register."))
    symbol = models.CharField(_("symbol"), max_length=40, help_text=_("E.g. QĐ-UBND."))
    issued_at = models.DateTimeField(_("issued at"), help_text=_("When the number was given."))
    issued_on = models.DateField(_("issued on"), help_text=_("Date printed on the document."))
    place = models.CharField(
        _("place"), max_length=120, help_text=_("Place name on the date line.")
    )
    issuing_body = models.JSONField(
        _("issuing body"),
        default=list,
        help_text=_("Lines of the issuing body: governing body, then the body itself."),
    )
    title = models.CharField(_("title"), max_length=500, help_text=_("Summary of contents."))
    body = models.TextField(_("body"), help_text=_("Paragraphs, separated by blank lines."))
    recipients = models.JSONField(
        _("recipients"), default=list, blank=True, help_text=_("Nơi nhận, one per line.")
    )
    signature_block = fields.optional_text(
        _("signature block"), 200, _("TM./KT./TUQ./Q. lines from the authority resolver.")
    )
    signer = fields.optional_protected_fk(Official, _("signer"), _("Official who signs."))
    signer_name = fields.optional_text(_("signer name"), 120, _("As printed."))
    signing_basis = models.JSONField(
        _("signing basis"),
        null=True,
        blank=True,
        help_text=_("The resolver's basis and instrument (post or delegation)."),
    )
    dossier = fields.optional_protected_fk(
        Dossier,
        _("dossier"),
        _("The dossier whose result this is."),
        related_name="result_documents",
    )
    status = fields.choice(
        _("status"),
        DocumentStatus,
        _("Issued, signed or withdrawn."),
        max_length=20,
        default=DocumentStatus.ISSUED,
    )
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, help_text=_("The PDF as issued."))
    sha256 = fields.optional_text(_("SHA-256"), 64, _("Hash of the stored PDF."))
    signed_at = fields.optional_moment(_("signed at"), _("When the signature was applied."))
    certificate_subject = fields.optional_text(
        _("certificate subject"), 300, _("Subject of the signing certificate.")
    )
    withdrawn_at = fields.optional_moment(_("withdrawn at"), _("When it was withdrawn."))
    withdrawal_reason = fields.optional_text(
        _("withdrawal reason"), 1000, _("Why it was withdrawn.")
    )

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["unit_code", "year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_code", "year", "register_from", "kind", "number"],
                name="document_number_part_uniq",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_number_positive"),
        ]
        indexes = [models.Index(fields=["dossier", "status"], name="document_dossier_idx")]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.symbol} ({self.unit_code}, {self.year})"

    @property
    def is_demo(self) -> bool:
        """Made from demo data: the result of a demo dossier (``Dossier.is_demo``, set by the demo
        loader only). Its page and its verify page say so; it has no legal effect."""
        return self.dossier_id is not None and self.dossier is not None and self.dossier.is_demo
