"""Data: the rollups gained a year grain (0003) and the rows folded before have none, so facts,
rollups and watermarks are emptied; the next ``cqdt refresh_rollups`` folds every row again."""

from django.db import migrations

TABLES = (
    "DossierFact",
    "FeedbackFact",
    "DossierRollup",
    "ProcessingRollup",
    "SignerRollup",
    "FeedbackRollup",
    "Watermark",
)


def start_again(apps, schema_editor):
    for name in TABLES:
        apps.get_model("monitoring", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_rollup_year_grain")]

    operations = [migrations.RunPython(start_again, start_again)]
