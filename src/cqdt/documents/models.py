"""Outgoing documents — văn bản đi — and their register — sổ đăng ký văn bản đi."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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

    unit_code = models.CharField(_("unit"), max_length=8, help_text=_("Issuing unit (GSO code)."))
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("Calendar year of issue."))
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
                fields=["unit_code", "year", "kind"], name="register_counter_uniq"
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

    public_id = models.UUIDField(
        _("public id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Identifier used in URLs and the QR code."),
    )
    unit_code = models.CharField(_("unit"), max_length=8, help_text=_("Issuing unit (GSO code)."))
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("Register year."))
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
    signature_block = models.CharField(
        _("signature block"),
        max_length=200,
        blank=True,
        help_text=_("TM./KT./TUQ./Q. lines from the authority resolver."),
    )
    signer = models.ForeignKey(
        Official,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Official who signs."),
    )
    signer_name = models.CharField(
        _("signer name"), max_length=120, blank=True, help_text=_("As printed.")
    )
    signing_basis = models.JSONField(
        _("signing basis"),
        null=True,
        blank=True,
        help_text=_("The resolver's basis and instrument (post or delegation)."),
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result_documents",
        help_text=_("The dossier whose result this is."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DocumentStatus.choices,
        default=DocumentStatus.ISSUED,
        help_text=_("Issued, signed or withdrawn."),
    )
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, help_text=_("The PDF as issued."))
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, blank=True, help_text=_("Hash of the stored PDF.")
    )
    signed_at = models.DateTimeField(
        _("signed at"), null=True, blank=True, help_text=_("When the signature was applied.")
    )
    certificate_subject = models.CharField(
        _("certificate subject"),
        max_length=300,
        blank=True,
        help_text=_("Subject of the signing certificate."),
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"), null=True, blank=True, help_text=_("When it was withdrawn.")
    )
    withdrawal_reason = models.CharField(
        _("withdrawal reason"), max_length=1000, blank=True, help_text=_("Why it was withdrawn.")
    )

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["unit_code", "year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_code", "year", "kind", "number"], name="document_number_uniq"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_number_positive"),
        ]
        indexes = [models.Index(fields=["dossier", "status"], name="document_dossier_idx")]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.symbol} ({self.unit_code}, {self.year})"
