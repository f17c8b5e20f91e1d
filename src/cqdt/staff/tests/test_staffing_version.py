"""The staff's version (``staff.selectors.staffing_version``): the watermark under which the staff
in post are kept per process (``monitoring.selectors.context_reads``). It must change with every
write to every table ``districts_staffing`` reads, however the platform writes it — a service,
``save()``, ``delete()``, a queryset's ``update()`` or ``delete()``, ``bulk_create``,
``bulk_update``, ``core.db.update_rows``, plain SQL — and never come back to a value once seen
(``core.table_versions``)."""

import uuid

import pytest
from django.db import connection, transaction

from cqdt.core.db import update_rows
from cqdt.core.models import TableVersion
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, EndReason, Official
from cqdt.staff.selectors import STAFFING_INPUTS, staffing_version
from cqdt.staff.tests.factories import (
    BA_DINH,
    CHECK_DAY,
    PHUC_XA,
    WITH_LEADERSHIP,
    appoint,
    end_post,
    official,
)
from cqdt.units.models import GovernanceAssignment, GovernanceModel, Unit

pytestmark = WITH_LEADERSHIP


def _justice(leadership):
    return Appointment.objects.get(pk=leadership.justice_post.pk)


def _appointed(leadership):
    appoint(
        official(BA_DINH),
        PHUC_XA,
        posts.CULTURE_SOCIETY,
        by=leadership.district_chairman,
        by_unit=BA_DINH,
        kind=AppointmentKind.ASSIGNMENT,
    )


def _ended(leadership):
    end_post(leadership.justice_post, CHECK_DAY, EndReason.TRANSFER, "41/QĐ-UBND")


def _saved(leadership):
    post = _justice(leadership)
    post.term_start = CHECK_DAY
    post.save(update_fields=["term_start"])


def _deleted(leadership):
    _justice(leadership).delete()


def _updated(leadership):
    Appointment.objects.filter(pk=leadership.justice_post.pk).update(post=posts.CULTURE_SOCIETY)


def _deleted_in_bulk(leadership):
    Appointment.objects.filter(pk=leadership.justice_post.pk).delete()


def _created_in_bulk(leadership):
    row = _justice(leadership)
    row.pk, row.public_id, row.post = None, uuid.uuid4(), posts.CULTURE_SOCIETY
    Appointment.objects.bulk_create([row])


def _updated_in_bulk(leadership):
    post = _justice(leadership)
    post.ended_on = CHECK_DAY
    Appointment.objects.bulk_update([post], ["ended_on"])


def _update_rows(leadership):
    post = _justice(leadership)
    post.ended_on = CHECK_DAY
    update_rows([post], ["ended_on"])


def _plain_sql(leadership):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE staff_appointment SET ended_on = %s WHERE id = %s",
            [CHECK_DAY, leadership.justice_post.pk],
        )


def _population(leadership):
    """A ward's population (the staff read's rows carry it)."""
    unit = Unit.objects.filter(code=PHUC_XA).order_by("pk").first()
    unit.population = (unit.population or 0) + 1
    unit.save(update_fields=["population"])


def _populations_in_bulk(leadership):
    Unit.objects.filter(parent_code=BA_DINH).update(population=1)


def _norm(leadership):
    """The pilot's norm (on average at most 15 civil servants a ward, Decree 32/2021/NĐ-CP)."""
    for model in GovernanceModel.objects.all():
        model.staffing_norm = {**model.staffing_norm, "average_max_per_unit": 14}
        model.save(update_fields=["staffing_norm"])


def _governance(leadership):
    """Which model governs a ward (whether it counts in its district's average)."""
    GovernanceAssignment.objects.filter(unit_code=PHUC_XA).update(legal_basis="Thử")


WRITES = {
    "appointed (service)": _appointed,
    "ended (service)": _ended,
    "saved": _saved,
    "deleted": _deleted,
    "queryset update": _updated,
    "queryset delete": _deleted_in_bulk,
    "bulk_create": _created_in_bulk,
    "bulk_update": _updated_in_bulk,
    "core.db.update_rows": _update_rows,
    "plain SQL": _plain_sql,
    "unit saved": _population,
    "units updated": _populations_in_bulk,
    "norm saved": _norm,
    "governance updated": _governance,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_to_what_the_staff_are_read_from_changes_the_version(leadership, write):
    before = staffing_version()
    assert before is not None
    write(leadership)
    assert staffing_version() not in (None, before)


def test_every_table_the_staff_are_read_from_is_watched(leadership):
    """A table ``districts_staffing`` reads and no trigger keeps would leave the version None
    (nothing kept): each of them has its version."""
    tables = {m._meta.db_table for m in STAFFING_INPUTS}
    assert set(TableVersion.objects.filter(name__in=tables).values_list("name", flat=True)) == (
        tables
    )


def test_a_write_elsewhere_leaves_the_version(leadership):
    """An official's name is not read by the staff counts."""
    before = staffing_version()
    Official.objects.filter(pk=leadership.justice.pk).update(full_name="Nguyễn Văn Thử")
    assert staffing_version() == before


def test_a_version_seen_in_a_rolled_back_transaction_never_comes_back(leadership):
    """A reader inside a transaction that wrote (say, a request that failed after appointing)
    keeps what it read under a version no committed state ever has: a counter would come back
    to it, with other rows behind it."""
    before = staffing_version()
    with transaction.atomic():
        _appointed(leadership)
        inside = staffing_version()
        transaction.set_rollback(True)
    assert staffing_version() == before
    _ended(leadership)
    after = staffing_version()
    assert len({before, inside, after}) == 3


def test_a_table_without_its_version_gives_none(leadership):
    """(A truncated table, or one never watched:) keep nothing rather than keep blind."""
    TableVersion.objects.filter(name=Appointment._meta.db_table).delete()
    assert staffing_version() is None
    _appointed(leadership)  # the trigger writes it again
    assert staffing_version() is not None
