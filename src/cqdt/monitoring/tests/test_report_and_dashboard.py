"""The same figures on the dashboard, in the XLSX and in the PDF, equal to a recomputation from
the dossier rows; the PDF's Vietnamese extracts correctly; pages are scoped by the policy."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from cqdt import testing
from cqdt.monitoring import (
    dashboards,
    report,
    report_charts,
    report_pdf,
    report_xlsx,
    selectors,
    tables,
)
from cqdt.monitoring import formulas as f
from cqdt.monitoring.tests.conftest import DISTRICT, JULY, NOW, WARD, WARD_B
from cqdt.testing import pdf

PERIOD = "from=2021-07&to=2021-07"
# pytest-django creates the test database only for a run holding a test that asks for it: the
# tests that read only the module's ``history`` (through ``review_pdf``) did not, and run alone
# they failed with "no such table".
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def review_pdf(history, django_db_blocker):
    """The review PDF of July 2021, written once for the module (WeasyPrint takes seconds)."""
    with django_db_blocker.unblock():
        return report_pdf.pilot_review_pdf(*JULY, now=NOW)


@pytest.fixture(scope="module")
def review_text(review_pdf):
    return pdf.text(review_pdf, "-raw")


def _dashboard_values(html: str, table_id: str) -> dict[str, str]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return dict(
        (code, value)
        for value, code in re.findall(r'<data value="([^"]*)" data-code="([a-z_0-9]+)">', body)
    )


def _expected() -> dict[str, object]:
    """Recomputed from the dossier rows (not the rollups), plus the hand counts of conftest."""
    totals, histogram = selectors.totals_from_source([WARD], *JULY)
    figures = dashboards.figures_for("01", *JULY, now=NOW).figures
    assert figures["received"] == totals.received == 5
    assert figures["resolved"] == totals.resolved == 4
    assert figures["late_share"] == f.ratio(totals.late, totals.resolved) == 0.5
    assert figures["processing_days_p95"] == f.percentile_nearest_rank(histogram, 0.95) == 4
    return figures


def test_dashboard_xlsx_and_pdf_show_the_same_figures_as_a_recomputation(
    monitor_client, review_text
):
    expected = _expected()
    page = monitor_client.get(f"/staff/monitoring/01/?{PERIOD}")
    assert page.status_code == 200
    shown = _dashboard_values(page.content.decode(), "main-figures")
    for column in tables.COLUMNS:
        value = expected[column.code]
        assert shown[column.code] == ("" if value is None else str(value)), column.code

    xlsx = monitor_client.get(f"/staff/monitoring/review.xlsx?{PERIOD}")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    sheet = wb["Tổng hợp"]
    by_label = {row[0]: row[1] for row in sheet.iter_rows(min_row=5, values_only=True)}
    for column in tables.COLUMNS:
        cell = by_label[column.label_vi]
        value = expected[column.code]
        assert cell == value, column.code
        assert cell is None or isinstance(cell, int | float)  # numbers, never text
    wards = {row[0]: row for row in wb["Phường"].iter_rows(min_row=2, values_only=True)}
    assert wards[WARD][3] == 5  # received, as a number

    table = review_text.split("1. Số liệu tổng hợp", 1)[1]
    city_row = table.split("Thành phố Hà Nội", 1)[1]
    first = [tables.fmt(expected[c.code], c.kind) for c in tables.COLUMNS[:11]]
    assert city_row.strip().startswith(" ".join(first)), (first, city_row[:200])
    assert "Sơ kết thí điểm mô hình chính quyền đô thị" in review_text


def test_the_pdf_shows_vietnamese_in_the_embedded_font(review_pdf, review_text):
    for phrase in ("Phường Phúc Xá", "Phường Trúc Bạch", "Quận Ba Đình", "Tỷ lệ", "Bất cập"):
        assert phrase in review_text, phrase
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in PdfReader(io.BytesIO(review_pdf)).pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    # Decree 30/2020's font (Times New Roman's metric twin), the documents context's.
    assert fonts and all("DocSerif" in name for name in fonts), fonts


def test_the_pdf_button_and_the_report_command(monitor_client, review_pdf, tmp_path, monkeypatch):
    monkeypatch.setattr(
        report_pdf, "pilot_review_pdf", lambda start, end, now=None, unit_code="01": review_pdf
    )
    pdf = monitor_client.get(f"/staff/monitoring/review.pdf?{PERIOD}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == review_pdf
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"review.{fmt}"
        call_command(
            "report",
            "pilot-review",
            "--from",
            "2021-07-01",
            "--to",
            "2021-07-31",
            "--format",
            fmt,
            "--output",
            str(out),
        )
        assert out.stat().st_size > 1000
    assert (tmp_path / "review.pdf").read_bytes() == review_pdf
    wb = load_workbook(tmp_path / "review.xlsx")
    assert set(wb.sheetnames) >= {"Tổng hợp", "Quận, thị xã", "Phường", "QĐ 766", "Bất cập"}
    assert wb["Phường"].max_row == 1 + 175  # every pilot ward, with or without dossiers


def test_drill_down_from_city_to_district_to_ward(monitor_client):
    city = monitor_client.get(f"/staff/monitoring/01/?{PERIOD}").content.decode()
    escaped = PERIOD.replace("&", "&amp;")
    assert f"/staff/monitoring/{DISTRICT}/?{escaped}" in city
    assert "review.pdf" in city  # the report button
    district = monitor_client.get(f"/staff/monitoring/{DISTRICT}/?{PERIOD}").content.decode()
    assert f"/staff/monitoring/{WARD}/?{escaped}" in district
    assert "<svg" in district and "<title" in district
    ward = monitor_client.get(f"/staff/monitoring/{WARD}/?{PERIOD}").content.decode()
    # Figures link to the dossiers behind them.
    assert f"/staff/dossiers/?unit={WARD}&amp;overdue=1" in ward
    assert f"/staff/dossiers/?unit={WARD}&amp;status=returned" in ward


def test_each_linked_figure_counts_the_dossiers_behind_its_link(monitor_client):
    """Received, online, resolved and late on the ward's dashboard: following the figure's link
    lists exactly that many dossiers (the period's, by the indicators' own definitions)."""
    import html
    import re

    page = monitor_client.get(f"/staff/monitoring/{WARD}/?{PERIOD}").content.decode()
    main = page[: page.index("</table>")]  # the ward's own row comes first
    resolved = int(re.search(r'<data value="(\d+)" data-code="resolved">', main).group(1))
    checked = 0
    for code in ("received", "resolved", "late_share", "on_time_share", "apology_rate"):
        cell = re.search(rf'<data value="([^"]*)" data-code="{code}"><a href="([^"]+)">', main)
        if cell is None:
            continue  # a zero figure has no link
        value, link = cell.group(1), html.unescape(cell.group(2))
        listed = monitor_client.get(link).content.decode()
        total = re.search(r"— (\d+) hồ sơ", listed)
        assert total, (code, link)
        count = int(total.group(1))
        if code in ("received", "resolved"):
            assert count == int(value), (code, link)
        else:  # a share of the resolved dossiers
            assert count == round(float(value) * resolved), (code, link, value, resolved)
        checked += 1
    assert checked >= 3
    for path in ("index/", "shortcomings/"):
        assert monitor_client.get(f"/staff/monitoring/{WARD}/{path}?{PERIOD}").status_code == 200


def test_ward_staff_see_their_ward_only(client, folded, django_user_model, frozen):
    user = testing.login_for(folded["team"]["desk"], django_user_model, "desk")
    client.force_login(user)
    assert client.get("/staff/monitoring/").url.startswith(f"/staff/monitoring/{WARD}/")
    assert client.get(f"/staff/monitoring/{WARD}/?{PERIOD}").status_code == 200
    for other in ("01", DISTRICT, WARD_B, "99999"):
        assert client.get(f"/staff/monitoring/{other}/?{PERIOD}").status_code == 404
    # The review of their own ward, never another unit's (issue 15).
    assert client.get(f"/staff/monitoring/review.pdf?unit=01&{PERIOD}").status_code == 404
    assert client.get(f"/staff/monitoring/review.pdf?{PERIOD}").status_code == 200
    api = client.get("/api/v1/monitoring/units/01?from=2021-07-01&to=2021-07-31")
    assert api.status_code == 404


def test_api_gives_numbers_and_the_index(monitor_client):
    body = monitor_client.get(
        f"/api/v1/monitoring/units/{WARD}?from=2021-07-01&to=2021-07-31"
    ).json()
    assert body["figures"]["received"] == 5
    assert body["figures"]["late_share"] == 0.5
    index = monitor_client.get(
        f"/api/v1/monitoring/units/{WARD}/index?from=2021-07-01&to=2021-07-31"
    ).json()
    month = index["months"][0]
    transparency = next(g for g in month["groups"] if g["group"] == "transparency")
    assert transparency["components"][0]["measured"] is False
    assert month["measured_weight"] < month["total_weight"] == 100


def test_the_review_is_prepared_by_the_worker_with_a_waiting_page(
    monitor_client, review_pdf, monkeypatch, settings, tmp_path
):
    """With a real task queue the button answers at once with a "being prepared" page; the
    worker renders the file; the page's link then downloads it (issue 14, item 7)."""
    from django.test import override_settings

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(
        report_pdf, "pilot_review_pdf", lambda start, end, now=None, unit_code="01": review_pdf
    )
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        # A link checker's HEAD starts no render (a GET here enqueues one).
        assert monitor_client.head(f"/staff/monitoring/review.pdf?{PERIOD}").status_code == 405
        first = monitor_client.get(f"/staff/monitoring/review.pdf?{PERIOD}")
        assert first.status_code == 200 and first["Content-Type"].startswith("text/html")
        page = first.content.decode()
        assert "đang được chuẩn bị" in page and 'http-equiv="refresh"' in page
        url = re.search(r'href="(/staff/monitoring/review/[^"]+\.pdf)"', page).group(1)
        assert "đang được chuẩn bị" in monitor_client.get(url).content.decode()
        # The worker, in this test's transaction (it would close the connection between tasks).
        monkeypatch.setattr(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        )
        call_command("db_worker", "--batch", "--no-startup-delay")
        ready = monitor_client.get(url)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert ready.content == review_pdf
    assert monitor_client.get(url.replace(".pdf", ".doc")).status_code == 404
    assert monitor_client.get("/staff/monitoring/review/not-a-task.pdf").status_code == 404


