"""Open311 API keys move into core's token table (kind ``open311``): one hashed store, one set of
moves (issue, rotate, revoke) for every integrator secret. Existing keys keep working: their hash
is copied as is; they get a prefix-less row expiring a year after this migration."""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def copy_keys(apps, schema_editor):
    Open311Key = apps.get_model("feedback", "Open311Key")
    ApiToken = apps.get_model("core", "ApiToken")
    until = timezone.now() + dt.timedelta(days=365)
    for key in Open311Key.objects.all():
        ApiToken.objects.create(
            kind="open311",
            user=None,
            name=key.name,
            prefix="",
            key_hash=key.key_hash,
            expires_at=until,
            revoked_at=key.revoked_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_feedback_reports"),
        ("core", "0009_api_token_scope_kind"),
    ]

    operations = [
        migrations.RunPython(copy_keys, migrations.RunPython.noop),
        migrations.DeleteModel(name="Open311Key"),
    ]
