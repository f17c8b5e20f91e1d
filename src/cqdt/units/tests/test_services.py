import datetime as dt

import pytest

from cqdt.core.audit import Actor, audit_verify
from cqdt.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from cqdt.core.models import AuditEvent
from cqdt.units import selectors
from cqdt.units.models import Unit, UnitSuccession
from cqdt.units.services import NewUnit, unit_merge, unit_rename, unit_reparent, unit_split

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("test")
MERGE_DAY = dt.date(2023, 1, 1)


def test_merge_two_wards_before_both_exist_after_one_successor(client, reference_data):
    # Phúc Xá (00001) and Trúc Bạch (00004), Quận Ba Đình.
    successor = unit_merge(
        actor=ACTOR,
        codes=["00001", "00004"],
        into=NewUnit(code="00001", name="Phường Phúc Xá"),
        effective_on=MERGE_DAY,
        legal_basis="Nghị quyết thử nghiệm số 1/NQ-TEST",
    )
    before = MERGE_DAY - dt.timedelta(days=1)
    assert selectors.unit_on("00001", before).valid_to == MERGE_DAY
    assert selectors.unit_on("00004", before).name == "Phường Trúc Bạch"
    with pytest.raises(NotFound):
        selectors.unit_on("00004", MERGE_DAY)
    assert selectors.unit_on("00001", MERGE_DAY).pk == successor.pk
    after_codes = set(selectors.units_on(MERGE_DAY, parent="001").values_list("code", flat=True))
    assert "00004" not in after_codes and "00001" in after_codes

    for code in ("00001", "00004"):
        old = selectors.unit_on(code, before)
        assert [u.pk for u in selectors.replacements_of(old, MERGE_DAY)] == [successor.pk]

    # Through the API, each old ward names its successor, and the successor its predecessors.
    old_b = client.get("/api/v1/units/00004", {"on": "2022-12-31"}).json()
    assert old_b["successors"][0]["code"] == "00001"
    assert old_b["successors"][0]["kind"] == "merge"
    gone = client.get("/api/v1/units/00004", {"on": "2023-06-01"}).json()
    assert gone["in_force"] is False and gone["replaced_by"][0]["code"] == "00001"
    new = client.get("/api/v1/units/00001", {"on": "2023-01-01"}).json()
    assert {p["code"] for p in new["predecessors"]} == {"00001", "00004"}
    assert new["governance"]["model"] == "hanoi-urban-pilot-2021"

    event = AuditEvent.objects.filter(action="unit.merge").get()
    assert event.object_id == "00001"
    assert audit_verify().ok


def test_merge_into_new_code_inherits_governance(reference_data):
    unit_merge(
        actor=ACTOR,
        codes=["00001", "00004"],
        into=NewUnit(code="99001", name="Phường Mới"),
        effective_on=MERGE_DAY,
        legal_basis="NQ thử nghiệm",
    )
    new = selectors.unit_on("99001", MERGE_DAY)
    assert selectors.governance_for(new, MERGE_DAY).model.slug == "hanoi-urban-pilot-2021"
    assert selectors.governance_for(new, MERGE_DAY).chairman_appointer.code == "001"


def test_old_names_stay_findable_after_rename(reference_data):
    unit_rename(
        actor=ACTOR,
        code="00001",
        new_name="Phường Tên Mới",
        effective_on=MERGE_DAY,
        legal_basis="NQ x",
    )
    assert selectors.unit_on("00001", MERGE_DAY).name == "Phường Tên Mới"
    assert selectors.unit_on("00001", dt.date(2022, 1, 1)).name == "Phường Phúc Xá"
    assert [u.valid_to for u in selectors.units_named("Phúc Xá")] == [MERGE_DAY]


