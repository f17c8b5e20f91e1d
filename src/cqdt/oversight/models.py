"""The district council's oversight of the wards, and the ward's own duties towards residents.

Under Hanoi's pilot (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP; DOMAIN §1) the wards have no
People's Council: the district People's Council supervises the ward People's Committee and its
chairman; its deputies meet voters in the wards, carry their petitions and question the ward
chairman; the chairman holds dialogue conferences with residents and receives citizens.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields
from cqdt.core.models import BaseModel, PublicModel, Versioned, demo_flag
from cqdt.oversight import rules
from cqdt.staff.models import Official


class RuleKey(models.TextChoices):
    CONFERENCE_NOTICE_DAYS = rules.CONFERENCE_NOTICE_DAYS, _("Số ngày thông báo trước hội nghị")
    CONFERENCES_PER_YEAR = rules.CONFERENCES_PER_YEAR, _("Số hội nghị đối thoại tối thiểu/năm")
    CONFERENCE_REQUIRED_CHANNELS = (
        rules.CONFERENCE_REQUIRED_CHANNELS,
        _("Kênh thông báo bắt buộc"),
    )
    PETITION_ANSWER_DAYS = rules.PETITION_ANSWER_DAYS, _("Thời hạn trả lời kiến nghị (ngày)")
    RECEPTION_DAYS_PER_WEEK = rules.RECEPTION_DAYS_PER_WEEK, _("Số ngày tiếp công dân/tuần")


class OversightRecord(PublicModel):
    """What every oversight record has: a public id, and whether it is generated demo activity
    (shown labelled, never as real)."""

    is_demo = demo_flag(_("Generated demo activity."))

    class Meta:
        abstract = True


class OversightRule(BaseModel):
    """One value of an oversight rule over a period — quy định về giám sát, đối thoại, tiếp dân.

    The law's numbers (7 days' notice, 2 conferences a year) and the configured ones (30 days to
    answer a petition, one reception day a week) are rows an administrator edits, each with its
    source; ``valid_to`` is exclusive. The pure arithmetic is in ``oversight.rules``.
    """

    key = fields.choice(_("rule"), RuleKey, _("Which rule."), max_length=40)
    value = models.JSONField(
        _("value"), help_text=_("A whole number, or a list of channel codes for channel rules.")
    )
    valid_from = fields.effective_from(_("First day the value applies."))
    valid_to = fields.effective_to(_("First day it no longer applies; empty: until changed."))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Legal provision or decision, marked [V] verified or [C] configured."),
    )

    class Meta:
        verbose_name = _("oversight rule")
        verbose_name_plural = _("oversight rules")
        ordering = ["key", "valid_from"]
        constraints = [
            fields.effective_key("key", "oversight_rule_key_from"),
            fields.effective_range("oversight_rule_valid_range"),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value} [{self.valid_from}, {self.valid_to})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        problem = rules.value_problem(self.key, self.value)
        if problem:
            raise ValidationError({"value": problem})


class Council(OversightRecord):
    """A district People's Council for one term — Hội đồng nhân dân quận (nhiệm kỳ).

    Under the pilot it supervises the ward committees of its district (the governance model's
    ``supervisor`` answer). ``term_end`` is the term's last day (inclusive).
    """

    unit_code = fields.gso_code(_("unit"), _("GSO code of the district or town."), db_index=True)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("e.g. HĐND quận Ba Đình, nhiệm kỳ 2021–2026.")
    )
    term_start = models.DateField(_("term start"), help_text=_("First day of the term."))
    term_end = models.DateField(_("term end"), help_text=_("Last day of the term (inclusive)."))

    class Meta:
        verbose_name = _("People's Council")
        verbose_name_plural = _("People's Councils")
        ordering = ["unit_code", "term_start"]
        constraints = [
            models.UniqueConstraint(fields=["unit_code", "term_start"], name="council_unit_term"),
            fields.not_before("term_end", "term_start", "council_term_range", strictly=True),
        ]

    def __str__(self) -> str:
        return self.name


class Deputy(OversightRecord):
    """A deputy of a district council — đại biểu HĐND quận — with the wards of the constituency.

    ``official`` links a deputy who also has a login (through an official); a deputy without one
    is still recorded by name. ``term_end`` is inclusive; empty means the council's term end.
    """

    council = fields.protected_fk(
        Council, _("council"), _("The council and term."), related_name="deputies"
    )
    official = fields.optional_protected_fk(
        Official,
        _("official"),
        _("The deputy's official record, when the deputy has a login."),
        related_name="deputy_seats",
    )
    full_name = models.CharField(
        _("full name"), max_length=120, help_text=_("As elected (public).")
    )
    constituency = models.JSONField(
        _("constituency"),
        default=list,
        help_text=_("GSO codes of the wards of the deputy's constituency (đơn vị bầu cử)."),
    )
    term_start = models.DateField(
        _("term start"), help_text=_("First day as deputy (the council's term start, or later).")
    )
    term_end = fields.optional_date(
        _("term end"), _("Last day as deputy (inclusive); empty: to the end of the council's term.")
    )

    class Meta:
        verbose_name = _("council deputy")
        verbose_name_plural = _("council deputies")
        ordering = ["council", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "official"],
                condition=Q(official__isnull=False),
                name="deputy_once_per_council",
            ),
            fields.not_before("term_end", "term_start", "deputy_term_range", optional=True),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.council})"


class VoterMeeting(OversightRecord):
    """A deputies' meeting with the voters of a ward — tiếp xúc cử tri."""

    council = fields.protected_fk(
        Council,
        _("council"),
        _("The council whose deputies met the voters."),
        related_name="meetings",
    )
    ward_code = fields.gso_code(_("ward"), _("GSO code of the ward."), db_index=True)
    held_at = models.DateTimeField(_("held at"), help_text=_("When the meeting took place."))
    location = models.CharField(_("location"), max_length=300, help_text=_("Where it was held."))
    deputies = models.ManyToManyField(
        Deputy,
        verbose_name=_("deputies"),
        related_name="meetings",
        help_text=_("The deputies who met the voters."),
    )
    attendees = models.PositiveIntegerField(
        _("attendees"),
        null=True,
        blank=True,
        help_text=_("Number of voters present; empty: not recorded (never 0 by default)."),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=4000, help_text=_("Summary."))
    recorded_by = fields.protected_fk(
        Official, _("recorded by"), _("The deputy who recorded the meeting.")
    )

    class Meta:
        verbose_name = _("voter-contact meeting")
        verbose_name_plural = _("voter-contact meetings")
        ordering = ["-held_at"]
        indexes = [models.Index(fields=["ward_code", "held_at"], name="meeting_ward_held_idx")]

    def __str__(self) -> str:
        return f"{self.ward_code} {self.held_at:%Y-%m-%d}"


