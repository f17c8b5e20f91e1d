"""Ba Đình's council and a few wards, built through the services.

Leaders in ``cqdt.testing`` hold their posts from 1 July 2021 to 30 June 2026, so every test
passes explicit dates inside that term (2024 by default) or freezes time there.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.core.models import AuditEvent
from cqdt.oversight import services
from cqdt.oversight.models import (
    CitizenReception,
    Commitment,
    ConferenceStatus,
    Council,
    Deputy,
    DialogueConference,
    Petition,
    Question,
    VoterMeeting,
)
from cqdt.staff import posts
from cqdt.staff import selectors as staff_selectors
from cqdt.staff.models import AppointmentKind, EndReason
from cqdt.staff.services import appointment_end
from cqdt.testing import at, bearer_client, logged_in, reference, shared

SYSTEM = Actor.system("test")
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICT = "001"  # Quận Ba Đình
WARD = "00001"  # Phường Phúc Xá
WARD_B = "00004"  # Phường Trúc Bạch
WARD_C = "00006"  # Phường Vĩnh Phúc: outside the deputy's constituency
OTHER_WARD = "00037"  # Phường Phúc Tân, Quận Hoàn Kiếm
TODAY = dt.date(2024, 3, 4)  # a Monday
HOAN_KIEM = "002"  # Quận Hoàn Kiếm: another council
VACANCY = dt.date(2024, 2, 1)  # Trúc Bạch's chairman transferred (vacate_chair_b)


def error_beside(response, field: str, chars: int = 600) -> str:
    """The page just after the error shown next to ``field`` (a refusal said beside its field)."""
    page = response.content.decode()
    at = page.index(f'id="id_{field}_error"')
    return page[at : at + chars]


def counts() -> dict:
    """What a refused request must leave as it was."""
    return {
        "audit": AuditEvent.objects.count(),
        "meetings": VoterMeeting.objects.count(),
        "petitions": list(
            Petition.objects.order_by("id").values_list("status", "version", "answer")
        ),
        "questions": list(Question.objects.order_by("id").values_list("answer", flat=True)),
        "commitments": list(Commitment.objects.order_by("id").values_list("status", "version")),
        "conferences": list(
            DialogueConference.objects.order_by("id").values_list("status", "version")
        ),
        "receptions": CitizenReception.objects.count(),
        "councils": Council.objects.count(),
        "deputies": Deputy.objects.count(),
    }


@pytest.fixture
def frozen():
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


def _build_ba_dinh() -> dict:
    """District chairman; chairman, vice-chairman, desk and justice officers in three wards; the
    council 2021–2026 with a deputy who has a login (constituency Phúc Xá, Trúc Bạch) and one
    without (Vĩnh Phúc); a deputy of the standing post with no seat; logins for them all.

    The module's when it has one (a copy per test, so in-memory changes do not leak)."""
    district_chair = testing.district_chairman(DISTRICT, "O-DC")
    people = {"district_chair": district_chair}
    for ward, prefix in ((WARD, "O-A"), (WARD_B, "O-B"), (WARD_C, "O-C")):
        team = testing.ward_team(ward, DISTRICT, district_chair, prefix)
        for key, official in team.items():
            people[f"{prefix}-{key}"] = official
    deputy = testing.elect_deputy(DISTRICT, "O-DB", number="01/BB-UBBC")
    council, seat = testing.seat_deputy(deputy, [WARD, WARD_B])
    other_seat = services.deputy_register(
        actor=SYSTEM, council=council, full_name="Lê Thị Cử", constituency=[WARD_C]
    )
    monitor = testing.city_monitor("O-CITY")
    users = {
        "deputy": testing.login_for(deputy, username="deputy"),
        "chair": testing.login_for(people["O-A-chair"], username="chair_a"),
        "vice": testing.login_for(people["O-A-vice"], username="vice_a"),
        "desk": testing.login_for(people["O-A-desk"], username="desk_a"),
        "chair_b": testing.login_for(people["O-B-chair"], username="chair_b"),
        "chair_c": testing.login_for(people["O-C-chair"], username="chair_c"),
        "district_chair": testing.login_for(district_chair, username="dc"),
        "monitor": testing.login_for(monitor, username="monitor"),
    }
    return {
        "council": council,
        "seat": seat,
        "other_seat": other_seat,
        "deputy": deputy,
        "district_chair": district_chair,
        "chair": people["O-A-chair"],
        "vice": people["O-A-vice"],
        "desk": people["O-A-desk"],
        "chair_b": people["O-B-chair"],
        "chair_c": people["O-C-chair"],
        "monitor": monitor,
        "users": users,
    }


