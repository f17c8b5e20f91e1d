"""Seed the oversight rules in force from the start of Hanoi's pilot (1 July 2021).

Data only; the values and sources come from ``oversight.rules.DEFAULTS`` as they stood when
this migration was written (copied here, so that a later edit of the defaults does not change
history). Reversible: the rows seeded here are removed again.
"""

import datetime as dt

from django.db import migrations

PILOT_START = dt.date(2021, 7, 1)
DECREE_32 = (
    "Nghị định 32/2021/NĐ-CP (thi hành Nghị quyết 97/2019/QH14): Chủ tịch UBND phường tổ chức "
    "hội nghị đối thoại ít nhất 02 lần/năm, thông báo công khai trước ít nhất 07 ngày [V]"
)
ROWS = [
    ("conference_notice_days", 7, DECREE_32),
    ("conferences_per_year", 2, DECREE_32),
    (
        "conference_required_channels",
        ["residential_group_heads"],
        "Nghị định 32/2021/NĐ-CP: thông báo qua phương tiện thông tin đại chúng và tổ trưởng "
        "tổ dân phố (DOMAIN §1) [V]",
    ),
    ("petition_answer_days", 30, "Thực tiễn HĐND quận; cấu hình [C]"),
    (
        "reception_days_per_week",
        1,
        "Luật Tiếp công dân 2013 (điều khoản chưa đối chiếu) [C]",
    ),
]


def seed(apps, schema_editor):
    rule = apps.get_model("oversight", "OversightRule")
    for key, value, source in ROWS:
        rule.objects.get_or_create(
            key=key, valid_from=PILOT_START, defaults={"value": value, "source": source}
        )


def unseed(apps, schema_editor):
    rule = apps.get_model("oversight", "OversightRule")
    rule.objects.filter(key__in=[k for k, _, _ in ROWS], valid_from=PILOT_START).delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_oversight")]

    operations = [migrations.RunPython(seed, unseed)]
