"""The city-wide default office hours: 08:00–12:00, 13:00–17:00, same-day cut-off 15:00 [C]."""

import datetime as dt

from django.db import migrations

DEFAULT = {
    "unit_code": "",
    "valid_from": dt.date(2015, 1, 1),
    "valid_to": None,
    "morning_start": dt.time(8, 0),
    "morning_end": dt.time(12, 0),
    "afternoon_start": dt.time(13, 0),
    "afternoon_end": dt.time(17, 0),
    "same_day_cutoff": dt.time(15, 0),
    "roll_after_hours_receipt": True,
    "source": (
        "Mặc định [C]: 08:00–12:00, 13:00–17:00; trả trong ngày nếu nhận trước 15:00 "
        "(Nghị định 61/2018/NĐ-CP, sửa đổi bởi Nghị định 107/2021/NĐ-CP). Cần đối chiếu quyết "
        "định về giờ làm việc của UBND thành phố Hà Nội."
    ),
}


def add_default(apps, schema_editor):
    OfficeHours = apps.get_model("workdays", "OfficeHours")
    OfficeHours.objects.get_or_create(
        unit_code=DEFAULT["unit_code"], valid_from=DEFAULT["valid_from"], defaults=DEFAULT
    )


def remove_default(apps, schema_editor):
    OfficeHours = apps.get_model("workdays", "OfficeHours")
    OfficeHours.objects.filter(
        unit_code=DEFAULT["unit_code"], valid_from=DEFAULT["valid_from"], source=DEFAULT["source"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(add_default, remove_default)]
