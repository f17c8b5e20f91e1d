"""A period with nothing recorded is no data, not a clean bill (QA Q4): the shortcomings of such a
period said "no shortcoming exceeded its threshold", as if the rules had checked something. Now
the pages, the API, the dashboard and the review say the period has no recorded data, with its
days and the nearest recorded days, apart from "checked, none found".

The July 2021 world (conftest): Phúc Xá's records run from Monday 5 July (d1, d2, d3 accepted)
to Tuesday 27 July (d7 submitted and refused); June is before them, August after them with
nothing new; Trúc Bạch (``WARD_B``) never recorded anything.
"""

import datetime as dt
import io

from openpyxl import load_workbook

from cqdt.monitoring import dashboards, report, report_pdf, report_xlsx, selectors
from cqdt.monitoring.tests.conftest import DISTRICT, JULY, NOW, WARD, WARD_B
from cqdt.units.models import Unit

JUNE = (dt.date(2021, 6, 1), dt.date(2021, 6, 30))
AUGUST = (dt.date(2021, 8, 1), dt.date(2021, 8, 31))
FIRST_DAY = dt.date(2021, 7, 5)
LAST_DAY = dt.date(2021, 7, 27)
NO_DATA_VI = "Chưa có số liệu ghi nhận trong kỳ này"
NO_DATA_EN = "No data recorded for this period"
CLEAN_VI = "Không có bất cập nào vượt ngưỡng"


def _findings(code: str, period: tuple[dt.date, dt.date]) -> dashboards.Findings:
    scope = selectors.scope_on(period[0])
    return dashboards.findings(dashboards.unit_period_data(scope, code, *period, now=NOW), code)


def test_a_period_before_the_records_is_no_data_with_the_first_recorded_day(folded):
    found = _findings(WARD, JUNE)
    assert found.flags == []
    said = found.nothing_recorded
    assert said is not None
    assert (said.start, said.end) == JUNE
    assert (said.last_before, said.next_after) == (None, FIRST_DAY)
    assert f"{NO_DATA_VI} (01/06/2021 – 30/06/2021)" in said.message_vi
    assert "05/07/2021" in said.message_vi and "05/07/2021" in said.message_en
    assert "không phải là “không có bất cập”" in said.message_vi


def test_a_quiet_period_after_the_records_is_no_data_with_the_last_recorded_day(folded):
    """Its counts stay real zeros (test_missing_is_missing), but nothing was done in it: the
    rules had nothing to check."""
    said = _findings(WARD, AUGUST).nothing_recorded
    assert said is not None
    assert (said.last_before, said.next_after) == (LAST_DAY, None)
    assert (
        "Ngày gần nhất trước kỳ có hồ sơ hoặc phản ánh được ghi nhận: 27/07/2021" in said.message_vi
    )
    assert "Last day before it with a dossier or report recorded: 27/07/2021" in said.message_en


def test_a_ward_that_never_recorded_anything_says_so(folded):
    said = _findings(WARD_B, JULY).nothing_recorded
    assert said is not None and said.last_before is None and said.next_after is None
    assert "Chưa có hồ sơ hay phản ánh nào của đơn vị được ghi nhận" in said.message_vi


def test_a_recorded_period_is_checked(folded):
    """July: Phúc Xá's dossiers and reports, so the rules checked them (no flag: too few
    resolved for the late rate); its district counts it too."""
    assert _findings(WARD, JULY).nothing_recorded is None
    assert _findings(DISTRICT, JULY).nothing_recorded is None
    assert _findings(DISTRICT, JUNE).nothing_recorded is not None


