"""API tokens get a random public id (schema, last step: every key has one; unique, required)."""

import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0011_api_token_public_id_fill'),
    ]

    operations = [
        migrations.AlterField(
            model_name='apitoken',
            name='public_id',
            field=models.UUIDField(default=uuid.uuid4, editable=False, help_text='How the API and its administrators name the key: the sequential key would tell a caller limited to one unit how many keys the others hold.', unique=True, verbose_name='public id'),
        ),
    ]
