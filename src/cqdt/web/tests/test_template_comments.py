"""Django's ``{# … #}`` comment ends on its own line: one left open runs on as page text (the
counter and the dossier queue showed their htmx notes to the officers). Every template's ``{#``
closes on the same line; longer notes use ``{% comment %}``."""

from pathlib import Path

import cqdt

SRC = Path(cqdt.__file__).resolve().parent


def test_every_one_line_comment_closes_on_its_line():
    open_comments = []
    for path in sorted(SRC.rglob("templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rest = line
            while "{#" in rest:
                rest = rest[rest.index("{#") + 2 :]
                if "#}" not in rest:
                    open_comments.append(f"{path.relative_to(SRC)}:{number}")
                    break
                rest = rest[rest.index("#}") + 2 :]
    assert not open_comments, open_comments


def test_the_counter_and_queue_show_no_template_note(client, django_user_model):
    """The two pages that showed theirs, as an officer sees them."""
    from cqdt import testing
    from cqdt.testing import reference
    from cqdt.testing.factories import DISTRICT, WARD

    reference.units()
    reference.one_stop()
    chair = testing.district_chairman(DISTRICT, "TC-DC")
    team = testing.with_logins(testing.ward_team(WARD, DISTRICT, chair, "TC"))
    client.force_login(team["user_desk"])
    for path in ("/staff/dossiers/counter/", "/staff/dossiers/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "{#" not in html and "#}" not in html and "htmx:" not in html, path
