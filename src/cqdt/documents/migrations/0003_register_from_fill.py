"""Each register entry and counter so far belongs to the register of its year from 1 January:
numbers were kept per code and year, so that is what they were given in (QA Q14)."""

import datetime as dt

from django.db import migrations


def fill(apps, schema_editor):
    for name in ("Document", "RegisterCounter"):
        model = apps.get_model("documents", name)
        years = model.objects.filter(register_from__isnull=True).values_list("year", flat=True)
        for year in sorted(set(years)):
            model.objects.filter(year=year, register_from__isnull=True).update(
                register_from=dt.date(year, 1, 1)
            )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_register_from")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
