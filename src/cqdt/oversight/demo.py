"""Demo oversight activity for Quận Ba Đình, written through the services and labelled demo.

Needs the demo officials (``staff.demo``: civil-service codes starting ``DEMO-``, the ward
chairmen of Ba Đình, and the deputy login ``daibieu.badinh`` whose official holds the post
``council_deputy`` at 001); without them it does nothing. Idempotent: once the demo council
exists, a second load does nothing.

What it writes (all ``is_demo``): the Ba Đình People's Council for 2021–2026 and 2026–2031; its
deputies with constituencies (the deputy login sits in both terms; the others are names only);
voter meetings in the wards with petitions (some answered on time, some late, some unanswered
and past their last day, then escalated by the periodic job); a questioning session with
commitments (one done, one overdue, one in progress); dialogue conferences (two a year in most
wards, one ward with only one in the last full year, so it is flagged); weekly citizen
receptions. Nothing is dated after ``today``. Names are invented (Faker ``vi_VN``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from django.db import transaction
from django.utils import timezone
from faker import Faker

from cqdt.core import citizen_names
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.oversight import selectors, services
from cqdt.oversight.models import Council, Deputy, RoutedLevel
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.selectors import demo_appointments, holds_chair
from cqdt.units import selectors as unit_selectors

T = TypeVar("T")
DISTRICT = "001"  # Quận Ba Đình
ACTOR = Actor.system("demo_oversight")
TERMS = (
    (dt.date(2021, 7, 1), dt.date(2026, 6, 30), "HĐND quận Ba Đình, nhiệm kỳ 2021–2026 (minh họa)"),
    (dt.date(2026, 7, 1), dt.date(2031, 6, 30), "HĐND quận Ba Đình, nhiệm kỳ 2026–2031 (minh họa)"),
)
PETITIONS = (
    "Đề nghị sửa chữa mặt đường ngõ bị lún, đọng nước khi mưa.",
    "Đề nghị tăng cường chiếu sáng công cộng tại khu tập thể.",
    "Đề nghị xử lý tình trạng lấn chiếm vỉa hè làm nơi để xe.",
    "Đề nghị công khai kế hoạch cải tạo chung cư cũ trên địa bàn.",
    "Đề nghị bố trí thêm thùng thu gom rác và giờ thu gom cố định.",
    "Đề nghị kiểm tra tiếng ồn của cơ sở kinh doanh về đêm.",
    "Đề nghị rút ngắn thời gian cấp giấy chứng nhận quyền sử dụng đất.",
    "Đề nghị cải tạo sân chơi cho trẻ em trong khu dân cư.",
)
ANSWERS = (
    "UBND phường đã kiểm tra hiện trạng và đưa vào kế hoạch duy tu trong quý tới.",
    "UBND phường đã phối hợp với đơn vị quản lý để khắc phục; đề nghị cử tri tiếp tục phản ánh.",
    "UBND phường đã ra quân xử lý, đồng thời giao Công an phường duy trì kiểm tra.",
)
QUESTIONS = (
    "Đề nghị Chủ tịch UBND phường cho biết nguyên nhân chậm trả lời kiến nghị cử tri về trật tự "
    "đô thị và giải pháp khắc phục.",
    "Đề nghị Chủ tịch UBND phường làm rõ trách nhiệm trong việc để tồn đọng hồ sơ chứng thực.",
    "Đề nghị Chủ tịch UBND phường báo cáo tiến độ cải tạo các tuyến ngõ xuống cấp.",
)
COMMITMENTS = (
    "Trả lời đầy đủ các kiến nghị tồn đọng.",
    "Bố trí thêm cán bộ tại Bộ phận một cửa vào giờ cao điểm.",
    "Hoàn thành cải tạo hai tuyến ngõ trọng điểm.",
)
TOPICS = (
    "Trật tự đô thị, vệ sinh môi trường trên địa bàn phường",
    "Cải cách thủ tục hành chính và thái độ phục vụ của cán bộ phường",
    "Quản lý đất đai, xây dựng và an toàn phòng cháy",
)


@dataclass
class DemoReport:
    councils: int = 0
    deputies: int = 0
    meetings: int = 0
    petitions: int = 0
    answered: int = 0
    escalated: int = 0
    questions: int = 0
    commitments: int = 0
    conferences: int = 0
    receptions: int = 0
    flagged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    skipped: bool = False


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _weekday_on_or_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _last_weekday(day: dt.date) -> dt.date:
    """``day``, or the Friday before it when it falls on a Saturday or a Sunday."""
    return day - dt.timedelta(days=max(day.weekday() - 4, 0))


def _council(unit_code: str, start: dt.date, end: dt.date, name: str) -> Council | None:
    """A demo council of ``unit_code`` for the term from ``start``, through ``council_create``,
    ending by the unit's last day (a council does not outlive its unit, Law 72/2025/QH15); None
    when no unit holds the code on ``start``."""
    held = unit_selectors.holdings_on([unit_code], start).get(unit_code)
    if held is None:
        return None
    return services.council_create(
        actor=ACTOR,
        unit_code=unit_code,
        name=name,
        term_start=start,
        term_end=end if held.last_day is None else min(end, held.last_day),
        is_demo=True,
    )


class _Loader:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.today = today
        self.rng = random.Random(f"{seed}:oversight")
        self.faker = Faker("vi_VN")
        self.faker.seed_instance(f"{seed}:oversight")
        self.report = DemoReport()
        self.councils: list[Council] = []
        self.seats: dict[int, list[Deputy]] = {}
        self._in_force: dict[dt.date, set[str]] = {}

    def _try(self, what: str, call: Callable[[], T]) -> T | None:
        """Run one service call; a refusal (say, a leader not in post on that date) is noted."""
        try:
            return call()
        except DomainError as exc:
            self.report.refused.append(f"{what}: {exc.en}")
            return None

    def in_force(self, ward: str, on: dt.date) -> bool:
        """Whether the ward exists on ``on``: a ward merged away (the 2023–2025 arrangement, from
        1 January 2025) has no chairman, conference, reception or meeting after its end."""
        if on not in self._in_force:
            self._in_force[on] = set(unit_selectors.units_on(on).values_list("code", flat=True))
        return ward in self._in_force[on]

    # -- people ---------------------------------------------------------------------------
    def chairman(self, ward: str, on: dt.date) -> Official | None:
        if not self.in_force(ward, on):
            return None
        for a in demo_appointments(unit_code=ward, post=posts.CHAIRMAN).select_related("official"):
            if holds_chair(a.official, ward, on) is not None:
                return a.official
        return None

    def council_on(self, day: dt.date) -> Council | None:
        return next((c for c in self.councils if c.term_start <= day <= c.term_end), None)

    # -- councils and deputies ------------------------------------------------------------
    def councils_and_deputies(
        self, wards: list[str], all_wards: list[str], deputy: Official | None
    ) -> None:
        groups = [all_wards[i : i + 3] for i in range(0, len(all_wards), 3)]
        if groups and len(groups[-1]) == 1 and len(groups) > 1:
            groups[-2].extend(groups.pop())
        # Faker's vi_VN name() writes "Quý ông Châu Bùi": a deputy's name is family first.
        names = [citizen_names.full_name(self.faker.random) for _ in range(len(groups))]
        for start, end, name in TERMS:
            # With Hanoi's history loaded the district (and its council) ended on 30 June 2025
            # (Law 72/2025/QH15): no council term after that (issue 19, item 7 moves the demo),
            # and the 2021–2026 term ends with the district (a term cannot outlive its unit).
            council = _council(DISTRICT, start, end, name)
            if council is None:
                continue
            self.report.councils += 1
            self.councils.append(council)
            seats: list[Deputy] = []
            for i, group in enumerate(groups):
                if i == 0 and deputy is not None:
                    seats.append(
                        services.deputy_register(
                            actor=ACTOR,
                            council=council,
                            full_name=deputy.full_name,
                            constituency=group,
                            official=deputy,
                            is_demo=True,
                        )
                    )
                seats.append(
                    services.deputy_register(
                        actor=ACTOR,
                        council=council,
                        full_name=names[i],
                        constituency=group,
                        is_demo=True,
                    )
                )
            self.report.deputies += len(seats)
            self.seats[council.pk] = seats

    # -- voter meetings and petitions -----------------------------------------------------
    def meetings(self, wards: list[str], recorder: Official) -> None:
        for days_ago, answer_share in ((75, 0.6), (20, 0.3)):
            day = _last_weekday(self.today - dt.timedelta(days=days_ago))
            council = self.council_on(day)
            if council is None or selectors.seat_in(recorder, council, day) is None:
                continue
            for ward in wards:
                if not self.in_force(ward, day):
                    continue
                present = [s for s in self.seats[council.pk] if ward in s.constituency]
                meeting = self._try(
                    f"meeting {ward} {day}",
                    partial(
                        services.voter_meeting_record,
                        actor=ACTOR,
                        official=recorder,
                        council=council,
                        ward_code=ward,
                        held_at=_at(day, 19, 30),
                        location=f"Nhà văn hóa tổ dân phố số {self.rng.randint(1, 20)}",
                        deputies=present,
                        attendees=self.rng.randint(40, 160),
                        notes="Buổi tiếp xúc cử tri trước kỳ họp thường lệ (dữ liệu minh họa).",
                        now=_at(day, 22),
                        is_demo=True,
                    ),
                )
                if meeting is None:
                    continue
                self.report.meetings += 1
                for k in range(self.rng.randint(2, 3)):
                    level = RoutedLevel.DISTRICT if k == 2 else RoutedLevel.WARD
                    petition = services.petition_receive(
                        actor=ACTOR,
                        official=recorder,
                        meeting=meeting,
                        content=self.rng.choice(PETITIONS),
                        routed_level=level,
                        now=_at(day, 22),
                        is_demo=True,
                    )
                    self.report.petitions += 1
                    if level != RoutedLevel.WARD or self.rng.random() > answer_share:
                        continue
                    # Most answers within the period; some a week late.
                    late = self.rng.random() < 0.3
                    answered_on = (
                        petition.answer_due + dt.timedelta(days=7 if late else -5)
                        if days_ago > 45
                        else day + dt.timedelta(days=7)
                    )
                    if answered_on > self.today:
                        continue
                    chair = self.chairman(ward, answered_on)
                    if chair is None:
                        continue
                    if self._try(
                        f"answer {ward}",
                        partial(
                            services.petition_answer,
                            actor=ACTOR,
                            official=chair,
                            petition=petition,
                            version=petition.version,
                            answer=self.rng.choice(ANSWERS),
                            now=_at(answered_on, 15),
                        ),
                    ):
                        self.report.answered += 1

    # -- questioning ----------------------------------------------------------------------
    def questioning(self, wards: list[str], deputy: Official) -> None:
        session = _weekday_on_or_before(self.today - dt.timedelta(days=30), 2)
        council = self.council_on(session)
        if council is None or selectors.seat_in(deputy, council, session) is None:
            return
        for i, ward in enumerate(wards[:3]):
            chair = self.chairman(ward, session)
            if chair is None:
                continue
            q = self._try(
                f"question {ward}",
                partial(
                    services.question_ask,
                    actor=ACTOR,
                    official=deputy,
                    council=council,
                    session_date=session,
                    ward_code=ward,
                    addressed_to=chair,
                    question=QUESTIONS[i % len(QUESTIONS)],
                    now=_at(session, 10),
                    is_demo=True,
                ),
            )
            if q is None:
                continue
            self.report.questions += 1
            services.question_answer(
                actor=ACTOR,
                official=chair,
                question=q,
                answer="Chủ tịch UBND phường nhận trách nhiệm, báo cáo nguyên nhân và cam kết khắc phục.",
                now=_at(session, 11),
            )
            for k, days in enumerate((14, 21, 120)):
                c = services.commitment_make(
                    actor=ACTOR,
                    official=chair,
                    question=q,
                    text=COMMITMENTS[(i + k) % len(COMMITMENTS)],
                    due_date=session + dt.timedelta(days=days),
                    now=_at(session, 11, 30),
                    is_demo=True,
                )
                self.report.commitments += 1
                if k == 0 and session + dt.timedelta(days=10) <= self.today:
                    services.commitment_update(
                        actor=ACTOR,
                        official=chair,
                        commitment=c,
                        version=c.version,
                        progress_note="Đã hoàn thành, báo cáo HĐND quận.",
                        done=True,
                        now=_at(session + dt.timedelta(days=10), 16),
                    )
                elif k == 2:
                    services.commitment_update(
                        actor=ACTOR,
                        official=chair,
                        commitment=c,
                        version=c.version,
                        progress_note="Đã khảo sát hiện trạng, đang lập dự toán.",
                        now=_at(min(session + dt.timedelta(days=20), self.today), 16),
                    )

    # -- dialogue conferences -------------------------------------------------------------
    def conference(
        self, ward: str, day: dt.date, *, hold: bool, topic: str, announced: dt.date | None = None
    ) -> None:
        announced = announced or day - dt.timedelta(days=self.rng.randint(8, 12))
        chair = self.chairman(ward, announced)
        if chair is None:
            return
        c = self._try(
            f"conference {ward} {day}",
            partial(
                services.conference_announce,
                actor=ACTOR,
                official=chair,
                ward_code=ward,
                scheduled_at=_at(day, 8, 30),
                topic=topic,
                channels=["residential_group_heads", "loudspeaker", "website"],
                via_representatives=self.rng.random() < 0.3,
                location="Hội trường UBND phường",
                announced_at=_at(announced, 9),
                now=_at(announced, 9),
                is_demo=True,
            ),
        )
        if c is None:
            return
        self.report.conferences += 1
        held_by = self.chairman(ward, day)
        if hold and held_by is not None and day <= self.today:
            self._try(
                f"hold {ward} {day}",
                partial(
                    services.conference_hold,
                    actor=ACTOR,
                    official=held_by,
                    conference=c,
                    version=1,
                    attendees=self.rng.randint(60, 250),
                    minutes="Biên bản hội nghị đối thoại (dữ liệu minh họa): "
                    f"{self.rng.randint(5, 15)} ý kiến của người dân đã được trả lời tại hội nghị.",
                    held_at=_at(day, 8, 30),
                    now=_at(day, 12),
                ),
            )

    def conferences(self, wards: list[str], short_ward: str) -> None:
        last_year = self.today.year - 1
        if last_year >= 2022:
            for ward in wards:
                self.conference(ward, dt.date(last_year, 6, 12), hold=True, topic=TOPICS[0])
                if ward != short_ward:
                    self.conference(ward, dt.date(last_year, 11, 20), hold=True, topic=TOPICS[1])
        # This year: the first held in spring; the showcase ward has the next one announced.
        spring = dt.date(self.today.year, 4, 16)
        for ward in wards:
            if spring + dt.timedelta(days=1) <= self.today:
                self.conference(ward, spring, hold=True, topic=TOPICS[2])
        upcoming = self.today + dt.timedelta(days=12)
        if wards and self.chairman(wards[0], self.today) is not None:
            self.conference(wards[0], upcoming, hold=False, topic=TOPICS[1], announced=self.today)

    # -- citizen reception ----------------------------------------------------------------
    def receptions(self, wards: list[str], short_ward: str) -> None:
        thursday = _weekday_on_or_before(self.today - dt.timedelta(days=1), 3)
        for week in range(8):
            day = thursday - dt.timedelta(weeks=week)
            for ward in wards:
                if ward == short_ward and week == 2:
                    continue  # one missed week shows in the ward's report
                chair = self.chairman(ward, day)
                if chair is None:
                    continue
                if self._try(
                    f"reception {ward} {day}",
                    partial(
                        services.reception_log,
                        actor=ACTOR,
                        official=chair,
                        ward_code=ward,
                        date=day,
                        citizens_received=self.rng.randint(0, 12),
                        matters=self.rng.randint(0, 6),
                        summary="Tiếp công dân định kỳ (dữ liệu minh họa).",
                        now=_at(day, 17),
                        is_demo=True,
                    ),
                ):
                    self.report.receptions += 1


def load(seed: int = 1, today: dt.date | None = None) -> DemoReport:
    """Load the demo oversight activity of Quận Ba Đình (see the module docstring)."""
    today = today or unit_selectors.today()
    report = DemoReport(skipped=True)
    all_wards = list(
        unit_selectors.units_on(dt.date(2021, 7, 1), parent=DISTRICT).values_list("code", flat=True)
    )
    with_chairs = sorted(
        set(
            demo_appointments(unit_code__in=all_wards, post=posts.CHAIRMAN).values_list(
                "unit_code", flat=True
            )
        )
    )
    if not with_chairs or Council.objects.filter(unit_code=DISTRICT, is_demo=True).exists():
        return report
    deputy_appt = (
        demo_appointments(unit_code=DISTRICT, post=posts.COUNCIL_DEPUTY)
        .select_related("official")
        .order_by("official_id")
        .first()
    )
    deputy = deputy_appt.official if deputy_appt is not None else None
    loader = _Loader(seed, today)
    # The deputy login's constituency holds the showcase ward (Phúc Xá, the first one).
    loader.councils_and_deputies(with_chairs, all_wards, deputy)
    short_ward = with_chairs[-1] if len(with_chairs) > 1 else with_chairs[0]
    loader.conferences(with_chairs, short_ward)
    loader.receptions(with_chairs, short_ward)
    if deputy is not None:
        loader.meetings(with_chairs, deputy)
        loader.questioning(with_chairs, deputy)
    loader.report.escalated = services.petitions_escalate(now=_at(today, 7))
    if today.year - 1 >= 2022:
        loader.report.flagged = [
            f.ward_code
            for f in selectors.conference_flags(set(with_chairs), today.year - 1, on=today)
        ]
    return loader.report


# -- a ward's own People's Council from 1 July 2025 ----------------------------------------------
WARD = "00097"  # Phường Hồng Hà (Resolution 1656/NQ-UBTVQH15), the demo's unit from 1 July 2025
WARD_TERMS = (
    (
        dt.date(2025, 7, 1),
        dt.date(2026, 6, 30),
        "HĐND phường Hồng Hà, nhiệm kỳ 2021–2026 (minh họa)",
    ),
    (
        dt.date(2026, 7, 1),
        dt.date(2031, 6, 30),
        "HĐND phường Hồng Hà, nhiệm kỳ 2026–2031 (minh họa)",
    ),
)


@dataclass
class WardCouncilReport:
    councils: int = 0
    deputies: int = 0
    meetings: int = 0
    petitions: int = 0


@transaction.atomic
def load_ward_council(
    seed: int = 1, today: dt.date | None = None, *, activity: bool = True
) -> WardCouncilReport:
    """The demo People's Council of Phường Hồng Hà from 1 July 2025, when every commune and ward
    has its own council again (Law 72/2025/QH15 on the Organisation of Local Government;
    Resolution 1656/NQ-UBTVQH15), written through the services and labelled demo.

    Its terms up to ``today`` (the 2021–2026 term from 1 July 2025, the 2026–2031 term), each
    ending by the unit's last day (``council_create`` checks it); two deputies for the ward: the
    official of the login ``daibieu.hongha`` (post ``council_deputy`` at 00097, from
    ``authority.demo.load_successors``) and one named only. With ``activity``: one voter meeting
    three weeks before ``today``, with a petition routed to the ward committee. Needs the deputy
    official; without them it does nothing. Idempotent: once a demo council of the ward exists,
    a second load does nothing."""
    today = today or unit_selectors.today()
    report = WardCouncilReport()
    appt = (
        demo_appointments(unit_code=WARD, post=posts.COUNCIL_DEPUTY)
        .select_related("official")
        .order_by("official_id")
        .first()
    )
    if appt is None or Council.objects.filter(unit_code=WARD, is_demo=True).exists():
        return report
    deputy = appt.official
    faker = Faker("vi_VN")
    faker.seed_instance(f"{seed}:oversight:{WARD}")
    other = citizen_names.full_name(faker.random)
    councils: list[tuple[Council, Deputy]] = []
    for start, end, name in WARD_TERMS:
        council = _council(WARD, start, end, name) if start <= today else None
        if council is None:
            continue
        seat = services.deputy_register(
            actor=ACTOR,
            council=council,
            full_name=deputy.full_name,
            constituency=[WARD],
            official=deputy,
            is_demo=True,
        )
        services.deputy_register(
            actor=ACTOR, council=council, full_name=other, constituency=[WARD], is_demo=True
        )
        report.councils += 1
        report.deputies += 2
        councils.append((council, seat))
    day = _last_weekday(today - dt.timedelta(days=21))
    found = [(c, s) for c, s in councils if c.term_start <= day <= c.term_end]
    if not activity or not found:
        return report
    council, seat = found[0]
    meeting = services.voter_meeting_record(
        actor=ACTOR,
        official=deputy,
        council=council,
        ward_code=WARD,
        held_at=_at(day, 19, 30),
        location="Nhà văn hóa tổ dân phố số 5",
        deputies=[seat],
        attendees=85,
        notes="Tiếp xúc cử tri trước kỳ họp HĐND phường (dữ liệu minh họa).",
        now=_at(day, 22),
        is_demo=True,
    )
    report.meetings += 1
    services.petition_receive(
        actor=ACTOR,
        official=deputy,
        meeting=meeting,
        content=PETITIONS[0],
        routed_level=RoutedLevel.WARD,
        now=_at(day, 22),
        is_demo=True,
    )
    report.petitions += 1
    return report
