"""``load_demo_data --today`` judges its logins on the demo's day, as it dates everything else."""

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

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


def test_a_demo_loaded_as_of_2022_has_its_leaders_in_office_whatever_the_machine_s_date(
    reference_data,
):
    """Loaded as of 1 June 2022, the 2021-2026 leaders hold their posts on the demo's day; the
    machine's date (here 2027, after their term and with no later term loaded, since nothing is
    dated after the loading date) used to mark them "hết nhiệm kỳ" and print no second factor."""
    text = load(dt.datetime(2027, 1, 15, 9, tzinfo=HANOI), "--today", "2022-06-01")
    rows = logins(text)
    assert {"chutich.phucxa", "motcua.phucxa", "tuphap.phucxa"} <= set(rows)
    assert not any("hết nhiệm kỳ" in row[2] for row in rows.values()), text
    assert rows["motcua.phucxa"][3] == "Phường Phúc Xá (00001)"
    section = text.split("Second factor of the demo leaders", 1)[1]
    assert re.search(r"^chutich\.phucxa\s+[A-Z2-7]{16,}$", section, re.MULTILINE), section


def test_a_login_ended_on_the_demo_s_day_is_said_so_with_that_day(reference_data):
    """The other way: a demo loaded as of 2022 and loaded again without ``--today`` after the
    2021-2026 term (the demo already there is kept: no later term), the ward's leaders are
    marked ended on that day, and no second factor is printed for them."""
    at = dt.datetime(2026, 8, 3, 9, tzinfo=HANOI)
    load(at, "--today", "2022-06-01")
    text = load(at)
    rows = logins(text)
    assert "hết nhiệm kỳ: ngày 03/08/2026" in rows["chutich.phucxa"][2], text
    section = text.split("Second factor of the demo leaders", 1)[-1]
    assert not re.search(r"^chutich\.phucxa\s", section, re.MULTILINE), section
