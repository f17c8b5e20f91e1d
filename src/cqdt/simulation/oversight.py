"""The simulation's oversight activity, through ``oversight.services`` (used when installed).

Per district: its People's Council (term 2021–2026) and one deputy whose constituency is the
simulated wards. Twice a year, before the council's mid-year and year-end sessions (first
working Tuesday of July and of December), the deputy meets each ward's voters; each meeting
raises a Poisson number of petitions (mean ``petitions_per_meeting``), 70% routed to the ward and
30% to the district. The ward chairman answers 85% of the ward's petitions after 5 to 45 days
(so some after the 30-day limit); the rest stay unanswered. Each ward chairman announces a
dialogue conference 10 days ahead and holds it, in June and in November (the pilot's first year:
November only), except that one in ten is never held — which the shortcoming rules then flag.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from cqdt.core.errors import DomainError
from cqdt.staff.models import Official
from cqdt.units import selectors as unit_selectors

if TYPE_CHECKING:
    from cqdt.simulation.workload import Simulation

TERM = (dt.date(2021, 6, 1), dt.date(2026, 5, 31))


class OversightDriver:
    def __init__(self, sim: Simulation) -> None:
        from cqdt.oversight import services as oversight_services
        from cqdt.oversight.models import Council, Deputy
        from cqdt.simulation.workload import ACTOR
        from cqdt.staff import services as staff_services

        self.sim = sim
        self.services = oversight_services
        self.actor = ACTOR
        self.councils: dict[str, Any] = {}
        self.deputies: dict[str, Any] = {}
        self.deputy_officials: dict[str, Official] = {}
        districts = sorted({w.district for w in sim.wards.values()})
        for district in districts:
            wards = sorted(c for c, w in sim.wards.items() if w.district == district)
            council = Council.objects.filter(unit_code=district, term_start=TERM[0]).first()
            if council is None:
                held = unit_selectors.holdings_on([district], TERM[0])[district]
                council = oversight_services.council_create(
                    actor=ACTOR,
                    unit_code=district,
                    name=f"HĐND {held.unit.name}, nhiệm kỳ 2021–2026",
                    term_start=TERM[0],
                    # A term ends with its district (30 June 2025 with Hanoi's history loaded).
                    term_end=TERM[1] if held.last_day is None else min(TERM[1], held.last_day),
                    is_demo=True,
                )
            code = f"DEMO-SIM-DB-{district}"
            official = Official.objects.filter(civil_service_code=code).first()
            if official is None:
                official = staff_services.official_create(
                    actor=ACTOR,
                    full_name=f"Đại biểu mô phỏng {district}",
                    civil_service_code=code,
                    employer_unit_code=district,
                )
            deputy = Deputy.objects.filter(council=council, official=official).first()
            if deputy is None:
                deputy = oversight_services.deputy_register(
                    actor=ACTOR,
                    council=council,
                    full_name=official.full_name,
                    constituency=wards,
                    official=official,
                    is_demo=True,
                )
            self.councils[district] = council
            self.deputies[district] = deputy
            self.deputy_officials[district] = official

    def _first_working(self, day: dt.date, weekday: int = 1) -> dt.date:
        while day.weekday() != weekday or not self.sim.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def day(self, day: dt.date) -> None:
        sim = self.sim
        meeting_days = {self._first_working(dt.date(day.year, m, 1)) for m in (7, 12)}
        conference_days = {self._first_working(dt.date(day.year, m, 15), 3) for m in (6, 11)}
        for code, ward in sim.wards.items():
            rng = random.Random(f"{sim.p.seed}:{day.isoformat()}:{code}:oversight")
            try:
                if day in meeting_days:
                    self._meeting(ward, day, rng)
                if day in conference_days and day >= dt.date(2021, 7, 1):
                    self._conference(ward, day, rng)
            except DomainError:
                continue

    def _meeting(self, ward: Any, day: dt.date, rng: random.Random) -> None:
        from cqdt.simulation.workload import TZ, poisson

        sim = self.sim
        held = dt.datetime.combine(day, dt.time(19, 30), TZ)
        if held > sim.horizon:
            return
        official = self.deputy_officials[ward.district]
        meeting = self.services.voter_meeting_record(
            actor=self.actor,
            official=official,
            council=self.councils[ward.district],
            ward_code=ward.code,
            held_at=held,
            location="Nhà văn hóa tổ dân phố",
            deputies=[self.deputies[ward.district]],
            attendees=rng.randint(40, 150),
            now=held + dt.timedelta(hours=2),
            is_demo=True,
        )
        for _ in range(poisson(rng, sim.a.petitions_per_meeting)):
            level = "ward" if rng.random() < 0.7 else "district"
            petition = self.services.petition_receive(
                actor=self.actor,
                official=official,
                meeting=meeting,
                content="Kiến nghị mô phỏng: " + sim.faker.sentence(),
                routed_level=level,
                now=held + dt.timedelta(hours=2),
                is_demo=True,
            )
            sim.summary.petitions += 1
            if level != "ward" or ward.chairman is None or rng.random() >= sim.a.petition_answered:
                continue
            answered = held + dt.timedelta(days=rng.randint(5, 45), hours=rng.randint(-8, 8))
            if answered <= sim.horizon:
                self.services.petition_answer(
                    actor=self.actor,
                    official=ward.chairman,
                    petition=petition,
                    version=petition.version,
                    answer="UBND phường đã tiếp thu và giải quyết theo thẩm quyền.",
                    now=answered,
                )

    def _conference(self, ward: Any, day: dt.date, rng: random.Random) -> None:
        from cqdt.simulation.workload import TZ

        sim = self.sim
        if ward.chairman is None or rng.random() < sim.a.conference_missed:
            return
        scheduled = dt.datetime.combine(day, dt.time(8, 30), TZ)
        announced = scheduled - dt.timedelta(days=10)
        if scheduled > sim.horizon:
            return
        conference = self.services.conference_announce(
            actor=self.actor,
            official=ward.chairman,
            ward_code=ward.code,
            scheduled_at=scheduled,
            topic="Đối thoại về công tác quản lý trật tự đô thị",
            channels=["residential_group_heads", "loudspeaker", "website"],
            location="Hội trường UBND phường",
            announced_at=announced,
            now=announced,
            is_demo=True,
        )
        self.services.conference_hold(
            actor=self.actor,
            official=ward.chairman,
            conference=conference,
            version=conference.version,
            attendees=rng.randint(60, 200),
            minutes="Biên bản hội nghị (mô phỏng).",
            held_at=scheduled + dt.timedelta(hours=2),
            now=scheduled + dt.timedelta(hours=3),
        )
        sim.summary.conferences += 1
