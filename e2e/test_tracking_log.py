"""The desk's tracking log (Mẫu 06) and a dossier's control slip (Mẫu 05) in Chromium, at 320 and
1,366 px: the desk officer opens the log from the one-stop navigation and gets its own unit's
dossiers of the month; the page does not scroll sideways (the wide register scrolls inside its
box) and axe-core finds no serious or critical violation on it, nor on the Mẫu 05 of its
dossier."""

import pytest
from test_accessibility import serious_violations, too_wide

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [320, 1366])
def test_the_desk_opens_its_tracking_log_from_the_navigation(window, live_server, desk_team, width):
    _team, session, filed = desk_team("L", birth_dossier=True)
    page = window(width=width, height=800, session=session)
    page.goto(f"{live_server.url}/staff/dossiers/")
    with page.expect_navigation():
        page.get_by_role("link", name="Sổ theo dõi hồ sơ (Mẫu 06)").click()
    assert page.locator("h1").inner_text() == "SỔ THEO DÕI HỒ SƠ"
    assert page.locator("table.register tbody tr").count() == 1
    assert filed.dossier.code in page.locator("table.register").inner_text()
    problems = {"log": serious_violations(page) + too_wide(page, width)}
    page.goto(f"{live_server.url}/staff/dossiers/{filed.dossier.code}/form/05/")
    assert page.locator("table.control tbody tr").count() == 1
    problems["05"] = serious_violations(page) + too_wide(page, width)
    assert {k: v for k, v in problems.items() if v} == {}
