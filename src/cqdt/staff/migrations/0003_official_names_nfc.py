"""Officials' names stored before the input guard (81daf75) brought every text to NFC, brought
to NFC (data: ``core.migrations._names``; in batches, each in its own transaction; the reverse
changes nothing, as a name in NFC is the same name)."""

from django.db import migrations

from cqdt.core.migrations._names import nfc_names


def forward(apps, schema_editor):
    nfc_names(apps, "staff", "Official", ["full_name"])


class Migration(migrations.Migration):
    atomic = False  # one transaction per batch (core.migrations._names)

    dependencies = [("staff", "0001_squashed_0002_end_reason_unit_reorganised")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
