"""Administrative units and the governance models that apply to them, both effective-dated."""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise


class DivisionType(models.TextChoices):
    CITY = "city", _("Thành phố trực thuộc trung ương")
    PROVINCE = "province", _("Tỉnh")
    URBAN_DISTRICT = "urban_district", _("Quận")
    TOWN = "town", _("Thị xã")
    RURAL_DISTRICT = "rural_district", _("Huyện")
    DISTRICT_CITY = (
        "district_city",
        _("Thành phố thuộc tỉnh, thuộc thành phố trực thuộc trung ương"),
    )
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    TOWNSHIP = "township", _("Thị trấn")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")


PROVINCE_LEVEL = (DivisionType.CITY, DivisionType.PROVINCE)
DISTRICT_LEVEL = (
    DivisionType.URBAN_DISTRICT,
    DivisionType.TOWN,
    DivisionType.RURAL_DISTRICT,
    DivisionType.DISTRICT_CITY,
)
# Đặc khu is a commune-level unit from 1 July 2025 (Law 72/2025/QH15 on Local Government).
COMMUNE_LEVEL = (
    DivisionType.WARD,
    DivisionType.COMMUNE,
    DivisionType.TOWNSHIP,
    DivisionType.SPECIAL_ZONE,
)


def _geodata(
    verbose_name: "StrOrPromise", help_text: "StrOrPromise"
) -> "models.FloatField[float | int | str | Combinable | None, float | None]":
    """A figure of a unit's geodata (a WGS 84 coordinate, or the area in km²): empty while no
    source gives it, never estimated here (``geo_source`` names where each comes from)."""
    return models.FloatField(verbose_name, null=True, blank=True, help_text=help_text)


