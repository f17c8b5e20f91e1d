"""Today's units (docs/decisions/0024): from 1 July 2025 Hà Nội's 126 communes and wards have
their own People's Councils (Law 72/2025/QH15). Asked for a period after the pilot, a commune-level
unit answers with its own figures, from the dossiers of its own days — not the pilot figures of
the ward that held its code before (00097 was Phường Tứ Liên until 30 June 2025, Phường Hồng Hà
since; 00004 was Phường Trúc Bạch, Phường Ba Đình since) — the pilot-model indicators "không áp
dụng" with their reason and legal basis, and "no data" (null) where nothing is recorded."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.monitoring import applicability, rollups
from cqdt.testing import at, dossier_row, reference, shared

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)
HONG_HA = "00097"
D = dt.date
H1_2026 = ("2026-01-01", "2026-06-30")


def _returned(code, dossier_code, received, due, returned, *, apologised=False):
    """A dossier of ``code``'s desk received on ``received`` (9:00), due ``due`` at 17:00,
    returned ``returned`` at 10:00."""
    return dossier_row(
        dossier_code,
        code,
        status="returned",
        submitted_at=at(received, 9),
        valid_receipt_at=at(received, 9),
        due_at=at(due, 17),
        returned_at=at(returned, 10),
        closed_at=at(returned, 10),
        apology_count=1 if apologised else 0,
    )


def _build_hong_ha() -> bool:
    """Hồng Hà's March 2026: one dossier returned early, one on its due day, one late with an
    apology (Mẫu 04); and Tứ Liên's (the code's pilot ward) March 2025: one returned late;
    folded into the rollups on TODAY (the module's world when shared)."""
    reference.units(history=True)
    _returned(HONG_HA, "H26.97-260302-0001", D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 4))
    _returned(HONG_HA, "H26.97-260302-0002", D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 5))
    _returned(
        HONG_HA, "H26.97-260302-0003", D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 9), apologised=True
    )
    _returned(HONG_HA, "H26.97-250303-0001", D(2025, 3, 3), D(2025, 3, 6), D(2025, 3, 10))
    rollups.refresh(now=TODAY)
    return True


# Built once for the module's tests that ask for it and neither load reference data themselves
# nor commit, each test in a savepoint (``cqdt.testing.shared``), so what one test adds (a
# petition, a signer's rows, a chairman) is gone for the next. Hà Nội's units with their history
# and a refresh are most of a test's set-up.
_module_hong_ha, hong_ha = shared.world("hong_ha", _build_hong_ha)


def _ask(client, user, code, period, page=""):
    """``user``'s answer of ``/api/v1/monitoring/units/<code><page>`` for ``period`` on TODAY."""
    with time_machine.travel(TODAY, tick=False):
        client.force_login(user)
        url = f"/api/v1/monitoring/units/{code}{page}"
        return client.get(url, {"from": period[0], "to": period[1]})


@pytest.fixture
def monitor(django_user_model):
    with time_machine.travel(TODAY, tick=False):
        return testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "sonoivu")


@pytest.fixture
def chairman(django_user_model):
    """Hồng Hà's chairman, elected by its council from 1 July 2025."""
    with time_machine.travel(TODAY, tick=False):
        chair = testing.elect_chairman(HONG_HA, term_start=D(2025, 7, 1)).official
        return testing.login_for(chair, django_user_model, "chair00097")


@pytest.mark.parametrize("who", ["monitor", "chairman"])
def test_a_2026_period_of_hong_ha_gives_its_own_figures_from_its_own_dossiers(
    client, hong_ha, request, who
):
    answer = _ask(client, request.getfixturevalue(who), HONG_HA, H1_2026)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["unit"] == {"code": HONG_HA, "name": "Phường Hồng Hà", "level": "ward"}
    assert (body["from"], body["to"]) == H1_2026  # the period asked, not the pilot's last year
    figures = body["figures"]
    # Its three dossiers, not Tứ Liên's late one of March 2025.
    assert (figures["received"], figures["resolved"]) == (3, 3)
    assert (figures["early"], figures["on_time"], figures["late"]) == (1, 1, 1)
    assert figures["on_time_share"] == pytest.approx(1 / 3)
    assert figures["apology_rate"] == pytest.approx(1 / 3)
    assert figures["overdue_now"] == 0  # recorded and none open: a real 0
    assert body["children"] == []


def test_another_unit_s_chairman_gets_the_404_of_a_missing_unit(client, hong_ha, django_user_model):
    with time_machine.travel(TODAY, tick=False):
        chair = testing.elect_chairman("00004", term_start=D(2025, 7, 1)).official
        other = testing.login_for(chair, django_user_model, "chair00004")
    refused = _ask(client, other, HONG_HA, H1_2026)
    assert refused.status_code == 404
    assert refused.json()["code"] == "unit_not_found"
    assert "Hồng Hà" not in refused.content.decode()


