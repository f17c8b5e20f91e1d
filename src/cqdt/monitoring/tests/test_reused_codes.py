"""The pilot's dashboards under a reused code: Phường Văn Miếu (00181, Quận Đống Đa) ended on
31 December 2024 and Phường Văn Miếu Quốc Tử Giám has held its code since 1 January 2025. A
period from 1 July 2024 has Văn Miếu in its scope (the scope of the period's first day): its
figures are its own rows, not those of the unit that took the code after it."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.monitoring.models import DossierRollup
from cqdt.testing import pdf, reference, shared

pytestmark = pytest.mark.django_db

CODE = "00181"
TODAY = dt.datetime(2025, 12, 5, 9, tzinfo=dt.UTC)


def _sign_in_city_monitor(client, django_user_model):
    """Sign ``client`` in as the city's monitor (who sees every unit's figures)."""
    user = testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "monitor")
    client.force_login(user)


def _unit_answers(client, django_user_model, *periods):
    """The unit API's answers for ``CODE``, one for each ``(from, to)`` of ``periods``, asked by
    the city's monitor on ``TODAY``."""
    with time_machine.travel(TODAY, tick=False):
        _sign_in_city_monitor(client, django_user_model)
        url = f"/api/v1/monitoring/units/{CODE}"
        return [client.get(url, {"from": start, "to": end}) for start, end in periods]


def test_a_ward_s_figures_leave_out_the_rows_of_the_unit_that_took_its_code(
    client, django_user_model
):
    reference.units(history=True)
    # The rollups at month and year grain (as a refresh writes them): 3 received in September
    # 2024 by Văn Miếu, 5 in February 2025 by the unit that took the code.
    for day, n in ((dt.date(2024, 9, 1), 3), (dt.date(2025, 2, 1), 5)):
        for grain, first in (("month", day), ("year", day.replace(month=1))):
            DossierRollup.objects.create(
                grain=grain, unit_code=CODE, day=first, received=n, submitted=n
            )
    (answer,) = _unit_answers(client, django_user_model, ("2024-07-01", "2025-06-30"))
    assert answer.status_code == 200, answer.content
    figures = answer.json()["figures"]
    # Văn Miếu Quốc Tử Giám's February 2025 dossiers are not Văn Miếu's (before: 8 received).
    assert (figures["received"], figures["submitted"]) == (3, 3)
    # Its backlog is told on its own last day, not with the next unit's 2025 dossiers (8).
    assert figures["backlog"] == 3


def test_a_unit_that_took_a_code_is_not_recorded_on_the_earlier_unit_s_rows(
    client, django_user_model
):
    """Phường Văn Miếu Quốc Tử Giám (00181 from 1 January 2025) recorded no dossier: its
    first half of 2025 has no count to give ('not recorded'), not 0 received on the evidence of
    Văn Miếu's 2024 dossiers."""
    reference.units(history=True)
    for grain, day in (("month", dt.date(2024, 9, 1)), ("year", dt.date(2024, 1, 1))):
        DossierRollup.objects.create(grain=grain, unit_code=CODE, day=day, received=3, submitted=3)
    (answer,) = _unit_answers(client, django_user_model, ("2025-01-01", "2025-06-30"))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["unit"]["name"] == "Phường Văn Miếu Quốc Tử Giám"
    figures = body["figures"]
    assert figures["wards_recorded"] == 0
    assert figures["received"] is None


def _rollup(code, day, **counts):
    """A month's counts of ``code`` at month and year grain (as a refresh writes them)."""
    for grain, first in (("month", day), ("year", day.replace(month=1))):
        row, _ = DossierRollup.objects.get_or_create(grain=grain, unit_code=code, day=first)
        for column, n in counts.items():
            setattr(row, column, getattr(row, column) + n)
        row.save()


def _moved_fact(dossier_id, code, moved_from, moved_on, receipt_day, closed_day=None):
    """The fact of a dossier at ``code``'s desk, moved there from ``moved_from``'s on
    ``moved_on``; submitted and received on ``receipt_day``, closed on ``closed_day``."""
    from cqdt.monitoring.models import DossierFact

    days = {"submitted_day": receipt_day, "receipt_day": receipt_day, "closed_day": closed_day}
    DossierFact.objects.create(
        dossier_id=dossier_id, unit_code=code, moved_from=moved_from, moved_on=moved_on, **days
    )


