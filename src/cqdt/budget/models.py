"""The ward budget: annual estimates by line of the state budget index, in-year adjustments,
commitments and payments — ngân sách, dự toán, điều chỉnh dự toán, cam kết chi, thanh toán.

Amounts are whole Vietnamese đồng (``BigIntegerField``). Who decides an estimate comes from the
governance model in force (``budget.rules.structure``); every change goes through the
versioned-move kernel (``core.moves``) and writes an audit event.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel, demo_flag, move_version


class BudgetRow(BaseModel):
    """A budget row the API and the pages name by a stable random id (estimates, lines, spendings)."""

    public_id = fields.public_id(_("Stable id."))

    class Meta:
        abstract = True


class EstimateStatus(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Đã trình")
    APPROVED = "approved", _("Đã giao / đã quyết định")


class Estimate(BudgetRow):
    """A unit's annual estimate — dự toán ngân sách năm — with the act that approved it."""

    unit_code = fields.gso_code(_("unit code"), _("GSO code."), db_index=True)
    parent_code = fields.gso_code(
        _("parent code"),
        _("GSO code of the unit's parent on the estimate's first day."),
        blank=True,
        db_index=True,
    )
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("Budget year."))
    status = fields.choice(
        _("status"),
        EstimateStatus,
        _("Draft, submitted or approved."),
        max_length=12,
        default=EstimateStatus.DRAFT,
    )
    version = move_version(_("Row version."))
    budget_status = models.CharField(
        _("budget status"),
        max_length=30,
        help_text=_("Budget level or estimate unit, from the governance model in force."),
    )
    governance_model = models.CharField(
        _("governance model"), max_length=60, help_text=_("Slug of the model in force.")
    )
    decider_unit_code = fields.gso_code(
        _("deciding unit"), _("Unit whose body decides the estimate.")
    )
    decider_body = models.CharField(
        _("deciding body"), max_length=10, help_text=_("council or committee.")
    )
    approver_unit_code = fields.gso_code(
        _("approving unit"),
        _("Unit whose act gives the estimate to the unit (allocation or resolution)."),
    )
    approver_body = models.CharField(
        _("approving body"), max_length=10, help_text=_("council or committee.")
    )
    decision_number = fields.optional_text(_("decision number"), 60, _("Approving act's number."))
    decision_date = fields.optional_date(_("decision date"), _("Approving act's date."))
    legal_basis = models.CharField(
        _("legal basis"), max_length=400, help_text=_("Sources of the budget structure.")
    )
    is_demo = demo_flag(_("Simulated figures, never real ones."))

    class Meta:
        verbose_name = _("budget estimate")
        verbose_name_plural = _("budget estimates")
        ordering = ["unit_code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["unit_code", "year"], name="budget_estimate_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit_code}/{self.year}"


class EstimateLine(BudgetRow):
    """One line of an estimate: a chapter and an item of the state budget index."""

    estimate = fields.protected_fk(
        Estimate, _("estimate"), _("The estimate."), related_name="lines"
    )
    chapter_code = models.CharField(
        _("chapter"), max_length=3, help_text=_("Chapter code (3 digits).")
    )
    item_code = models.CharField(_("item"), max_length=4, help_text=_("Item code (4 digits)."))
    description = fields.optional_text(_("description"), 200, _("What the line pays for."))
    original_amount = models.BigIntegerField(
        _("original amount"), help_text=_("Amount first approved (VND).")
    )
    amount = models.BigIntegerField(
        _("allocation"), help_text=_("Allocation after adjustments (VND).")
    )
    committed = models.BigIntegerField(
        _("committed"), default=0, help_text=_("Open commitments (VND).")
    )
    paid = models.BigIntegerField(_("paid"), default=0, help_text=_("Payments (VND)."))
    earmarked = models.BooleanField(
        _("earmarked"),
        default=False,
        help_text=_("Targeted transfer from a higher level: the unit may not redirect it."),
    )
    status = models.CharField(_("status"), max_length=8, default="open", help_text=_("open."))
    version = move_version(_("Row version."))

    class Meta:
        verbose_name = _("estimate line")
        verbose_name_plural = _("estimate lines")
        ordering = ["chapter_code", "item_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["estimate", "chapter_code", "item_code"], name="budget_line_uniq"
            ),
            # The last guard against overspending, whatever the code above does.
            models.CheckConstraint(
                condition=Q(committed__gte=0)
                & Q(paid__gte=0)
                & Q(amount__gte=F("committed") + F("paid")),
                name="budget_line_within_allocation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.estimate} {self.chapter_code}-{self.item_code}"


class Adjustment(BaseModel):
    """An in-year change of a line's allocation — điều chỉnh dự toán — by a decision."""

    line = fields.protected_fk(
        EstimateLine, _("line"), _("The line adjusted."), related_name="adjustments"
    )
    delta = models.BigIntegerField(_("change"), help_text=_("VND added (negative: removed)."))
    decision_number = models.CharField(
        _("decision number"), max_length=60, help_text=_("The deciding act.")
    )
    decision_date = models.DateField(_("decision date"), help_text=_("Date of the act."))
    effective_on = models.DateField(_("effective on"), help_text=_("First day it applies."))
    reason = fields.optional_text(_("reason"), 300, _("Why."))

    class Meta:
        verbose_name = _("estimate adjustment")
        verbose_name_plural = _("estimate adjustments")
        ordering = ["effective_on", "id"]


class SpendingKind(models.TextChoices):
    COMMITMENT = "commitment", _("Cam kết chi")
    PAYMENT = "payment", _("Thanh toán")


class Spending(BudgetRow):
    """A commitment or a payment against one line (cam kết chi / thanh toán)."""

    line = fields.protected_fk(
        EstimateLine, _("line"), _("The line charged."), related_name="spendings"
    )
    kind = fields.choice(_("kind"), SpendingKind, _("Commitment or payment."), max_length=12)
    amount = models.BigIntegerField(_("amount"), help_text=_("VND, positive."))
    open_amount = models.BigIntegerField(
        _("open amount"), default=0, help_text=_("For a commitment: what is not yet paid.")
    )
    occurred_on = models.DateField(_("date"), help_text=_("Date of the voucher."))
    reference = fields.optional_text(_("reference"), 80, _("Voucher or treasury reference."))
    commitment = models.ForeignKey(
        "self",
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        help_text=_("The commitment a payment settles, if any."),
    )
    import_key = models.CharField(
        _("import key"),
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Key of the imported row; importing it again changes nothing."),
    )
    is_demo = demo_flag(_("Simulated figures, never real ones."))

    class Meta:
        verbose_name = _("commitment or payment")
        verbose_name_plural = _("commitments and payments")
        ordering = ["occurred_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_spending_positive"),
            models.CheckConstraint(
                condition=Q(open_amount__gte=0) & Q(open_amount__lte=F("amount")),
                name="budget_spending_open_range",
            ),
        ]
        indexes = [models.Index(fields=["line", "kind", "occurred_on"], name="budget_spend_idx")]
