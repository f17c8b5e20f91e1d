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
# After the 2025 arrangement: the 2021 versions are closed, so fictional changes happen later.
MERGE_DAY = dt.date(2027, 1, 1)


def test_merge_two_wards_before_both_exist_after_one_successor(client, reference_data):
    # Phường Hồng Hà (00097) and Phường Ba Đình (00004), 2025 units under the city.
    successor = unit_merge(
        actor=ACTOR,
        codes=["00097", "00004"],
        into=NewUnit(code="00097", name="Phường Hồng Hà"),
        effective_on=MERGE_DAY,
        legal_basis="Nghị quyết thử nghiệm số 1/NQ-TEST",
    )
    before = MERGE_DAY - dt.timedelta(days=1)
    assert selectors.unit_on("00097", before).valid_to == MERGE_DAY
    assert selectors.unit_on("00004", before).name == "Phường Ba Đình"
    with pytest.raises(NotFound):
        selectors.unit_on("00004", MERGE_DAY)
    assert selectors.unit_on("00097", MERGE_DAY).pk == successor.pk
    after_codes = set(selectors.units_on(MERGE_DAY, parent="01").values_list("code", flat=True))
    assert "00004" not in after_codes and "00097" in after_codes

    for code in ("00097", "00004"):
        old = selectors.unit_on(code, before)
        assert [u.pk for u in selectors.replacements_of(old, MERGE_DAY)] == [successor.pk]

    # Through the API, each old ward names its successor, and the successor its predecessors.
    old_b = client.get("/api/v1/units/00004", {"on": "2026-12-31"}).json()
    assert old_b["successors"][0]["code"] == "00097"
    assert old_b["successors"][0]["kind"] == "merge"
    assert old_b["successors"][0]["share"] == "whole"
    gone = client.get("/api/v1/units/00004", {"on": "2027-06-01"}).json()
    assert gone["in_force"] is False and gone["replaced_by"][0]["code"] == "00097"
    assert gone["replaced_by"][0]["share"] == "whole"
    new = client.get("/api/v1/units/00097", {"on": "2027-01-01"}).json()
    assert {p["code"] for p in new["predecessors"]} == {"00097", "00004"}
    assert {(p["code"], p["share"]) for p in new["replaces"]} == {
        ("00097", "whole"),
        ("00004", "whole"),
    }
    assert new["governance"]["model"] == "two-tier-2025"

    event = AuditEvent.objects.filter(action="unit.merge").get()
    assert event.object_id == "00097"
    assert audit_verify().ok


def _merge_two_into(code: str) -> None:
    unit_merge(
        actor=ACTOR,
        codes=["00097", "00004"],
        into=NewUnit(code=code, name="Phường Mới"),
        effective_on=MERGE_DAY,
        legal_basis="NQ thử nghiệm",
    )


def test_merge_into_new_code_inherits_governance(reference_data):
    _merge_two_into("99001")
    new = selectors.unit_on("99001", MERGE_DAY)
    governance = selectors.governance_for(new, MERGE_DAY)
    assert governance.model.slug == "two-tier-2025"
    assert governance.chairman_appointer is None  # elected by its own council
    assert governance.chairman_approver.code == "01"  # approved by the city's chairman


def _rename_00097() -> None:
    unit_rename(
        actor=ACTOR,
        code="00097",
        new_name="Phường Tên Mới",
        effective_on=MERGE_DAY,
        legal_basis="NQ x",
    )


def test_old_names_stay_findable_after_rename(reference_data):
    _rename_00097()
    assert selectors.unit_on("00097", MERGE_DAY).name == "Phường Tên Mới"
    assert selectors.unit_on("00097", dt.date(2026, 1, 1)).name == "Phường Hồng Hà"
    assert selectors.unit_on("00097", dt.date(2022, 1, 1)).name == "Phường Tứ Liên"
    # Xã Hồng Hà (Đan Phượng) also carried the name until 2025: the old names stay findable.
    assert [
        (u.code, u.valid_to) for u in selectors.units_named("Hồng Hà") if u.code == "00097"
    ] == [("00097", MERGE_DAY)]


