"""One-stop-shop dossiers — hồ sơ thủ tục hành chính — and what happens to them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel, Versioned, demo_flag
from cqdt.dossiers import workflow
from cqdt.procedures.models import Procedure
from cqdt.staff.models import ActedEntry, Official


class Desk(BaseModel):
    """A unit's one-stop desk — bộ phận một cửa — with its agency identifier for dossier codes.

    The identifier follows QCVN 102:2016/BTTTT (Circular 10/2016/TT-BTTTT, amended by Circular
    01/2022/TT-BTTTT); Hanoi's prefix is H26 [C]. ``identifier_is_official`` is False while the
    identifier is a provisional value derived from the GSO code rather than the issued one.
    """

    unit_code = fields.gso_code(_("unit"), _("GSO code of the unit."), db_index=True)
    valid_from = fields.effective_from(
        _("First day the desk takes dossiers; empty: since before records."), optional=True
    )
    valid_to = fields.effective_to(
        _("First day it no longer takes dossiers (its unit ended or was rearranged).")
    )
    agency_identifier = models.CharField(
        _("agency identifier"),
        max_length=40,
        unique=True,
        help_text=_("Prefix of dossier codes, e.g. H26.xx.yy."),
    )
    identifier_is_official = models.BooleanField(
        _("identifier is official"),
        default=False,
        help_text=_("False for a provisional identifier."),
    )
    heading = models.CharField(
        _("heading"), max_length=200, help_text=_("Agency name printed on forms.")
    )
    address = fields.optional_text(_("address"), 300, _("Desk address."))
    phone = fields.optional_text(_("phone"), 30, _("Desk phone."))

    class Meta:
        verbose_name = _("one-stop desk")
        verbose_name_plural = _("one-stop desks")
        constraints = [
            models.UniqueConstraint(
                fields=["unit_code"], condition=Q(valid_to__isnull=True), name="desk_one_open"
            ),
            fields.effective_key("unit_code", "desk_unit_from"),
        ]

    def __str__(self) -> str:
        return self.agency_identifier


class AgencyDayCounter(models.Model):
    """A number an agency counts up through one day: one row per agency and day, with the
    ``day`` and ``last_value`` columns ``core.lookup.next_in_day`` increments in one statement,
    the row locked until the intake's transaction ends."""

    agency_identifier = models.CharField(
        _("agency identifier"), max_length=40, help_text=_("Agency.")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.agency_identifier} {self.day} {self.last_value}"  # type: ignore[attr-defined]


def _one_per_agency_day(name: str) -> models.UniqueConstraint:
    """The one row of an :class:`AgencyDayCounter` per agency and day: the conflict target of
    ``next_in_day``'s ``INSERT … ON CONFLICT``, which adds the row or counts up the one there."""
    return models.UniqueConstraint(fields=["agency_identifier", "day"], name=name)


class DailySequence(AgencyDayCounter):
    """The last dossier number issued by an agency on a day (the XXXX of the code)."""

    day = models.DateField(_("day"), help_text=_("Receipt day (local)."))
    last_value = models.PositiveIntegerField(
        _("last value"), default=0, help_text=_("Last number issued.")
    )

    class Meta:
        verbose_name = _("daily sequence")
        verbose_name_plural = _("daily sequences")
        constraints = [_one_per_agency_day("daily_sequence_uniq")]


class OnlineIntakeCount(AgencyDayCounter):
    """How many online submissions an agency took on a day: the public's share of the day's
    numbers is capped so that the counter desk can never be blocked (issue 10, item 5)."""

    day = models.DateField(_("day"), help_text=_("Submission day (local)."))
    last_value = models.PositiveIntegerField(
        _("online submissions"), default=0, help_text=_("Online submissions counted so far.")
    )

    class Meta:
        verbose_name = _("online intake count")
        verbose_name_plural = _("online intake counts")
        constraints = [_one_per_agency_day("online_intake_uniq")]


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class Status(models.TextChoices):
    SUBMITTED = workflow.SUBMITTED, _("Mới nộp, chờ tiếp nhận")
    INTAKE_SUPPLEMENT = workflow.INTAKE_SUPPLEMENT, _("Yêu cầu bổ sung khi tiếp nhận")
    REFUSED = workflow.REFUSED, _("Từ chối tiếp nhận")
    ACCEPTED = workflow.ACCEPTED, _("Đã tiếp nhận")
    ASSIGNED = workflow.ASSIGNED, _("Đã chuyển xử lý")
    PROCESSING = workflow.PROCESSING, _("Đang xử lý")
    SUPPLEMENT = workflow.SUPPLEMENT, _("Chờ bổ sung (tạm dừng tính thời hạn)")
    AWAITING_SIGNATURE = workflow.AWAITING_SIGNATURE, _("Chờ ký")
    SIGNED = workflow.SIGNED, _("Đã có kết quả")
    RETURNED = workflow.RETURNED, _("Đã trả kết quả")
    WITHDRAWN = workflow.WITHDRAWN, _("Đã rút hồ sơ")
    CANCELLED = workflow.CANCELLED, _("Đã hủy")