def test_the_review_is_an_administrative_document_written_from_the_data(review_text):
    """Decree 30/2020 layout (documents context): national title and motto, issuing body,
    number line, date line, kind and title, narrative sections with the figures, signature
    block and recipients ending with the archive."""
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        "/BC-UBND",
        "Hà Nội, ngày 02 tháng 8 năm 2021",
        "BÁO CÁO",
        "I. PHẠM VI VÀ NGUỒN SỐ LIỆU",
        "II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
        "Tiếp nhận 5 hồ sơ",  # the figures, written into the narrative
        "quá hạn 50,0%",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nơi nhận:",
        "Lưu: VT.",
    ):
        assert phrase in review_text, phrase


def test_the_charts_words_are_text_in_the_document_s_font(review_text):
    # The charts' titles and legends are SVG text that WeasyPrint sets in DocSerif (the font
    # test above checks every font of the PDF is it): found in the PDF's text, not outlines.
    for phrase in (
        "Hồ sơ tiếp nhận và đã giải quyết theo tháng (Thành phố Hà Nội)",
        "Đã giải quyết",
        "Tỷ lệ hồ sơ quá hạn theo đơn vị (%)",
    ):
        assert phrase in review_text, phrase


def test_a_unit_without_a_late_share_has_no_bar_and_says_so(history):
    # The city's review in July 2021: only Ba Đình resolved dossiers; the other districts have no
    # late share, which the chart must not draw as 0 %.
    import base64

    r = report.review(*JULY, now=NOW)
    missing = [x.unit.code for x in r.children if x.figures.get("late_share") is None]
    assert 0 < len(missing) < len(r.children)
    svg = base64.b64decode(report_charts.charts(r)["late"].split(",", 1)[1]).decode()
    assert svg.count(f">{report_charts.NO_DATA}<") == len(missing)
    assert f"; {len(missing)} đơn vị {report_charts.NO_DATA}" in svg
    drawn = set(re.findall(r'<g id="late-(\w+)">', svg))
    assert drawn == {x.unit.code for x in r.children} - set(missing)


