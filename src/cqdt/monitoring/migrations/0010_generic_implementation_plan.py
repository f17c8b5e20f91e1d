"""The pilot's implementation plan, named generically: its number, date and title could not be
read in a source (issue 15, item 3), so the instrument stays empty and the row unverified. No
tasks are seeded: none could be sourced."""

from django.db import migrations

TITLE = "Kế hoạch triển khai thí điểm mô hình chính quyền đô thị tại thành phố Hà Nội"
WHY = (
    "Chưa kiểm chứng: số, ngày và tên kế hoạch của UBND Thành phố không đọc được trong nguồn "
    "lưu trữ (đã tìm ngày 05/12/2026); nhập số hiệu khi đối chiếu được văn bản."
)


def create(apps, schema_editor):
    Plan = apps.get_model("monitoring", "ImplementationPlan")
    if not Plan.objects.filter(is_demo=False).exists():
        Plan.objects.create(title=TITLE, instrument="", verified=False, verification=WHY)


def remove(apps, schema_editor):
    Plan = apps.get_model("monitoring", "ImplementationPlan")
    Plan.objects.filter(title=TITLE, instrument="", tasks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0009_registers_plan_and_public_ids")]

    operations = [migrations.RunPython(create, remove)]
