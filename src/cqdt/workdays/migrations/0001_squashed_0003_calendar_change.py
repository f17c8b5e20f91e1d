"""Workdays' tables, squashed from 0001–0003 (docs/decisions/0020), and the city-wide default
office hours (once 0002): 08:00–12:00, 13:00–17:00, same-day cut-off 15:00 [C]."""

import datetime as dt

from django.db import migrations, models

from cqdt.core.migrations import _columns as columns


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

    replaces = [('workdays', '0001_initial'), ('workdays', '0002_default_office_hours'), ('workdays', '0003_calendar_change')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarOverride',
            fields=[
                *columns.base(),
                ('date', models.DateField(help_text='The day whose status is decided.', verbose_name='date')),
                ('kind', models.CharField(choices=[('closed', 'Ngày nghỉ'), ('working', 'Ngày làm việc')], help_text='closed: not a working day; working: a working day.', max_length=10, verbose_name='kind')),
                ('unit_code', models.CharField(blank=True, default='', help_text='GSO code of the unit it applies to; empty for the whole city.', max_length=8, verbose_name='unit code')),
                ('reason', models.CharField(help_text='Why, in Vietnamese, as shown to the public.', max_length=200, verbose_name='reason')),
                ('reason_en', models.CharField(blank=True, default='', help_text='Why, in English.', max_length=200, verbose_name='reason (English)')),
                ('notice_number', models.CharField(blank=True, default='', help_text='Number and symbol of the notice that decided it, e.g. 6150/TB-BLĐTBXH.', max_length=60, verbose_name='notice number')),
                ('notice_date', models.DateField(blank=True, help_text='Date the notice was issued.', null=True, verbose_name='notice date')),
                ('notice_issuer', models.CharField(blank=True, default='', help_text='The body that issued the notice.', max_length=200, verbose_name='notice issuer')),
            ],
            options={
                'verbose_name': 'calendar override',
                'verbose_name_plural': 'calendar overrides',
                'ordering': ['date', 'unit_code'],
                'constraints': [models.UniqueConstraint(fields=('date', 'unit_code'), name='workdays_override_day_unit'), models.CheckConstraint(condition=models.Q(('kind__in', ['closed', 'working'])), name='workdays_override_kind')],
            },
        ),
        migrations.CreateModel(
            name='OfficeHours',
            fields=[
                *columns.base(),
                ('valid_from', models.DateField(help_text='First day these hours apply.', verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='First day these hours no longer apply; empty while in force.', null=True, verbose_name='valid to')),
                ('unit_code', models.CharField(blank=True, default='', help_text='GSO code of the unit; empty for the whole city.', max_length=8, verbose_name='unit code')),
                ('morning_start', models.TimeField(help_text='Office opens.', verbose_name='morning start')),
                ('morning_end', models.TimeField(help_text='Morning session ends.', verbose_name='morning end')),
                ('afternoon_start', models.TimeField(help_text='Afternoon session starts.', verbose_name='afternoon start')),
                ('afternoon_end', models.TimeField(help_text='Office closes.', verbose_name='afternoon end')),
                ('same_day_cutoff', models.TimeField(help_text='Same-day procedures received before this time are due the same day.', verbose_name='same-day cut-off')),
                ('roll_after_hours_receipt', models.BooleanField(default=True, help_text='Count a dossier received after closing time or on a day off as received on the next working day.', verbose_name='roll after-hours receipt')),
                ('source', models.CharField(help_text='The decision that sets these hours, or [C].', max_length=300, verbose_name='source')),
            ],
            options={
                'verbose_name': 'office hours',
                'verbose_name_plural': 'office hours',
                'ordering': ['unit_code', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('unit_code', 'valid_from'), name='workdays_officehours_unit_from'), models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gt', models.F('valid_from')), _connector='OR'), name='workdays_officehours_period'), models.CheckConstraint(condition=models.Q(('morning_start__lt', models.F('morning_end')), ('morning_end__lte', models.F('afternoon_start')), ('afternoon_start__lt', models.F('afternoon_end'))), name='workdays_officehours_sessions'), models.CheckConstraint(condition=models.Q(('same_day_cutoff__gt', models.F('morning_start')), ('same_day_cutoff__lte', models.F('afternoon_end'))), name='workdays_officehours_cutoff')],
            },
        ),
        migrations.CreateModel(
            name='CalendarChange',
            fields=[
                *columns.base(),
                ('date', models.DateField(help_text='The day the notice decides.', verbose_name='date')),
                ('unit_code', models.CharField(blank=True, default='', help_text='GSO code of the unit the notice applies to; empty for the whole city.', max_length=8, verbose_name='unit code')),
                ('notice', models.CharField(blank=True, default='', help_text='Number, date and issuer of the notice, and its reason.', max_length=300, verbose_name='notice')),
                ('changes', models.JSONField(default=dict, help_text='Per calendar (city or unit): the days closed and opened, ISO dates.', verbose_name='changes')),
            ],
            options={
                'verbose_name': 'calendar change',
                'verbose_name_plural': 'calendar changes',
                'ordering': ['id'],
            },
        ),
        migrations.RunPython(add_default, remove_default),
    ]