def test_a_ward_s_backlog_begins_on_its_first_day_and_keeps_the_dossiers_moved_to_its_desk(
    client, django_user_model
):
    """Phường Văn Miếu Quốc Tử Giám took code 00181 on 1 January 2025. Văn Miếu received 3
    dossiers in September 2024, none closed; two were moved to the new unit's desk on 1 January
    (one closed in March). The new unit received 5 in February and closed one in March. Its
    backlog on 30 June 2025 is its 4 own open dossiers and the 1 moved one still open: 5 (it was
    6, with Văn Miếu's dossier that was never moved)."""
    reference.units(history=True)
    _rollup(CODE, dt.date(2024, 9, 1), received=3, submitted=3)
    _rollup(CODE, dt.date(2025, 2, 1), received=5, submitted=5)
    _rollup(CODE, dt.date(2025, 3, 1), closed=2)
    moved_on, received = dt.date(2025, 1, 1), dt.date(2024, 9, 10)
    _moved_fact(1, CODE, CODE, moved_on, received, closed_day=dt.date(2025, 3, 5))
    _moved_fact(2, CODE, CODE, moved_on, received)
    answer, earlier = _unit_answers(
        client, django_user_model, ("2025-01-01", "2025-06-30"), ("2024-07-01", "2025-06-30")
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["figures"]["backlog"] == 5
    # Văn Miếu's own backlog on its last day is its 3 dossiers, the moved ones among them.
    assert earlier.json()["figures"]["backlog"] == 3


def test_a_backlog_counts_dossiers_moved_between_codes_at_the_unit_whose_desk_has_them():
    """On 1 July 2025 Phường Phúc Xá (00001) went into Phường Hồng Hà (00097), which took the
    code of Phường Tứ Liên: Phúc Xá's open dossier received in June is Hồng Hà's backlog from
    then (its receipt counted at Phúc Xá), Tứ Liên's earlier rows are not, and Phúc Xá's backlog
    on 30 June still has it."""
    from cqdt.monitoring.selectors import rollup_reads as reads

    first = dt.date(2025, 7, 1)
    _rollup("00001", dt.date(2025, 6, 1), received=2, closed=1)  # Phúc Xá: 1 open on 30 June
    _rollup("00097", dt.date(2025, 3, 1), received=4)  # Tứ Liên's, before Hồng Hà
    _rollup("00097", dt.date(2025, 8, 1), received=3, closed=1)  # Hồng Hà's own
    _moved_fact(1, "00097", "00001", first, dt.date(2025, 6, 12))
    since = {"00097": first}
    assert reads.backlogs(["00097"], dt.date(2025, 9, 30), since=since) == {"00097": 3}
    assert reads.backlogs(["00001"], dt.date(2025, 6, 30)) == {"00001": 1}
    # From the move on, the dossier is no longer Phúc Xá's.
    assert reads.backlogs(["00001"], dt.date(2025, 9, 30)) == {"00001": 0}


def _dossier(code, received, dossier_code, *, closed=None, submitted_only=False):
    """A dossier at ``code``'s desk received on ``received`` (Hanoi 9:00), due two weeks later;
    returned on ``closed`` if given; ``submitted_only``: submitted online, not yet received."""
    from cqdt.testing import at, dossier_row

    due = at(received + dt.timedelta(days=14), 17)
    return dossier_row(
        dossier_code,
        code,
        channel="online" if submitted_only else "counter",
        status="submitted" if submitted_only else ("returned" if closed else "processing"),
        submitted_at=at(received, 9),
        valid_receipt_at=None if submitted_only else at(received, 9),
        due_at=None if submitted_only else due,
        returned_at=at(closed, 10) if closed else None,
        closed_at=at(closed, 10) if closed else None,
    )


def _move(dossier, source, target, on):
    """An arrangement's move of ``dossier`` from ``source``'s desk to ``target``'s on ``on``."""
    from cqdt.testing import arranged

    arranged(dossier, source, target, on)


def test_overdue_now_charges_each_unit_of_a_reused_code_with_its_own_dossiers(
    client, django_user_model
):
    """Phường Văn Miếu (00181 until 31 December 2024) left a dossier of September 2024 open
    and overdue, never moved; Phường Văn Miếu Quốc Tử Giám (00181 from 1 January 2025) has one
    of its own, of February 2025, and one of Văn Miếu's that the arrangement moved to its desk
    on 1 January 2025. 'Overdue now' was counted by code: 3 for each unit. Each is charged with
    the dossiers of its own desk: Văn Miếu 1, Văn Miếu Quốc Tử Giám 2 (as their backlogs)."""
    reference.units(history=True)
    for month in (dt.date(2024, 9, 1), dt.date(2024, 12, 1), dt.date(2025, 2, 1)):
        _rollup(CODE, month, received=1, submitted=1)  # the dossiers' receipt, as refreshed
    _dossier(CODE, dt.date(2024, 9, 10), "H26.006.00181-240910-0001")
    _dossier(CODE, dt.date(2025, 2, 10), "H26.006.00181-250210-0001")
    moved = _dossier(CODE, dt.date(2024, 12, 2), "H26.006.00181-241202-0001")
    _move(moved, CODE, CODE, dt.date(2025, 1, 1))
    earlier, later = _unit_answers(
        client, django_user_model, ("2024-07-01", "2024-12-31"), ("2025-01-01", "2025-06-30")
    )
    assert earlier.status_code == 200, earlier.content
    assert earlier.json()["unit"]["name"] == "Phường Văn Miếu"
    assert earlier.json()["figures"]["overdue_now"] == 1
    assert later.json()["unit"]["name"] == "Phường Văn Miếu Quốc Tử Giám"
    assert later.json()["figures"]["overdue_now"] == 2


def _build_reused_world() -> dict[str, str]:
    """Under 00181: Văn Miếu's dossiers a (September 2024, never moved, open), f (October 2024,
    returned 1 November) and b (December 2024, moved to Văn Miếu Quốc Tử Giám's desk on
    1 January 2025, open); Văn Miếu Quốc Tử Giám's c (February 2025, open), d (February 2025,
    returned 5 March) and e (submitted online in February 2025, not received). Phúc Xá's g
    (00001, June 2025) moved to Phường Hồng Hà's desk (00097) on 1 July 2025. Folded into the
    rollups as a refresh does. All but d, e and f are overdue on 5 December 2025."""
    from cqdt.monitoring import rollups

    reference.units(history=True)
    D = dt.date
    made = {
        "a": _dossier(CODE, D(2024, 9, 10), "H26.006.00181-240910-0001"),
        "f": _dossier(CODE, D(2024, 10, 1), "H26.006.00181-241001-0001", closed=D(2024, 11, 1)),
        "b": _dossier(CODE, D(2024, 12, 2), "H26.006.00181-241202-0001"),
        "c": _dossier(CODE, D(2025, 2, 10), "H26.006.00181-250210-0001"),
        "d": _dossier(CODE, D(2025, 2, 11), "H26.006.00181-250211-0001", closed=D(2025, 3, 5)),
        "e": _dossier(CODE, D(2025, 2, 12), "H26.006.00181-250212-0001", submitted_only=True),
        "g": _dossier("00001", D(2025, 6, 12), "H26.001.00001-250612-0001"),
    }
    _move(made["b"], CODE, CODE, D(2025, 1, 1))
    _move(made["g"], "00001", "00097", D(2025, 7, 1))
    rollups.refresh(now=TODAY)
    return {name: d.code for name, d in made.items()}


# Built once for the module's tests that ask for it and do not commit, each test on a copy
# (``cqdt.testing.shared``); Hà Nội's units with their history and a refresh are most of its cost.
_module_reused_world, reused_world = shared.world("reused_world", _build_reused_world)


@pytest.mark.parametrize(
    ("code", "day", "names"),
    [
        (CODE, dt.date(2024, 9, 30), {"a"}),
        (CODE, dt.date(2024, 10, 15), {"a", "f"}),
        (CODE, dt.date(2024, 12, 31), {"a", "b"}),  # Văn Miếu's last day
        (CODE, dt.date(2025, 1, 1), {"b"}),  # the new unit's first: only the moved one
        (CODE, dt.date(2025, 3, 1), {"b", "c", "d"}),  # e is not received
        (CODE, dt.date(2025, 6, 30), {"b", "c"}),
        ("00001", dt.date(2025, 6, 30), {"g"}),  # at Phúc Xá's desk until the move
        ("00097", dt.date(2025, 9, 30), {"g"}),  # Hồng Hà's from 1 July; Tứ Liên's are not
        ("00001", dt.date(2025, 9, 30), set()),
    ],
)
def test_the_queue_s_open_on_lists_the_dossiers_the_backlog_counts(reused_world, code, day, names):
    """The backlog (counted from the rollups, with the moves and the holdings of reused codes)
    and the queue's ``open_on`` (``dossiers.desks``, one dossier at a time) agree, dossier for
    dossier, on each side of a code's change of hands and of a move between codes."""
    from cqdt.dossiers import selectors as dossier_selectors
    from cqdt.dossiers.desks import holding_on
    from cqdt.monitoring.selectors import rollup_reads as reads

    holding = holding_on(code, day)
    since = {code: holding.valid_from} if holding and holding.valid_from else {}
    figure = reads.backlogs([code], day, since=since).get(code, 0)
    listed = dossier_selectors.queue(None, unit=code, open_on=day)
    assert sorted(listed.values_list("code", flat=True)) == sorted(reused_world[n] for n in names)
    assert figure == len(names)


def _cell(page: str, code: str) -> tuple[int, str | None]:
    import html
    import re

    main = page[: page.index("</table>")]
    found = re.search(rf'<data value="([^"]*)" data-code="{code}">(?:<a href="([^"]+)">)?', main)
    assert found is not None, code
    return int(found.group(1)), html.unescape(found.group(2)) if found.group(2) else None


def test_each_unit_of_a_reused_code_links_its_figures_to_its_own_dossiers(
    reused_world, client, django_user_model
):
    """'Overdue now' of Phường Văn Miếu (00181 until 31 December 2024) linked to the code's
    queue — today's holder's, with Văn Miếu Quốc Tử Giám's dossiers in it (3 listed against 1).
    Each unit's overdue now links to the dossiers that came to the desk while it held the code
    (``held_on``), and its backlog to its desk's ``open_on`` on its own last day: as many rows
    as the figure, on the page and in the API."""
    import re

    periods = {
        "from=2024-07&to=2024-12": ("Phường Văn Miếu", {"a"}, "2024-12-31", {"a", "b"}),
        "from=2025-01&to=2025-06": (
            "Phường Văn Miếu Quốc Tử Giám",
            {"b", "c"},
            "2025-06-30",
            {"b", "c"},
        ),
    }
    with time_machine.travel(TODAY, tick=False):
        _sign_in_city_monitor(client, django_user_model)
        everything = client.get("/api/v1/dossiers", {"unit": CODE, "overdue": True}).json()
        assert everything["count"] == 3  # the code's queue: both units' dossiers
        for period, (name, overdue, last, backlog) in periods.items():
            page = client.get(f"/staff/monitoring/{CODE}/?{period}").content.decode()
            assert name in page
            for figure_code, names in (("overdue_now", overdue), ("backlog", backlog)):
                figure, link = _cell(page, figure_code)
                assert figure == len(names), (period, figure_code)
                assert link is not None, (period, figure_code)
                listed = client.get(link).content.decode()
                rows = re.findall(r'<td><a href="/staff/dossiers/([^/"]+)/"', listed)
                assert sorted(rows) == sorted(reused_world[n] for n in names), (period, link)
                assert f"— {figure} hồ sơ" in listed
            overdue_link = _cell(page, "overdue_now")[1]
            assert "held_on=" in overdue_link and name in client.get(overdue_link).content.decode()
            assert _cell(page, "backlog")[1].endswith(f"open_on={last}")
            held_on = overdue_link.split("held_on=", 1)[1][:10]
            api = client.get(
                "/api/v1/dossiers", {"unit": CODE, "overdue": True, "held_on": held_on}
            ).json()
            assert sorted(i["code"] for i in api["items"]) == sorted(
                reused_world[n] for n in overdue
            )
        refused = client.get("/api/v1/dossiers", {"held_on": "2024-09-01"})
        assert refused.status_code == 422 and refused.json()["field"] == "unit"


def test_a_district_page_names_the_wards_formed_mid_period_that_its_rows_leave_out(
    reused_world, client, django_user_model
):
    """Quận Đống Đa from July 2024 to June 2025: its rows are its wards of 1 July 2024, Phường
    Văn Miếu among them (3 received); its total is grouped day by day and holds the 2 dossiers
    Phường Văn Miếu Quốc Tử Giám received in February 2025 (5): the rows added up to less than
    the total and the page did not say why. It now names the units formed mid-period; a period
    without a change of units has no such note."""
    import re

    district = "006"  # Quận Đống Đa
    with time_machine.travel(TODAY, tick=False):
        _sign_in_city_monitor(client, django_user_model)
        page = client.get(f"/staff/monitoring/{district}/?from=2024-07&to=2025-06")
        english = client.get(
            f"/staff/monitoring/{district}/?from=2024-07&to=2025-06", HTTP_ACCEPT_LANGUAGE="en"
        )
        settled = client.get(f"/staff/monitoring/{district}/?from=2025-01&to=2025-06")
        before = client.get(f"/staff/monitoring/{district}/?from=2024-01&to=2024-12")
    html = page.content.decode()
    total, _ = _cell(html, "received")
    rows = html.split('id="units"', 1)[1].split("</table>", 1)[0]
    summed = sum(int(v) for v in re.findall(r'<data value="(\d+)" data-code="received">', rows))
    assert (total, summed) == (5, 3)
    note = html.split('id="rows-and-total"', 1)[1].split("</div>", 1)[0]
    assert "không bằng số của Quận Đống Đa" in note
    assert (
        "Phường Văn Miếu Quốc Tử Giám (00181), từ 01/01/2025 — dòng mã 00181 là đơn vị giữ mã"
        " trước đó, đến hết 31/12/2024"
    ) in note
    assert "Phường Văn Miếu (" not in note  # a row: its own days are in the total too
    note_en = english.content.decode().split('id="rows-and-total"', 1)[1]
    assert "may not add up" in note_en and "Phường Văn Miếu Quốc Tử Giám (00181), from" in note_en
    for other in (settled, before):
        assert other.status_code == 200 and 'id="rows-and-total"' not in other.content.decode()


DISTRICT = "006"  # Quận Đống Đa
# The wards of Quận Đống Đa formed on 1 January 2025, with the row whose code each took.
JOINED = [
    ("00226", "Phường Phương Liên Trung Tự", "Phường Trung Tự"),
    ("00235", "Phường Thịnh Quang", "Phường Ngã Tư Sở"),
    (CODE, "Phường Văn Miếu Quốc Tử Giám", "Phường Văn Miếu"),
]
JOINED_VI = (
    "Phường Văn Miếu Quốc Tử Giám (00181), từ 01/01/2025 — dòng mã 00181 là đơn vị giữ mã"
    " trước đó, đến hết 31/12/2024"
)


@pytest.mark.django_db(transaction=True)
def test_the_unit_api_names_the_wards_formed_mid_period_that_its_children_leave_out(
    reused_world, live_server, django_user_model
):
    """The API's answer for Quận Đống Đa, July 2024 to June 2025, asked over HTTP with a token
    as an integrator does: ``received`` 5 against children summing to 3, and nothing said why
    (the page said it, the API did not). It now lists the units formed mid-period, each with the
    day it counts from and the row of its code's earlier holder, and the note in vi and en; a
    period without a change of units has an empty list and no note."""
    import json
    import urllib.request

    from cqdt.core.audit import Actor
    from cqdt.core.tokens import token_issue

    user = testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "monitor")
    _, secret = token_issue(actor=Actor.system("test"), user=user)

    def answer(start, end):
        url = f"{live_server.url}/api/v1/monitoring/units/{DISTRICT}?from={start}&to={end}"
        headers = {"Authorization": f"Bearer {secret}"}
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the live server
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            assert response.status == 200
            return json.loads(response.read())

    with time_machine.travel(TODAY, tick=False):
        body = answer("2024-07-01", "2025-06-30")
        settled = answer("2025-01-01", "2025-06-30")
        before = answer("2024-01-01", "2024-12-31")
    summed = sum(c["figures"]["received"] or 0 for c in body["children"])
    assert (body["figures"]["received"], summed) == (5, 3)
    joined = body["joined_mid_period"]
    # The wards formed on 1 January 2025, each under the code of a row that ended the day before.
    assert [(j["code"], j["name"], j["from"], j["earlier_holder"]) for j in joined] == [
        (code, name, "2025-01-01", {"code": code, "name": earlier, "until": "2024-12-31"})
        for code, name, earlier in JOINED
    ]
    assert joined[2]["message"] == {
        "vi": JOINED_VI,
        "en": "Phường Văn Miếu Quốc Tử Giám (00181), from 01/01/2025 — the row of code 00181 is"
        " the unit that held the code before, until 31/12/2024",
    }
    assert "không bằng số của Quận Đống Đa" in body["rows_note"]["vi"]
    assert "may not add up to the figures of Quận Đống Đa" in body["rows_note"]["en"]
    for other in (settled, before):
        assert (other["joined_mid_period"], other["rows_note"]) == ([], None)