# The applicant's fields of a dossier, by their names on the model and on the intake forms.
APPLICANT_FIELD_NAMES = (
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "organisation_name",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)


class Dossier(Versioned, BaseModel):
    """A dossier: applicant, procedure, unit, times and state; ``version`` guards against races.

    Personal data (name, citizen ID, phone, email, address) is kept here and nowhere else, never
    logged, and masked for users without the right to see it.
    """

    public_id = fields.public_id(_("Internal public identifier."))
    # Unique by the constraint in Meta (no pattern index beside it: nothing searches codes by
    # prefix, and equality uses the constraint's index).
    code = models.CharField(_("code"), max_length=60, help_text=_("<agency>-YYMMDD-XXXX."))
    unit_code = fields.gso_code(_("unit"), _("Unit handling the dossier."))
    procedure = fields.protected_fk(
        Procedure,
        _("procedure"),
        _("Procedure applied for."),
        related_name="dossiers",
        db_index=False,  # no query selects dossiers by procedure (0015 §5: fewer indexes)
    )
    channel = fields.choice(_("channel"), Channel, _("How it came in."), max_length=10)
    status = fields.choice(
        _("status"), Status, _("Current state."), max_length=40, default=workflow.SUBMITTED
    )
    applicant_kind = fields.choice(
        _("applicant kind"), ApplicantKind, _("Person or organisation."), max_length=20
    )
    applicant_name = models.CharField(
        _("applicant name"), max_length=150, help_text=_("Personal data.")
    )
    applicant_id_number = fields.optional_text(
        _("citizen ID"), 12, _("12-digit citizen ID of the person (personal data).")
    )
    organisation_name = fields.optional_text(_("organisation"), 200, _("For organisations."))
    applicant_phone = fields.optional_text(_("phone"), 20, _("Personal data."))
    applicant_email = models.EmailField(
        _("email"), max_length=120, blank=True, help_text=_("Personal data.")
    )
    applicant_address = fields.optional_text(_("address"), 300, _("Personal data."))
    documents = models.JSONField(
        _("documents"), default=list, blank=True, help_text=_("Codes of papers received.")
    )
    note = fields.optional_text(_("note"), 1000, _("Applicant's request or note."))
    submitted_at = models.DateTimeField(_("submitted at"), help_text=_("When it was submitted."))
    valid_receipt_at = fields.optional_moment(
        _("valid receipt at"), _("When a complete, valid dossier was received.")
    )
    due_at = fields.optional_moment(_("due at"), _("Return due (moves on pauses)."))
    original_due_at = fields.optional_moment(
        _("original due at"), _("Due date fixed at acceptance, before any apology.")
    )
    returned_at = fields.optional_moment(_("returned at"), _("When returned."))
    closed_at = fields.optional_moment(_("closed at"), _("When it reached a final state."))
    # The desk officer and the signer are read with the dossier, never searched by (0015 §5:
    # fewer indexes).
    received_by = fields.optional_protected_fk(
        Official, _("received by"), _("Desk officer."), db_index=False
    )
    assigned_to = fields.optional_protected_fk(Official, _("assigned to"), _("Processing officer."))
    signed_by = fields.optional_protected_fk(Official, _("signed by"), _("Signer."), db_index=False)
    signed_at = fields.optional_moment(_("signed at"), _("When signed."))
    signature_basis = models.JSONField(
        _("signature basis"),
        null=True,
        blank=True,
        help_text=_("The authority resolver's basis and instrument."),
    )
    signature_block = fields.optional_text(
        _("signature block"), 200, _("As printed on the result.")
    )
    result_note = fields.optional_text(_("result note"), 1000, _("About the result."))
    paused_working_days = models.PositiveIntegerField(
        _("paused working days"), default=0, help_text=_("Working days the clock stood still.")
    )
    apology_count = models.PositiveSmallIntegerField(
        _("apologies"), default=0, help_text=_("Mẫu 04 issued.")
    )
    at_risk_since = fields.optional_moment(
        _("at risk since"), _("When flagged as one working day from due.")
    )
    lookup_secret_hash = models.CharField(
        _("lookup secret hash"),
        max_length=64,
        help_text=_("SHA-256 of the applicant's lookup secret."),
    )
    rating = fields.rating(_("rating"), _("1–5."))
    rating_comment = fields.optional_text(_("rating comment"), 1000, _("Comment."))
    rated_at = fields.optional_moment(_("rated at"), _("When rated."))
    is_demo = demo_flag(_("Generated demo activity."))

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["unit_code", "status", "due_at"], name="dossier_queue_idx"),
            # Open dossiers by due moment; on PostgreSQL it also carries unit and status, so the
            # dashboards' "overdue now" per ward is an index-only scan.
            models.Index(
                fields=["due_at"],
                include=["unit_code", "status"],
                name="dossier_open_due_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["unit_code", "submitted_at"], name="dossier_unit_submitted_idx"),
            # The staff queue (selectors.queue: by due moment, then code): its first page is the
            # first rows of this index instead of a sort of all the ward's dossiers (issue 17:
            # 0.7 s for a ward of 21,000 dossiers in the 1 M bench).
            models.Index(fields=["unit_code", "due_at", "code"], name="dossier_unit_due_idx"),
            # The monitoring refresh reads the dossiers changed since its watermark in
            # (updated_at, id) order (monitoring.rollups.refreshing._changed_rows): without this index every
            # refresh scanned and sorted the whole table (6–7 s at 10 M dossiers, issue 15 item 5).
            models.Index(fields=["updated_at", "id"], name="dossier_updated_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossiers_dossier_code_key"),
            fields.rating_range("rating", "dossier_rating_range"),
        ]

    def __str__(self) -> str:
        return self.code


