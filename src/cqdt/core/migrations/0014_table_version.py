"""Table versions (``core.table_versions``): the table the watched tables' triggers keep, and on
PostgreSQL the function they call (``_table_versions``). Each context watches its own tables in
its own migration."""

from django.db import migrations, models

from cqdt.core.migrations._table_versions import function


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0013_audit_reorganisation_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='TableVersion',
            fields=[
                ('name', models.CharField(help_text="The watched table's name.", max_length=63, primary_key=True, serialize=False, verbose_name='table')),
                ('version', models.CharField(help_text='Random token, new at every statement that wrote the table.', max_length=36, verbose_name='version')),
            ],
            options={
                'verbose_name': 'table version',
                'verbose_name_plural': 'table versions',
            },
        ),
        function(),
    ]
