"""The pilot's scope and its last day, kept per process under the governance's version
(``units.selectors.governance_version``, ``core.table_versions.kept``): a write to a unit or a
governance assignment, however made, shows on the very next call, the process's cache left as it
is in between. Each test fails when the kept value's key leaves the version out."""

import datetime as dt

from django.core.cache import caches
from django.db import connection

from cqdt.monitoring import selectors
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import GovernanceAssignment, Unit

DAY = dt.date(2021, 7, 5)
PHUC_XA = "00001"
TRUC_BACH = "00004"


def _unit_on_day(code: str) -> Unit:
    return unit_selectors.units_on(DAY).get(code=code)


def test_a_ward_renamed_by_a_queryset_update_shows_in_the_next_scope(reference_data):
    assert selectors.scope_on(DAY).unit(PHUC_XA).name != "Phường Thử Nghiệm"
    Unit.objects.filter(pk=_unit_on_day(PHUC_XA).pk).update(name="Phường Thử Nghiệm")
    assert selectors.scope_on(DAY).unit(PHUC_XA).name == "Phường Thử Nghiệm"


def test_a_ward_taken_out_of_the_model_by_plain_sql_leaves_the_next_scope(reference_data):
    assert PHUC_XA in {w.code for w in selectors.scope_on(DAY).wards_of("001")}
    table = connection.ops.quote_name(GovernanceAssignment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE unit_code = %s", [PHUC_XA])  # noqa: S608
    wards = {w.code for w in selectors.scope_on(DAY).wards_of("001")}
    assert PHUC_XA not in wards
    assert TRUC_BACH in wards


def test_the_pilot_s_last_day_follows_its_assignments_end(reference_data):
    pilot = GovernanceAssignment.objects.filter(model__has_people_council=False)
    assert selectors.pilot_last_day() is None  # the 2021 world: in force open-ended
    pilot.update(valid_to=dt.date(2025, 7, 1))
    assert selectors.pilot_last_day() == dt.date(2025, 6, 30)
    pilot.filter(unit_code=PHUC_XA).update(valid_to=dt.date(2025, 8, 1))
    assert selectors.pilot_last_day() == dt.date(2025, 7, 31)


def test_a_kept_scope_is_read_again_only_after_a_write(reference_data, django_assert_num_queries):
    caches["local"].clear()
    selectors.scope_on(DAY)
    with django_assert_num_queries(1):  # the version; the scope is kept
        selectors.scope_on(DAY)


def _read_twice(request):
    from django.http import HttpResponse

    first, second = unit_selectors.governance_version(), unit_selectors.governance_version()
    return HttpResponse(f"{first == second}")


def test_a_get_reads_each_watermark_once_and_a_post_every_time(
    reference_data, rf, django_assert_num_queries
):
    from cqdt.core.middleware import ReadVersionsOnceMiddleware

    once = ReadVersionsOnceMiddleware(_read_twice)
    with django_assert_num_queries(1):
        assert once(rf.get("/")).content == b"True"
    with django_assert_num_queries(2):  # a POST may write a watched table between the two
        assert once(rf.post("/")).content == b"True"
