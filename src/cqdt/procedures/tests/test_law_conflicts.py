"""Sector-law conflicts (issue 15, item 3): the rule that says which actors a law names have no
holder under the governance model on a day, the audited register, and the resolver's note."""

import datetime as dt

import pytest
import time_machine

from cqdt.authority.selectors import authority_check
from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput
from cqdt.core.models import AuditEvent
from cqdt.procedures import law_conflicts, rules, selectors
from cqdt.procedures.models import LawConflict
from cqdt.testing import ProcedureFactory
from cqdt.units import selectors as unit_selectors

SYSTEM = Actor.system("test")
WARD = "00001"  # Phường Phúc Xá, a pilot ward
BEFORE, DURING, AFTER_PILOT_MODEL = dt.date(2021, 6, 30), dt.date(2023, 3, 1), dt.date(2025, 7, 1)


def test_rule_a_council_exists_only_where_the_model_has_one():
    assert rules.actor_exists(rules.COMMUNE_COUNCIL, has_people_council=True, regime="collective")
    assert not rules.actor_exists(
        rules.COMMUNE_COUNCIL, has_people_council=False, regime="head_of_unit"
    )


def test_rule_a_collective_committee_exists_only_under_the_collective_regime():
    assert rules.actor_exists(
        rules.COMMITTEE_COLLECTIVE, has_people_council=True, regime="collective"
    )
    assert not rules.actor_exists(
        rules.COMMITTEE_COLLECTIVE, has_people_council=False, regime="head_of_unit"
    )
    assert rules.missing_actors(
        [rules.COMMUNE_COUNCIL, rules.COMMITTEE_COLLECTIVE, rules.COMMUNE_COUNCIL],
        has_people_council=False,
        regime="head_of_unit",
    ) == [rules.COMMUNE_COUNCIL, rules.COMMITTEE_COLLECTIVE]
    with pytest.raises(KeyError):
        rules.actor_exists("mayor", has_people_council=True, regime="collective")


def _missing_on(on: dt.date, code: str) -> list[str]:
    council, regime = unit_selectors.governance_answers_on([code], on)[code]
    return rules.missing_actors(
        [rules.COMMUNE_COUNCIL, rules.COMMITTEE_COLLECTIVE],
        has_people_council=council,
        regime=regime,
    )


def test_a_pilot_ward_lacks_both_actors_only_during_the_pilot(history_reference_data):
    """Before 1 July 2021 the ward had its council and a collective committee (Law on Local
    Government 2015); from then (Resolution 97/2019/QH14, Decree 32/2021/NĐ-CP) neither."""
    assert _missing_on(BEFORE, WARD) == []
    assert _missing_on(dt.date(2021, 7, 1), WARD) == [
        rules.COMMUNE_COUNCIL,
        rules.COMMITTEE_COLLECTIVE,
    ]
    assert _missing_on(DURING, WARD) == [rules.COMMUNE_COUNCIL, rules.COMMITTEE_COLLECTIVE]
    # Two-tier local government from 1 July 2025: the successor ward has a council again.
    successor = unit_selectors.replacements_of(unit_selectors.unit_on(WARD, dt.date(2025, 6, 30)))
    assert successor
    assert rules.COMMUNE_COUNCIL not in _missing_on(AFTER_PILOT_MODEL, successor[0].code)


@pytest.fixture
def procedure(reference_data):
    return ProcedureFactory(copy=True)


def test_the_register_keeps_unverified_rows_apart_and_is_audited(procedure):
    with pytest.raises(InvalidInput) as exc:  # verified needs the article and the source read
        law_conflicts.law_conflict_record(
            actor=SYSTEM,
            procedure_slug=procedure.slug,
            law="Luật X",
            actor_named=rules.COMMUNE_COUNCIL,
            verified=True,
        )
    assert exc.value.field == "verification"
    assert not LawConflict.objects.exists()
    row = law_conflicts.law_conflict_record(
        actor=SYSTEM,
        procedure_slug=procedure.slug,
        law="Luật X (chưa đối chiếu điều khoản)",
        actor_named=rules.COMMUNE_COUNCIL,
    )
    assert row.verified is False and row.article == ""
    event = AuditEvent.objects.get(action="procedures.law_conflict_record")
    assert event.object_id == str(row.public_id)
    notes = selectors.law_conflicts([procedure.slug], has_people_council=False, regime="x")
    assert [(n.applies, n.verified) for n in notes] == [(True, False)]
    assert (
        selectors.law_conflicts([procedure.slug], has_people_council=True, regime="collective")[
            0
        ].applies
        is False
    )
    with pytest.raises(InvalidInput):
        law_conflicts.law_conflict_record(
            actor=SYSTEM, procedure_slug="no-such", law="L", actor_named=rules.COMMUNE_COUNCIL
        )
    law_conflicts.law_conflict_update(actor=SYSTEM, row=row, changes={"article": "Điều 9"})
    assert AuditEvent.objects.filter(action="procedures.law_conflict_update").count() == 1


