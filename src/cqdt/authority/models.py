"""Field assignments (phân công) and delegations (ủy quyền) of a ward chairman's authority."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt.core.models import PublicModel
from cqdt.staff.models import Official


class FieldAssignment(PublicModel):
    """The chairman's assignment of fields to a vice-chairman — phân công lĩnh vực.

    Within those fields the vice-chairman signs "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (Decree 30/2020).
    ``valid_to`` is inclusive; ``revoked_on`` is the first day no longer in force.
    """

    unit_code = models.CharField(
        _("unit"), max_length=8, db_index=True, help_text=_("GSO code of the ward.")
    )
    assigner = models.ForeignKey(
        Official,
        verbose_name=_("assigner"),
        on_delete=models.PROTECT,
        related_name="field_assignments_made",
        help_text=_("The chairman assigning."),
    )
    assignee = models.ForeignKey(
        Official,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="field_assignments",
        help_text=_("The vice-chairman assigned."),
    )
    fields = models.JSONField(
        _("fields"), help_text=_('Field codes, e.g. ["civil_status", "land"].')
    )
    instrument_number = models.CharField(
        _("decision number"), max_length=60, help_text=_("e.g. 12/QĐ-UBND.")
    )
    instrument_date = models.DateField(_("decision date"), help_text=_("Date signed."))
    valid_from = models.DateField(_("valid from"), help_text=_("First day in force."))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Last day (inclusive); empty: open.")
    )
    revoked_on = models.DateField(
        _("revoked on"), null=True, blank=True, help_text=_("First day no longer in force.")
    )

    class Meta:
        verbose_name = _("field assignment")
        verbose_name_plural = _("field assignments")
        ordering = ["unit_code", "valid_from"]

    def __str__(self) -> str:
        return f"{self.instrument_number} {self.unit_code}"


class Delegation(PublicModel):
    """A written delegation of the chairman's authority — ủy quyền — signed "TUQ. CHỦ TỊCH".

    In writing, naming the person, the scope (act kinds), the term, whether the seal may be used;
    the delegator keeps the power and the delegate may not pass it on (DOMAIN §1). ``valid_to``
    is inclusive; ``revoked_on`` is the first day no longer in force.
    """

    unit_code = models.CharField(
        _("unit"), max_length=8, db_index=True, help_text=_("GSO code of the ward.")
    )
    delegator = models.ForeignKey(
        Official,
        verbose_name=_("delegator"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
        help_text=_("Who delegates (holds the power)."),
    )
    delegate = models.ForeignKey(
        Official,
        verbose_name=_("delegate"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
        help_text=_("Who receives it."),
    )
    delegate_post = models.CharField(
        _("delegate's post"), max_length=40, help_text=_("The delegate's post, printed under TUQ.")
    )
    scope = models.JSONField(_("scope"), help_text=_('Act kinds, e.g. ["certify_copy"].'))
    seal_allowed = models.BooleanField(
        _("may use the seal"),
        default=False,
        help_text=_("Whether the delegate may use the ward's seal."),
    )
    instrument_number = models.CharField(
        _("decision number"), max_length=60, help_text=_("e.g. 15/QĐ-UBND.")
    )
    instrument_date = models.DateField(_("decision date"), help_text=_("Date signed."))
    valid_from = models.DateField(_("valid from"), help_text=_("First day in force."))
    valid_to = models.DateField(
        _("valid to"), help_text=_("Last day in force (inclusive); a delegation has a term.")
    )
    revoked_on = models.DateField(
        _("revoked on"), null=True, blank=True, help_text=_("First day no longer in force.")
    )
    revocation_number = models.CharField(
        _("revocation decision"), max_length=60, blank=True, help_text=_("Decision revoking it.")
    )
    revocation_reason = models.CharField(
        _("revocation reason"), max_length=300, blank=True, help_text=_("Why it was revoked.")
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["unit_code", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="delegation_term_range"
            ),
            models.UniqueConstraint(
                fields=["unit_code", "instrument_number", "delegate"],
                name="delegation_instrument_uniq",
            ),
        ]
        indexes = [
            models.Index(
                fields=["delegate", "unit_code", "valid_from"], name="delegation_lookup_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_number} {self.unit_code}"