class ReferenceDataset(BaseModel):
    """A source of unit data the platform loaded, and the dates between which it is verified.

    Every answer about units says where the platform's verified data stops (``verified_to``)
    and where it starts (``verified_from``) for the unit's province, so a date outside that
    window is flagged instead of answered as if the data were known (issue 19, item 4).
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Stable name."))
    title = models.CharField(_("title"), max_length=300, help_text=_("What the source is."))
    url = fields.optional_text(_("where"), 300, _("Where the source is published."))
    licence = fields.optional_text(_("licence"), 60, _("Licence."))
    province_codes = models.JSONField(
        _("provinces covered"),
        default=list,
        blank=True,
        help_text=_("Province codes the source covers; empty: the whole country."),
    )
    verified_from = fields.optional_date(
        _("verified from"), _("First date for which the state it records is verified.")
    )
    verified_to = fields.optional_date(
        _("verified to"), _("Last date up to which it was checked against its sources.")
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Limits of the source."))

    class Meta:
        verbose_name = _("reference dataset")
        verbose_name_plural = _("reference datasets")

    def __str__(self) -> str:
        return self.slug


class WardClass(models.TextChoices):
    I = "I", _("Loại I")  # noqa: E741 - the legal name of the class
    II = "II", _("Loại II")
    III = "III", _("Loại III")


class Unit(BaseModel):
    """One version of an administrative unit — đơn vị hành chính.

    A unit keeps its official GSO code across versions; a rename or re-parenting closes one
    version (``valid_to``) and opens the next, so a query "as of a date" finds exactly one
    version per code and old records stay findable under old names. ``valid_to`` is exclusive:
    the first day on which this version no longer applies. An empty ``valid_from`` means the
    unit existed before the recorded history starts (the 2021 reference data does not carry
    founding dates, and we do not invent them).
    """

    code = fields.gso_code(_("code"), _("Official GSO code, zero-padded."), db_index=True)
    name = models.CharField(
        _("name"), max_length=120, help_text=_("Official name, with its prefix.")
    )
    division_type = fields.choice(
        _("division type"), DivisionType, _("Level and kind."), max_length=20
    )
    parent_code = fields.gso_code(
        _("parent code"),
        _("GSO code of the parent unit during this version; empty for the city."),
        blank=True,
        db_index=True,
    )
    valid_from = fields.effective_from(
        _("First day of this version; empty: before records."), optional=True
    )
    valid_to = fields.effective_to(_("First day this version no longer applies."))
    ward_class = fields.choice(
        _("ward class"),
        WardClass,
        _("Class I, II or III of the unit (data, with its source); empty when unknown."),
        max_length=3,
        blank=True,
    )
    ward_class_source = fields.optional_text(
        _("ward class source"), 200, _("Decision that classified it.")
    )
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_("Residents; empty when no verified figure."),
    )
    population_as_of = fields.optional_date(_("population as of"), _("Date the figure refers to."))
    population_source = fields.optional_text(
        _("population source"), 200, _("Where the figure comes from.")
    )
    population_is_estimate = models.BooleanField(
        _("population is an estimate"),
        default=False,
        help_text=_("True when estimated; the method is then given in the source field."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Provenance of this version (dataset or decision)."),
    )
    source_date = fields.optional_date(_("source date"), _("Date of the source."))
    legal_basis = fields.optional_text(
        _("legal basis"), 200, _("Resolution that created or changed the unit, if any.")
    )
    province_code = models.CharField(
        _("province code"),
        max_length=2,
        blank=True,
        db_index=True,
        help_text=_("Code of the province-level unit it lies in (its own code for a province)."),
    )
    dataset = fields.optional_protected_fk(
        ReferenceDataset,
        _("dataset"),
        _("Reference dataset the version was loaded from; empty when entered by hand."),
        related_name="units",
    )
    verification = fields.optional_text(
        _("verification"),
        300,
        _("How the row was cross-checked against the legal text; empty: not checked."),
    )
    centroid_lat = _geodata(_("centroid latitude"), _("WGS 84; empty when unknown."))
    centroid_lon = _geodata(_("centroid longitude"), _("WGS 84; empty when unknown."))
    bbox_south = _geodata(_("bounding box south"), _("Southern latitude."))
    bbox_west = _geodata(_("bounding box west"), _("Western longitude."))
    bbox_north = _geodata(_("bounding box north"), _("Northern latitude."))
    bbox_east = _geodata(_("bounding box east"), _("Eastern longitude."))
    area_km2 = _geodata(_("area (km²)"), _("Natural area; empty when unknown."))
    geo_source = fields.optional_text(
        _("geodata source"), 300, _("Where the centroid, box and area come from.")
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code", "valid_from"]
        constraints = [
            fields.effective_key("code", "unit_code_valid_from_uniq"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="unit_one_open_version"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]
        indexes = [
            models.Index(fields=["parent_code", "division_type"], name="unit_parent_type_idx")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_district_level(self) -> bool:
        return self.division_type in DISTRICT_LEVEL

    @property
    def is_commune_level(self) -> bool:
        return self.division_type in COMMUNE_LEVEL


class ChangeKind(models.TextChoices):
    MERGE = "merge", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAME = "rename", _("Đổi tên")
    REPARENT = "reparent", _("Điều chỉnh địa giới (đổi đơn vị cấp trên)")
    ARRANGE = "arrange", _("Sắp xếp (nhập toàn bộ hoặc một phần)")


class Share(models.TextChoices):
    """How much of the predecessor went into the successor."""

    WHOLE = "whole", _("Toàn bộ")
    PART = "part", _("Một phần")


class UnitSuccession(BaseModel):
    """A link from a closed unit version to what replaced it — sắp xếp đơn vị hành chính."""

    predecessor = fields.protected_fk(
        Unit, _("predecessor"), _("The version that ended."), related_name="successions_out"
    )
    successor = fields.protected_fk(
        Unit, _("successor"), _("The version that took over."), related_name="successions_in"
    )
    kind = fields.choice(_("kind"), ChangeKind, _("What happened."), max_length=12)
    effective_on = models.DateField(_("effective on"), help_text=_("Day the change took effect."))
    legal_basis = models.CharField(
        _("legal basis"), max_length=200, help_text=_("Resolution deciding it.")
    )
    share = fields.choice(
        _("share"),
        Share,
        _("Whether the whole predecessor or a part of it went into the successor."),
        max_length=5,
        default=Share.WHOLE,
    )
    source = fields.optional_text(_("source"), 200, _("Dataset the link comes from."))
    verification = fields.optional_text(
        _("verification"),
        300,
        _("The article and copy of the legal text it was checked against; empty: not."),
    )

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_pair_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.kind}, {self.effective_on})"


class Regime(models.TextChoices):
    HEAD_OF_UNIT = "head_of_unit", _("Chế độ thủ trưởng")
    COLLECTIVE = "collective", _("Chế độ tập thể")


class BudgetStatus(models.TextChoices):
    BUDGET_LEVEL = "budget_level", _("Cấp ngân sách")
    ESTIMATE_UNIT_OF_PARENT = "estimate_unit_of_parent", _("Đơn vị dự toán của cấp trên")


class ChairmanSelection(models.TextChoices):
    APPOINTED_BY_PARENT_CHAIRMAN = (
        "appointed_by_parent_chairman",
        _("Do Chủ tịch cấp trên bổ nhiệm"),
    )
    ELECTED_BY_OWN_COUNCIL = "elected_by_own_council", _("Do HĐND cùng cấp bầu")


class Supervisor(models.TextChoices):
    PARENT_COUNCIL = "parent_council", _("HĐND cấp trên")
    OWN_COUNCIL = "own_council", _("HĐND cùng cấp")
    CITY_COUNCIL = "city_council", _("HĐND thành phố trực thuộc trung ương")


class GovernanceModel(BaseModel):
    """A governance model — mô hình tổ chức chính quyền — as data, never as code branches.

    Every answer later contexts need (council or not, regime, who appoints the chairman, who
    supervises, budget status, signature templates, vice-chairman limits, staffing norm) is a
    field here with its legal source in ``rule_sources``; an administrator edits it, code only
    reads it through ``units.selectors.governance_for``.
    """

    slug = models.SlugField(
        _("slug"), max_length=60, unique=True, help_text=_("Stable identifier.")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("Name in Vietnamese."))
    name_en = models.CharField(_("name (English)"), max_length=200, help_text=_("Name in English."))
    legal_basis = models.CharField(
        _("legal basis"), max_length=300, help_text=_("Acts establishing it.")
    )
    has_people_council = models.BooleanField(
        _("has a People's Council"), help_text=_("Whether units under it elect a People's Council.")
    )
    regime = fields.choice(_("regime"), Regime, _("Head or collective."), max_length=20)
    chairman_selection = fields.choice(
        _("chairman selection"),
        ChairmanSelection,
        _("How the committee chairman comes to office."),
        max_length=40,
    )
    supervisor = fields.choice(
        _("supervisor"),
        Supervisor,
        _("Which People's Council supervises the committee."),
        max_length=20,
    )
    budget_status = fields.choice(
        _("budget status"), BudgetStatus, _("Budget level or estimate unit."), max_length=30
    )
    signature_templates = models.JSONField(
        _("signature templates"),
        help_text=_(
            "Signature blocks by basis: chairman, vice_chairman, delegate (with {post}), acting; "
            "lines separated by newlines."
        ),
    )
    max_vice_chairmen = models.JSONField(
        _("maximum vice-chairmen"), help_text=_('By ward class, e.g. {"I": 2, "II": 2, "III": 1}.')
    )
    staffing_norm = models.JSONField(
        _("staffing norm"),
        help_text=_(
            'Civil-servant norm: {"average_max_per_unit": 15} across a parent, or per unit '
            '{"max_by_type_and_class": {"ward": {"I": 23}, "commune": {...}}}; a missing '
            "figure means no verified norm."
        ),
    )
    chairman_approval = models.JSONField(
        _("chairman approval"),
        default=dict,
        blank=True,
        help_text=_(
            'Who approves an elected chairman, by level, e.g. {"commune_level": '
            '"province_chairman", "city": "prime_minister"}; empty when appointed.'
        ),
    )
    delegable_acts = models.JSONField(
        _("delegable acts"),
        default=list,
        blank=True,
        help_text=_("Act kinds the chairman may delegate in writing (ủy quyền)."),
    )
    rule_sources = models.JSONField(
        _("rule sources"), help_text=_("For each answer above, the legal provision it comes from.")
    )

    class Meta:
        verbose_name = _("governance model")
        verbose_name_plural = _("governance models")

    def __str__(self) -> str:
        return self.slug

    def clean(self) -> None:
        """A model lists as delegable only acts a source allows, one by one (DOMAIN §8;
        Decree 32/2021/NĐ-CP): no pattern; and, through the authority context's registered
        check (``governance_rules.DELEGABLE_ACTS_CHECK``: ``authority.acts``), no act the
        committee does not decide and no unknown act, each named with its legal source."""
        from django.core.exceptions import ValidationError

        from cqdt.core import registry
        from cqdt.core.errors import error_for
        from cqdt.units.governance_rules import DELEGABLE_ACTS_CHECK, delegable_pattern_entries

        delegable = list(self.delegable_acts or [])
        patterns = delegable_pattern_entries(delegable)
        if patterns:
            raise ValidationError(
                {
                    "delegable_acts": _(
                        "Chỉ liệt kê từng việc được ủy quyền có căn cứ, không dùng mẫu “%(p)s”."
                    )
                    % {"p": ", ".join(patterns)}
                }
            )
        refusal = registry.action(DELEGABLE_ACTS_CHECK, lambda _acts: None)(delegable)
        if refusal is not None:
            raise ValidationError({"delegable_acts": error_for(refusal).message})


class GovernanceAssignment(BaseModel):
    """Which governance model applies to a unit (by code) over a period; ``valid_to`` exclusive."""

    unit_code = fields.gso_code(_("unit code"), _("GSO code."), db_index=True)
    model = fields.protected_fk(
        GovernanceModel, _("model"), _("The model that applies."), related_name="assignments"
    )
    valid_from = fields.effective_from(_("First day; empty: since before records."), optional=True)
    valid_to = fields.effective_to(_("First day it no longer applies."))
    legal_basis = models.CharField(
        _("legal basis"), max_length=300, help_text=_("Act applying it.")
    )

    class Meta:
        verbose_name = _("governance assignment")
        verbose_name_plural = _("governance assignments")
        ordering = ["unit_code", "valid_from"]
        constraints = [
            fields.effective_key("unit_code", "governance_unit_from_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code}: {self.model.slug} [{self.valid_from}, {self.valid_to})"
