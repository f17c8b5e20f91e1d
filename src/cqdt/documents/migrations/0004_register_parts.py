"""Numbers are unique within a register: code, year and the register's first day (QA Q14)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0003_register_from_fill'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='document',
            name='document_number_uniq',
        ),
        migrations.RemoveConstraint(
            model_name='registercounter',
            name='register_counter_uniq',
        ),
        migrations.AlterField(
            model_name='document',
            name='register_from',
            field=models.DateField(help_text='First day of the register the number belongs to: 1 January, or the day the issuing unit began to hold its code that year (codes are reused).', verbose_name='register from'),
        ),
        migrations.AlterField(
            model_name='registercounter',
            name='register_from',
            field=models.DateField(help_text='First day of the register the number belongs to: 1 January, or the day the issuing unit began to hold its code that year (codes are reused).', verbose_name='register from'),
        ),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.UniqueConstraint(fields=('unit_code', 'year', 'register_from', 'kind', 'number'), name='document_number_part_uniq'),
        ),
        migrations.AddConstraint(
            model_name='registercounter',
            constraint=models.UniqueConstraint(fields=('unit_code', 'year', 'register_from', 'kind'), name='register_counter_part_uniq'),
        ),
    ]
