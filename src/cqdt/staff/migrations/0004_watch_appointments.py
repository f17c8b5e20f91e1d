"""The appointments get a table version (``core.table_versions``): the staff in post of a city's
units (``staff.selectors.districts_staffing``) is kept per process under it."""

from django.db import migrations

from cqdt.core.migrations._table_versions import watch


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0014_table_version"),
        ("staff", "0003_official_names_nfc"),
    ]

    operations = [
        watch("staff_appointment"),
    ]