class RoutedLevel(models.TextChoices):
    """The committee that answers a petition, by its level. ``city``: the province or
    centrally-run city's committee, the level above a commune or ward under two-level local
    government from 1 July 2025 (Law 72/2025/QH15); ``district`` only before. A page names the
    committee itself ("UBND xã Sóc Sơn", "UBND thành phố Hà Nội") from ``routed_unit_code``."""

    WARD = "ward", _("UBND phường, xã")
    DISTRICT = "district", _("UBND quận")
    CITY = "city", _("UBND thành phố/tỉnh")


class PetitionStatus(models.TextChoices):
    RECEIVED = rules.RECEIVED, _("Đã tiếp nhận, chờ trả lời")
    ANSWERED = rules.ANSWERED, _("Đã trả lời")
    ESCALATED = rules.ESCALATED, _("Quá hạn, đã chuyển cấp trên")
    CLOSED = rules.CLOSED, _("Đã kết thúc")


class Petition(Versioned, OversightRecord):
    """A voter petition raised at a voter-contact meeting — kiến nghị cử tri.

    Routed to the ward's committee, or the one above it (the district's under the pilot, the
    city's from 1 July 2025), with a last day to answer; overdue is derived
    from ``answer_due``; an unanswered one past its day is escalated to the next committee up;
    ``version`` guards against lost updates.
    """

    meeting = fields.protected_fk(
        VoterMeeting,
        _("meeting"),
        _("The meeting where voters raised it."),
        related_name="petitions",
    )
    ward_code = fields.gso_code(_("ward"), _("GSO code of the ward concerned."), db_index=True)
    content = models.TextField(_("content"), max_length=4000, help_text=_("What voters asked."))
    routed_level = fields.choice(
        _("routed to"),
        RoutedLevel,
        _("The ward's committee, or the district's (to 30 June 2025) or the city's above it."),
        max_length=10,
    )
    routed_unit_code = fields.gso_code(
        _("routed unit"), _("GSO code of the answering unit."), db_index=True
    )
    received_on = models.DateField(_("received on"), help_text=_("Day the petition was raised."))
    answer_due = models.DateField(_("answer due"), help_text=_("Last day to answer."))
    status = fields.choice(
        _("status"),
        PetitionStatus,
        _("Current state."),
        max_length=12,
        default=PetitionStatus.RECEIVED,
    )
    answer = models.TextField(
        _("answer"), blank=True, max_length=4000, help_text=_("The committee's answer.")
    )
    answered_at = fields.optional_moment(_("answered at"), _("When answered."))
    answered_by = fields.optional_protected_fk(
        Official, _("answered by"), _("The chairman (or the holder of his authority) who answered.")
    )
    answer_basis = models.JSONField(
        _("answer basis"),
        null=True,
        blank=True,
        help_text=_("The authority resolver's basis for the answerer."),
    )
    council_follow_up = models.TextField(
        _("council follow-up"),
        blank=True,
        max_length=8000,
        help_text=_("The deputies' follow-up notes, dated, newest last."),
    )
    escalated_at = fields.optional_moment(_("escalated at"), _("When escalated."))
    escalated_to_unit_code = fields.gso_code(
        _("escalated to"), _("GSO code of the unit above."), blank=True
    )
    closed_at = fields.optional_moment(_("closed at"), _("When the council closed it."))

    class Meta:
        verbose_name = _("voter petition")
        verbose_name_plural = _("voter petitions")
        ordering = ["answer_due", "id"]
        indexes = [
            models.Index(fields=["ward_code", "status", "answer_due"], name="petition_ward_idx"),
            models.Index(
                fields=["answer_due"],
                name="petition_open_due_idx",
                condition=Q(status=rules.RECEIVED),
            ),
        ]
        constraints = [
            fields.not_before("answer_due", "received_on", "petition_due_after_receipt"),
        ]

    def __str__(self) -> str:
        return f"{self.ward_code} {self.received_on} {self.status}"


