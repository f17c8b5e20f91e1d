"""The indicators' definitions, the index's weights and the shortcomings' thresholds as versioned
data (each valid from a day until replaced).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel

# --- definitions as data ---------------------------------------------------------------------


class VersionedBase(BaseModel):
    version = models.PositiveIntegerField(_("version"), help_text=_("Definition version."))
    valid_from = fields.effective_from(_("First day it applies."))
    valid_to = fields.effective_to(_("First day it no longer applies; empty: until replaced."))
    source = models.CharField(
        _("source"), max_length=400, help_text=_("Legal source or decision; [C] when configured.")
    )

    class Meta:
        abstract = True


def one_per_version(key: str, name: str) -> models.UniqueConstraint:
    """A definition's ``key`` (an indicator's code, a group, a rule) has one row per version."""
    return models.UniqueConstraint(fields=[key, "version"], name=name)


class IndicatorDefinition(VersionedBase):
    """An indicator's definition — định nghĩa chỉ số — versioned (docs/indicators.md)."""

    code = models.CharField(_("code"), max_length=40, help_text=_("Stable code."))
    name = models.CharField(_("name"), max_length=200, help_text=_("Vietnamese name."))
    name_en = models.CharField(_("name (English)"), max_length=200, help_text=_("English name."))
    unit = models.CharField(_("unit"), max_length=20, help_text=_("count, share, working_days…"))
    definition = models.TextField(_("definition"), help_text=_("Vietnamese definition."))
    definition_en = models.TextField(_("definition (English)"), help_text=_("English."))

    class Meta:
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")
        ordering = ["code", "valid_from"]
        constraints = [
            one_per_version("code", "indicator_code_version"),
            fields.effective_range("indicator_valid_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class IndexWeight(VersionedBase):
    """One group of the Decision 766 index with its weight and components (weights as data)."""

    group = models.CharField(_("group"), max_length=40, help_text=_("Group code."))
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, help_text=_("Points of the group.")
    )
    label = models.CharField(_("label"), max_length=200, help_text=_("Vietnamese label."))
    label_en = models.CharField(_("label (English)"), max_length=200, help_text=_("English."))
    components = models.JSONField(
        _("components"),
        help_text=_(
            "[{code, weight, measure (null: no data source), label_vi, label_en}]; the weights add "
            "up to the group's."
        ),
    )

    class Meta:
        verbose_name = _("index weight")
        verbose_name_plural = _("index weights")
        ordering = ["version", "id"]
        constraints = [
            one_per_version("group", "index_group_version"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.weight} v{self.version}"


class ShortcomingThreshold(VersionedBase):
    """A shortcoming rule's threshold — ngưỡng cảnh báo bất cập — as data."""

    rule = models.CharField(_("rule"), max_length=40, help_text=_("Rule code."))
    label = models.CharField(_("label"), max_length=200, help_text=_("Vietnamese label."))
    label_en = models.CharField(_("label (English)"), max_length=200, help_text=_("English."))
    threshold = models.JSONField(_("threshold"), help_text=_("The rule's parameters."))

    class Meta:
        verbose_name = _("shortcoming threshold")
        verbose_name_plural = _("shortcoming thresholds")
        ordering = ["rule", "valid_from"]
        constraints = [
            one_per_version("rule", "shortcoming_rule_version"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} v{self.version}"
