"""The workload generator: a period of Hanoi ward activity driven through the real services.

``cqdt simulate --from 2021-07-01 --to 2022-06-30 --seed 1`` writes, day by day, what the pilot
wards would have seen: dossiers (intake, acceptance, assignment, supplements, signing under the
authority resolver — delegations included —, returns, apologies, refusals, withdrawals, ratings),
feedback reports, and — when the oversight app is installed — voter meetings, petitions with
their answers, and dialogue conferences. Every write goes through the services, so every dossier
has a valid code, its timeline and its audit events. Everything is fictional and labelled
``is_demo``; the officials come from ``staff.demo`` (``DEMO-`` codes).

The model, and what it assumes (each figure can be changed in :class:`Assumptions`):

* **Volume.** Hanoi's common procedures come to about 2.39 million dossiers a year at the
  commune level (DOMAIN, "Workload"): ≈ 16.5 per unit and working day over 579 units. A ward's
  rate is that, times its population over the mean population of the simulated wards **when
  every simulated ward has a population; otherwise every ward gets the same rate** (the reference
  data carries no population, and none is invented). ``--scale`` takes a share of it (default
  0.02): the full volume through the services takes hours.
* **Seasons.** The two weeks before Tết bring 40% more, the week after it 30% less; the last
  three working days of a month 25% more, the first two 10% less. Counter dossiers arrive on
  working days in office hours; online ones at any hour, a quarter as many on days off.
* **Mix.** Fields as the demo (certification 55%, civil status 28%, …); the online share grows
  from 30% (July 2021) by 15 points a year up to 60% (Hanoi, Q3 2025: 59.7%).
* **Capacity.** Each civil servant in post handles ``cs_capacity`` dossiers a working day (real
  scale). A ward's load is its real daily rate (with the season) over its capacity; past 85% the
  chance that a dossier runs late grows (1% + 30% × the excess, at most 50%). Three late dossiers
  in four get an apology (Mẫu 04) at least one working day before their due date (when
  processing had begun by then).
* **Signatures.** Whoever the resolver allows first, in this order: a delegate (the justice
  officer holding a delegation for certified copies, from 2022 in about half the wards), a
  vice-chairman in the fields assigned to him, the chairman.
* **Feedback.** iHanoi received 23,910 reports in five months of 2024, 83% handled: ≈ 0.27 per
  unit and day, at the same scale; ward-level categories only.

Deterministic: each ward-day draws from its own generator seeded by (seed, day, ward), so a day's
activity does not depend on which days ran before in this process. Resumable: each arrival day
is written in one transaction together with the run's watermark (``SimulationRun``); a run that
stops resumes on the next day. Steps dated after the horizon (the end of ``--to``, or now if
earlier) are left undone, as they would be in a real ward on that day.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.dossiers import services
from cqdt.dossiers.arrivals import office_moment
from cqdt.dossiers.demo import Signers, file_arrival, give_result
from cqdt.procedures.models import Procedure
from cqdt.procedures.selectors import procedures_on
from cqdt.simulation.model import (
    FIELD_PROCESSOR,
    FIELD_WEIGHTS,
    REAL_DOSSIERS_PER_UNIT_DAY,
    REAL_REPORTS_PER_UNIT_DAY,
    WARD_CATEGORIES,
    Assumptions,
    Params,
    Summary,
    Ward,
    online_share,
    poisson,
    season,
)
from cqdt.simulation.models import RunStatus, SimulationRun
from cqdt.staff import posts
from cqdt.staff.selectors import holders
from cqdt.units import selectors as unit_selectors
from cqdt.workdays import calendar as cal
from cqdt.workdays.selectors import calendar_for

ACTOR = Actor.system("simulate")
TZ = cal.TZ


class Simulation:
    def __init__(
        self,
        params: Params,
        *,
        assumptions: Assumptions | None = None,
        progress: Callable[[str], None] | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        self.p = params
        self.a = assumptions or Assumptions()
        self.progress = progress
        end_of_period = dt.datetime.combine(params.end, dt.time(23, 59), TZ)
        self.horizon = min(end_of_period, now or timezone.now())
        self.calendar = calendar_for()
        self.faker = Faker("vi_VN")
        self.summary = Summary()
        self.wards: dict[str, Ward] = {}
        self.by_field: dict[str, list[Procedure]] = {}
        self.oversight: Any = None

    # -- set-up -----------------------------------------------------------------------------
    def prepare(self) -> None:
        """Reference data, the demo officials of the wards, procedures (idempotent)."""
        from cqdt.authority import demo as staff_demo
        from cqdt.dossiers.reference import desks_load
        from cqdt.feedback import services as feedback_services
        from cqdt.procedures.reference import CATALOG, catalog_load
        from cqdt.units.reference import reference_data_load

        reference_data_load()
        if CATALOG.exists():
            catalog_load()
        desks_load()
        feedback_services.categories_load()
        staff_demo.load(seed=self.p.seed, wards=list(self.p.wards), today=self.p.end)
        on = max(self.p.start, dt.date(2021, 7, 1))
        procedures = [
            p
            for p in procedures_on(on)
            if p.competent_level == "commune"
            and (p.time_kind != "working_days" or p.time_value <= 20)
        ]
        for proc in sorted(procedures, key=lambda x: x.slug):
            self.by_field.setdefault(proc.field, []).append(proc)
        units = {u.code: u for u in unit_selectors.units_on(on).filter(code__in=self.p.wards)}
        populations = [units[c].population for c in self.p.wards if c in units]
        known = bool(populations) and all(populations)
        mean = sum(p or 0 for p in populations) / len(populations) if known else 0
        for code in self.p.wards:
            unit = units.get(code)
            desk = holders(code, posts.ONE_STOP_DESK, on).first()
            if unit is None or desk is None:
                self.summary.skipped.append(code)
                continue
            processors = {}
            for post in posts.CIVIL_SERVANT_POSTS:
                holding = holders(code, post, on).order_by("official_id").first()
                if holding is not None:
                    processors[post] = holding.official
            civil_servants = holders(code, posts.JUSTICE_CIVIL_STATUS, on).count() + sum(
                holders(code, p, on).count()
                for p in posts.CIVIL_SERVANT_POSTS
                if p != posts.JUSTICE_CIVIL_STATUS
            )
            vices = [a.official for a in holders(code, posts.VICE_CHAIRMAN, on).order_by("id")]
            chair = holders(code, posts.CHAIRMAN, on).order_by("id").first()
            justice = processors.get(posts.JUSTICE_CIVIL_STATUS)
            signers = [*([justice] if justice else []), *vices]
            if chair is not None:
                signers.append(chair.official)
            rate = REAL_DOSSIERS_PER_UNIT_DAY * ((unit.population or 0) / mean if known else 1.0)
            self.wards[code] = Ward(
                code,
                unit.parent_code,
                desk.official,
                processors,
                Signers(code, signers),
                chair.official if chair else None,
                max(civil_servants, 1),
                rate,
            )
        from cqdt.simulation.oversight import OversightDriver

        self.oversight = OversightDriver(self)

    # -- one day ----------------------------------------------------------------------------
    def day(self, day: dt.date) -> None:
        working = self.calendar.is_working_day(day)
        factor = season(day, self.calendar)
        share = online_share(day)
        self.faker.seed_instance(f"{self.p.seed}:{day.isoformat()}")
        arrivals: list[tuple[dt.datetime, str, Procedure, str, random.Random, float]] = []
        fields = [f for f in FIELD_WEIGHTS if f in self.by_field]
        weights = [FIELD_WEIGHTS[f] for f in fields]
        for code, ward in self.wards.items():
            rng = random.Random(f"{self.p.seed}:{day.isoformat()}:{code}")
            load = ward.real_rate * factor / (ward.civil_servants * self.a.cs_capacity)
            ward_late = min(
                self.a.late_max,
                self.a.late_base + self.a.late_slope * max(0.0, load - self.a.busy_from),
            )
            mean = ward.real_rate * self.p.scale * factor
            counter = poisson(rng, mean * (1 - share)) if working else 0
            online = poisson(rng, mean * share * (1.0 if working else 0.25))
            for k in range(counter + online):
                procedure = rng.choice(self.by_field[rng.choices(fields, weights)[0]])
                channel = "online" if k >= counter and procedure.online_allowed else "counter"
                if channel == "counter" and rng.random() < 0.02:
                    channel = "post"
                if channel == "online":
                    at = dt.datetime.combine(day, dt.time(0), TZ) + dt.timedelta(
                        minutes=rng.randint(6 * 60, 23 * 60)
                    )
                elif working:
                    at = office_moment(day, rng)
                else:
                    continue
                arrivals.append(
                    (at, code, procedure, channel, random.Random(rng.getrandbits(64)), ward_late)
                )
            reports = poisson(rng, REAL_REPORTS_PER_UNIT_DAY * self.p.scale * factor)
            for _ in range(reports if working else 0):
                self._report(ward, day, random.Random(rng.getrandbits(64)))
        arrivals.sort(key=lambda a: (a[0], a[1]))
        for at, code, procedure, channel, rng, late_p in arrivals:
            if at > self.horizon:
                continue
            try:
                self._life(self.wards[code], procedure, channel, at, rng, late_p)
            except DomainError:
                continue  # a rule refused a planned step: the dossier stays where it is
        if self.oversight is not None:
            self.oversight.day(day)

    def _later(self, moment: dt.datetime, rng: random.Random, max_hours: float) -> dt.datetime:
        return self.calendar.due_for_working_hours(moment, rng.uniform(0.1, max_hours)).due_at

    def _life(
        self,
        ward: Ward,
        procedure: Procedure,
        channel: str,
        at: dt.datetime,
        rng: random.Random,
        late_p: float,
    ) -> None:
        a = self.a
        filed = file_arrival(
            ACTOR, rng, self.faker, ward.code, ward.desk, procedure, channel, at, self.horizon
        )
        self.summary.dossiers += 1
        code, step = filed.code, filed.step
        desk = ward.desk
        counter = channel != "online"

        t = at if counter else self._later(at, rng, 6)
        if rng.random() < a.refuse:
            if step(
                t, services.dossier_refuse, official=desk, reason="Hồ sơ không thuộc thẩm quyền."
            ):
                self.summary.refused += 1
            return
        if rng.random() < a.intake_supplement:
            if not step(
                t, services.dossier_request_supplement, official=desk, reason="Thiếu giấy tờ."
            ):
                return
            back = filed.resubmitted(self.calendar, rng, t, 3, desk)
            if back is None:
                return
            t = back
        processor = ward.processors.get(
            FIELD_PROCESSOR.get(procedure.field, posts.OFFICE_STATISTICS)
        ) or next(iter(ward.processors.values()), desk)
        started = filed.accepted_and_started(self.calendar, rng, t, desk=desk, processor=processor)
        if started is None:
            return
        t, due = started, filed.due()
        if rng.random() < a.withdraw:
            step(
                t + (due - t) * 0.3,
                services.dossier_withdraw,
                official=desk,
                reason="Người nộp đề nghị rút hồ sơ.",
            )
            return
        if (
            procedure.time_kind == "working_days"
            and procedure.time_value >= 3
            and rng.random() < a.processing_supplement
        ):
            ask = t + (due - t) * rng.uniform(0.1, 0.4)
            if not step(
                ask,
                services.dossier_request_supplement,
                official=processor,
                reason="Cần bổ sung giấy tờ chứng minh nơi cư trú.",
            ):
                return
            back = filed.resubmitted(self.calendar, rng, ask, 4, desk)
            if back is None:
                return
            t = back
            due = filed.due()
        late = rng.random() < late_p
        returned = give_result(
            filed,
            self.calendar,
            rng,
            self.summary,
            processor=processor,
            signer_of=lambda finish: ward.signers.of(procedure, finish),
            desk=desk,
            since=t,
            due=due,
            late=late,
            apology_share=a.apology_when_late,
        )
        if returned is None:
            return
        self.summary.late += int(returned > due or late)
        rated = returned + dt.timedelta(hours=rng.uniform(0.5, 30))
        if rated <= self.horizon and rng.random() < a.rated:
            ratings = (5, 4, 3, 2, 1)
            odds = (25, 25, 20, 15, 15) if late else (60, 25, 10, 3, 2)
            services.dossier_rate(
                code=code, secret=filed.secret, rating=rng.choices(ratings, odds)[0], now=rated
            )
            self.summary.ratings += 1

    def _report(self, ward: Ward, day: dt.date, rng: random.Random) -> None:
        from cqdt.feedback import services as feedback_services

        at = office_moment(day, rng)
        if at > self.horizon:
            return
        try:
            r = feedback_services.report_submit(
                actor=Actor.system("simulate-citizen"),
                category_code=rng.choice(WARD_CATEGORIES),
                description="Phản ánh mô phỏng: " + self.faker.sentence(),
                ward_code=ward.code,
                is_demo=True,
                now=at,
            ).report
            self.summary.reports += 1
            ack = self._later(at, rng, 6)
            if ack > self.horizon:
                return
            r = feedback_services.report_acknowledge(
                actor=ACTOR, official=ward.desk, code=r.code, version=r.version, now=ack
            )
            if rng.random() >= self.a.feedback_resolved:
                return
            due = r.resolve_due_at
            done = (
                self.calendar.due_for_working_hours(due, rng.uniform(2, 30)).due_at
                if rng.random() < self.a.feedback_late
                else ack + (due - ack) * rng.uniform(0.2, 0.95)
            )
            if done <= self.horizon:
                feedback_services.report_resolve(
                    actor=ACTOR,
                    official=ward.desk,
                    code=r.code,
                    version=r.version,
                    resolution="Đã kiểm tra, xử lý theo quy định.",
                    now=done,
                )
        except DomainError:
            return


# --- runs ------------------------------------------------------------------------------------


def pilot_ward_codes(on: dt.date) -> list[str]:
    """The wards without a council on ``on`` (the pilot's; loads the reference data first)."""
    from cqdt.units.reference import reference_data_load

    reference_data_load()
    return unit_selectors.wards_without_council(max(on, dt.date(2021, 7, 1)))


def progress_bar(stream: Any = sys.stderr) -> Callable[[int, int, str], None]:
    started = time.perf_counter()

    def show(done: int, total: int, text: str) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        elapsed = time.perf_counter() - started
        stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} days {text} "
            f"{elapsed:,.0f} s"
        )
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def simulate(
    *,
    start: dt.date,
    end: dt.date,
    seed: int = 1,
    scale: float = 0.02,
    wards: Sequence[str] | None = None,
    assumptions: Assumptions | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    stop_after_days: int | None = None,
) -> Summary:
    """Run (or resume) the simulation of [start, end]; see the module docstring."""
    if end < start:
        raise ValueError("end before start")
    codes = tuple(sorted(wards)) if wards else tuple(sorted(pilot_ward_codes(start)))
    params = Params(seed, start, end, scale, codes)
    started = time.perf_counter()
    sim = Simulation(params, assumptions=assumptions, now=now)
    sim.prepare()
    run, _ = SimulationRun.objects.get_or_create(
        key=params.key,
        defaults={
            "seed": seed,
            "start": start,
            "end": end,
            "scale": scale,
            "wards": list(codes),
        },
    )
    if run.status == RunStatus.DONE:
        sim.summary.resumed_from = None
        sim.summary.seconds = time.perf_counter() - started
        return sim.summary
    first = start
    if run.last_day_done is not None:
        first = run.last_day_done + dt.timedelta(days=1)
        sim.summary.resumed_from = first
    total = (end - start).days + 1
    day = first
    done_now = 0
    while day <= end:
        before = (sim.summary.dossiers, sim.summary.reports)
        with transaction.atomic():
            sim.day(day)
            run.last_day_done = day
            run.dossiers += sim.summary.dossiers - before[0]
            run.reports += sim.summary.reports - before[1]
            run.save(update_fields=["last_day_done", "dossiers", "reports", "updated_at"])
        sim.summary.days += 1
        done_now += 1
        if progress:
            progress((day - start).days + 1, total, f"{day} · {sim.summary.dossiers:,} dossiers")
        day += dt.timedelta(days=1)
        if stop_after_days is not None and done_now >= stop_after_days and day <= end:
            sim.summary.seconds = time.perf_counter() - started
            return sim.summary
    SimulationRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)
    sim.summary.seconds = time.perf_counter() - started
    return sim.summary
