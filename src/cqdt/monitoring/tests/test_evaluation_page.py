"""The evaluation page /staff/monitoring/evaluation/: scoped like the dashboards (the city's users
see the city and every district, a district's chairman his district, a ward officer his ward);
with no comparison data it says so and shows no figure (never 0); the figures on the page are the
API's; the plot is accessible with the table beside it; the dashboard links to it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.monitoring import comparison as mc
from cqdt.monitoring import did_chart, selectors
from cqdt.monitoring.definitions import PILOT_START
from cqdt.monitoring.tests.conftest import DISTRICT, WARD
from cqdt.simulation import comparison as sim

URL = "/staff/monitoring/evaluation/"
API = "/api/v1/monitoring/evaluation"


def _login(client, official, django_user_model, name):
    client.force_login(testing.login_for(official, django_user_model, name))


def _effect(page: str, indicator: str, unit: str) -> str:
    table = re.search(rf'<table id="did-{indicator}".*?</table>', page, re.S).group(0)
    row = re.search(rf'<tr data-unit="{unit}">.*?</tr>', table, re.S).group(0)
    return re.search(r'<data value="([^"]*)" data-code="effect">', row).group(1)


def test_city_sees_city_and_districts_empty_case_says_no_data(monitor_client):
    page = monitor_client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    # July 2021 only, no comparison commune: no estimate, said so, never a zero effect.
    assert 'id="no-comparison"' in html and "Chưa có dữ liệu so sánh" in html
    for indicator in mc.INDICATORS:
        assert _effect(html, indicator, "01") == ""
        assert _effect(html, indicator, DISTRICT) == ""
    assert "+0,0%" not in html and "+0.0%" not in html
    assert 'role="img"' in html and "<desc" in html and 'id="means-processing_time"' in html
    assert "Xu hướng song song" in html and "Không lan tỏa" in html and "CR1" in html
    assert "DỮ LIỆU MÔ PHỎNG" not in html
    dashboard = monitor_client.get("/staff/monitoring/01/?from=2021-07&to=2021-07")
    assert f'href="{URL}?unit=01"' in dashboard.content.decode()


def test_a_reason_without_an_estimate_is_said_once_and_each_row_points_to_it(monitor_client):
    """Every row without an estimate repeated the reason's sentence: at 320 px the city's page was
    ~22,000 px tall. The sentence is said once above the tables, as an item of a list; each row's
    "—" carries a footnote link to it, described by it for a screen reader."""
    for lang, reason in (
        ("vi", "Không đủ phường thí điểm và đơn vị so sánh có dữ liệu cả trước và sau."),
        ("en", "Not enough pilot and comparison units recorded both before and after the start."),
    ):
        html = monitor_client.get(URL, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert html.count(reason) == 1
        assert f'<li id="did-reason-1">{reason}</li>' in html
        rows = re.findall(r'<tr data-unit="[^"]+">.*?</tr>', html, re.S)
        did_rows = [r for r in rows if 'data-code="effect"' in r]
        assert len(did_rows) >= len(mc.INDICATORS) * 2  # the city and its districts
        for row in did_rows:
            assert 'href="#did-reason-1" aria-describedby="did-reason-1"' in row


def test_district_chairman_sees_his_district_only(client, folded, django_user_model, frozen):
    _login(client, folded["team"]["district_chair"], django_user_model, "dchair-e")
    page = client.get(URL)  # default: the widest unit he sees
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<tr data-unit="{DISTRICT}">' in html and '<tr data-unit="01">' not in html
    assert client.get(f"{URL}?unit=01").status_code == 404
    assert client.get(f"{URL}?unit=002").status_code == 404


def test_ward_officer_sees_his_ward_only(client, folded, django_user_model, frozen):
    _login(client, folded["team"]["desk"], django_user_model, "desk-e")
    assert client.get(f"{URL}?unit={WARD}").status_code == 200
    for other in ("01", DISTRICT, "00004", "nope"):
        assert client.get(f"{URL}?unit={other}").status_code == 404, other


def test_a_plot_with_no_mean_at_all_draws_no_scale():
    """With no figure the plot had a made-up 0–1 range whose ticks (0,05 … 0,95; 5,0% … 95,0%)
    read as figures (seen in Chromium on the demo's ward pages); it says it has no data instead,
    and each missing point is still marked."""
    empty = did_chart.Point(None, None, None)
    series = [
        did_chart.Series(name, empty, empty, pilot) for name, pilot in (("P", True), ("C", False))
    ]
    svg = did_chart.did_chart(
        "T", "D", ("before", "after"), series, lambda v: f"{v:.2f}", empty="none"
    )
    assert ">none</text>" in svg
    assert svg.count(">—</text>") == 4
    assert not re.search(r">\d", svg)  # no number anywhere in the drawing
    some = did_chart.Point(2.0, 1.5, 2.5)
    drawn = did_chart.did_chart(
        "T",
        "D",
        ("b", "a"),
        [did_chart.Series("P", some, some, True)],
        lambda v: f"{v:.2f}",
        empty="none",
    )
    assert ">none</text>" not in drawn and re.search(r">\d\.\d\d</text>", drawn)


def test_anonymous_is_sent_to_login(client, folded):
    answer = client.get(URL)
    assert answer.status_code == 302 and "login" in answer["Location"]


@pytest.fixture(scope="module")
def _module_simulated(history, django_db_blocker):
    """A simulated panel over the module's July, written once per module in a savepoint of the
    module's transaction, rolled back when the module ends; each test runs in its own savepoint
    inside it (what a test adds is gone for the next)."""
    with django_db_blocker.unblock(), transaction.atomic():
        pilot = [w.code for w in selectors.scope_on(PILOT_START).wards_of(DISTRICT)]
        sim.simulate_into_database(
            actor=Actor.system("test"),
            seed=20,
            start=dt.date(2020, 7, 1),
            end=dt.date(2022, 6, 30),
            effect=-0.10,
            cost_effect=0.05,
            per_month=10,
            pilot_codes=pilot,
            comparison_codes=mc.comparison_codes()[:20],
        )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def simulated(_module_simulated, folded):
    return folded


def test_page_numbers_equal_the_api(monitor_client, simulated):
    page = monitor_client.get(f"{URL}?unit=01&data=simulated").content.decode()
    assert "DỮ LIỆU MÔ PHỎNG" in page and 'id="no-comparison"' not in page
    for indicator in mc.INDICATORS:
        for unit in ("01", DISTRICT):
            body = monitor_client.get(
                f"{API}?unit={unit}&indicator={indicator}&data=simulated"
            ).json()
            assert body["simulated"] is True and body["effect"] is not None
            assert float(_effect(page, indicator, unit)) == body["effect"], (indicator, unit)
    # Recorded data stays empty: simulated records are never shown as recorded.
    recorded = monitor_client.get(f"{URL}?unit=01").content.decode()
    assert _effect(recorded, "processing_time", DISTRICT) == ""
    assert 'href="/staff/monitoring/evaluation/?unit=01&amp;data=simulated"' in recorded


def test_the_estimates_are_kept_per_data_version(monitor_client, simulated, monkeypatch):
    """The fits are computed once per (units, window, data): a second view computes nothing;
    records that change a figure give a new version, computed again (and different)."""
    from django.core.cache import caches

    from cqdt.monitoring.recorded import ImportedDossier

    caches["default"].clear()
    calls = []
    fit = mc.estimate
    monkeypatch.setattr(mc, "estimate", lambda *a, **k: calls.append(1) or fit(*a, **k))
    url = f"{URL}?unit=01&data=simulated"
    first = monitor_client.get(url).content.decode()
    units = 1 + len(selectors.scope_on(PILOT_START).districts)  # the city and its districts
    assert len(calls) == units * len(mc.INDICATORS)
    second = monitor_client.get(url).content.decode()
    assert len(calls) == units * len(mc.INDICATORS)  # kept
    for indicator in mc.INDICATORS:
        assert _effect(second, indicator, "01") == _effect(first, indicator, "01") != ""
    # A refresh that changes none of the window's figures: read again, not fitted again.
    from cqdt.monitoring import rollups
    from cqdt.monitoring.tests.conftest import NOW

    version = mc.data_version("recorded")
    rollups.refresh(now=NOW + dt.timedelta(minutes=5))
    assert mc.data_version("recorded") != version
    monitor_client.get(f"{URL}?unit=01")
    fitted = len(calls)
    rollups.refresh(now=NOW + dt.timedelta(minutes=6))
    monitor_client.get(f"{URL}?unit=01")
    assert len(calls) == fitted
    calls.clear()
    calls.extend([1] * units * len(mc.INDICATORS))
    # New records in a pilot ward's month change the data: computed again.
    row = ImportedDossier.objects.filter(simulated=True, unit_code=WARD).first()
    row.pk, row.external_id, row.processing_days = None, "extra-1", 40
    row.save()
    again = monitor_client.get(url).content.decode()
    assert len(calls) == 2 * units * len(mc.INDICATORS)
    assert _effect(again, "processing_time", "01") != _effect(first, "processing_time", "01")


def test_a_deploy_does_not_answer_the_previous_codes_estimates(
    monitor_client, simulated, monkeypatch
):
    """The estimates and means are kept in the shared cache (a database table or Redis), which
    outlives a deploy; keyed by the data alone, a deploy that changed how they are computed kept
    answering the previous code's figures (the plot drawn from its means) for up to 7 days on
    unchanged data. The code's digest is in the key: another code computes them again."""
    from django.core.cache import caches

    caches["default"].clear()
    calls = []
    fit = mc.estimate
    monkeypatch.setattr(mc, "estimate", lambda *a, **k: calls.append(1) or fit(*a, **k))
    url = f"{URL}?unit=01&data=simulated"
    monitor_client.get(url)
    fitted = len(calls)
    assert fitted
    monitor_client.get(url)
    assert len(calls) == fitted  # kept while the code is the same
    monkeypatch.setattr(mc, "CODE_DIGEST", "another deploy", raising=False)
    monitor_client.get(url)
    assert len(calls) == 2 * fitted
