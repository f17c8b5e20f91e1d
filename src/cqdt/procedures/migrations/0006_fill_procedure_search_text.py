"""Fill the search text of the procedures already in the catalog (issue 13, item 5).

The text is what ``procedures.services.search_text_for`` computes: name, English name, national
code, slug and the field's Vietnamese and English names, lower-cased without diacritics (đ → d).
The folding and the field names are copied here as they stood when this migration was written,
so that the migration does not change when the code does; ``procedures_reindex`` recomputes.
"""

import unicodedata

from django.db import migrations

FIELDS = {
    "civil_status": ("Hộ tịch", "Civil status"),
    "certification": ("Chứng thực", "Certification"),
    "security": ("An ninh, trật tự (cư trú)", "Security and order (residence)"),
    "land": ("Đất đai", "Land"),
    "construction": ("Xây dựng", "Construction"),
    "social_protection": ("Bảo trợ xã hội", "Social protection"),
    "culture": ("Văn hóa", "Culture"),
    "internal_affairs": ("Nội vụ, tín ngưỡng", "Internal affairs, religion"),
    "finance": ("Tài chính", "Finance"),
    "general": ("Lĩnh vực chung", "General"),
}


def fold(text):
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def forwards(apps, schema_editor):
    Procedure = apps.get_model("procedures", "Procedure")
    rows = list(Procedure.objects.all())
    for p in rows:
        parts = [p.name, p.name_en, p.code, p.slug, *FIELDS.get(p.field, ())]
        p.search_text = fold(" ".join(x for x in parts if x))[:1200]
    Procedure.objects.bulk_update(rows, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0005_procedure_search_text")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
