"""API tokens get a random public id (schema, first step: the column, empty for existing keys)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0001_squashed_0009_api_token_scope_kind")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="public_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="public id"),
        ),
    ]
