"""What ``load_demo_data`` prints beside its logins agrees with the sign-in gate, which reads the
server's real date (``accounts.selectors.may_log_in``); a demo loaded as of another day
(``--today``) says who was in office on that day."""

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from cqdt.testing import log_in, login_page

pytestmark = pytest.mark.django_db
HANOI = dt.timezone(dt.timedelta(hours=7))


def logins(text: str) -> dict[str, list[str]]:
    table = text.split("Demo logins", 1)[1].split("Log in at", 1)[0].splitlines()[3:]
    rows = [re.split(r"\s{2,}", line.strip()) for line in table if line.strip()]
    return {row[0]: row for row in rows}


def load(at: dt.datetime, *options: str) -> str:
    """What ``load_demo_data --wards 00001 --no-activity *options`` prints with the machine's
    clock at ``at``."""
    out = StringIO()
    with time_machine.travel(at):
        call_command("load_demo_data", "--wards", "00001", "--no-activity", *options, stdout=out)
    return out.getvalue()


def signs_in(at: dt.datetime, username: str, password: str) -> bool:
    """Whether the staff login form, posted with its CSRF token at ``at``, lets ``username`` in."""
    with time_machine.travel(at):
        return log_in(login_page(), username, password) == 302


def second_factors(text: str) -> str:
    """The section of printed second-factor keys; empty when none is printed."""
    _head, _found, section = text.partition("Second factor of the demo leaders")
    return section


def test_a_demo_loaded_as_of_2022_says_its_leaders_were_in_office_then_and_cannot_sign_in_now(
    reference_data,
):
    """Loaded as of 1 June 2022 on a machine in 2027, the 2021-2026 leaders held their posts on
    the demo's day but hold none on the server's date, so the login form refuses them: the
    table says both, and prints no second factor for a login that cannot be used."""
    at = dt.datetime(2027, 1, 15, 9, tzinfo=HANOI)
    text = load(at, "--today", "2022-06-01")
    rows = logins(text)
    assert {"chutich.phucxa", "motcua.phucxa", "tuphap.phucxa"} <= set(rows)
    mark = "[đương nhiệm ngày 01/06/2022; hôm nay không đăng nhập được]"
    assert mark in rows["chutich.phucxa"][2], text
    for username in ("chutich.phucxa", "motcua.phucxa", "tuphap.phucxa"):
        # the table and the login form agree, login by login
        assert signs_in(at, username, rows[username][1]) == ("[" not in rows[username][2]), text
    assert not re.search(r"^chutich\.phucxa\s", second_factors(text), re.MULTILINE), text


def test_a_demo_loaded_as_of_its_day_prints_logins_that_sign_in(reference_data):
    """On the demo's own day the mark is absent, the login form lets the holder in, and the
    ward chairman's second factor is printed."""
    at = dt.datetime(2022, 6, 1, 9, tzinfo=HANOI)
    text = load(at, "--today", "2022-06-01")
    rows = logins(text)
    assert "[" not in rows["chutich.phucxa"][2], text
    assert rows["motcua.phucxa"][3] == "Phường Phúc Xá (00001)"
    assert signs_in(at, "motcua.phucxa", rows["motcua.phucxa"][1])
    assert re.search(r"^chutich\.phucxa\s+[A-Z2-7]{16,}$", second_factors(text), re.MULTILINE)


def test_a_login_ended_before_today_is_said_so(reference_data):
    """A demo loaded as of 2022, loaded again without ``--today`` after the 2021-2026 term (the
    demo already there is kept: no later term): the ward's leaders are marked ended today, the
    form refuses them, and no second factor is printed for them."""
    at = dt.datetime(2026, 8, 3, 9, tzinfo=HANOI)
    load(at, "--today", "2022-06-01")
    text = load(at)
    rows = logins(text)
    assert "[hết nhiệm kỳ: hôm nay không đăng nhập được]" in rows["chutich.phucxa"][2], text
    assert not signs_in(at, "chutich.phucxa", rows["chutich.phucxa"][1])
    assert not re.search(r"^chutich\.phucxa\s", second_factors(text), re.MULTILINE), text
