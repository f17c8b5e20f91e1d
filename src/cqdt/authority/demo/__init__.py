"""Demo data: fictional officials of the Hanoi pilot wards, written through the services.

Everything here is invented and labelled as such: civil-service codes start with ``DEMO-``,
names come from Faker ``vi_VN``, dates of birth are drawn at random, and the staff console shows
a "Dữ liệu minh họa (demo)" badge while any such official exists. Ward classes are real data that
the reference set does not carry, so none is invented here: the vice-chairman limit then falls to
the governance model's highest one (2), and a ward gets one or two vice-chairmen.

Every row goes through ``staff.services`` and ``authority.services`` so that each carries its
audit event, and the rules the services enforce (who appoints whom, when, within which term)
hold for the demo as for real data. Each unit is generated from its own seed (``seed`` and the
unit code), so a ward looks the same whether it is loaded alone or with all the others.

Dates: leaders serve 5-year terms (Decree 32/2021/NĐ-CP). The first term starts with the pilot
on 1 July 2021; when the loading date is past the second term's decision date (25 June 2026),
the same leaders are re-appointed for 2026-2031 so that the demo logins still hold posts
"today". Nothing is dated after the loading date.

The plan of each unit's people (``plan``), the loader writing them through the services
(``loader``) and the two loads (``load``: the pilot wards; ``load_successors``: the units from
1 July 2025); what other modules use is re-exported here.
"""

from __future__ import annotations

from cqdt.authority.demo.load import TWO_TIER_START, load, load_successors, pilot_wards
from cqdt.authority.demo.loader import DemoLogin, DemoReport
from cqdt.authority.demo.plan import CITY_CODE, DEMO_PASSWORD, PersonPlan, WardPlan, plan_ward

__all__ = [
    "CITY_CODE",
    "DEMO_PASSWORD",
    "TWO_TIER_START",
    "DemoLogin",
    "DemoReport",
    "PersonPlan",
    "WardPlan",
    "load",
    "load_successors",
    "pilot_wards",
    "plan_ward",
]
