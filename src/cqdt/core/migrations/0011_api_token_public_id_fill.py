"""API tokens get a random public id (data: one for each existing key)."""

import uuid

from django.db import migrations


def fill(apps, schema_editor):
    ApiToken = apps.get_model("core", "ApiToken")
    for token in ApiToken.objects.filter(public_id__isnull=True).only("pk").iterator():
        ApiToken.objects.filter(pk=token.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("core", "0010_api_token_public_id")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