def test_a_pilot_only_indicator_of_a_unit_with_its_own_council_is_not_applicable(
    client, hong_ha, monitor
):
    body = _ask(client, monitor, HONG_HA, H1_2026).json()
    gone = {x["indicator"]: x for x in body["not_applicable"]}
    for code in ("delegated_share", "signed_delegation", "norm_average_max"):
        assert code in gone, code
        assert body["figures"][code] is None, code  # never 0
        assert "Luật 72/2025/QH15" in gone[code]["legal_basis"]
        assert gone[code]["message"]["vi"] and gone[code]["message"]["en"]
    # The one-stop and feedback indicators apply: none of them is listed; nor the voter
    # petitions and the leaders' signatures, which still have their object (review W2).
    applying = ("on_time_share", "apology_rate", "overdue_now", "feedback_sla_compliance")
    for code in (*applying, "petition_answer_rate", "leader_signatures_per_day", "signed_leader"):
        assert code not in gone, code


@pytest.mark.parametrize(
    ("code", "period"),
    [
        (HONG_HA, ("2025-07-01", "2025-12-31")),  # before Hồng Hà's first recorded month
        ("00004", H1_2026),  # Phường Ba Đình, a reused code, nothing recorded
    ],
)
def test_a_period_with_nothing_recorded_says_no_data_not_zero(
    client, hong_ha, monitor, code, period
):
    body = _ask(client, monitor, code, period).json()
    assert body["unit"]["code"] == code
    assert body["unit"]["name"] != "Phường Trúc Bạch"
    for figure in ("received", "resolved", "on_time_share", "apology_rate", "overdue_now"):
        assert body["figures"][figure] is None, figure
    assert body["not_applicable"]


def test_the_pilot_period_of_the_code_answers_for_the_pilot_ward_unchanged(
    client, hong_ha, monitor
):
    """Asked for the first half of 2025, 00097 is Phường Tứ Liên, a pilot ward: its own late
    dossier, every indicator applying, as before this change."""
    body = _ask(client, monitor, HONG_HA, ("2025-01-01", "2025-06-30")).json()
    assert body["unit"]["name"] == "Phường Tứ Liên"
    assert (body["figures"]["received"], body["figures"]["late_share"]) == (1, 1.0)
    assert body["not_applicable"] == []
    assert "delegated_share" in body["figures"]


def test_a_today_s_unit_is_read_in_a_fixed_number_of_queries(
    client, hong_ha, monitor, django_assert_max_num_queries
):
    """One unit's answer: the policy, the unit and its governance, the rollups, the live counts,
    the records and the staff — 28 queries measured on SQLite (38 when each read that needs
    the holdings of the reused code read them again, 32 while the petitions' and conferences'
    reads still did: now read once, ``periods.period_data``), none per dossier; 29 since the
    staff in post are kept under the staff's version (``context_reads.units_staffing``): its
    read is one query, and this answer's staff day (30 September) is not yet kept; its index
    13, none per month; each one more since the pilot's scope and last day are kept under the
    governance's version (``units.selectors.governance_version``), read once per GET."""
    url = f"/api/v1/monitoring/units/{HONG_HA}"
    with time_machine.travel(TODAY, tick=False):
        client.force_login(monitor)
        client.get(url, {"from": H1_2026[0], "to": H1_2026[1]})
        with django_assert_max_num_queries(30):
            answer = client.get(url, {"from": "2026-01-01", "to": "2026-09-30"})
        with django_assert_max_num_queries(14):  # its index: 14 measured, of nine months
            index = client.get(f"{url}/index", {"from": "2026-01-01", "to": "2026-09-30"})
    assert answer.status_code == 200
    assert index.status_code == 200


def test_only_a_unit_with_a_council_has_indicators_not_applicable():
    assert applicability.not_applicable(False) == []
    codes = {x.indicator for x in applicability.not_applicable(True)}
    assert {"delegated_share", "signed_delegation", "norm_average_max"} == codes
    assert not codes & {"on_time_share", "apology_rate", "late_share", "overdue_now"}


def _own_page(client, user, path: str) -> str:
    """The staff page ``/staff/monitoring/<path>`` seen by ``user`` on ``TODAY``: Hồng Hà's
    own, not Tứ Liên's, without the pilot's cut."""
    with time_machine.travel(TODAY, tick=False):
        client.force_login(user)
        page = client.get(f"/staff/monitoring/{path}")
    assert page.status_code == 200
    html = page.content.decode()
    heading = html.split("</h1>")[0]
    assert "Phường Hồng Hà" in heading and "Phường Tứ Liên" not in heading
    assert 'id="pilot-ended"' not in html
    return html