# Built once for the module's tests that ask for it and neither load reference data themselves
# nor commit, each test in a savepoint (``cqdt.testing.shared``). A build is about a second of
# services (three ward teams, a council, nine logins).
_module_ba_dinh, ba_dinh = shared.world(
    "ba_dinh", _build_ba_dinh, on=reference.units, fresh="reference_data"
)


def register_council(unit_code, name, term_start, term_end):
    """The council of ``unit_code`` for the term ``term_start``–``term_end``."""
    return services.council_create(
        actor=SYSTEM, unit_code=unit_code, name=name, term_start=term_start, term_end=term_end
    )


def meeting(world, *, ward=WARD, day=dt.date(2024, 1, 10)):
    return voter_meeting(world["deputy"], world["council"], world["seat"], ward, day, attendees=80)


def voter_meeting(deputy, council, seat, ward, day, *, location="Nhà văn hóa tổ 5", attendees=None):
    """``deputy`` records the voter meeting of ``council`` held in ``ward`` at 19:00 on ``day``
    (recorded at 22:00), ``seat`` present."""
    return services.voter_meeting_record(
        actor=SYSTEM,
        official=deputy,
        council=council,
        ward_code=ward,
        held_at=at(day, 19),
        location=location,
        deputies=[seat],
        attendees=attendees,
        now=at(day, 22),
    )


def received(deputy, meeting, level, content="Kiến nghị"):
    """``deputy`` records a petition raised at ``meeting``, routed to ``level``, at 22:00 on the
    meeting's day."""
    return services.petition_receive(
        actor=SYSTEM,
        official=deputy,
        meeting=meeting,
        content=content,
        routed_level=level,
        now=at(timezone.localdate(meeting.held_at), 22),
    )


def record_meeting(world, ward, held_at, *, by="deputy", seat="seat"):
    """``world[by]`` records, on ``TODAY``, a voter meeting in ``ward`` held at ``held_at`` with
    ``world[seat]`` present."""
    return services.voter_meeting_record(
        actor=SYSTEM,
        official=world[by],
        council=world["council"],
        ward_code=ward,
        held_at=held_at,
        location="x",
        deputies=[world[seat]],
        now=at(TODAY),
    )


def petition(
    world, *, ward=WARD, day=dt.date(2024, 1, 10), level="ward", content="Sửa đường ngõ 5"
):
    return received(world["deputy"], meeting(world, ward=ward, day=day), level, content)


def answer(world, p, *, by="chair", version=None, text="x", now=None):
    """``world[by]`` answers petition ``p`` at ``version`` (the petition's own by default), on
    1 February 2024 at 09:00 unless ``now`` says otherwise."""
    return services.petition_answer(
        actor=SYSTEM,
        official=world[by],
        petition=p,
        version=p.version if version is None else version,
        answer=text,
        now=now or at(dt.date(2024, 2, 1)),
    )


def question(world, **changes):
    """The deputy asks the ward chairman at the council's session of 6 December 2023 (each
    argument of ``services.question_ask`` may be changed)."""
    args = {
        "actor": SYSTEM,
        "official": world["deputy"],
        "council": world["council"],
        "session_date": dt.date(2023, 12, 6),
        "ward_code": WARD,
        "addressed_to": world["chair"],
        "question": "Vì sao chậm trả lời kiến nghị?",
        "now": at(dt.date(2023, 12, 6)),
    }
    args.update(changes)
    return services.question_ask(**args)


def commit(world, q, *, text, due, now, by="chair"):
    """``world[by]`` commits, answering question ``q``, to ``text`` by ``due``."""
    return services.commitment_make(
        actor=SYSTEM, official=world[by], question=q, text=text, due_date=due, now=now
    )


def announce(world, *, ward=WARD, official_key="chair", announced=TODAY, days=7, topic="Đối thoại"):
    return services.conference_announce(
        actor=SYSTEM,
        official=world[official_key],
        ward_code=ward,
        scheduled_at=at(announced + dt.timedelta(days=days), 8),
        topic=topic,
        channels=["residential_group_heads", "website"],
        announced_at=at(announced),
        now=at(announced, 10),
    )


def hold(world, conference, *, official_key="chair"):
    day = conference.scheduled_at
    return services.conference_hold(
        actor=SYSTEM,
        official=world[official_key],
        conference=conference,
        version=conference.version,
        attendees=120,
        minutes="Biên bản",
        held_at=day,
        now=day + dt.timedelta(hours=3),
    )


