"""Field assignments (phân công) and delegations (ủy quyền) of a ward chairman's authority."""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt.core.models import PublicModel
from cqdt.staff.models import Official

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _official(
    verbose_name: "StrOrPromise", related_name: str, help_text: "StrOrPromise"
) -> "models.ForeignKey[Official]":
    """One side of an assignment or a delegation: an official, kept while the act is on record."""
    return models.ForeignKey(
        Official,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name=related_name,
        help_text=help_text,
    )


class WardInstrument(PublicModel):
    """What a field assignment and a delegation both record: the ward and the written decision's
    date, first day in force and revocation (Decree 30/2020 on the form of administrative acts)."""

    unit_code = models.CharField(
        _("unit"), max_length=8, db_index=True, help_text=_("GSO code of the ward.")
    )
    instrument_date = models.DateField(_("decision date"), help_text=_("Date signed."))
    valid_from = models.DateField(_("valid from"), help_text=_("First day in force."))
    revoked_on = models.DateField(
        _("revoked on"), null=True, blank=True, help_text=_("First day no longer in force.")
    )

    class Meta:
        abstract = True


class FieldAssignment(WardInstrument):
    """The chairman's assignment of fields to a vice-chairman — phân công lĩnh vực.

    Within those fields the vice-chairman signs "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (Decree 30/2020).
    ``valid_to`` is inclusive; ``revoked_on`` is the first day no longer in force.
    """

    assigner = _official(_("assigner"), "field_assignments_made", _("The chairman assigning."))
    assignee = _official(_("assignee"), "field_assignments", _("The vice-chairman assigned."))
    fields = models.JSONField(
        _("fields"), help_text=_('Field codes, e.g. ["civil_status", "land"].')
    )
    instrument_number = models.CharField(
        _("decision number"), max_length=60, help_text=_("e.g. 12/QĐ-UBND.")
    )
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Last day (inclusive); empty: open.")
    )

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

    delegator = _official(
        _("delegator"), "delegations_given", _("Who delegates (holds the power).")
    )
    delegate = _official(_("delegate"), "delegations_received", _("Who receives it."))
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