def test_the_shortcomings_page_says_no_data_not_no_shortcomings(monitor_client):
    url = f"/staff/monitoring/{WARD}/shortcomings/"
    html = monitor_client.get(f"{url}?from=2021-06&to=2021-06").content.decode()
    assert 'id="nothing-recorded"' in html and NO_DATA_VI in html
    assert CLEAN_VI not in html and 'id="no-shortcomings"' not in html
    english = monitor_client.get(f"{url}?from=2021-06&to=2021-06", HTTP_ACCEPT_LANGUAGE="en")
    assert NO_DATA_EN in english.content.decode()
    checked = monitor_client.get(f"{url}?from=2021-07&to=2021-07").content.decode()
    assert 'id="no-shortcomings"' in checked and 'id="nothing-recorded"' not in checked


def test_the_dashboard_says_no_data_in_its_shortcomings(monitor_client):
    html = monitor_client.get(f"/staff/monitoring/{WARD}/?from=2021-08&to=2021-08")
    text = html.content.decode()
    assert 'id="nothing-recorded"' in text and "27/07/2021" in text
    assert CLEAN_VI not in text


def test_the_api_says_nothing_recorded_apart_from_no_flag(monitor_client):
    url = f"/api/v1/monitoring/units/{WARD}/shortcomings"
    empty = monitor_client.get(f"{url}?from=2021-06-01&to=2021-06-30").json()
    assert empty["flags"] == []
    said = empty["nothing_recorded"]
    assert said["from"] == "2021-06-01" and said["to"] == "2021-06-30"
    assert said["last_recorded_day"] is None and said["next_recorded_day"] == "2021-07-05"
    assert said["message"]["vi"].startswith(NO_DATA_VI)
    assert said["message"]["en"].startswith(NO_DATA_EN)
    checked = monitor_client.get(f"{url}?from=2021-07-01&to=2021-07-31").json()
    assert checked["flags"] == [] and checked["nothing_recorded"] is None


def test_the_review_says_no_data_in_its_shortcomings(folded):
    r = report.review(*AUGUST, now=NOW, unit_code=WARD)
    assert r.nothing_recorded is not None
    html = report_pdf.pilot_review_html(r)
    assert NO_DATA_VI in html and CLEAN_VI not in html
    assert "không có bất cập nào vượt ngưỡng trong kỳ" not in html
    book = load_workbook(
        io.BytesIO(report_xlsx.pilot_review_xlsx(*AUGUST, now=NOW, unit_code=WARD))
    )
    cells = [c for row in book["Bất cập"].iter_rows(values_only=True) for c in row if c]
    assert any(str(c).startswith(NO_DATA_VI) for c in cells)
    assert not any(CLEAN_VI in str(c) for c in cells)
    july = report_pdf.pilot_review_html(report.review(*JULY, now=NOW, unit_code=WARD))
    assert NO_DATA_VI not in july and "không có bất cập nào vượt ngưỡng trong kỳ" in july


def test_a_flag_on_standing_records_in_an_empty_period_is_not_said_unchecked(monitor_client):
    """Review R1: staff in post against the population flag in a period with nothing done in
    it; the sentence beside the flag says the activity rules were not checked and the flag
    rests on the staff recorded — not that no shortcoming could be checked."""
    Unit.objects.filter(code=WARD).update(population=80_000)
    found = _findings(WARD, AUGUST)
    assert [x.rule for x in found.flags] == ["understaffed_population"]
    said = found.nothing_recorded
    assert said is not None and said.flagged
    assert "chưa xét được bất cập" not in said.message_vi
    assert "tính trên số liệu nhân sự hoặc hội nghị đối thoại đã ghi nhận" in said.message_vi
    assert "rest on the recorded staff" in said.message_en
    url = f"/staff/monitoring/{WARD}/shortcomings/?from=2021-08&to=2021-08"
    html = monitor_client.get(url).content.decode()
    assert 'data-rule="understaffed_population"' in html and 'id="nothing-recorded"' in html
    assert "chưa xét được bất cập" not in html
    review = report_pdf.pilot_review_html(report.review(*AUGUST, now=NOW, unit_code=WARD))
    assert "Thiếu công chức so với dân số" in review
    assert "chưa xét được bất cập" not in review