def test_merging_districts_moves_their_wards(reference_data):
    # Ba Đình (001) absorbs Hoàn Kiếm (002): Hoàn Kiếm's wards move under 001.
    unit_merge(
        actor=ACTOR,
        codes=["001", "002"],
        into=NewUnit(code="001", name="Quận Trung Tâm"),
        effective_on=MERGE_DAY,
        legal_basis="NQ thử nghiệm",
    )
    wards = selectors.units_on(MERGE_DAY, parent="001")
    assert wards.count() == 14 + 18
    hang_ma = selectors.unit_on("00043", MERGE_DAY)
    assert hang_ma.parent_code == "001"
    assert selectors.unit_on("00043", MERGE_DAY - dt.timedelta(days=1)).parent_code == "002"
    assert selectors.governance_for(hang_ma, MERGE_DAY).chairman_appointer.name == "Quận Trung Tâm"


def test_split_links_every_successor(reference_data):
    news = unit_split(
        actor=ACTOR,
        code="00001",
        into=[
            NewUnit(code="00001", name="Phường Phúc Xá"),
            NewUnit(code="99002", name="Phường Phúc Xá Bắc"),
        ],
        effective_on=MERGE_DAY,
        legal_basis="NQ x",
    )
    old = selectors.unit_on("00001", MERGE_DAY - dt.timedelta(days=1))
    assert {u.code for u in selectors.replacements_of(old, MERGE_DAY)} == {"00001", "99002"}
    assert len(news) == 2


def test_split_of_a_district_with_wards_is_refused(reference_data):
    with pytest.raises(RuleViolation):
        unit_split(
            actor=ACTOR,
            code="001",
            into=[NewUnit(code="001", name="A"), NewUnit(code="998", name="B")],
            effective_on=MERGE_DAY,
            legal_basis="NQ x",
        )


def test_reparent(reference_data):
    unit_reparent(
        actor=ACTOR, code="00001", new_parent_code="002", effective_on=MERGE_DAY, legal_basis="NQ x"
    )
    assert selectors.unit_on("00001", MERGE_DAY).parent_code == "002"
    assert UnitSuccession.objects.filter(kind="reparent").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"codes": ["00001"]}, InvalidInput, "codes"),
        ({"codes": ["00001", "00001"]}, InvalidInput, "codes"),
        ({"legal_basis": " "}, InvalidInput, "legal_basis"),
        ({"into": NewUnit(code="00007", name="X")}, Conflict, "code"),
        ({"into": NewUnit(code="ABC", name="X")}, InvalidInput, "code"),
        ({"into": NewUnit(code="00001", name=" ")}, InvalidInput, "name"),
        ({"codes": ["00001", "77777"]}, NotFound, "code"),
    ],
)
def test_bad_merges_are_refused_and_write_nothing(reference_data, kwargs, error, field):
    args = {
        "actor": ACTOR,
        "codes": ["00001", "00004"],
        "into": NewUnit(code="00001", name="Phường Phúc Xá"),
        "effective_on": MERGE_DAY,
        "legal_basis": "NQ x",
    }
    args.update(kwargs)
    units_before = Unit.objects.count()
    events_before = AuditEvent.objects.count()
    with pytest.raises(error) as exc:
        unit_merge(**args)
    assert exc.value.field == field
    assert Unit.objects.count() == units_before
    assert Unit.objects.filter(valid_to__isnull=False).count() == 0
    assert AuditEvent.objects.count() == events_before


def test_second_change_on_a_closed_version_is_a_conflict(reference_data):
    unit_rename(actor=ACTOR, code="00001", new_name="A", effective_on=MERGE_DAY, legal_basis="NQ x")
    with pytest.raises(Conflict):
        unit_rename(
            actor=ACTOR, code="00001", new_name="B", effective_on=MERGE_DAY, legal_basis="NQ y"
        )


def test_reference_load_is_idempotent(reference_data):
    from cqdt.units.reference import reference_data_load

    again = reference_data_load()
    assert (again.units_created, again.models_created, again.assignments_created) == (0, 0, 0)
    assert Unit.objects.count() == 610