def _review_rows_note(fmt, start, end):
    """The text under the district's rows in its review (``fmt``: xlsx or pdf), with the
    district's received and its rows' sum; the text is "" when there is none."""
    import io
    import re

    from openpyxl import load_workbook

    from cqdt.monitoring import report_pdf, report_xlsx, tables

    if fmt == "pdf":
        text = pdf.text(report_pdf.pilot_review_pdf(start, end, unit_code=DISTRICT, now=TODAY))
        # The note runs from its lead to the next chart's title (past the page's number, "4/9").
        found = re.search(
            r"Các dòng là các đơn vị.*?(?=( \d+/\d+)? (Hồ sơ tiếp nhận và đã giải quyết"
            r"|\d+ phường thí điểm của))",  # or the note on overdue now (EndedNote)
            text,
        )
        return found.group(0).strip() if found else "", None
    xlsx = report_xlsx.pilot_review_xlsx(start, end, unit_code=DISTRICT, now=TODAY)
    sheet = load_workbook(io.BytesIO(xlsx))["Đơn vị"]
    received = 2 + [c.code for c in tables.COLUMNS].index("received")  # after Mã, Đơn vị
    values = [row for row in sheet.iter_rows(values_only=True)]
    units = [row for row in values[1:] if row[0] and str(row[0]).isdigit()]
    total, rows = units[0][received], sum(row[received] or 0 for row in units[1:])
    notes = [
        str(row[0])
        for row in values[1:]
        if row[0] and not str(row[0]).isdigit() and "“Đang quá hạn”" not in str(row[0])
    ]  # the note on overdue now (EndedNote) is another
    return "\n".join(notes), (total, rows)