def _login(client, official, django_user_model, name):
    client.force_login(testing.login_for(official, django_user_model, name))
    return client


def test_the_district_chairman_downloads_his_districts_review(
    client, folded, django_user_model, frozen, monkeypatch
):
    _login(client, folded["team"]["district_chair"], django_user_model, "dchair")
    page = client.get(f"/staff/monitoring/{DISTRICT}/?{PERIOD}").content.decode()
    assert f"review.pdf?unit={DISTRICT}" in page
    district = client.get(f"/staff/monitoring/review.pdf?unit={DISTRICT}&{PERIOD}")
    assert district.status_code == 200 and district["Content-Type"] == "application/pdf"
    text = pdf.text(district.content, "-raw")
    assert "ỦY BAN NHÂN DÂN QUẬN BA ĐÌNH" in text and "UBND THÀNH PHỐ HÀ NỘI" in text
    assert "Ủy ban nhân dân thành phố Hà Nội" in text  # the recipient above
    xlsx = client.get(f"/staff/monitoring/review.xlsx?unit={DISTRICT}&{PERIOD}")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb["Phường"].max_row == 1 + len(selectors.scope_on(JULY[0]).wards["001"])
    # Without ?unit= the review is of the widest unit he sees: his district. The district's PDF
    # was rendered above (seconds of WeasyPrint); this request's task records the unit it is
    # asked for and hands back those bytes.
    asked: list[str] = []

    def district_pdf(start, end, now=None, unit_code="01"):
        asked.append(unit_code)
        return district.content

    monkeypatch.setattr(report_pdf, "pilot_review_pdf", district_pdf)
    assert client.get(f"/staff/monitoring/review.pdf?{PERIOD}").status_code == 200
    assert asked == [DISTRICT]
    for other in ("01", "002"):
        assert client.get(f"/staff/monitoring/review.pdf?unit={other}&{PERIOD}").status_code == 404


