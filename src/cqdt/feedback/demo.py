"""Demo activity: a month of fictional citizen feedback across the pilot wards with demo staff.

Everything goes through the services (submission, acknowledgement, assignment, handling,
resolution, forwarding to the competent ward, the reporter's closing with a satisfaction score
or reopening, and the periodic escalation of reports past their SLA), so every report has a
valid code, timeline and audit events. Everything is labelled ``is_demo`` and shown as demo data.

The steps of all reports run in the order of their moments, with the escalation job run twice
each working day in between, so escalation sees each report as it stood then. Steps after
``now`` stay undone: the newest reports are still open.

Volume: iHanoi received 23,910 reports in five months of 2024 (DOMAIN, "Workload"), about 4,800
a month for the whole city; the demo spreads ``DEFAULT_MONTHLY`` (300) a month over the wards
that have demo staff, whichever they are. Shares of wrong-ward, neglected and late reports are
invented for the demo and say nothing about real practice.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from faker import Faker

from cqdt.core import citizen_names
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.feedback import services, workflow
from cqdt.feedback.models import Category, Report
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.selectors import demo_appointments, holders
from cqdt.units.models import COMMUNE_LEVEL, Unit
from cqdt.units.selectors import valid_on_q
from cqdt.workdays import calendar as cal
from cqdt.workdays.selectors import calendar_for

DEFAULT_MONTHLY = 300
ACTOR = Actor.system("demo")
CITIZEN = Actor.system("demo-citizen")

CATEGORY_WEIGHTS = {
    "trat-tu-do-thi": 25,
    "ve-sinh-moi-truong": 20,
    "chieu-sang": 8,
    "ha-tang-giao-thong": 12,
    "cay-xanh": 6,
    "thoat-nuoc": 8,
    "xay-dung-trai-phep": 8,
    "an-ninh-trat-tu": 9,
    "dich-vu-hanh-chinh": 4,
}
DESCRIPTIONS = {
    "trat-tu-do-thi": [
        "Hàng quán bày bán lấn chiếm hết vỉa hè, người đi bộ phải đi xuống lòng đường.",
        "Xe máy đỗ tràn lan trên vỉa hè trước cửa hàng, cản trở lối đi.",
    ],
    "ve-sinh-moi-truong": [
        "Rác thải tập kết không đúng giờ, bốc mùi hôi nhiều ngày chưa được thu gom.",
        "Có người đổ phế thải xây dựng ra khu đất trống vào ban đêm.",
    ],
    "chieu-sang": ["Cột đèn chiếu sáng bị hỏng, cả đoạn đường tối om vào ban đêm."],
    "ha-tang-giao-thong": [
        "Mặt đường xuất hiện ổ gà lớn, nhiều người đi xe máy bị ngã.",
        "Nắp hố ga bị vỡ, rất nguy hiểm cho người đi đường.",
    ],
    "cay-xanh": ["Cây xanh bị nghiêng, cành khô có nguy cơ gãy đổ khi mưa bão."],
    "thoat-nuoc": ["Cống thoát nước bị tắc, mỗi khi mưa lớn là ngập cả ngõ."],
    "xay-dung-trai-phep": ["Công trình đang cơi nới thêm tầng, nghi không có giấy phép xây dựng."],
    "an-ninh-trat-tu": ["Quán karaoke hát to sau 22 giờ, ảnh hưởng giấc ngủ của người dân."],
    "dich-vu-hanh-chinh": ["Bộ phận một cửa hẹn trả kết quả nhưng đến ngày hẹn chưa có kết quả."],
}
RESOLUTIONS = [
    "Đã kiểm tra, nhắc nhở và yêu cầu khắc phục; tình trạng đã được xử lý.",
    "Đã phối hợp với đơn vị liên quan khắc phục xong.",
    "Đã lập biên bản và xử lý vi phạm theo quy định.",
]
SCORES, SCORE_WEIGHTS = (5, 4, 3, 2, 1), (45, 30, 15, 6, 4)  # satisfaction when closing


@dataclass
class DemoFeedbackReport:
    reports: int = 0
    forwarded: int = 0
    escalated: int = 0
    resolved: int = 0
    closed: int = 0
    reopened: int = 0
    open: int = 0
    wards: list[str] = field(default_factory=list)
    skipped: str = ""

    def __str__(self) -> str:
        if self.skipped:
            return f"feedback: skipped ({self.skipped})"
        return (
            f"feedback: {self.reports} reports in {len(self.wards)} wards; {self.forwarded} "
            f"forwarded, {self.escalated} escalated, {self.resolved} resolutions, {self.closed} "
            f"closed by the reporter, {self.reopened} reopened, {self.open} still open"
        )


def demo_wards() -> list[str]:
    """Wards (commune level) where a demo official holds a post."""
    codes = set(demo_appointments().values_list("unit_code", flat=True).distinct())
    return sorted(
        Unit.objects.filter(code__in=codes, division_type__in=COMMUNE_LEVEL)
        .values_list("code", flat=True)
        .distinct()
    )


class _Staff:
    """Who acts for a unit on a day: the desk acknowledges and assigns, a handler resolves."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, dt.date], tuple[Official, Official] | None] = {}

    def of(self, unit_code: str, day: dt.date) -> tuple[Official, Official] | None:
        key = (unit_code, day)
        if key not in self._cache:
            self._cache[key] = self._find(unit_code, day)
        return self._cache[key]

    @staticmethod
    def _find(unit_code: str, day: dt.date) -> tuple[Official, Official] | None:
        def first(*wanted: str) -> Official | None:
            for post in wanted:
                holding = holders(unit_code, post, day).first()
                if holding is not None:
                    return holding.official
            return None

        desk = first(posts.ONE_STOP_DESK, posts.OFFICE_STATISTICS, posts.CHAIRMAN)
        handler = first(
            posts.LAND_CONSTRUCTION,
            posts.CULTURE_SOCIETY,
            posts.DISTRICT_STAFF,
            posts.VICE_CHAIRMAN,
            posts.CHAIRMAN,
        )
        if desk is None or handler is None:
            return None
        return desk, handler


