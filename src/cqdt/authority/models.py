"""Field assignments (phân công) and delegations (ủy quyền) of a ward chairman's authority."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cqdt.core.fields import (
    effective_from,
    gso_code,
    not_before,
    optional_date,
    optional_text,
    protected_fk,
)
from cqdt.core.models import PublicModel
from cqdt.staff.models import Official


class WardInstrument(PublicModel):
    """What a field assignment and a delegation both record: the ward and the written decision's
    date, first day in force and revocation (Decree 30/2020 on the form of administrative acts)."""

    unit_code = gso_code(_("unit"), _("GSO code of the ward."), db_index=True)
    instrument_date = models.DateField(_("decision date"), help_text=_("Date signed."))
    valid_from = effective_from(_("First day in force."))
    revoked_on = optional_date(_("revoked on"), _("First day no longer in force."))

    class Meta:
        abstract = True


class FieldAssignment(WardInstrument):
    """The chairman's assignment of fields to a vice-chairman — phân công lĩnh vực.

    Within those fields the vice-chairman signs "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (Decree 30/2020).
    ``valid_to`` is inclusive; ``revoked_on`` is the first day no longer in force.
    """

    assigner = protected_fk(
        Official, _("assigner"), _("The chairman assigning."), related_name="field_assignments_made"
    )
    assignee = protected_fk(
        Official, _("assignee"), _("The vice-chairman assigned."), related_name="field_assignments"
    )
    fields = models.JSONField(
        _("fields"), help_text=_('Field codes, e.g. ["civil_status", "land"].')
    )
    instrument_number = models.CharField(
        _("decision number"), max_length=60, help_text=_("e.g. 12/QĐ-UBND.")
    )
    # Inclusive, unlike the exclusive ``valid_to`` of effective-dated versions (core.fields).
    valid_to = optional_date(_("valid to"), _("Last day (inclusive); empty: open."))

    class Meta:
        verbose_name = _("field assignment")
        verbose_name_plural = _("field assignments")
        ordering = ["unit_code", "valid_from"]

    def __str__(self) -> str:
        return f"{self.instrument_number} {self.unit_code}"


class Delegation(WardInstrument):
    """A written delegation of the chairman's authority — ủy quyền — signed "TUQ. CHỦ TỊCH".

    In writing, naming the person, the scope (act kinds), the term, whether the seal may be used;
    the delegator keeps the power and the delegate may not pass it on (DOMAIN §1). ``valid_to``
    is inclusive; ``revoked_on`` is the first day no longer in force.
    """

    delegator = protected_fk(
        Official,
        _("delegator"),
        _("Who delegates (holds the power)."),
        related_name="delegations_given",
    )
    delegate = protected_fk(
        Official, _("delegate"), _("Who receives it."), related_name="delegations_received"
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
    valid_to = models.DateField(
        _("valid to"), help_text=_("Last day in force (inclusive); a delegation has a term.")
    )
    revocation_number = optional_text(_("revocation decision"), 60, _("Decision revoking it."))
    revocation_reason = optional_text(_("revocation reason"), 300, _("Why it was revoked."))

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["unit_code", "-valid_from"]
        constraints = [
            not_before("valid_to", "valid_from", "delegation_term_range"),
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
