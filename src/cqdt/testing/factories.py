"""factory_boy factories for the test-data kit, every one of them through the services.

``OfficialFactory`` calls ``official_create`` and ``AppointmentFactory`` calls
``appointment_create``, so the governance rules (who may appoint whom, how many vice-chairmen,
terms of office; Resolution 97/2019/QH14, Decree 32/2021/NĐ-CP) run on test data as they run
on real data. ``ProcedureFactory`` writes the catalog row directly (the catalog has no service:
it is reference data). ``DossierFactory`` takes a dossier in at a ward's desk through
``dossier_submit`` and drives it along the main path with the services; its ``overdue`` trait
receives it far enough before ``now`` that its due date has passed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from cqdt.core.audit import Actor
from cqdt.procedures.models import Procedure
from cqdt.procedures.services import search_text_for
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, Official
from cqdt.staff.services import appointment_create, official_create

SYSTEM = Actor.system("test")
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TERM = dt.date(2021, 7, 1)  # the pilot's first day (Resolution 97/2019/QH14); terms run 5 years
DISTRICT = "001"  # Quận Ba Đình
WARD = "00001"  # Phường Phúc Xá, Quận Ba Đình
MARITAL = "xac-nhan-tinh-trang-hon-nhan"
COPY = "chung-thuc-ban-sao"
MARRIAGE = "dang-ky-ket-hon"


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment on ``day`` in Hanoi time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


class UserFactory(DjangoModelFactory):
    """A login (password ``x``); ``OfficialFactory(login=...)`` links one to an official."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.django.Password("x")


