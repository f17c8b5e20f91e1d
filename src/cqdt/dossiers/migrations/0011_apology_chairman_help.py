"""The help text of Apology.approved_by_chairman says what it records since the date may be moved
only once (DOMAIN §3 [C]; docs/decisions/0023): no data changes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0010_applicant_names_nfc'),
    ]

    operations = [
        migrations.AlterField(
            model_name='apology',
            name='approved_by_chairman',
            field=models.BooleanField(default=False, help_text='A second change of date made by the chairman before the date could be moved only once (decision 0023); no longer set.', verbose_name='approved by the chairman'),
        ),
    ]
