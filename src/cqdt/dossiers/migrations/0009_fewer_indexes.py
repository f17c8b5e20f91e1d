"""Fewer indexes on dossiers (docs/decisions/0015 §5): every due date a calendar notice moves is
a new row version with an entry in every index of the table, so the indexes no query uses go.

* ``code``: unique by a named constraint instead of ``unique=True`` — the same constraint and
  index (``dossiers_dossier_code_key``), without the ``varchar_pattern_ops`` index Django adds
  beside it on PostgreSQL (nothing searches dossier codes by prefix; equality uses the
  constraint's index). The constraint is kept as it is: no rebuild, no moment without it.
* ``procedure``, ``received_by``, ``signed_by``: no index (no query selects dossiers by them;
  the rare check before deleting a procedure or an official scans the table).
"""

import django.db.models.deletion
from django.db import migrations, models

LIKE_INDEX = "dossiers_dossier_code_6d68c351_like"


def drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {LIKE_INDEX}")


def create_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {LIKE_INDEX} ON dossiers_dossier (code varchar_pattern_ops)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0008_updated_index'),
        ('procedures', '0007_law_conflicts'),
        ('staff', '0002_end_reason_unit_reorganised'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='dossier',
                    name='code',
                    field=models.CharField(help_text='<agency>-YYMMDD-XXXX.', max_length=60, verbose_name='code'),
                ),
                migrations.AddConstraint(
                    model_name='dossier',
                    constraint=models.UniqueConstraint(fields=('code',), name='dossiers_dossier_code_key'),
                ),
            ],
            database_operations=[migrations.RunPython(drop_like_index, create_like_index)],
        ),
        migrations.AlterField(
            model_name='dossier',
            name='procedure',
            field=models.ForeignKey(db_index=False, help_text='Procedure applied for.', on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='procedures.procedure', verbose_name='procedure'),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='received_by',
            field=models.ForeignKey(blank=True, db_index=False, help_text='Desk officer.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='received by'),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='signed_by',
            field=models.ForeignKey(blank=True, db_index=False, help_text='Signer.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='signed by'),
        ),
    ]