def test_the_resolver_notes_the_conflict_of_the_acts_procedure_under_the_pilot(leadership):
    procedure = ProcedureFactory(copy=True)
    law_conflicts.law_conflict_record(
        actor=SYSTEM,
        procedure_slug=procedure.slug,
        law="Luật Y",
        actor_named=rules.COMMITTEE_COLLECTIVE,
    )
    chair = leadership.chairman
    with time_machine.travel(dt.datetime(2023, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        decision = authority_check(chair, procedure.sign_act, WARD)
        only = authority_check(chair, procedure.sign_act, WARD, procedure=procedure.slug)
        other = authority_check(chair, procedure.sign_act, WARD, procedure="another-procedure")
    assert decision.allowed  # the note never changes the decision
    notes = decision.as_dict()["law_conflicts"]
    assert [(n["procedure"], n["actor"], n["verified"]) for n in notes] == [
        (procedure.slug, rules.COMMITTEE_COLLECTIVE, False)
    ]
    assert only.law_conflicts == decision.law_conflicts and other.law_conflicts == ()
    before = authority_check(
        chair, procedure.sign_act, WARD, dt.datetime(2021, 6, 30, 3, 0, tzinfo=dt.UTC)
    )
    assert before.law_conflicts == ()  # a collective committee existed before the pilot


def test_demo_rows_are_marked(procedure):
    row = law_conflicts.law_conflict_record(
        actor=SYSTEM,
        procedure_slug=procedure.slug,
        law="Luật minh họa",
        actor_named=rules.COMMUNE_COUNCIL,
        is_demo=True,
    )
    assert selectors.law_conflicts(None)[0].is_demo and row.is_demo


def test_the_public_procedure_page_shows_the_conflict_and_says_when_unverified(procedure, client):
    law_conflicts.law_conflict_record(
        actor=SYSTEM,
        procedure_slug=procedure.slug,
        law="Luật W",
        actor_named=rules.COMMUNE_COUNCIL,
    )
    with time_machine.travel(dt.datetime(2023, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        html = client.get(f"/procedures/{procedure.slug}/").content.decode()
    assert "Xung đột luật chuyên ngành" in html and "Luật W" in html
    assert "chưa kiểm chứng" in html and "Hội đồng nhân dân phường (xã)" in html


def test_a_procedure_without_conflict_shows_no_flag(procedure, client):
    with time_machine.travel(dt.datetime(2023, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        html = client.get(f"/procedures/{procedure.slug}/").content.decode()
    assert "Xung đột luật chuyên ngành" not in html


@pytest.mark.django_db
def test_the_admin_changes_the_actor_a_law_names_and_leaves_the_demo_flag_alone(admin_client):
    """The register's own ``actor`` field (the body the law names) reached the service as the
    audit's ``actor`` keyword — a server error — and a changed demo flag was dropped silently."""
    procedure = ProcedureFactory(copy=True)
    row = law_conflicts.law_conflict_record(
        actor=SYSTEM,
        procedure_slug=procedure.slug,
        law="Luật X (chưa đối chiếu điều khoản)",
        actor_named=rules.COMMUNE_COUNCIL,
    )
    url = f"/admin/procedures/lawconflict/{row.pk}/change/"
    form = admin_client.get(url).content.decode()
    assert 'name="is_demo"' not in form  # read-only on a recorded row
    response = admin_client.post(
        url,
        {
            "procedure_slug": procedure.slug,
            "law": row.law,
            "article": "",
            "actor": rules.COMMITTEE_COLLECTIVE,
            "excerpt": "",
            "verification": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.actor == rules.COMMITTEE_COLLECTIVE and row.is_demo is False
    event = AuditEvent.objects.get(action="procedures.law_conflict_update")
    assert event.after["actor"] == rules.COMMITTEE_COLLECTIVE
    assert event.actor_label == "admin"  # who changed it, not the body the law names