def logged_reception(official, ward, day, *, citizens=1, matters=1):
    """A day of citizen reception in ``ward`` logged for ``official``: a record as an import
    leaves it, without the services' checks."""
    return CitizenReception.objects.create(
        ward_code=ward, date=day, official=official, citizens_received=citizens, matters=matters
    )


def held_conference(official, ward, day, *, announced=None, topic="Đối thoại", attendees=50):
    """A dialogue conference recorded as held in ``ward`` at 8:00 on ``day``, announced by
    ``official`` on ``announced`` (ten days before by default): a record as an import leaves it,
    without the services' checks."""
    return DialogueConference.objects.create(
        ward_code=ward,
        scheduled_at=at(day, 8),
        announced_at=at(announced or day - dt.timedelta(days=10), 8),
        announcement_channels=["website"],
        topic=topic,
        status=ConferenceStatus.HELD,
        held_at=at(day, 8),
        attendees=attendees,
        announced_by=official,
    )


@pytest.fixture
def login(client, ba_dinh, frozen):
    """A client logged in as one of ``ba_dinh``'s users, on the frozen day."""

    def as_(key):
        client.force_login(ba_dinh["users"][key])
        return client

    return as_


@pytest.fixture
def other_deputy(ba_dinh, django_user_model):
    """A deputy of Hoàn Kiếm's council (constituency Phúc Tân), with a login."""
    person = testing.elect_deputy(HOAN_KIEM, "O-HK", name="Phạm Đại Biểu", number="02/BB-UBBC")
    testing.seat_deputy(
        person,
        [OTHER_WARD],
        HOAN_KIEM,
        council_name="HĐND quận Hoàn Kiếm, nhiệm kỳ 2021–2026",
        full_name="Phạm Đại Biểu",
    )
    return testing.login_for(person, django_user_model, "deputy_hk")


@pytest.fixture
def bearer(ba_dinh, frozen):
    """A client with a bearer token of one of ``ba_dinh``'s users: no session, no CSRF token."""

    def client(key: str) -> Client:
        return bearer_client(ba_dinh["users"][key])

    return client


@pytest.fixture
def session(ba_dinh, frozen):
    """A browser's session of one of ``ba_dinh``'s users, CSRF enforced, on the frozen day."""

    def client(key: str) -> Client:
        return logged_in(ba_dinh["users"][key])

    return client


def vacate_chair_b() -> None:
    """Trúc Bạch's chairman transferred on :data:`VACANCY`: the post is vacant from that day."""
    appointment_end(
        actor=SYSTEM,
        appointment=staff_selectors.chairman_of(WARD_B, VACANCY - dt.timedelta(days=1)),
        ended_on=VACANCY,
        reason=EndReason.TRANSFER,
        decision_number="05/QĐ-UBND",
    )


def acting_chair_b(ba_dinh):
    """From :data:`VACANCY` the district chairman gives Trúc Bạch's chair's authority (giao
    quyền, Decree 32/2021/NĐ-CP) to an official; returns that official."""
    acting = testing.official("O-B-ACT", DISTRICT, "Đỗ Quyền Chủ Tịch")
    testing.appoint(
        acting,
        WARD_B,
        posts.CHAIRMAN,
        by=ba_dinh["district_chair"],
        kind=AppointmentKind.ACTING,
        term_start=VACANCY,
    )
    return acting


def petition_by_page_and_api(browser: Client, api: Client, meeting, content: str, level: str):
    """The same petition posted on the meeting's page (with its CSRF token) and through the API:
    the page as first shown, the page's answer and the API's."""
    url = f"/staff/oversight/meetings/{meeting.public_id}/"
    page = browser.get(url)
    form = {"csrfmiddlewaretoken": page.cookies["csrftoken"].value, "content": content}
    posted = browser.post(url, form | {"routed_level": level})
    by_api = api.post(
        "/api/v1/oversight/petitions",
        {"meeting": str(meeting.public_id), "content": content, "routed_level": level},
        content_type="application/json",
    )
    return page, posted, by_api


def seated_on_own_council(council, deputy):
    """``deputy`` with a seat on a commune's or ward's own council (from 1 July 2025), the
    constituency the commune itself: ``(deputy, seat)``."""
    seat = services.deputy_register(
        actor=SYSTEM,
        council=council,
        full_name=deputy.full_name,
        constituency=[council.unit_code],
        official=deputy,
    )
    return deputy, seat