def _row(html: str, code: str) -> str:
    start = html.index(f'data-code="{code}"')
    return html[start : html.index("</tr>", start)]


def test_the_chairman_s_page_of_his_unit_shows_its_own_figures_in_three_states(
    client, hong_ha, chairman
):
    html = _own_page(client, chairman, f"{HONG_HA}/?from=2026-01&to=2026-06")
    empty = _own_page(client, chairman, f"{HONG_HA}/?from=2025-07&to=2025-12")
    assert 'data-state="value"' in _row(html, "on_time_share")
    assert 'value="0.3333' in _row(html, "on_time_share")
    assert 'data-state="not_applicable"' in _row(html, "delegated_share")
    assert "Luật 72/2025/QH15" in _row(html, "delegated_share")
    assert 'data-state="no_data"' in _row(empty, "on_time_share")


def test_a_period_across_1_july_2025_is_split_at_the_change(client, hong_ha, monitor):
    """Asked for 2025, 00097 answers Tứ Liên's pilot half-year as before (cut at 30 June) and
    names the rest — Hồng Hà's, from 1 July — as a part of its own, never added."""
    body = _ask(client, monitor, HONG_HA, ("2025-01-01", "2026-06-30")).json()
    assert (body["unit"]["name"], body["to"]) == ("Phường Tứ Liên", "2025-06-30")
    assert body["figures"]["received"] == 1  # Tứ Liên's only: Hồng Hà's 3 are not added
    later = body["later_part"]
    assert later["unit"] == {"code": HONG_HA, "name": "Phường Hồng Hà", "level": "ward"}
    assert (later["from"], later["to"]) == ("2025-07-01", "2026-06-30")
    assert "Phường Hồng Hà" in later["message"]["vi"]
    rest = _ask(client, monitor, HONG_HA, (later["from"], later["to"])).json()
    assert rest["figures"]["received"] == 3
    # A district has no unit after the change: nothing to point to.
    district = _ask(client, monitor, "001", ("2025-01-01", "2025-12-31")).json()
    assert district["later_part"] is None
    inside = _ask(client, monitor, HONG_HA, ("2025-01-01", "2025-06-30")).json()
    assert inside["later_part"] is None


def test_the_pilot_ward_s_page_across_the_change_links_the_later_part(client, hong_ha, monitor):
    with time_machine.travel(TODAY, tick=False):
        client.force_login(monitor)
        page = client.get(f"/staff/monitoring/{HONG_HA}/?from=2025-01&to=2025-12")
    html = page.content.decode()
    assert "Phường Tứ Liên" in html.split("</h1>")[0]
    link = html[html.index('id="later-part"') :].split("</p>")[0]
    assert f"/staff/monitoring/{HONG_HA}/?from=2025-07&amp;to=2025-12" in link
    assert "Phường Hồng Hà" in link


def test_the_decision_766_index_of_a_today_s_unit_is_its_own_by_month(client, hong_ha, monitor):
    answer = _ask(client, monitor, HONG_HA, H1_2026, "/index")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["unit"]["name"], len(body["months"])) == ("Phường Hồng Hà", 6)
    by_month = {m["month"]: m for m in body["months"]}
    march = {g["group"]: g for g in by_month["2026-03-01"]["groups"]}["progress"]
    on_time = {c["component"]: c for c in march["components"]}["on_time"]
    assert on_time["value"] == pytest.approx(2 / 3)  # its early and on-time of three
    january = {g["group"]: g for g in by_month["2026-01-01"]["groups"]}["progress"]
    assert january["points"] is None  # nothing recorded: no data, not 0


def test_the_index_page_of_a_today_s_unit_is_its_own_without_the_pilot_cut(
    client, hong_ha, chairman
):
    html = _own_page(client, chairman, f"{HONG_HA}/index/?from=2026-01&to=2026-06")
    assert "01/01/2026 – 30/06/2026" in html


def overload(code: str) -> None:
    """A leader of the unit signing 9,000 results in March 2026: far over the signing-overload
    threshold (50 a day)."""
    from cqdt.monitoring.models import SignerRollup

    for grain, day in (("month", D(2026, 3, 1)), ("year", D(2026, 1, 1))):
        SignerRollup.objects.create(
            grain=grain,
            unit_code=code,
            day=day,
            signer_id=1,
            basis="appointment",
            signatures=9000,
        )


@pytest.fixture
def overloaded(hong_ha):
    """A leader of Hồng Hà signing 9,000 results in March 2026 (:func:`overload`)."""
    overload(HONG_HA)


