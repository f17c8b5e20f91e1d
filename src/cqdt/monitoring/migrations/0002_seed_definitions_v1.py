"""Data: version 1 of the indicator definitions, the Decision 766 weights and the thresholds."""

import datetime as dt

from django.db import migrations

VERSION = 1
VALID_FROM = dt.date(2021, 7, 1)


def seed(apps, schema_editor):
    from cqdt.monitoring import definitions as d

    IndicatorDefinition = apps.get_model("monitoring", "IndicatorDefinition")
    IndexWeight = apps.get_model("monitoring", "IndexWeight")
    ShortcomingThreshold = apps.get_model("monitoring", "ShortcomingThreshold")
    for i in d.INDICATORS:
        IndicatorDefinition.objects.get_or_create(
            code=i.code,
            version=VERSION,
            defaults={
                "valid_from": VALID_FROM,
                "name": i.name_vi,
                "name_en": i.name_en,
                "unit": i.unit,
                "definition": i.definition_vi,
                "definition_en": i.definition_en,
                "source": "docs/indicators.md, phiên bản 1",
            },
        )
    for g in d.index_spec_as_data():
        IndexWeight.objects.get_or_create(
            group=g["group"],
            version=VERSION,
            defaults={
                "valid_from": VALID_FROM,
                "weight": g["weight"],
                "label": g["label_vi"],
                "label_en": g["label_en"],
                "components": g["components"],
                "source": g["source"]
                + "; áp dụng từ đầu thí điểm (01/7/2021) để so sánh được [C]",
            },
        )
    for r in d.SHORTCOMING_RULES:
        ShortcomingThreshold.objects.get_or_create(
            rule=r.code,
            version=VERSION,
            defaults={
                "valid_from": VALID_FROM,
                "label": r.label_vi,
                "label_en": r.label_en,
                "threshold": r.threshold,
                "source": r.source,
            },
        )


def unseed(apps, schema_editor):
    for name in ("IndicatorDefinition", "IndexWeight", "ShortcomingThreshold"):
        apps.get_model("monitoring", name).objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_rollups_and_definitions")]

    operations = [migrations.RunPython(seed, unseed)]
