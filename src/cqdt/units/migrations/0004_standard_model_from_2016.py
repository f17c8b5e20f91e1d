"""The 2015 law's governance model applies from 1 January 2016, not 'since before records'.

Rows loaded from governance.json before this change say ``valid_from`` NULL for the model
``standard-2015``, so a date in 1999 or 2010 was answered with a law not yet in force (and, in
Hanoi's urban districts in 2009–2016, wards that had no council under Resolution 26/2008/QH12
answered as having one). The file now says 2016-01-01; this step moves the rows loaded earlier
the same way, so the loader (keyed by unit and first day) finds them and adds no second row.
Backwards: the rows go back to NULL."""

import datetime as dt

from django.db import migrations

FIRST_DAY = dt.date(2016, 1, 1)


def forwards(apps, schema_editor):
    Assignment = apps.get_model("units", "GovernanceAssignment")
    Assignment.objects.filter(model__slug="standard-2015", valid_from__isnull=True).update(
        valid_from=FIRST_DAY
    )


def backwards(apps, schema_editor):
    Assignment = apps.get_model("units", "GovernanceAssignment")
    Assignment.objects.filter(model__slug="standard-2015", valid_from=FIRST_DAY).update(
        valid_from=None
    )


class Migration(migrations.Migration):
    dependencies = [("units", "0001_squashed_0003_correct_delegable_acts_and_staffing_norms")]

    operations = [migrations.RunPython(forwards, backwards)]