class Question(OversightRecord):
    """A deputy's question to the ward chairman at a council session — chất vấn."""

    council = fields.protected_fk(
        Council, _("council"), _("The council in session."), related_name="questions"
    )
    session_date = models.DateField(_("session date"), help_text=_("Day of the council session."))
    deputy = fields.protected_fk(Deputy, _("deputy"), _("Who asked."), related_name="questions")
    ward_code = fields.gso_code(_("ward"), _("GSO code of the ward questioned."), db_index=True)
    addressed_to = fields.protected_fk(
        Official, _("addressed to"), _("The ward chairman questioned.")
    )
    question = models.TextField(_("question"), max_length=4000, help_text=_("What was asked."))
    answer = models.TextField(_("answer"), blank=True, max_length=8000, help_text=_("The reply."))
    answered_at = fields.optional_moment(_("answered at"), _("When answered."))
    answered_by = fields.optional_protected_fk(
        Official, _("answered by"), _("Who answered (the chairman in post then).")
    )

    class Meta:
        verbose_name = _("questioning")
        verbose_name_plural = _("questionings")
        ordering = ["-session_date", "id"]
        indexes = [
            models.Index(fields=["council", "session_date"], name="question_session_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ward_code} {self.session_date}"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class Commitment(Versioned, OversightRecord):
    """What the chairman promised in answer to a question — cam kết sau chất vấn.

    Tracked to its due date; overdue is derived (open and past ``due_date``).
    """

    question = fields.protected_fk(
        Question, _("question"), _("The question answered."), related_name="commitments"
    )
    text = models.TextField(_("commitment"), max_length=2000, help_text=_("What was promised."))
    due_date = models.DateField(_("due date"), help_text=_("Promised by this day."))
    status = fields.choice(
        _("status"),
        CommitmentStatus,
        _("Open or done."),
        max_length=8,
        default=CommitmentStatus.OPEN,
    )
    done_at = fields.optional_moment(_("done at"), _("When reported done."))
    progress_note = models.TextField(
        _("progress"), blank=True, max_length=4000, help_text=_("Latest progress report.")
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.question_id} {self.due_date} {self.status}"


class ConferenceStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Đã thông báo")
    HELD = "held", _("Đã tổ chức")
    CANCELLED = "cancelled", _("Đã hủy")


class DialogueConference(Versioned, OversightRecord):
    """The ward chairman's dialogue conference with residents — hội nghị đối thoại với Nhân dân.

    At least two a year, announced at least seven days ahead (Decree 32/2021/NĐ-CP; the numbers
    are ``OversightRule`` rows). A large ward may hold it through residential-group
    representatives (``via_representatives``).
    """

    ward_code = fields.gso_code(_("ward"), _("GSO code of the ward."), db_index=True)
    scheduled_at = models.DateTimeField(_("scheduled at"), help_text=_("Announced date and time."))
    announced_at = models.DateTimeField(_("announced at"), help_text=_("When it was announced."))
    announcement_channels = models.JSONField(
        _("announcement channels"),
        default=list,
        help_text=_('How residents were told, e.g. ["residential_group_heads", "website"].'),
    )
    via_representatives = models.BooleanField(
        _("through representatives"),
        default=False,
        help_text=_("Held with residential-group representatives rather than all residents."),
    )
    location = fields.optional_text(_("location"), 300, _("Where it is held."))
    topic = models.CharField(_("topic"), max_length=500, help_text=_("What it is about."))
    status = fields.choice(
        _("status"),
        ConferenceStatus,
        _("Announced, held or cancelled."),
        max_length=10,
        default=ConferenceStatus.ANNOUNCED,
    )
    held_at = fields.optional_moment(_("held at"), _("When it actually took place."))
    attendees = models.PositiveIntegerField(
        _("attendees"),
        null=True,
        blank=True,
        help_text=_("Residents or representatives present; empty until it is held."),
    )
    minutes = models.TextField(
        _("minutes"), blank=True, max_length=20000, help_text=_("Record of the dialogue.")
    )
    cancel_reason = fields.optional_text(_("cancellation reason"), 500, _("Why it was cancelled."))
    announced_by = fields.protected_fk(
        Official, _("announced by"), _("The ward leader who announced it.")
    )

    class Meta:
        verbose_name = _("dialogue conference")
        verbose_name_plural = _("dialogue conferences")
        ordering = ["scheduled_at"]
        indexes = [
            models.Index(fields=["ward_code", "scheduled_at"], name="conference_ward_idx"),
        ]
        constraints = [
            fields.not_before(
                "scheduled_at", "announced_at", "conference_after_announcement", strictly=True
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward_code} {self.scheduled_at:%Y-%m-%d} {self.status}"


class CitizenReception(OversightRecord):
    """A day on which a ward leader received citizens — tiếp công dân (the reception log)."""

    ward_code = fields.gso_code(_("ward"), _("GSO code of the ward."), db_index=True)
    date = models.DateField(_("date"), help_text=_("Day of the reception."))
    official = fields.protected_fk(
        Official, _("official"), _("The chairman (or vice-chairman) who received citizens.")
    )
    citizens_received = models.PositiveIntegerField(
        _("citizens received"), default=0, help_text=_("Number of citizens received (lượt).")
    )
    matters = models.PositiveIntegerField(
        _("matters"), default=0, help_text=_("Number of matters raised (vụ việc).")
    )
    summary = models.TextField(
        _("summary"), blank=True, max_length=4000, help_text=_("What was raised and done.")
    )

    class Meta:
        verbose_name = _("citizen reception")
        verbose_name_plural = _("citizen receptions")
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward_code", "date", "official"], name="reception_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward_code} {self.date}"