def test_a_change_before_the_recorded_2025_arrangement_is_refused(reference_data):
    # Ba Đình (001) ends on 30 June 2025 with the district level: a fictional 2023 merge would
    # rewrite closed history, which the services refuse (one conflict, nothing written).
    units_before = Unit.objects.count()
    with pytest.raises(Conflict):
        unit_merge(
            actor=ACTOR,
            codes=["001", "002"],
            into=NewUnit(code="001", name="Quận Trung Tâm"),
            effective_on=dt.date(2023, 1, 1),
            legal_basis="NQ thử nghiệm",
        )
    assert Unit.objects.count() == units_before


def test_merging_provinces_moves_their_communes(country_reference_data):
    # Hà Nội (01) absorbs Cao Bằng (04), a fictional 2027 change on the national data.
    unit_merge(
        actor=ACTOR,
        codes=["01", "04"],
        into=NewUnit(code="01", name="Thành phố Hà Nội", division_type="city"),
        effective_on=MERGE_DAY,
        legal_basis="NQ thử nghiệm",
    )
    communes = selectors.units_on(MERGE_DAY, parent="01")
    assert communes.count() == 126 + 56
    moved = communes.exclude(
        code__in=selectors.units_on(MERGE_DAY - dt.timedelta(days=1), parent="01").values("code")
    ).first()
    assert moved.province_code == "01"
    assert selectors.unit_on(moved.code, MERGE_DAY - dt.timedelta(days=1)).parent_code == "04"
    assert selectors.governance_for(moved, MERGE_DAY).chairman_approver.code == "01"


def test_split_links_every_successor(reference_data):
    news = unit_split(
        actor=ACTOR,
        code="00097",
        into=[
            NewUnit(code="00097", name="Phường Hồng Hà"),
            NewUnit(code="99002", name="Phường Hồng Hà Bắc"),
        ],
        effective_on=MERGE_DAY,
        legal_basis="NQ x",
    )
    old = selectors.unit_on("00097", MERGE_DAY - dt.timedelta(days=1))
    assert {u.code for u in selectors.replacements_of(old, MERGE_DAY)} == {"00097", "99002"}
    assert {r.share for r in selectors.replaced_by(old, MERGE_DAY)} == {"part"}
    assert len(news) == 2


def test_split_of_a_unit_with_subordinate_units_is_refused(reference_data):
    with pytest.raises(RuleViolation):
        unit_split(
            actor=ACTOR,
            code="01",
            into=[NewUnit(code="01", name="A"), NewUnit(code="98", name="B")],
            effective_on=MERGE_DAY,
            legal_basis="NQ x",
        )


def test_reparent(country_reference_data):
    unit_reparent(
        actor=ACTOR, code="00097", new_parent_code="04", effective_on=MERGE_DAY, legal_basis="NQ x"
    )
    moved = selectors.unit_on("00097", MERGE_DAY)
    assert moved.parent_code == "04" and moved.province_code == "04"
    assert UnitSuccession.objects.filter(kind="reparent").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"codes": ["00097"]}, InvalidInput, "codes"),
        ({"codes": ["00097", "00097"]}, InvalidInput, "codes"),
        ({"legal_basis": " "}, InvalidInput, "legal_basis"),
        ({"into": NewUnit(code="00008", name="X")}, Conflict, "code"),
        ({"into": NewUnit(code="ABC", name="X")}, InvalidInput, "code"),
        ({"into": NewUnit(code="00097", name=" ")}, InvalidInput, "name"),
        ({"codes": ["00097", "77777"]}, NotFound, "code"),
    ],
)
def test_bad_merges_are_refused_and_write_nothing(reference_data, kwargs, error, field):
    args = {
        "actor": ACTOR,
        "codes": ["00097", "00004"],
        "into": NewUnit(code="00097", name="Phường Hồng Hà"),
        "effective_on": MERGE_DAY,
        "legal_basis": "NQ x",
    }
    args.update(kwargs)
    units_before = Unit.objects.count()
    closed_before = Unit.objects.filter(valid_to__isnull=False).count()
    events_before = AuditEvent.objects.count()
    with pytest.raises(error) as exc:
        unit_merge(**args)
    assert exc.value.field == field
    assert Unit.objects.count() == units_before
    assert Unit.objects.filter(valid_to__isnull=False).count() == closed_before
    assert AuditEvent.objects.count() == events_before