class OfficialFactory(DjangoModelFactory):
    """An official employed by a unit (a district by default), made by ``official_create``.

    ``login="name"`` also creates the user ``name`` and links it to the official.
    """

    class Meta:
        model = Official
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Cán bộ thử nghiệm {n}")
    civil_service_code = factory.Sequence(lambda n: f"TK{n:06d}")
    employer_unit_code = DISTRICT

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Official:
        return official_create(actor=SYSTEM, **kwargs)

    @factory.post_generation
    def login(obj: Official, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if create and extracted:
            obj.user = UserFactory(username=extracted, **kwargs)
            obj.save(update_fields=["user"])


class AppointmentFactory(DjangoModelFactory):
    """An appointment to a post of a unit, made by ``appointment_create``.

    By default the chairman of ``deciding_unit_code`` (pass him as ``deciding_official``)
    appoints a new district employee to a ward post from the pilot's first day. Traits:
    ``elected`` (elected by the unit's own council: no deciding official), ``assignment`` (an
    assignment rather than an appointment), ``one_stop`` (the one-stop desk duty, an assignment).
    """

    class Meta:
        model = Appointment

    class Params:
        elected = factory.Trait(
            kind=AppointmentKind.ELECTION,
            deciding_official=None,
            deciding_unit_code=factory.SelfAttribute("unit_code"),
            decision_number=factory.Sequence(lambda n: f"{n}/NQ-HĐND"),
        )
        assignment = factory.Trait(kind=AppointmentKind.ASSIGNMENT)
        one_stop = factory.Trait(post=posts.ONE_STOP_DESK, kind=AppointmentKind.ASSIGNMENT)

    official = factory.SubFactory(
        OfficialFactory, employer_unit_code=factory.SelfAttribute("..deciding_unit_code")
    )
    unit_code = WARD
    post = posts.CHAIRMAN
    kind = AppointmentKind.APPOINTMENT
    decision_number = factory.Sequence(lambda n: f"TK{n}/QĐ-UBND")
    term_start = TERM
    decision_date = factory.SelfAttribute("term_start")
    deciding_official = None
    deciding_unit_code = DISTRICT

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Appointment:
        return appointment_create(actor=SYSTEM, **kwargs)


# The kit's procedures: slug -> (name, field, time kind, time value, act to sign, papers as
# (code, name, required)). Unverified test times, said as such by ``verified=False``.
PROCEDURES: dict[str, tuple[str, str, str, int, str, list[tuple[str, str, bool]]]] = {
    MARITAL: (
        "Xác nhận tình trạng hôn nhân",
        "civil_status",
        "working_days",
        3,
        "register_civil_status",
        [("to_khai", "Tờ khai", True), ("giay_to_khac", "Giấy tờ khác", False)],
    ),
    COPY: (
        "Chứng thực bản sao từ bản chính",
        "certification",
        "same_day",
        0,
        "certify_copy",
        [("ban_chinh", "Bản chính", True)],
    ),
    MARRIAGE: (
        "Đăng ký kết hôn",
        "civil_status",
        "working_days",
        5,
        "register_civil_status",
        [
            ("to_khai", "Tờ khai đăng ký kết hôn", True),
            ("xac_nhan_hon_nhan", "Giấy xác nhận tình trạng hôn nhân", True),
        ],
    ),
}


def _procedure_trait(slug: str) -> factory.Trait:
    name, field, time_kind, time_value, sign_act, papers = PROCEDURES[slug]
    return factory.Trait(
        slug=slug,
        name=name,
        field=field,
        time_kind=time_kind,
        time_value=time_value,
        sign_act=sign_act,
        required_documents=[{"code": c, "name": n, "required": r} for c, n, r in papers],
    )


class ProcedureFactory(DjangoModelFactory):
    """A commune-level procedure of the catalog (unverified test times, said as such).

    Traits give the three procedures the tests and the bench use: ``marital`` (confirmation of
    marital status, 3 working days), ``copy`` (certified copy, same day), ``marriage``
    (marriage registration, 5 working days).
    """

    class Meta:
        model = Procedure
        django_get_or_create = ("slug",)

    class Params:
        marital = _procedure_trait(MARITAL)
        copy = _procedure_trait(COPY)
        marriage = _procedure_trait(MARRIAGE)

    slug = factory.Sequence(lambda n: f"thu-tuc-thu-nghiem-{n}")
    name = factory.LazyAttribute(lambda p: f"Thủ tục thử nghiệm {p.slug}")
    field = "civil_status"
    time_kind = "working_days"
    time_value = 3
    sign_act = "register_civil_status"
    required_documents = factory.LazyFunction(list)
    competent_level = "commune"
    valid_from = dt.date(2021, 1, 1)
    legal_basis = "test"
    result_type = "Kết quả"
    verified = False

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        # The search text is kept by the procedure services, never by save() (STYLE.md).
        kwargs.setdefault("search_text", search_text_for(model_class(**kwargs)))
        return super()._create(model_class, *args, **kwargs)


APPLICANT_FIELDS = {
    "kind": "person",
    "name": "Trần Thị Bích",
    "id_number": "001190012345",
    "phone": "0912345678",
    "email": "bich@example.vn",
    "address": "12 Phó Đức Chính",
}
OVERDUE_BY = dt.timedelta(days=30)  # more than any test procedure's time, Tết included


def documents_for(procedure: str) -> list[str]:
    """The required papers of the kit's procedures."""
    return ["ban_chinh"] if procedure == COPY else ["to_khai"]


def submit(
    team: dict[str, Any],
    *,
    now: dt.datetime,
    procedure: str = MARITAL,
    accept: bool = True,
    unit: str = WARD,
    desk: str = "desk",
    documents: list[str] | None = None,
    applicant: Any = None,
    channel: str = "counter",
) -> Any:
    """Counter intake by ``team``'s desk officer (accepted at once unless ``accept=False``), as
    the desk officer's login when the team has one; the ``IntakeResult`` (dossier and secret)."""
    from cqdt.dossiers import services

    user = team.get(f"user_{desk}")
    return services.dossier_submit(
        actor=Actor.of(user) if user is not None else SYSTEM,
        unit_code=unit,
        procedure_slug=procedure,
        channel=channel,
        applicant=applicant or services.ApplicantIn(**APPLICANT_FIELDS),
        documents=documents if documents is not None else documents_for(procedure),
        received_by=team[desk] if channel == "counter" else None,
        accept_now=accept,
        now=now,
    )


def move(service: Any, official: Any, dossier: Any, *, now: dt.datetime, **more: Any) -> Any:
    """``official`` makes ``service``'s move (``dossier_refuse``, ``dossier_apologise`` …) on
    ``dossier`` at the version it has, at ``now``, with ``more`` (the reason …); the dossier
    as moved."""
    return service(
        actor=SYSTEM, official=official, code=dossier.code, version=dossier.version, now=now, **more
    )


def arranged(dossier: Any, source: str, target: str, on: dt.date) -> None:
    """An arrangement's move of ``dossier`` from ``source``'s desk to ``target``'s on ``on``, as
    ``units.reorganisation`` writes it: the dossier's unit and the move's audit event."""
    from django.db import transaction

    from cqdt.core.audit import Actor, audit_record
    from cqdt.units.selectors import REORGANISATION_MOVE

    with transaction.atomic():
        dossier.unit_code = target
        dossier.save(update_fields=["unit_code"])
        audit_record(
            actor=Actor.system("reorganise"),
            action=REORGANISATION_MOVE,
            object_type="dossiers.dossier",
            object_id=dossier.code,
            before={"unit_code": source},
            after={"unit_code": target, "effective_on": on.isoformat()},
        )


def drive(
    team: dict[str, Any],
    code: str,
    *,
    to: str,
    now: dt.datetime,
    processor: str = "justice",
    signer: str = "chair",
) -> Any:
    """Move a dossier along the main path, through the services, until it reaches ``to``."""
    from cqdt.dossiers import services, workflow
    from cqdt.dossiers.models import Dossier

    steps = {
        workflow.SUBMITTED: lambda kw: services.dossier_accept(official=team["desk"], **kw),
        workflow.ACCEPTED: lambda kw: services.dossier_assign(
            official=team["desk"], assignee=team[processor], **kw
        ),
        workflow.ASSIGNED: lambda kw: services.dossier_start_processing(
            official=team[processor], **kw
        ),
        workflow.PROCESSING: lambda kw: services.dossier_submit_for_signature(
            official=team[processor], **kw
        ),
        workflow.AWAITING_SIGNATURE: lambda kw: services.dossier_sign(official=team[signer], **kw),
        workflow.SIGNED: lambda kw: services.dossier_return_result(official=team["desk"], **kw),
    }
    d = Dossier.objects.get(code=code)
    while d.status != to:
        if d.status not in steps:
            raise AssertionError(f"cannot drive a {d.status} dossier to {to}")
        d = steps[d.status]({"actor": SYSTEM, "code": code, "version": d.version, "now": now})
    return d


def supplement_requested(
    team: dict[str, Any],
    code: str,
    *,
    now: dt.datetime | None,
    reason: str = "Thiếu tờ khai có chữ ký",
    missing: list[str] | None = None,
) -> Any:
    """Drive a dossier to processing and ask for a supplement (Mẫu 02) as its processor: the
    clock stops (``now=None``: the current time, for browser tests)."""
    from cqdt.dossiers import services, workflow

    d = drive(team, code, to=workflow.PROCESSING, now=now)  # type: ignore[arg-type]
    later = now + dt.timedelta(hours=1) if now is not None else None
    return services.dossier_request_supplement(
        actor=SYSTEM,
        official=team["justice"],
        code=code,
        version=d.version,
        reason=reason,
        missing_documents=missing or [],
        now=later,
    )


def dossier_row(code: str, unit_code: str, **fields: Any) -> Any:
    """A dossier row written as it stands, through no service and with no event (as an import
    or a migration leaves it, or a sample too large for the services): a person's, Nguyễn Văn
    A, at the counter, for a ``ProcedureFactory`` procedure, unless ``fields`` say otherwise."""
    from cqdt.dossiers.models import Dossier

    if "procedure" not in fields:
        fields["procedure"] = ProcedureFactory()
    person = {"applicant_kind": "person", "applicant_name": "Nguyễn Văn A"}
    row = {"channel": "counter", "lookup_secret_hash": "0" * 64} | person | fields
    return Dossier.objects.create(code=code, unit_code=unit_code, **row)


def returned_row(code: str, unit_code: str, day: dt.date, **fields: Any) -> Any:
    """A :func:`dossier_row` received a week before ``day`` and returned to its applicant, and
    so closed, on ``day`` (03:00 UTC, due 10:00 UTC), unless ``fields`` say otherwise."""

    def _utc(on: dt.date, hour: int = 3) -> dt.datetime:
        return dt.datetime.combine(on, dt.time(hour), dt.UTC)

    received = _utc(day - dt.timedelta(days=7))
    row = {
        "status": "returned",
        "submitted_at": received,
        "valid_receipt_at": received,
        "due_at": _utc(day, 10),
        "returned_at": _utc(day),
        "closed_at": _utc(day),
    }
    return dossier_row(code, unit_code, **(row | fields))


def report_row(code: str, ward_code: str, **fields: Any) -> Any:
    """A feedback report row written as it stands, through no service and with no event: a
    broken street light sent from the web in ``ward_code`` (still its unit's), in the first
    category by code (the categories loaded), unless ``fields`` say otherwise."""
    from cqdt.feedback.models import Category, Report

    row = {
        "category": Category.objects.order_by("code").first(),
        "description": "Đèn đường hỏng",
        "channel": "web",
        "follow_up_secret_hash": "0" * 64,
    }
    units = {"ward_code": ward_code, "unit_code": ward_code, "original_unit_code": ward_code}
    return Report.objects.create(code=code, **(units | row | fields))  # fields may move it


def resolved_report_row(code: str, ward_code: str, day: dt.date, **fields: Any) -> Any:
    """A :func:`report_row` sent five days before ``day``, acknowledged the next day and
    resolved — and so closed for its unit's successors' reads — on ``day`` (03:00 UTC, due five
    days later), unless ``fields`` say otherwise."""

    def _utc(on: dt.date) -> dt.datetime:
        return dt.datetime.combine(on, dt.time(3), dt.UTC)

    row = {
        "status": "resolved",
        "submitted_at": _utc(day - dt.timedelta(days=5)),
        "ack_due_at": _utc(day - dt.timedelta(days=4)),
        "resolve_due_at": _utc(day + dt.timedelta(days=5)),
        "acknowledged_at": _utc(day - dt.timedelta(days=4)),
        "resolved_at": _utc(day),
        "resolution_note": "Đã thay bóng đèn.",
    }
    return report_row(code, ward_code, **(row | fields))


class DossierFactory(factory.Factory):
    """A dossier taken in at ``team``'s desk and driven to ``status`` through the services.

    ``DossierFactory(team=ward, now=..., status="processing", overdue=True)``: received
    ``OVERDUE_BY`` before ``now`` so that at ``now`` its due date has passed. The dossier
    carries its lookup secret as ``secret``.
    """

    class Meta:
        model = dict  # built by ``_create`` through the services

    class Params:
        overdue = factory.Trait(received=factory.LazyAttribute(lambda o: o.now - OVERDUE_BY))

    team: Any = None
    now = at(dt.date(2026, 3, 2))
    received = factory.SelfAttribute("now")
    procedure = MARITAL
    unit = WARD
    channel = "counter"
    status = "accepted"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kw: Any) -> Any:
        team = kw["team"]
        result = submit(
            team,
            now=kw["received"],
            procedure=kw["procedure"],
            unit=kw["unit"],
            channel=kw["channel"],
            accept=kw["status"] != "submitted",
        )
        d = drive(team, result.dossier.code, to=kw["status"], now=kw["received"])
        d.secret = result.secret
        return d
