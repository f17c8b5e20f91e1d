"""The first day of the register a number belongs to (QA Q14): nullable until filled (0003)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0001_documents_and_register'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='register_from',
            field=models.DateField(help_text='First day of the register the number belongs to: 1 January, or the day the issuing unit began to hold its code that year (codes are reused).', null=True, verbose_name='register from'),
        ),
        migrations.AddField(
            model_name='registercounter',
            name='register_from',
            field=models.DateField(help_text='First day of the register the number belongs to: 1 January, or the day the issuing unit began to hold its code that year (codes are reused).', null=True, verbose_name='register from'),
        ),
    ]
