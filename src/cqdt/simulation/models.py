"""The simulation's own table: how far each run has gone (its watermark), so that it resumes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã xong")


class SimulationRun(BaseModel):
    """One run of the workload generator — mô phỏng khối lượng công việc — and its progress.

    A run is identified by its parameters (``key``); ``last_day_done`` is the watermark: every
    arrival day up to it has been written in full (one transaction per day), so an interrupted
    run resumes on the next day and writes nothing twice.
    """

    key = models.CharField(
        _("key"), max_length=200, unique=True, help_text=_("The run's parameters, as text.")
    )
    seed = models.IntegerField(_("seed"), help_text=_("Random seed."))
    start = models.DateField(_("from"), help_text=_("First day simulated."))
    end = models.DateField(_("to"), help_text=_("Last day simulated."))
    scale = models.FloatField(_("scale"), help_text=_("Share of Hanoi's real volume."))
    wards = models.JSONField(_("wards"), default=list, help_text=_("Ward codes simulated."))
    status = fields.choice(
        _("status"), RunStatus, _("Running or done."), max_length=10, default=RunStatus.RUNNING
    )
    last_day_done = fields.optional_date(_("last day done"), _("Watermark: days written in full."))
    dossiers = models.PositiveIntegerField(
        _("dossiers"), default=0, help_text=_("Dossiers submitted so far.")
    )
    reports = models.PositiveIntegerField(
        _("feedback reports"), default=0, help_text=_("Feedback reports submitted so far.")
    )

    class Meta:
        verbose_name = _("simulation run")
        verbose_name_plural = _("simulation runs")

    def __str__(self) -> str:
        return self.key
