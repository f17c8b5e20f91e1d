"""Legal data corrections in catalogs loaded before them (issue 19, item 6).

- Residence registration (1.004222, 1.004194) is decided by the commune-level police under the
  Law on Residence 2020 (Art. 22, 28): the act asked of the resolver is ``decide_residence``,
  which no committee official holds.
- Land-dispute mediation at the commune (1.012812): at most 30 days (Land Law 2024, Art. 235),
  counted in days, not 20 working days.
Only rows still carrying the old values are changed.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Procedure = apps.get_model("procedures", "Procedure")
    Procedure.objects.filter(
        code__in=["1.004222", "1.004194"], sign_act="sign_result:security"
    ).update(sign_act="decide_residence")
    Procedure.objects.filter(code="1.012812", time_kind="working_days", time_value=20).update(
        time_kind="calendar_days",
        time_value=30,
        legal_basis=(
            "Luật Đất đai 2024 (31/2024/QH15), Điều 235: hòa giải tranh chấp đất đai tại UBND cấp "
            "xã không quá 30 ngày kể từ ngày nhận được đơn; Bộ luật Dân sự 2015, Điều 147–148"
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0002_procedure_calendar_days")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
