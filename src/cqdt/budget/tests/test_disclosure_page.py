"""The disclosure page reads what it shows once: the unit whose forms they are is read for its
structure and for its name in the heading by the same query (it was read twice)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqdt.budget.tests.conftest import WARD, approved_pilot_estimate, pay
from cqdt.testing import logged_in

pytestmark = pytest.mark.django_db
URL = "/staff/budget/disclosure/"

# The session and its account, the account's posts in force, the ward (once), its governance
# model in force and its supervising council's unit, the three reads of the report rows
# (payments, later adjustments, the lines), and the unit select's two (the communes and wards
# in the caller's scope, their parents).
PAGE_QUERIES = 11


def test_the_disclosure_page_reads_the_unit_once(pilot):
    e = approved_pilot_estimate(pilot)
    pay(pilot.accountant, e, "6001", 50_000_000, dt.date(2022, 1, 25))
    with time_machine.travel(dt.datetime(2022, 6, 15, 9, tzinfo=dt.UTC), tick=False):
        client = logged_in(pilot.accountant.user)
        client.get(URL, {"unit": WARD, "year": 2022})  # caches of reference rows filled
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"unit": WARD, "year": 2022})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<h1>[^<]*— Phường Phúc Xá \(00001\), 2022</h1>", html)
    ward_reads = [
        q["sql"]
        for q in queries.captured_queries
        if f'"units_unit"."code" = \'{WARD}\'' in q["sql"]
    ]
    assert len(ward_reads) == 1, ward_reads
    assert len(queries.captured_queries) == PAGE_QUERIES, [
        q["sql"][:120] for q in queries.captured_queries
    ]
