"""Officials, their appointments to posts, and how those end."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt.core.models import PublicModel
from cqdt.staff import posts


class Gender(models.TextChoices):
    FEMALE = "female", _("Nữ")
    MALE = "male", _("Nam")
    OTHER = "other", _("Khác")


class Official(PublicModel):
    """A cadre or civil servant — cán bộ, công chức. Name and birth date are personal data.

    Ward civil servants are district staff (Decree 32/2021/NĐ-CP): ``employer_unit_code`` is the
    district that recruits and manages them; their ward posts are appointments.
    """

    full_name = models.CharField(_("full name"), max_length=120, help_text=_("Personal data."))
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, help_text=_("Personal data.")
    )
    gender = models.CharField(
        _("gender"),
        max_length=10,
        choices=Gender.choices,
        blank=True,
        help_text=_("Personal data."),
    )
    civil_service_code = models.CharField(
        _("civil-service code"), max_length=20, unique=True, help_text=_("Mã số cán bộ, công chức.")
    )
    employer_unit_code = models.CharField(
        _("employer unit"),
        max_length=8,
        db_index=True,
        help_text=_(
            "GSO code of the unit that employs the official (the district for ward civil servants)."
        ),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official",
        help_text=_("The login of this official, if any."),
    )

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.civil_service_code}"


class ActedEntry(models.Model):
    """A step of a case's timeline — a dossier's (Decree 61/2018/NĐ-CP art. 29: the applicant is told
    each step of the handling) or a report's: when it happened and which official acted, empty when
    the applicant, the reporter or the system did."""

    actor_official = models.ForeignKey(
        Official,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Official acting."),
    )
    at = models.DateTimeField(_("at"), help_text=_("When."))

    class Meta:
        abstract = True


class PostKind(models.TextChoices):
    CHAIRMAN = posts.CHAIRMAN, _("Chủ tịch")
    VICE_CHAIRMAN = posts.VICE_CHAIRMAN, _("Phó Chủ tịch")
    POLICE_CHIEF = posts.POLICE_CHIEF, _("Trưởng Công an")
    MILITARY_COMMANDER = posts.MILITARY_COMMANDER, _("Chỉ huy trưởng Quân sự")
    OFFICE_STATISTICS = posts.OFFICE_STATISTICS, _("Văn phòng - Thống kê")
    LAND_CONSTRUCTION = posts.LAND_CONSTRUCTION, _("Địa chính - Xây dựng - Đô thị và Môi trường")
    FINANCE_ACCOUNTING = posts.FINANCE_ACCOUNTING, _("Tài chính - Kế toán")
    JUSTICE_CIVIL_STATUS = posts.JUSTICE_CIVIL_STATUS, _("Tư pháp - Hộ tịch")
    CULTURE_SOCIETY = posts.CULTURE_SOCIETY, _("Văn hóa - Xã hội")
    ONE_STOP_DESK = posts.ONE_STOP_DESK, _("Bộ phận một cửa")
    DISTRICT_STAFF = posts.DISTRICT_STAFF, _("Cán bộ, công chức cấp huyện")
    COUNCIL_DEPUTY = posts.COUNCIL_DEPUTY, _("Đại biểu HĐND")
    CITY_MONITOR = posts.CITY_MONITOR, _("Theo dõi của Thành phố")


class AppointmentKind(models.TextChoices):
    APPOINTMENT = "appointment", _("Bổ nhiệm")
    ELECTION = posts.ELECTION, _("Bầu")
    ASSIGNMENT = "assignment", _("Bố trí công chức")
    ACTING = posts.ACTING, _("Giao quyền")


class EndReason(models.TextChoices):
    DISMISSAL = "dismissal", _("Miễn nhiệm")
    TRANSFER = "transfer", _("Điều động")
    ROTATION = "rotation", _("Luân chuyển")
    SECONDMENT = "secondment", _("Biệt phái")
    SUSPENSION = "suspension", _("Tạm đình chỉ")
    TERM_EXPIRY = "term_expiry", _("Hết nhiệm kỳ")
    RESIGNATION = "resignation", _("Thôi việc, nghỉ hưu")
    ACTING_ENDED = "acting_ended", _("Chấm dứt giao quyền")
    UNIT_REORGANISED = "unit_reorganised", _("Sắp xếp đơn vị hành chính")


class Appointment(PublicModel):
    """An official holding a post in a unit over a term — bổ nhiệm / bố trí / giao quyền.

    ``kind=acting`` is the district chairman's assignment of a vacant chairman's authority
    (giao quyền); its holder signs "Q. CHỦ TỊCH". ``term_end`` is inclusive; ``ended_on`` is the
    first day the appointment no longer applies when it ends early.
    """

    official = models.ForeignKey(
        Official,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="appointments",
        help_text=_("Who holds the post."),
    )
    unit_code = models.CharField(
        _("unit"), max_length=8, db_index=True, help_text=_("GSO code of the unit.")
    )
    post = models.CharField(
        _("post"), max_length=40, choices=PostKind.choices, help_text=_("The post held.")
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=AppointmentKind.choices,
        default=AppointmentKind.APPOINTMENT,
        help_text=_("How the post was given."),
    )
    deciding_official = models.ForeignKey(
        Official,
        verbose_name=_("deciding official"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text=_("Who signed the decision (empty for elections)."),
    )
    deciding_unit_code = models.CharField(
        _("deciding unit"), max_length=8, help_text=_("Unit whose chairman or council decided.")
    )
    decision_number = models.CharField(
        _("decision number"), max_length=60, help_text=_("e.g. 123/QĐ-UBND.")
    )
    decision_date = models.DateField(_("decision date"), help_text=_("Date of the decision."))
    term_start = models.DateField(_("term start"), help_text=_("First day in post."))
    term_end = models.DateField(
        _("term end"),
        null=True,
        blank=True,
        help_text=_("Last day of the term (inclusive); empty for open-ended posts."),
    )
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("First day no longer in post, when ended early."),
    )
    end_reason = models.CharField(
        _("end reason"),
        max_length=20,
        choices=EndReason.choices,
        blank=True,
        help_text=_("Why it ended."),
    )
    end_decision_number = models.CharField(
        _("end decision number"), max_length=60, blank=True, help_text=_("Decision that ended it.")
    )
    fields = models.JSONField(
        _("fields"),
        default=list,
        blank=True,
        help_text=_("Fields of work of a civil-servant post (e.g. civil_status)."),
    )

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["unit_code", "post", "term_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="appointment_term_range",
            ),
            models.UniqueConstraint(
                fields=["official", "unit_code", "post", "term_start"],
                name="appointment_once_per_start",
            ),
        ]
        indexes = [
            models.Index(fields=["unit_code", "post", "term_start"], name="appt_unit_post_idx")
        ]

    def __str__(self) -> str:
        return f"{self.official} {self.post}@{self.unit_code} {self.term_start}"