def test_a_pilot_model_shortcoming_rule_is_not_applicable_to_a_today_s_unit(
    client, overloaded, monitor
):
    """The dialogue conferences before the district council's sessions have no object for a
    unit with its own council; its leaders' signing load does (decision 0024, amended 7
    December 2026: the chairman and vice-chairmen still sign the results) — raised."""
    answer = _ask(client, monitor, HONG_HA, H1_2026, "/shortcomings")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["unit"]["name"] == "Phường Hồng Hà"
    assert "signing_overload" in {x["rule"] for x in body["flags"]}
    gone = {x["indicator"] for x in body["not_applicable"]}
    assert gone == {"dialogue_shortfall"}
    html = _own_page(client, monitor, f"{HONG_HA}/shortcomings/?from=2026-01&to=2026-06")
    assert 'data-rule="dialogue_shortfall"' in html


def _own_council_petition(day, *, routed="ward", answered=None):
    """A petition raised in Hồng Hà on ``day`` at a voter meeting of Hồng Hà's own council
    (from 1 July 2025), routed to Hồng Hà's committee or the city's, due 30 days later."""
    from cqdt.monitoring.tests.voter_petitions import voter_petition

    to = HONG_HA if routed == "ward" else "01"
    term = (D(2025, 7, 1), D(2026, 6, 30))
    return voter_petition(HONG_HA, HONG_HA, day, term=term, routed_unit=to, answered=answered)


def test_a_today_s_unit_counts_the_voter_petitions_its_own_committee_answers(
    client, hong_ha, monitor
):
    """Review W2: present is present. Hồng Hà's council met its voters on 10 March 2026; the
    petition routed to Hồng Hà's committee, answered on 20 March, is counted (10 days); the one
    routed to the city's committee, open and past its day, is the city's to answer and is in
    none of Hồng Hà's figures. The voter-petition figures are no longer "not applicable"."""
    pytest.importorskip("cqdt.oversight")
    _own_council_petition(D(2026, 3, 10), answered=D(2026, 3, 20))
    _own_council_petition(D(2026, 3, 10), routed="city")
    body = _ask(client, monitor, HONG_HA, H1_2026).json()
    figures = body["figures"]
    assert (figures["petitions_received"], figures["petitions_answered"]) == (1, 1)
    assert figures["petition_answer_rate"] == 1.0
    assert figures["petition_delay_avg"] == 10
    assert figures["petitions_overdue_now"] == 0
    gone = {x["indicator"] for x in body["not_applicable"]}
    assert not gone & {"petitions_received", "petition_answer_rate", "petitions_overdue_now"}
    # The rule on them applies too: nothing of Hồng Hà's own is unanswered past its day.
    rules = _ask(client, monitor, HONG_HA, H1_2026, "/shortcomings").json()
    assert "unanswered_petitions" not in {x["indicator"] for x in rules["not_applicable"]}
    assert "unanswered_petitions" not in {x["rule"] for x in rules["flags"]}
    html = _own_page(client, monitor, f"{HONG_HA}/?from=2026-01&to=2026-06")
    assert 'data-state="value"' in _row(html, "petition_answer_rate")


@pytest.mark.parametrize(
    "query", ["from=2099-01&to=2099-12", "to=2032-01", "from=2026-01&to=2032-01"]
)
@pytest.mark.parametrize("page", ["", "index/", "shortcomings/"])
def test_a_today_s_unit_page_beyond_the_calendar_is_read_within_it_not_a_server_error(
    client, hong_ha, monitor, query, page
):
    """Review W6: a period past the working-day calendar (2015–2031) was an HTTP 500
    (CalendarRangeError) on the today's unit's pages; the page reads the period kept to this
    month and to the calendar, and shows it."""
    with time_machine.travel(TODAY, tick=False):
        client.force_login(monitor)
        answer = client.get(f"/staff/monitoring/{HONG_HA}/{page}?{query}")
    assert answer.status_code == 200, answer.content.decode()[:500]
    html = answer.content.decode()
    assert "Phường Hồng Hà" in html.split("</h1>")[0]
    assert "31/12/2026" in html  # this month's end, not 2099's or 2032's


@pytest.mark.parametrize("path", ["", "/index", "/shortcomings"])
def test_a_today_s_unit_asked_beyond_the_calendar_by_the_api_is_a_422_naming_the_field(
    client, hong_ha, monitor, path
):
    refused = _ask(client, monitor, HONG_HA, ("2031-07-01", "2032-01-31"), path)
    assert refused.status_code == 422, refused.content.decode()[:500]
    assert refused.json()["field"] == "to"
    assert "lịch ngày làm việc" in refused.json()["messages"]["vi"]
    assert "working-day calendar" in refused.json()["messages"]["en"]
