"""`cqdt prepare` (what `make run` runs before serving) leaves a database ready to serve."""

import io

import pytest
from django.core.management import call_command

from cqdt.units.models import Unit


@pytest.mark.django_db(transaction=True)
def test_prepare_migrates_creates_the_cache_table_and_loads_reference_data():
    out = io.StringIO()
    call_command("prepare", stdout=out)
    printed = out.getvalue()
    assert "[1/3]" in printed and "[3/3]" in printed
    assert Unit.objects.filter(code="01").exists()
    # Repeating it is safe and adds nothing.
    before = Unit.objects.count()
    call_command("prepare", stdout=io.StringIO())
    assert Unit.objects.count() == before