class DossierEvent(ActedEntry):
    """The dossier's timeline: every move, with what the public may see of it."""

    dossier = fields.part_of(Dossier, _("dossier"), "events", _("The dossier."))
    action = models.CharField(_("action"), max_length=40, help_text=_("Move or event name."))
    from_status = fields.optional_text(_("from"), 40, _("State before."))
    to_status = fields.optional_text(_("to"), 40, _("State after."))
    actor_role = fields.optional_text(
        _("actor role"), 60, _("Public description of who acted (no names).")
    )
    public_note = fields.optional_text(_("public note"), 1000, _("What the applicant is told."))
    data = models.JSONField(_("data"), default=dict, blank=True, help_text=_("Details for staff."))

    class Meta(ActedEntry.Meta):
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action}"


class SupplementPause(models.Model):
    """A stop of the clock while the applicant supplements (each pause is logged, DOMAIN §3)."""

    dossier = fields.part_of(Dossier, _("dossier"), "pauses", _("The dossier."))
    requested_at = models.DateTimeField(_("requested at"), help_text=_("Clock stopped."))
    reason = models.CharField(
        _("reason"), max_length=1000, help_text=_("What is missing (Mẫu 02).")
    )
    missing_documents = models.JSONField(
        _("missing documents"), default=list, blank=True, help_text=_("Codes.")
    )
    at_intake = models.BooleanField(
        _("at intake"), default=False, help_text=_("Before acceptance (no clock).")
    )
    resumed_at = fields.optional_moment(_("resumed at"), _("Clock restarted."))
    paused_working_days = models.PositiveIntegerField(
        _("paused working days"), default=0, help_text=_("Working days added to the due date.")
    )
    paused_office_minutes = models.PositiveIntegerField(
        _("paused office minutes"), default=0, help_text=_("Office minutes the clock stood still.")
    )

    class Meta:
        verbose_name = _("supplement pause")
        verbose_name_plural = _("supplement pauses")
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.requested_at}"


