"""The citizen's lookup says where the result is collected: the one-stop desk of the commune-level
committee holding the dossier (Decree 61/2018/NĐ-CP, Art. 7), from 1 July 2025 the commune's
Public Administrative Service Centre (Decree 118/2025/NĐ-CP). Found trying the lookup as a citizen:
the page named no place, so a dossier an arrangement moved to another ward did not say where to go."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from cqdt.dossiers import selectors
from cqdt.testing import at, csrf_browser, submit

pytestmark = pytest.mark.django_db


def _looked_up(code: str, secret: str) -> str:
    client, token = csrf_browser("/lookup/")
    response = client.post(
        "/lookup/", {"code": code, "secret": secret, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_the_lookup_names_the_desk_that_returns_the_result(ward):
    day = dt.date(2026, 3, 2)
    with time_machine.travel(at(day), tick=False):
        result = submit(ward, now=at(day))
        page = _looked_up(result.dossier.code, result.secret)
    assert 'id="return-desk"' in page
    assert "Trung tâm Phục vụ hành chính công phường Phúc Xá" in page


def test_before_1_july_2025_it_is_the_committee_s_one_stop_desk(ward):
    day = dt.date(2024, 3, 4)
    with time_machine.travel(at(day), tick=False):
        result = submit(ward, now=at(day))
        with translation.override("vi"):
            before = selectors.return_desk(result.dossier, day)
            after = selectors.return_desk(result.dossier, dt.date(2025, 7, 1))
        with translation.override("en"):
            english = selectors.return_desk(result.dossier, day)
    assert before == "Bộ phận Một cửa, Ủy ban nhân dân phường Phúc Xá"
    assert after == "Trung tâm Phục vụ hành chính công phường Phúc Xá"
    assert "Phường Phúc Xá" in english and "Bộ phận" not in english


def test_the_lookup_page_with_the_rating_form_has_each_id_once(ward):
    """The lookup form and the rating form both carried id="id_secret": a label or a screen
    reader's jump lands on the first. Found on the lookup page of a returned dossier."""
    import collections
    import re

    from cqdt.testing import drive

    day = dt.date(2026, 3, 2)
    with time_machine.travel(at(day), tick=False):
        result = submit(ward, now=at(day))
        drive(ward, result.dossier, to="returned", now=at(day, 11))
        page = _looked_up(result.dossier.code, result.secret)
    assert 'name="rating"' in page
    ids = collections.Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    assert 'id="return-desk"' not in page  # returned: nothing more to collect
