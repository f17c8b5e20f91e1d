"""Officials, their appointments to posts, and how those end."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields as core_fields  # not `fields`: Appointment has a column of that name
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
    date_of_birth = core_fields.optional_date(_("date of birth"), _("Personal data."))
    gender = core_fields.choice(_("gender"), Gender, _("Personal data."), max_length=10, blank=True)
    civil_service_code = models.CharField(
        _("civil-service code"), max_length=20, unique=True, help_text=_("Mã số cán bộ, công chức.")
    )
    employer_unit_code = core_fields.gso_code(
        _("employer unit"),
        _("GSO code of the unit that employs the official (the district for ward civil servants)."),
        db_index=True,
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

    actor_official = core_fields.optional_protected_fk(Official, _("actor"), _("Official acting."))
    at = models.DateTimeField(_("at"), help_text=_("When."))

    class Meta:
        abstract = True
        # A timeline reads in the order things happened (the id breaks ties within a moment).
        ordering = ["at", "id"]


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

    official = core_fields.protected_fk(
        Official, _("official"), _("Who holds the post."), related_name="appointments"
    )
    unit_code = core_fields.gso_code(_("unit"), _("GSO code of the unit."), db_index=True)
    post = core_fields.choice(_("post"), PostKind, _("The post held."), max_length=40)
    kind = core_fields.choice(
        _("kind"),
        AppointmentKind,
        _("How the post was given."),
        max_length=20,
        default=AppointmentKind.APPOINTMENT,
    )
    deciding_official = core_fields.optional_protected_fk(
        Official,
        _("deciding official"),
        _("Who signed the decision (empty for elections)."),
        related_name="decisions",
    )
    deciding_unit_code = core_fields.gso_code(
        _("deciding unit"), _("Unit whose chairman or council decided.")
    )
    decision_number = models.CharField(
        _("decision number"), max_length=60, help_text=_("e.g. 123/QĐ-UBND.")
    )
    decision_date = models.DateField(_("decision date"), help_text=_("Date of the decision."))
    term_start = models.DateField(_("term start"), help_text=_("First day in post."))
    term_end = core_fields.optional_date(
        _("term end"), _("Last day of the term (inclusive); empty for open-ended posts.")
    )
    ended_on = core_fields.optional_date(
        _("ended on"), _("First day no longer in post, when ended early.")
    )
    end_reason = core_fields.choice(
        _("end reason"), EndReason, _("Why it ended."), max_length=20, blank=True
    )
    end_decision_number = core_fields.optional_text(
        _("end decision number"), 60, _("Decision that ended it.")
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
            core_fields.not_before(
                "term_end", "term_start", "appointment_term_range", optional=True
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