class Apology(models.Model):
    """An apology with a new return date — Mẫu 04 — issued before the due date passes."""

    dossier = fields.part_of(Dossier, _("dossier"), "apologies", _("The dossier."))
    issued_at = models.DateTimeField(_("issued at"), help_text=_("When issued."))
    issued_by = fields.protected_fk(Official, _("issued by"), _("Processing officer or chairman."))
    reason = models.CharField(_("reason"), max_length=1000, help_text=_("Why it will be late."))
    old_due_at = models.DateTimeField(_("old due"), help_text=_("Due before."))
    new_due_at = models.DateTimeField(_("new due"), help_text=_("New return date."))
    approved_by_chairman = models.BooleanField(
        _("approved by the chairman"),
        default=False,
        help_text=_(
            "A second change of date made by the chairman before the date could be moved only "
            "once (decision 0023); no longer set."
        ),
    )

    class Meta:
        verbose_name = _("apology (form 04)")
        verbose_name_plural = _("apologies (form 04)")
        ordering = ["issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.new_due_at}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    return f"dossiers/attachments/{instance.public_id}"


class Attachment(models.Model):
    """A file given for one paper of a dossier (tệp đính kèm), online or at the counter.

    Checked before it is stored (``dossiers.attachments``: type from the content, bytes, pages,
    pixels, images re-encoded without metadata, the optional malware scan) and stored through
    Django's storage API; served only to staff in scope and to the applicant with the code and
    the secret, each access audited.
    """

    public_id = fields.public_id(_("Public id."))
    dossier = fields.protected_fk(
        Dossier, _("dossier"), _("The dossier the file belongs to."), related_name="attachments"
    )
    document_code = models.CharField(
        _("document code"), max_length=60, help_text=_("The procedure's paper this file is.")
    )
    file = models.FileField(
        _("file"), upload_to=_attachment_path, max_length=200, help_text=_("The stored file.")
    )
    original_name = models.CharField(
        _("original name"), max_length=200, help_text=_("The file's name as uploaded.")
    )
    content_type = models.CharField(
        _("content type"), max_length=40, help_text=_("Sniffed from the content.")
    )
    size = models.PositiveIntegerField(_("size"), help_text=_("Bytes stored."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Hash of the stored bytes."))
    pages = models.PositiveIntegerField(
        _("pages"), null=True, blank=True, help_text=_("Pages of a PDF.")
    )
    scan = models.CharField(
        _("malware scan"), max_length=10, help_text=_("clean, or skipped when not configured.")
    )
    stage = models.CharField(
        _("stage"), max_length=20, help_text=_("intake or supplement: when it was given.")
    )
    uploaded_at = models.DateTimeField(
        _("uploaded at"), auto_now_add=True, help_text=_("When it was stored.")
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["dossier", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.document_code} {self.original_name}"


class DueRecompute(models.Model):
    """Progress of moving open dossiers' due dates after one calendar notice (resumable).

    ``last_id``: every dossier up to it is done; a batch commits its dossiers, their timeline
    events, its audit event and this row together, so a stopped run resumes after ``last_id``
    (docs/decisions/0015 §5).
    """

    change = models.OneToOneField(
        "workdays.CalendarChange",
        verbose_name=_("calendar change"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The notice's change to the calendar."),
    )
    last_id = models.BigIntegerField(
        _("last dossier id"), default=0, help_text=_("Dossiers up to this id are done.")
    )
    moved = models.PositiveIntegerField(
        _("moved"), default=0, help_text=_("Dossiers whose due date moved.")
    )
    batches = models.PositiveIntegerField(_("batches"), default=0, help_text=_("Batches done."))
    longest_batch_ms = models.PositiveIntegerField(
        _("longest batch (ms)"), default=0, help_text=_("Longest batch transaction.")
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True, help_text=_("Start."))
    finished_at = fields.optional_moment(_("finished at"), _("When every dossier was done."))

    class Meta:
        verbose_name = _("due-date recompute")
        verbose_name_plural = _("due-date recomputes")

    def __str__(self) -> str:
        return f"{self.change_id} {self.last_id}"
