"""The seeded plan's ``verification`` began with its status, "Chưa kiểm chứng: ...", which the
plan page already prints from ``verified`` ("chưa kiểm chứng: Chưa kiểm chứng: số, ngày ..."): the
field says why (``Source read, or why not.``), the status is the flag. Only the seeded text is
changed; a text someone entered since is left as it is."""

from django.db import migrations

SEEDED = (
    "Chưa kiểm chứng: số, ngày và tên kế hoạch của UBND Thành phố không đọc được trong nguồn "
    "lưu trữ (đã tìm ngày 05/12/2026); nhập số hiệu khi đối chiếu được văn bản."
)
WHY = (
    "Số, ngày và tên kế hoạch của UBND Thành phố không đọc được trong nguồn lưu trữ (đã tìm "
    "ngày 05/12/2026); nhập số hiệu khi đối chiếu được văn bản."
)


def drop_status(apps, schema_editor):
    Plan = apps.get_model("monitoring", "ImplementationPlan")
    Plan.objects.filter(verification=SEEDED).update(verification=WHY)


def restore_status(apps, schema_editor):
    Plan = apps.get_model("monitoring", "ImplementationPlan")
    Plan.objects.filter(verification=WHY).update(verification=SEEDED)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0014_dossier_fact_moved_index"),
    ]

    operations = [migrations.RunPython(drop_status, restore_status)]
