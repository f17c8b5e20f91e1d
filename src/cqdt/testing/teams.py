"""Teams of a pilot ward built from the kit's factories, through the services.

One builder for every context's tests and for the bench: ``district_chairman`` (elected by the
district council), ``ward_team`` (chairman, vice-chairman, desk officer who also holds the
one-stop desk, justice officer, all appointed by the district chairman), ``ward_leadership``
(the staff and authority tests' shape: two vice-chairmen and a justice officer assigned the
civil-status and certification fields), ``city_monitor``. Terms start on the pilot's first day,
1 July 2021 (Resolution 97/2019/QH14), and last five years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, Official
from cqdt.testing.factories import (
    DISTRICT,
    SYSTEM,
    TERM,
    WARD,
    AppointmentFactory,
    OfficialFactory,
    UserFactory,
)

# The keys of a ward team and their posts, in the order they are appointed.
TEAM_POSTS = {
    "chair": posts.CHAIRMAN,
    "vice": posts.VICE_CHAIRMAN,
    "desk": posts.OFFICE_STATISTICS,
    "justice": posts.JUSTICE_CIVIL_STATUS,
}


def _given(**kwargs: Any) -> dict[str, Any]:
    """The keyword arguments that were given (``None`` leaves the factory's default)."""
    return {k: v for k, v in kwargs.items() if v is not None}


def _appointment(**kwargs: Any) -> Appointment:
    return cast(Appointment, AppointmentFactory(**kwargs))


def official(
    code: str | None = None, employer: str = DISTRICT, name: str | None = None
) -> Official:
    """An official employed by ``employer`` (a code and a name of the factory's unless given)."""
    return cast(
        Official,
        OfficialFactory(
            **_given(civil_service_code=code, employer_unit_code=employer, full_name=name)
        ),
    )


def elect_chairman(
    unit_code: str,
    *,
    term_start: dt.date = TERM,
    term_end: dt.date | None = None,
    person: Official | None = None,
    code: str | None = None,
    name: str | None = None,
) -> Appointment:
    """A chairman elected by the unit's own council (standard-2015 model: no deciding official)."""
    return _appointment(
        elected=True,
        official=person or official(code, unit_code, name),
        unit_code=unit_code,
        post=posts.CHAIRMAN,
        term_start=term_start,
        term_end=term_end,
    )


def district_chairman(district: str = DISTRICT, code: str | None = None, **kw: Any) -> Official:
    return elect_chairman(district, code=code, **kw).official


def appoint(
    person: Official,
    unit_code: str,
    post: str,
    *,
    by: Official | None,
    by_unit: str = DISTRICT,
    **kwargs: Any,
) -> Appointment:
    """An appointment of ``person`` decided by ``by`` (the chairman of ``by_unit``); other
    keywords (``term_start``, ``term_end``, ``decision_date``, ``kind``, ``fields``,
    ``decision_number``) go to the factory."""
    return _appointment(
        official=person,
        unit_code=unit_code,
        post=post,
        deciding_official=by,
        deciding_unit_code=by_unit,
        **_given(**kwargs),
    )


def ward_team(
    ward: str,
    district: str,
    chair_of_district: Official,
    prefix: str,
    *,
    names: dict[str, str] | None = None,
    keys: tuple[str, ...] = tuple(TEAM_POSTS),
) -> dict[str, Official]:
    """Chairman, a vice-chairman, a desk officer (office–statistics + one-stop desk), a justice
    officer (or the ``keys`` asked for); civil-service codes ``<prefix>-<key>``, decisions
    ``<prefix>-<key>/QĐ-UBND``."""
    team: dict[str, Official] = {}
    for key in keys:
        person = official(f"{prefix}-{key}", district, (names or {}).get(key))
        number = f"{prefix}-{key}/QĐ-UBND"
        appoint(
            person,
            ward,
            TEAM_POSTS[key],
            by=chair_of_district,
            by_unit=district,
            decision_number=number,
        )
        team[key] = person
    if "desk" in team:
        AppointmentFactory(
            one_stop=True,
            official=team["desk"],
            unit_code=ward,
            deciding_official=chair_of_district,
            deciding_unit_code=district,
        )
    return team


def assignment(
    unit_code: str,
    post: str,
    *,
    person: Official | None = None,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
) -> Appointment:
    """An assignment to ``post`` of ``unit_code`` decided by that unit itself (a city monitor of
    its province, a civil servant of its district): of ``person``, else of a new official the
    unit employs; the term the factory's unless given."""
    return _appointment(
        assignment=True,
        official=person or official(employer=unit_code),
        unit_code=unit_code,
        post=post,
        deciding_unit_code=unit_code,
        **_given(term_start=term_start, term_end=term_end),
    )


def city_monitor(code: str | None = None, name: str | None = None) -> Official:
    """A Department of Home Affairs officer monitoring the city (sees Hanoi's units, those it
    held before included, and no other province's; no personal data)."""
    return assignment("01", posts.CITY_MONITOR, person=official(code, "01", name)).official


def login_for(official_: Official, django_user_model: Any = None, username: str = "") -> Any:
    """Give ``official_`` a login ``username`` (password ``x``)."""
    user = cast(Any, UserFactory(username=username))
    official_.user = user
    official_.save(update_fields=["user"])
    return user


def with_logins(people: dict[str, Any], prefix: str = "u") -> dict[str, Any]:
    """Each official of ``people`` gets the login ``<prefix>_<key>``, kept as ``user_<key>``."""
    for key, person in list(people.items()):
        if isinstance(person, Official):
            people[f"user_{key}"] = login_for(person, username=f"{prefix}_{key}")
    return people


@dataclass
class WardLeadership:
    ward: str
    district_chairman: Official
    district_chair: Appointment
    chairman: Official
    chair: Appointment
    vice_chairmen: list[Official]
    justice: Official
    justice_post: Appointment

    def team(self) -> dict[str, Official]:
        """The leadership as ``delegate`` and ``assign_field`` name its people: ``chair``,
        ``vice`` and ``other_vice`` (its vice-chairmen in order), ``justice``."""
        vices = dict(zip(("vice", "other_vice"), self.vice_chairmen, strict=False))
        return {"chair": self.chairman, **vices, "justice": self.justice}


def ward_leadership(
    ward: str = WARD,
    district: str = DISTRICT,
    *,
    vice_chairmen: int = 2,
    term_start: dt.date = TERM,
    district_chair: Appointment | None = None,
) -> WardLeadership:
    """The district chairman (elected), the ward chairman he appoints, vice-chairmen, and the
    Justice–Civil status civil servant (a district employee assigned to the ward)."""
    if district_chair is None:
        district_chair = elect_chairman(district, term_start=term_start)
    boss = district_chair.official

    def post(person: Official, name: str, **kw: Any) -> Appointment:
        return appoint(person, ward, name, by=boss, by_unit=district, term_start=term_start, **kw)

    chairman = official(employer=district)
    chair = post(chairman, posts.CHAIRMAN)
    vices = [official(employer=district) for _ in range(vice_chairmen)]
    for vice in vices:
        post(vice, posts.VICE_CHAIRMAN)
    justice = official(employer=district)
    justice_post = post(
        justice,
        posts.JUSTICE_CIVIL_STATUS,
        kind=AppointmentKind.ASSIGNMENT,
        fields=["civil_status", "certification"],
    )
    return WardLeadership(ward, boss, district_chair, chairman, chair, vices, justice, justice_post)


def _instrument(day: dt.date, number: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The keywords of a ward chairman's instrument (decision ``number``, at ward ``unit``,
    ``WARD`` unless given) taking effect on ``day``, the day it is signed; plus ``kwargs``."""
    unit = kwargs.pop("unit", WARD)
    number = kwargs.pop("number", number)
    return {"actor": SYSTEM, "unit_code": unit, "instrument_number": number} | {
        "instrument_date": day,
        "valid_from": day,
        **kwargs,
    }


def delegate(team: dict[str, Any], day: dt.date, to: str = "justice", **kwargs: Any) -> Any:
    """The ward chairman delegates signing (``scope``, certified copies by default) to
    ``team[to]`` from ``day`` (Decree 30/2020/NĐ-CP: "TUQ."); ``unit``, ``number`` and the
    service's own keywords (``valid_to``, ``seal_allowed``) may be given."""
    from cqdt.authority.services import delegation_grant

    scope = list(kwargs.pop("scope", ["certify_copy"]))
    return delegation_grant(
        delegator=team["chair"],
        delegate=team[to],
        scope=scope,
        **_instrument(day, "15/QĐ-UBND", kwargs),
    )


def assign_field(team: dict[str, Any], day: dt.date, to: str = "vice", **kwargs: Any) -> Any:
    """The ward chairman assigns ``fields`` (civil status by default) to ``team[to]`` from
    ``day``: a vice-chairman then signs "KT." in them (Law on Local Government Organisation 2015
    Art. 36); ``unit``, ``number`` and ``valid_to`` may be given."""
    from cqdt.authority.services import field_assignment_create

    fields = list(kwargs.pop("fields", ["civil_status"]))
    return field_assignment_create(
        assigner=team["chair"],
        assignee=team[to],
        fields=fields,
        **_instrument(day, "12/QĐ-UBND", kwargs),
    )


def elect_deputy(
    district: str, code: str, name: str = "Trần Đại Biểu", number: str = ""
) -> Official:
    """A deputy elected to the district council (election record ``number``)."""
    deputy = official(code, district, name)
    AppointmentFactory(
        elected=True,
        official=deputy,
        unit_code=district,
        post=posts.COUNCIL_DEPUTY,
        **_given(decision_number=number or None),
    )
    return deputy


def seat_deputy(
    deputy: Official | None,
    constituency: list[str],
    district: str = DISTRICT,
    *,
    council_name: str = "HĐND quận Ba Đình, nhiệm kỳ 2021–2026",
    full_name: str = "Trần Đại Biểu",
    actor: Any = SYSTEM,
) -> tuple[Any, Any]:
    """The district's People's Council for the 2021–2026 term (from ``TERM``, five years, or to
    the district's last day if it ended first: 30 June 2025 with Hanoi's history loaded — a term
    cannot outlive its unit) and ``deputy``'s seat in it for the wards of ``constituency``,
    through the oversight services (Resolution 97/2019/QH14: the district council supervises
    the pilot's wards)."""
    from cqdt.oversight import services as oversight
    from cqdt.units import selectors as unit_selectors

    term_end = TERM.replace(year=TERM.year + 5) - dt.timedelta(days=1)
    held = unit_selectors.holdings_on([district], TERM).get(district)
    if held is not None and held.last_day is not None:
        term_end = min(term_end, held.last_day)
    council = oversight.council_create(
        actor=actor, unit_code=district, name=council_name, term_start=TERM, term_end=term_end
    )
    seat = oversight.deputy_register(
        actor=actor,
        council=council,
        full_name=full_name,
        constituency=constituency,
        official=deputy,
    )
    return council, seat


def second_factor(client: Any, user: Any) -> Any:
    """Give ``user`` a confirmed TOTP device and mark ``client``'s session verified with it, as
    entering a code would (issue 18: signing and delegating need a second factor)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def post_json(client: Any, url: str, body: Any) -> Any:
    """``client`` posts ``body`` to ``url`` as JSON (the API's requests)."""
    return client.post(url, body, content_type="application/json")


def json_ok(response: Any) -> Any:
    """The API's answer as JSON, once it is a 200 (the body in the failure message if not)."""
    assert response.status_code == 200, response.content.decode()
    return response.json()


def bearer_client(user: Any) -> Any:
    """A client that is ``user`` through a fresh API token (no session), as an integrator."""
    from django.test import Client

    from cqdt.core.audit import Actor
    from cqdt.core.tokens import token_issue

    _, secret = token_issue(actor=Actor.system("test"), user=user)
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")


def moved_through_api(client: Any, api: str, obj: Any, action: str, body: dict, now: Any) -> Any:
    """``client`` posts ``action`` on ``obj`` (a dossier or a report: ``code``, ``version``,
    ``events``) to ``{api}/{code}/actions/{action}`` with ``body``. It answers 200; the move's
    event is the last, at ``now``; the object stays real activity (``is_demo`` false). The
    object as moved, read again."""
    url = f"{api}/{obj.code}/actions/{action}"
    response = post_json(client, url, {"version": obj.version} | body)
    assert response.status_code == 200, response.content.decode()
    moved = type(obj).objects.get(pk=obj.pk)
    last = moved.events.order_by("-id").first()
    assert (last.action, last.at) == (action, now)
    assert moved.is_demo is False
    return moved