@dataclass(frozen=True)
class _Plan:
    arrival: dt.datetime
    category: Category
    ward: Unit
    sent_to: str  # the ward the citizen chose: another one when ``wrong_ward``
    fate: str  # "normal", "late" or "neglected"
    reporter: dict[str, str]
    description: str
    address: str


def load(
    *,
    seed: int = 1,
    days: int = 30,
    now: dt.datetime | None = None,
    ward_codes: Sequence[str] | None = None,
) -> DemoFeedbackReport:
    """Generate ``days`` days of feedback ending at ``now`` (skip if none or already loaded).

    Reports go to the units in force on ``now``'s day among ``ward_codes`` (default: the demo
    officials' wards); one load per window, so the month before the 2025 arrangement and the
    month before today are loaded separately (issue 19, item 7).
    """
    result = DemoFeedbackReport()
    now = now or timezone.now()
    start = now - dt.timedelta(days=days)
    if Report.objects.filter(is_demo=True, submitted_at__gte=start, submitted_at__lte=now).exists():
        result.skipped = "already loaded"
        return result
    day = timezone.localdate(now)
    chosen = list(ward_codes) if ward_codes is not None else demo_wards()
    wards = {u.code: u for u in Unit.objects.filter(valid_on_q(day), code__in=chosen)}
    categories = {c.code: c for c in Category.objects.filter(active=True)}
    if not wards or not categories:
        result.skipped = "no demo staff" if not wards else "no feedback categories"
        return result
    result.wards = sorted(wards)
    rng = random.Random(seed)
    faker = Faker("vi_VN")
    faker.seed_instance(seed)
    calendar = calendar_for()
    staff = _Staff()
    districts = dict(
        Unit.objects.filter(code__in={w.parent_code for w in wards.values()}).values_list(
            "code", "name"
        )
    )
    codes = [c for c in CATEGORY_WEIGHTS if c in categories] or sorted(categories)
    weights = [CATEGORY_WEIGHTS.get(c, 1) for c in codes]
    start = now - dt.timedelta(days=days)
    total = max(round(DEFAULT_MONTHLY * days / 30), 1)

    plans = []
    for _ in range(total):
        ward = wards[rng.choice(result.wards)]
        category = categories[rng.choices(codes, weights)[0]]
        arrival = start + dt.timedelta(seconds=rng.uniform(0, (now - start).total_seconds()))
        local = timezone.localtime(arrival)
        if not 6 <= local.hour < 22:  # few people write at night
            arrival += dt.timedelta(hours=9)
        if arrival > now:
            continue
        neighbours = [
            w for w in result.wards if w != ward.code and wards[w].parent_code == ward.parent_code
        ]
        wrong = category.responsible_level == "ward" and neighbours and rng.random() < 0.08
        reporter = {
            "reporter_name": citizen_names.full_name(rng),
            "reporter_phone": f"09{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.8 else "",
            "reporter_email": faker.free_email() if rng.random() < 0.3 else "",
        }
        plans.append(
            _Plan(
                arrival=arrival,
                category=category,
                ward=ward,
                sent_to=rng.choice(neighbours) if wrong else ward.code,
                fate=rng.choices(("normal", "late", "neglected"), (85, 10, 5))[0],
                reporter=reporter,
                description=rng.choice(
                    DESCRIPTIONS.get(category.code, ["Đề nghị cơ quan chức năng kiểm tra."])
                ),
                address=f"Số {rng.randint(1, 200)} {faker.street_name()}, {ward.name}, "
                f"{districts.get(ward.parent_code, '')}",
            )
        )

    def later(moment: dt.datetime, low: float, high: float) -> dt.datetime:
        """A moment some office hours after ``moment``."""
        return calendar.due_for_working_hours(moment, rng.uniform(low, high)).due_at

    def life(plan: _Plan) -> Iterator[dt.datetime]:
        """One report's steps; each ``yield`` waits until that moment."""
        yield plan.arrival
        submitted = services.report_submit(
            actor=CITIZEN,
            category_code=plan.category.code,
            description=plan.description,
            address=plan.address,
            ward_code=plan.sent_to,
            reporter_name=plan.reporter["reporter_name"],
            reporter_phone=plan.reporter["reporter_phone"],
            reporter_email=plan.reporter["reporter_email"],
            is_demo=True,
            now=plan.arrival,
        )
        result.reports += 1
        r = submitted.report
        t = plan.arrival
        if r.unit_code != plan.ward.code and plan.category.responsible_level == "ward":
            t = later(t, 0.5, 6)
            yield t
            team = staff.of(r.unit_code, timezone.localdate(t))
            if team is None:
                return
            r = services.report_forward(
                actor=ACTOR,
                official=team[0],
                code=r.code,
                version=r.version,
                to_unit_code=plan.ward.code,
                reason=f"Địa điểm phản ánh thuộc địa bàn {plan.ward.name}.",
                now=t,
            )
            result.forwarded += 1
        if plan.fate == "neglected":
            return
        t = later(t, 0.3, 7)
        yield t
        team = staff.of(r.unit_code, timezone.localdate(t))
        if team is None:
            return
        desk, handler = team
        r = services.report_acknowledge(
            actor=ACTOR, official=desk, code=r.code, version=r.version, now=t
        )
        t = later(t, 0.2, 3)
        yield t
        r = services.report_assign(
            actor=ACTOR, official=desk, code=r.code, version=r.version, assignee=handler, now=t
        )
        t = later(t, 0.5, 8)
        yield t
        r = services.report_start(
            actor=ACTOR, official=handler, code=r.code, version=r.version, now=t
        )
        for round_ in range(2):
            if plan.fate == "late" and round_ == 0:
                t = later(max(t, r.resolve_due_at), 2, 20)
            else:
                t = t + (max(r.resolve_due_at, t) - t) * rng.uniform(0.2, 0.9)
            yield t
            r = services.report_resolve(
                actor=ACTOR,
                official=handler,
                code=r.code,
                version=r.version,
                resolution=rng.choice(RESOLUTIONS),
                now=t,
            )
            result.resolved += 1
            if not (plan.reporter["reporter_phone"] or plan.reporter["reporter_email"]):
                return  # nobody to tell: the reporter may never come back
            t = t + dt.timedelta(hours=rng.uniform(2, 60))
            choice = rng.random()
            if choice < 0.07 and round_ == 0:
                yield t
                r = services.report_reopen(
                    code=r.code,
                    secret=submitted.secret,
                    reason="Tình trạng vẫn tái diễn sau khi xử lý.",
                    now=t,
                )
                result.reopened += 1
                continue
            if choice < 0.62:
                yield t
                r = services.report_close(
                    code=r.code,
                    secret=submitted.secret,
                    satisfaction=rng.choices(SCORES, SCORE_WEIGHTS)[0],
                    now=t,
                )
                result.closed += 1
            return

    def escalation_ticks() -> Iterator[dt.datetime]:
        day = timezone.localdate(start)
        while True:
            if calendar.is_working_day(day):
                for hour, minute in ((8, 0), (13, 30)):
                    tick = dt.datetime.combine(day, dt.time(hour, minute), cal.TZ)
                    if tick < start:
                        continue
                    yield tick
                    result.escalated += services.escalate_overdue(now=tick)
            day += dt.timedelta(days=1)

    order = itertools.count()
    queue: list[tuple[dt.datetime, int, Iterator[dt.datetime]]] = []

    def schedule(steps: Iterator[dt.datetime]) -> None:
        try:
            moment = next(steps)
        except StopIteration:
            return
        except DomainError:
            return  # a rule refused a planned step: the report stays where it is
        if moment <= now:
            heapq.heappush(queue, (moment, next(order), steps))

    for plan in plans:
        schedule(life(plan))
    schedule(escalation_ticks())
    while queue:
        _, _, steps = heapq.heappop(queue)
        schedule(steps)  # performs the step it was waiting for, then schedules the next one
    result.escalated += services.escalate_overdue(now=now)
    result.open = Report.objects.filter(is_demo=True, status__in=workflow.OPEN).count()
    return result