def test_a_ward_officer_cannot_download_another_districts_review(
    client, folded, django_user_model, frozen
):
    _login(client, folded["team"]["desk"], django_user_model, "desk2")
    assert client.get(f"/staff/monitoring/review.xlsx?unit={WARD}&{PERIOD}").status_code == 200
    for other in ("01", DISTRICT, "002", WARD_B):
        for fmt in ("pdf", "xlsx"):
            answer = client.get(f"/staff/monitoring/review.{fmt}?unit={other}&{PERIOD}")
            assert answer.status_code == 404, (other, fmt)


def test_the_xlsx_has_formats_widths_and_vietnamese_labels(monitor_client):
    xlsx = monitor_client.get(f"/staff/monitoring/review.xlsx?{PERIOD}")
    wb = load_workbook(io.BytesIO(xlsx.content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, float):
                    assert cell.number_format != "General", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    for rule in ("unanswered_petitions", "late_rate", "max_late_share"):
                        assert rule not in cell.value, (ws.title, cell.coordinate)
    for name in ("Quận, thị xã", "Phường", "QĐ 766", "Bất cập", "Định nghĩa"):
        widths = [d.width for d in wb[name].column_dimensions.values() if d.width]
        assert widths and all(8 <= w <= 90 for w in widths), name
    assert wb["QĐ 766"]["A3"].number_format == "mm/yyyy"


def _listed(client, link: str) -> tuple[int, list[str]]:
    """The total a queue page says and the dossier codes its rows show."""
    listed = client.get(link).content.decode()
    total = re.search(r"— (\d+) hồ sơ", listed)
    results = listed.split('id="queue-results"', 1)[1]
    return (int(total.group(1)) if total else -1), re.findall(
        r'<td><a href="/staff/dossiers/([^/"]+)/"', results
    )


@pytest.mark.parametrize(
    ("period", "day", "figure", "rows"),
    [
        # The period reaches today (the clock is on 2 August 2021): d5 is open; d6, submitted
        # online on 26 July and not yet received, is in the ward's open queue but no backlog.
        ("from=2021-07&to=2021-08", "2021-08-02", 1, ["d5"]),
        # Past periods: the end of July (d5), and the end of 7 July (d3 and the online d4, both
        # returned later: d3 on 9 July, d4 on 12 July).
        (PERIOD, "2021-07-31", 1, ["d5"]),
        ("from=2021-07-01&to=2021-07-07", "2021-07-07", 2, ["d3", "d4"]),
    ],
)
def test_the_backlog_links_to_the_dossiers_it_counts(
    monitor_client, folded, period, day, figure, rows
):
    """'Backlog at end' linked, for a period reaching today, to the ward's open queue — which
    has the online dossier not yet received that the backlog does not count (2 listed against
    1) — and, for a past period, nowhere. Every backlog now links to the queue's ``open_on``
    (the dossiers open at the end of the day the figure is told, ``dossiers.desks``): the list
    has as many rows as the figure, on the page and in the API."""
    import html

    page = monitor_client.get(f"/staff/monitoring/{WARD}/?{period}").content.decode()
    main = page[: page.index("</table>")]
    cell = re.search(r'<data value="([^"]*)" data-code="backlog"><a href="([^"]+)">', main)
    assert cell is not None, period
    link = html.unescape(cell.group(2))
    assert int(cell.group(1)) == figure
    assert link == f"/staff/dossiers/?unit={WARD}&open_on={day}"
    total, codes = _listed(monitor_client, link)
    assert total == len(codes) == figure
    assert sorted(codes) == sorted(folded[name] for name in rows)
    api = monitor_client.get("/api/v1/dossiers", {"unit": WARD, "open_on": day}).json()
    assert api["count"] == len(api["items"]) == figure
    assert sorted(i["code"] for i in api["items"]) == sorted(codes)
    if day == "2021-08-02":  # the open queue the link used to be: one more, online, unreceived
        open_queue = monitor_client.get(f"/staff/dossiers/?unit={WARD}").content.decode()
        listed = re.findall(r'<td><a href="/staff/dossiers/([^/"]+)/"', open_queue)
        assert len(listed) == figure + 1 and folded["d6"] in listed
        online = monitor_client.get(f"/api/v1/dossiers/{folded['d6']}").json()
        assert online["channel"] == "online" and online["status"] == "submitted"


def test_a_month_with_nothing_measured_shows_no_points_not_zero(monitor_client):
    """June 2021 has no record of the ward: its row said "0,0 / 0" points on the index page (seen
    in Chromium on a district's demo months), "0.0/0" in the review and 0.0 in the API; the page
    and the review say "—", the API null and the XLSX leaves the cell empty (the measured weight,
    0, is a fact)."""
    page = monitor_client.get(f"/staff/monitoring/{WARD}/index/?from=2021-06&to=2021-07")
    assert page.status_code == 200
    scores = page.content.decode().split('id="scores"', 1)[1].split("</table>", 1)[0]
    june, july = _row(scores, "06/2021"), _row(scores, "07/2021")
    assert "0,0 / 0" not in june and "<td>—</td>" in june
    assert re.search(r"<td>\d+,\d / \d+</td>", july)
    api = monitor_client.get(f"/api/v1/monitoring/units/{WARD}/index?from=2021-06-01&to=2021-07-31")
    api_june, api_july = api.json()["months"]
    assert api_june["points"] is None and api_june["measured_weight"] == 0
    assert api_july["points"] > 0
    r = report.review(dt.date(2021, 6, 1), dt.date(2021, 7, 31), now=NOW, unit_code=WARD)
    assert [m.score.points is None for m in r.months] == [True, False]
    assert [m.score.measured_weight > 0 for m in r.months] == [False, True]
    review = report_pdf.pilot_review_html(r)
    assert "0.0/0" not in review and re.search(r"\d+\.\d/\d+", review)
    book = load_workbook(
        io.BytesIO(
            report_xlsx.pilot_review_xlsx(
                dt.date(2021, 6, 1), dt.date(2021, 7, 31), now=NOW, unit_code=WARD
            )
        )
    )
    months = {
        row[0].strftime("%m/%Y"): row
        for row in book["QĐ 766"].iter_rows(values_only=True)
        if isinstance(row[0], dt.date)
    }
    points, weight = len(r.groups) + 1, len(r.groups) + 2
    assert months["06/2021"][points] is None and months["06/2021"][weight] == 0
    assert months["07/2021"][points] is not None and months["07/2021"][weight] > 0


def _row(table: str, label: str) -> str:
    return re.search(rf'<th scope="row">{label}</th>.*?</tr>', table, re.S).group(0)


def test_no_data_source_and_no_data_that_month_are_said_apart(monitor_client):
    """The word "chưa đo" said both that the platform cannot measure a component (the portal's
    publication, online payment, digitisation) and that a group had nothing recorded in a month:
    a reader could not tell "cannot be measured" from "no data this month". The scorecard, the
    review (HTML and XLSX) and the API now say "chưa có nguồn đo" / "no data source" for the one
    and "chưa có dữ liệu" / "no data" for the other (docs/indicators.md)."""
    url = f"/staff/monitoring/{WARD}/index/?from=2021-06&to=2021-07"
    page = monitor_client.get(url).content.decode()
    assert "chưa đo" not in page
    weights = page.split('id="weights"', 1)[1].split("</table>", 1)[0]
    assert weights.count("chưa có nguồn đo") == 3  # publication, online payment, digitisation
    scores = page.split('id="scores"', 1)[1].split("</table>", 1)[0]
    june, july = _row(scores, "06/2021"), _row(scores, "07/2021")
    cells = re.findall(r"<td>(.*?)</td>", june)
    # transparency, progress, online, digitisation, satisfaction; points; score; grade
    source, data = "chưa có nguồn đo", "chưa có dữ liệu"
    assert cells[:5] == [source, data, data, source, data]
    july_cells = re.findall(r"<td>(.*?)</td>", july)
    assert july_cells[0] == july_cells[3] == "chưa có nguồn đo"
    assert "chưa có dữ liệu" not in july
    english = monitor_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    en_scores = english.split('id="scores"', 1)[1].split("</table>", 1)[0]
    en_june = re.findall(r"<td>(.*?)</td>", _row(en_scores, "06/2021"))
    assert en_june[:2] == ["no data source", "no data"]
    assert "not measured" not in english

    api = monitor_client.get(f"/api/v1/monitoring/units/{WARD}/index?from=2021-06-01&to=2021-07-31")
    api_june, api_july = ({g["group"]: g for g in m["groups"]} for m in api.json()["months"])
    assert api_june["transparency"]["sourced"] is False
    assert api_june["progress"]["sourced"] is True and api_june["progress"]["points"] is None
    publication = api_july["transparency"]["components"][0]
    assert publication["sourced"] is False and publication["measured"] is False
    on_time = api_july["progress"]["components"][0]
    assert on_time["sourced"] is True and on_time["measured"] is True

    r = report.review(dt.date(2021, 6, 1), dt.date(2021, 7, 31), now=NOW, unit_code=WARD)
    review = report_pdf.pilot_review_html(r)
    assert "chưa đo" not in review
    assert "<td>chưa có nguồn đo</td>" in review and "<td>chưa có dữ liệu</td>" in review
    assert "1 tháng chưa có dữ liệu" in review  # the narrative: June, nothing recorded
    book = load_workbook(
        io.BytesIO(
            report_xlsx.pilot_review_xlsx(
                dt.date(2021, 6, 1), dt.date(2021, 7, 31), now=NOW, unit_code=WARD
            )
        )
    )
    sheet = list(book["QĐ 766"].iter_rows(values_only=True))
    assert "chưa có nguồn đo" in sheet[0][0] and "chưa có dữ liệu" in sheet[0][0]
    headers = sheet[1]
    assert [h for h in headers if h and h.endswith("— chưa có nguồn đo")] == [
        "Công khai, minh bạch (/18) — chưa có nguồn đo",
        "Số hóa hồ sơ, kết quả (/22) — chưa có nguồn đo",
    ]