def test_the_review_xlsx_names_the_wards_formed_mid_period_under_its_rows(reused_world):
    """Quận Đống Đa's review workbook, July 2024 to June 2025: its sheet of units had the
    district's 5 received over rows summing to 3, and no word why. The dashboard's note now
    stands under the rows (in Vietnamese, as the workbook); none for a period without a
    change of units."""
    with time_machine.travel(TODAY, tick=False):
        note, (total, rows) = _review_rows_note("xlsx", dt.date(2024, 7, 1), dt.date(2025, 6, 30))
        settled, _ = _review_rows_note("xlsx", dt.date(2025, 1, 1), dt.date(2025, 6, 30))
        before, _ = _review_rows_note("xlsx", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert (total, rows) == (5, 3)
    lead, *joined = note.split("\n")
    assert lead.startswith("Các dòng là các đơn vị thuộc Quận Đống Đa ngày đầu kỳ")
    assert "không bằng số của Quận Đống Đa" in lead
    assert [line.split(" (", 1)[0] for line in joined] == [name for _, name, _ in JOINED]
    assert joined[2] == JOINED_VI
    assert (settled, before) == ("", "")


def test_the_review_pdf_names_the_wards_formed_mid_period_under_its_rows(reused_world):
    """The same review as PDF (its text as pdftotext reads it): the note under the table of
    units; none for the first half of 2025, whose units did not change."""
    with time_machine.travel(TODAY, tick=False):
        note, _ = _review_rows_note("pdf", dt.date(2024, 7, 1), dt.date(2025, 6, 30))
        settled, _ = _review_rows_note("pdf", dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert note.startswith("Các dòng là các đơn vị thuộc Quận Đống Đa ngày đầu kỳ")
    assert "không bằng số của Quận Đống Đa" in note
    assert note.endswith(JOINED_VI) and note.count("từ 01/01/2025") == 3
    assert settled == ""


def test_the_queue_keeps_an_ended_unit_chosen_for_its_backlog(
    reused_world, client, django_user_model
):
    """Phường Phúc Xá (00001) ended on 30 June 2025; its backlog that day (the dossier moved to
    Hồng Hà's desk on 1 July) is listed by the queue, whose unit chooser offered only today's
    units: the page showed 'all units' over Phúc Xá's list, and any other filter chosen there
    dropped the unit and the figure's list with it. The chooser now names Phúc Xá, chosen."""
    with time_machine.travel(TODAY, tick=False):
        _sign_in_city_monitor(client, django_user_model)
        page = client.get("/staff/dossiers/", {"unit": "00001", "open_on": "2025-06-30"})
    html = page.content.decode()
    assert reused_world["g"] in html and "— 1 hồ sơ" in html
    assert '<option value="00001" selected>Phường Phúc Xá</option>' in html


def test_overdue_now_of_the_city_reads_its_reused_codes_in_one_query(reused_world):
    """Hanoi's pilot scope has 51 ward codes that more than one unit held (most 1 July 2025
    units took a pilot ward's code). 'Overdue now' for the city selected each one's own dossiers
    with a query of its own: 54 queries where 4 did (5 with the first moves read before the
    list, ``desks.came_within_any``). The codes are read together, and each
    code's dossiers are those ``desks.came_within`` lists for it alone (the queue's
    ``held_on``), dossier for dossier."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cqdt.dossiers import desks
    from cqdt.dossiers.selectors import overdue_q, visible_dossiers
    from cqdt.monitoring.selectors import pilot
    from cqdt.monitoring.selectors import rollup_reads as reads

    # Phường Trúc Bạch's (00004 until 30 June 2025) own overdue dossier: the other days group.
    truc_bach = _dossier("00004", dt.date(2024, 11, 5), "H26.001.00004-241105-0001").code
    by = TODAY.date()
    for on, expected in (
        (dt.date(2024, 7, 1), {CODE: {"a"}, "00004": {truc_bach}}),
        (dt.date(2025, 3, 1), {CODE: {"b", "c"}, "00004": {truc_bach}}),
    ):
        codes = [w.code for w in pilot.build_scope(on).wards_of("01")]
        reused = reads._reused_holdings(codes, on)
        assert len(reused) == 51 and {CODE, "00004", "00097"} <= set(reused)
        with CaptureQueriesContext(connection) as read:
            figures = reads.overdue_now(codes, TODAY, on=on)
        # The open overdue dossiers by desk, the units that held each code, the first moves of
        # the reused codes' dossiers (read once: ``desks.came_within_any``), their own dossiers.
        assert len(read.captured_queries) == 5, [q["sql"][:80] for q in read.captured_queries]
        assert figures == {code: len(names) for code, names in expected.items()}
        overdue = visible_dossiers(None).filter(overdue_q(TODAY), closed_at__isnull=True)
        together = desks.came_within_any(overdue, reused, by=by)
        for code, holding in reused.items():
            alone = desks.came_within(overdue.filter(unit_code=code), holding, by=by)
            listed = sorted(together.filter(unit_code=code).values_list("code", flat=True))
            assert listed == sorted(alone.values_list("code", flat=True)), code
            named = {reused_world.get(n, n) for n in expected.get(code, set())}
            assert set(listed) == named, code
    assert not desks.came_within_any(visible_dossiers(None), {}).exists()


def test_the_city_dashboard_reads_in_a_number_of_queries_not_growing_with_its_rows(
    reused_world, client, django_user_model
):
    """The page the city opens most (175 wards' rows, 51 of them reused codes): once the scope
    and the kept reads are warm, it reads the dossier table twice ('overdue now': the open
    overdue dossiers by desk, then the reused codes' own) and 26 queries in all (measured
    7 December 2026; each reused code read alone made it 82, each read that needs the holdings
    of the codes reading them again 36, the petitions', conferences' and the rows' note's
    reads still doing so 32); 27 since the pilot's staff in post are kept under the staff's
    version (``context_reads.staffing``, one query), no longer five minutes blind; 28 since
    the pilot's scope and last day are kept under the governance's version too
    (``units.selectors.governance_version``, one query per GET)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = "/staff/monitoring/01/?from=2024-07&to=2024-12"
    with time_machine.travel(TODAY, tick=False):
        _sign_in_city_monitor(client, django_user_model)
        assert client.get(page).status_code == 200  # the scope, staffing and rollup reads kept
        with CaptureQueriesContext(connection) as read:
            answer = client.get(page)
    assert answer.status_code == 200
    assert _cell(answer.content.decode(), "overdue_now")[0] == 1  # Văn Miếu's a
    dossier_reads = [q for q in read.captured_queries if '"dossiers_dossier"' in q["sql"]]
    moves = [q for q in dossier_reads if '"core_auditevent"' in q["sql"]]
    assert len(dossier_reads) - len(moves) == 2, [q["sql"][:200] for q in dossier_reads]
    assert len(moves) == 1, [q["sql"][:200] for q in moves]  # the reused codes' first moves
    assert len(read.captured_queries) <= 28, [
        re.sub(r"\s+", " ", q["sql"][:100]) for q in read.captured_queries
    ]


@pytest.mark.parametrize(
    ("code", "day"), [(CODE, dt.date(2024, 12, 31)), ("00097", dt.date(2025, 9, 30))]
)
def test_a_desk_s_backlog_and_held_lists_read_the_audit_log_once(reused_world, code, day):
    """The queue's ``open_on`` and ``held_on`` read the dossiers' first moves once, before the
    list (``dossiers.desks``): the list's SQL repeated the two subqueries on the audit log for
    each condition on a move (16 copies for a unit that ended), which cost PostgreSQL's planner
    ~1.9M and its JIT 3 to 10 s for a desk of 3,000 dossiers (measured 7 December 2026)."""
    from cqdt.dossiers import selectors as dossier_selectors
    from cqdt.dossiers.desks import holding_on

    backlog = dossier_selectors.queue(None, unit=code, open_on=day)
    held = dossier_selectors.queue(None, unit=code, held=holding_on(code, day), now=TODAY)
    for listed in (backlog, held):
        assert str(listed.query).count("core_auditevent") == 0, str(listed.query)
    assert backlog.exists() and held.exists()


LATER = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)  # read long after the 2025 arrangement
NOT_APPLICABLE_VI = (
    "Phường Phúc Xá đã kết thúc ngày 30/06/2025; hồ sơ đang giải quyết của đơn vị đã chuyển "
    "sang các đơn vị tiếp nhận, nên “Đang quá hạn” (số liệu tại thời điểm xem) không áp "
    "dụng (—), không phải 0."
)


def _overdue_cell(page: str) -> str:
    import re

    found = re.search(r'<data value="([^"]*)" data-code="overdue_now">([^<]*)<', page)
    assert found is not None
    return found.group(2)


def test_overdue_now_of_an_ended_ward_does_not_apply_and_of_a_unit_in_force_stays_0(
    reused_world, django_user_model
):
    """Phường Phúc Xá (00001) ended on 30 June 2025; its open dossier g was moved to Phường
    Hồng Hà's desk (00097) on 1 July. Read in December 2026, its period July 2024 – June 2025
    showed 'overdue now' 0 beside a backlog of 1, and Quận Ba Đình's the same: a live count of
    units that no longer exist is not 0, it does not apply — null in the API, "—" on the page,
    with a note (vi and en) saying the unit ended and where its dossiers went. Phường Văn Miếu
    (ended 31 December 2024) left dossier a at its desk, never moved: its count stays 1. Read
    while Phúc Xá was in force (20 June 2025, its records begun), its 0 is a real 0, with no note."""
    user = testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "monitor")
    api = testing.bearer_client(user)
    period = {"from": "2024-07-01", "to": "2025-06-30"}
    with time_machine.travel(LATER, tick=False):
        ward = api.get("/api/v1/monitoring/units/00001", period).json()
        district = api.get("/api/v1/monitoring/units/001", period).json()
        left = api.get("/api/v1/monitoring/units/00181", {"from": "2024-07-01", "to": "2024-12-31"})
        page_client = testing.bearer_client(user)
        page_client.force_login(user)
        page = page_client.get("/staff/monitoring/00001/?from=2024-07&to=2025-06")
        page_en = page_client.get(
            "/staff/monitoring/00001/?from=2024-07&to=2025-06", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert (ward["figures"]["backlog"], ward["figures"]["overdue_now"]) == (1, None)
    assert ward["overdue_note"]["vi"] == NOT_APPLICABLE_VI
    assert ward["overdue_note"]["en"].startswith("Phường Phúc Xá ended on 30/06/2025; its open")
    assert district["figures"]["overdue_now"] is None
    assert {c["figures"]["overdue_now"] for c in district["children"]} == {None}
    assert "phường thí điểm của Quận Ba Đình đã kết thúc" in district["overdue_note"]["vi"]
    assert left.json()["figures"]["overdue_now"] == 1  # dossier a, still at its desk
    assert left.json()["overdue_note"] is None
    assert page.status_code == 200
    html = page.content.decode()
    assert _overdue_cell(html) == "—"
    assert "Phường Phúc Xá đã kết thúc ngày 30/06/2025" in html
    assert "ended on 30/06/2025; its open dossiers moved" in page_en.content.decode()

    with time_machine.travel(dt.datetime(2025, 6, 20, 9, tzinfo=dt.UTC), tick=False):
        current = api.get(
            "/api/v1/monitoring/units/00001", {"from": "2025-06-01", "to": "2025-06-30"}
        )
        current_page = page_client.get("/staff/monitoring/00001/?from=2025-06&to=2025-06")
    assert current.json()["figures"]["overdue_now"] == 0
    assert current.json()["overdue_note"] is None
    assert _overdue_cell(current_page.content.decode()) == "0"
    assert "overdue-not-applicable" not in current_page.content.decode()


def test_the_review_of_an_ended_ward_leaves_overdue_now_empty_and_says_why(reused_world):
    """The review of Phường Phúc Xá, July 2024 – June 2025, made in December 2026: 'Đang quá
    hạn' is an empty cell in the XLSX and "—" in the PDF, with the note under the figures."""
    import io

    from openpyxl import load_workbook

    from cqdt.monitoring import report, report_pdf, report_xlsx

    start, end = dt.date(2024, 7, 1), dt.date(2025, 6, 30)
    with time_machine.travel(LATER, tick=False):
        r = report.review(start, end, unit_code="00001", now=LATER)
        xlsx = report_xlsx.pilot_review_xlsx(start, end, unit_code="00001", now=LATER)
        html = report_pdf.pilot_review_html(r)
    assert r.main.figures["overdue_now"] is None
    assert r.ended_note is not None and r.ended_note.message_vi == NOT_APPLICABLE_VI
    book = load_workbook(io.BytesIO(xlsx))
    cells = [row for sheet in book for row in sheet.iter_rows(values_only=True)]
    assert ("Đang quá hạn", None) in [row[:2] for row in cells]
    assert (NOT_APPLICABLE_VI,) in [row[:1] for row in cells]
    assert NOT_APPLICABLE_VI in html
    assert "<td><strong>—</strong></td>" in html
