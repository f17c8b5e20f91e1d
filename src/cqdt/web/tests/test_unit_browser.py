"""The public unit browser on the pilot's dates and on today's: one level below the city (its
districts until 30 June 2025, its communes and wards from 1 July 2025), the pilot wards where there
were any, and the unit data's own sources and verified dates — never a note that the 2025
arrangement is missing while its units are listed."""

import re

import pytest

from cqdt.units.models import ReferenceDataset

pytestmark = pytest.mark.django_db


def _page(client, on: str, language: str = "vi") -> str:
    response = client.get("/units/", {"on": on}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _caption(html: str) -> str:
    match = re.search(r"<caption>(.*?)</caption>", html, re.S)
    assert match, html
    return " ".join(match.group(1).split())


def _headers(html: str) -> list[str]:
    return re.findall(r'<th scope="col">([^<]*)</th>', html)


def test_on_a_pilot_date_the_districts_with_their_communes_and_pilot_wards(
    client, history_reference_data
):
    html = _page(client, "2022-03-01")
    assert _caption(html) == (
        "Các đơn vị cấp huyện ngày 01/03/2022 — 175 phường thuộc mô hình thí điểm chính quyền "
        "đô thị"
    )
    assert _headers(html) == ["Mã", "Tên", "Loại", "Số đơn vị cấp xã", "Phường thí điểm"]
    assert "Quận Ba Đình" in html


def test_today_the_communes_and_wards_with_no_district_columns_and_no_pilot(
    client, history_reference_data
):
    html = _page(client, "2026-01-15")
    assert _caption(html) == (
        "Các đơn vị cấp xã ngày 15/01/2026 — không có phường nào thuộc mô hình thí điểm chính "
        "quyền đô thị vào ngày này"
    )
    assert _headers(html) == ["Mã", "Tên", "Loại"]
    assert "Phường Hồng Hà" in html and "Quận Ba Đình" not in html
    # 126 units, one row each.
    assert html.count("<tr><td>") == 126


def test_the_sources_and_verified_dates_are_the_loaded_datasets_not_a_fixed_sentence(
    client, history_reference_data
):
    html = _page(client, "2026-01-15")
    assert "chưa được nạp" not in html  # the 2025 arrangement is loaded: its units are listed
    titles = [
        d.title
        for d in ReferenceDataset.objects.all()
        if not d.province_codes or "01" in d.province_codes
    ]
    assert titles
    sources = html[html.index('id="data-sources"') :]
    for title in titles:
        assert title.replace("&", "&amp;") in sources or title in sources
    last = max(d.verified_to for d in ReferenceDataset.objects.all() if d.verified_to)
    assert f"Dữ liệu được kiểm chứng đến ngày {last:%d/%m/%Y}." in html
    # A date past the last verified data says so.
    assert "Ngày này nằm sau phần dữ liệu đã kiểm chứng" in html
    assert "Ngày này nằm sau phần dữ liệu đã kiểm chứng" not in _page(client, "2022-03-01")


def test_in_english(client, history_reference_data):
    html = _page(client, "2026-01-15", "en")
    assert _caption(html).startswith("Commune-level units on 15/01/2026")
    assert "Sources of the administrative unit data:" in html
    assert "This date is past the verified data" in html


def test_the_footer_points_to_the_sources_instead_of_a_2021_only_claim(client, reference_data):
    html = client.get("/").content.decode()
    assert "hiện trạng 01/07/2021)" not in html
    assert 'href="/units/#data-sources"' in html


def test_a_unit_s_history_gives_each_version_s_last_day_not_its_successor_s_first(
    client, history_reference_data
):
    """Code 00097 was Phường Tứ Liên until 30 June 2025 and is Phường Hồng Hà from 1 July 2025
    (Resolution 1656/NQ-UBTVQH15): the history must not show both on 01/07/2025, and a
    predecessor's link opens it on its own last day, when it still existed."""
    response = client.get("/units/00097/", {"on": "2026-01-15"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phường Tứ Liên: trước khi có dữ liệu – 30/06/2025" in html
    assert "Phường Hồng Hà: 01/07/2025 – nay" in html
    assert "– 01/07/2025</li>" not in html
    links = re.findall(r'href="/units/(\d+)/\?on=([\d-]+)">Phường Phúc Xá</a>', html)
    assert links == [("00001", "2025-06-30")]
    predecessor = client.get("/units/00001/", {"on": "2025-06-30"}).content.decode()
    assert "Đơn vị này không còn tồn tại" not in predecessor


def test_a_unit_named_inside_a_sentence_has_its_level_noun_in_lower_case(
    client, history_reference_data
):
    """A pilot ward's page names the district that supervised it and whose chairman appointed
    its chairman: "HĐND quận Ba Đình", "Do Chủ tịch UBND quận Ba Đình bổ nhiệm" (Decree
    30/2020/NĐ-CP, Appendix II, Part II, items 3(a) and 4), not "HĐND Quận Ba Đình"; a 2025 ward
    is supervised by its own council. On the English page the name stays as stored."""
    vi = client.get("/units/00001/", {"on": "2023-03-01"}, HTTP_ACCEPT_LANGUAGE="vi")
    html = " ".join(vi.content.decode().split())
    assert "HĐND quận Ba Đình" in html
    assert "Do Chủ tịch UBND quận Ba Đình bổ nhiệm" in html
    assert "HĐND Quận" not in html and "UBND Quận" not in html
    today = " ".join(client.get("/units/00097/", {"on": "2026-01-15"}).content.decode().split())
    assert "HĐND phường Hồng Hà" in today
    en = client.get("/units/00001/", {"on": "2023-03-01"}, HTTP_ACCEPT_LANGUAGE="en")
    english = " ".join(en.content.decode().split())
    assert "Appointed by the chairman of the People's Committee of Quận Ba Đình" in english
    assert "People's Council of Quận Ba Đình" in english
