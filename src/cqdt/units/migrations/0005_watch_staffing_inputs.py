"""The units, their governance assignments and models get table versions (``core.table_versions``):
the staff in post of a city's units (``staff.selectors.districts_staffing``) reads them beside
the appointments, and is kept per process under their versions."""

from django.db import migrations

from cqdt.core.migrations._table_versions import watch


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0014_table_version"),
        ("units", "0004_standard_model_from_2016"),
    ]

    operations = [
        watch("units_unit", "units_governanceassignment", "units_governancemodel"),
    ]