def test_second_change_on_a_closed_version_is_a_conflict(reference_data):
    unit_rename(actor=ACTOR, code="00097", new_name="A", effective_on=MERGE_DAY, legal_basis="NQ x")
    with pytest.raises(Conflict):
        unit_rename(
            actor=ACTOR, code="00097", new_name="B", effective_on=MERGE_DAY, legal_basis="NQ y"
        )


def test_reference_load_is_idempotent(reference_data):
    from cqdt.units.reference import reference_data_load

    again = reference_data_load()
    assert (again.units_created, again.models_created, again.assignments_created) == (0, 0, 0)
    # 610 units of 2021, 33 versions opened by the 2025-01-01 arrangement, 126 from 2025-07-01.
    assert Unit.objects.count() == 610 + 33 + 126


def test_a_rename_continues_the_unit_that_holds_the_code_a_reuse_does_not(reference_data):
    """``holdings``: Hồng Hà renamed on MERGE_DAY is still the unit that took 00097 on 1 July
    2025 (one holding, named by its version on the last day asked); Tứ Liên before it is another
    unit (the 2025 arrangement reused the code), so a range over 2025 finds two."""
    _rename_00097()
    held = selectors.holdings("00097", dt.date(2026, 1, 1), dt.date(2027, 6, 30))
    assert [(h.unit.name, h.valid_from, h.valid_to) for h in held] == [
        ("Phường Tên Mới", dt.date(2025, 7, 1), None)
    ]
    across = selectors.holdings("00097", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert [(h.unit.name, h.last_day) for h in across] == [
        ("Phường Tứ Liên", dt.date(2025, 6, 30)),
        ("Phường Hồng Hà", None),
    ]


def test_the_holdings_read_once_answer_any_day_as_each_read_of_them_does(
    reference_data, django_assert_num_queries
):
    """``held_codes``: the holdings of some codes read once (two queries) answer, on any day
    and over all days, what ``holdings_on`` and ``holdings_of`` read each time — a renamed unit
    still one holding, a reused code two units, a code no unit has none; a code not read is
    refused, never answered as held by nobody."""
    _rename_00097()
    codes = ["00097", "00004", "00001", "77777"]
    with django_assert_num_queries(2):
        held = selectors.held_codes(codes)
    days = [dt.date(2024, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 1), MERGE_DAY]
    with django_assert_num_queries(0):
        answers = [(held.on(day), held.on(day, ["00097"])) for day in days]
        every = held.of()
    for day, (on_day, one) in zip(days, answers, strict=True):
        assert on_day == selectors.holdings_on(codes, day), day
        assert one == selectors.holdings_on(["00097"], day), day
    assert every == selectors.holdings_of(codes)
    assert [h.unit.name for h in every["00097"]] == ["Phường Tứ Liên", "Phường Tên Mới"]
    assert held.on(MERGE_DAY)["00097"].valid_from == dt.date(2025, 7, 1)
    with pytest.raises(ValueError, match="00002"):
        held.on(MERGE_DAY, ["00097", "00002"])


@pytest.mark.parametrize("code", ["99²01", "٩٩٠٠١", "９９００１"])
def test_a_new_unit_code_is_ascii_digits(reference_data, code):
    """``str.isdigit`` holds for superscripts and other scripts' digits: a unit created with
    such a code would be stored as typed and never found by its official code."""
    with pytest.raises(InvalidInput) as refused:
        _merge_two_into(code)
    assert refused.value.field == "code"
    assert not Unit.objects.filter(code=code).exists()
