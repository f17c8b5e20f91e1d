"""The registers that explain the shortcomings (issue 15, item 3): devolutions, recommendations,
implementation plans and their tasks.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel, PublicModel, demo_flag, move_version

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
    kind = fields.choice(_("kind"), DevolutionKind, _("Kind of transfer."), max_length=20)
    unit_code = fields.gso_code(
        _("unit"), _("Ward receiving it, or a district or city: all wards.")
    )
    instrument = models.CharField(
        _("instrument"), max_length=120, help_text=_("Number and symbol of the decision.")
    )
    instrument_date = models.DateField(_("instrument date"), help_text=_("Date it was signed."))
    valid_from = fields.effective_from(_("First day in force."))
    valid_to = fields.effective_to(_("First day no longer in force."))

    class Meta:
        ordering = ["valid_from", "procedure_slug", "unit_code"]
        indexes = [models.Index(fields=["procedure_slug", "unit_code"], name="devolution_idx")]


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Chưa điều chỉnh")
    ADJUSTED = "adjusted", _("Đã điều chỉnh")
    DECLINED = "declined", _("Không điều chỉnh")


class Recommendation(PublicModel):
    """A shortcoming, the proposal it led to and the adjustment that answered it — kiến nghị,
    đề xuất điều chỉnh — with the instrument, its date and what it changed (the governance
    model's or a rule's version)."""

    rule = models.CharField(
        _("shortcoming rule"), max_length=40, help_text=_("Shortcoming rule code, or 'other'.")
    )
    unit_code = fields.gso_code(_("unit"), _("Unit concerned."))
    raised_on = models.DateField(_("raised on"), help_text=_("Day the shortcoming was raised."))
    shortcoming = models.TextField(_("shortcoming"), help_text=_("What was found, with figures."))
    proposal = models.TextField(_("proposal"), help_text=_("What was proposed."))
    status = fields.choice(
        _("status"),
        RecommendationStatus,
        _("Whether an adjustment answered it."),
        max_length=20,
        default=RecommendationStatus.OPEN,
    )
    adjustment = models.TextField(
        _("adjustment"), blank=True, help_text=_("The adjustment that answered it.")
    )
    instrument = fields.optional_text(_("instrument"), 120, _("Number and symbol."))
    instrument_date = fields.optional_date(_("instrument date"), _("Date it was signed."))
    changed = fields.optional_text(
        _("changed"), 200, _("Governance model or rule version it changed.")
    )
    version = move_version(_("Row version."))

    class Meta:
        ordering = ["raised_on", "id"]


class ImplementationPlan(PublicModel):
    """The city's plan implementing the pilot — kế hoạch triển khai thí điểm — whose tasks are
    tracked for readiness. ``instrument`` (number and symbol) and its date are filled only when
    read in a source (``verified``); otherwise the plan is named generically and marked so."""

    title = models.CharField(_("title"), max_length=300, help_text=_("Title of the plan."))
    instrument = fields.optional_text(
        _("instrument"), 120, _("Number and symbol, only if read in a source.")
    )
    instrument_date = fields.optional_date(_("instrument date"), _("Date it was signed."))
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Number, date and title read in a source.")
    )
    verification = fields.optional_text(_("verification"), 600, _("Source read, or why not."))
    is_demo = demo_flag(_("Demo row loaded by the demo loader."))

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

    plan = fields.protected_fk(
        ImplementationPlan, _("plan"), _("The plan it belongs to."), related_name="tasks"
    )
    task = models.TextField(_("task"), help_text=_("What is to be done."))
    owner_unit_code = fields.gso_code(_("owner unit"), _("Unit in charge (GSO code)."))
    owner = fields.optional_text(_("owner"), 200, _("Department or office in charge."))
    deadline = models.DateField(_("deadline"), help_text=_("Day it is due."))
    status = fields.choice(
        _("status"), PlanTaskStatus, _("Open or done."), max_length=10, default=PlanTaskStatus.OPEN
    )
    done_on = fields.optional_date(_("done on"), _("Day it was completed."))
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Document or record showing it was done.")
    )
    is_demo = demo_flag(_("Demo row loaded by the demo loader."))
    version = move_version(_("Row version."))

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
