"""Oversight's tables, squashed from 0001–0002 (docs/decisions/0020), and the oversight rules in
force from the start of Hanoi's pilot (1 July 2021), seeded (once 0002).

The values and sources come from ``oversight.rules.DEFAULTS`` as they stood when the seed was
written (copied here, so that a later edit of the defaults does not change history). Reversible:
the rows seeded here are removed again.
"""

import django.db.models.deletion
import datetime as dt

from django.db import migrations, models

from cqdt.core.migrations import _columns as columns


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

    replaces = [('oversight', '0001_oversight'), ('oversight', '0002_seed_oversight_rules')]

    initial = True

    dependencies = [
        ('staff', '0001_squashed_0002_end_reason_unit_reorganised'),
    ]

    operations = [
        migrations.CreateModel(
            name='Council',
            fields=[
                *columns.public(),
                ('unit_code', models.CharField(db_index=True, help_text='GSO code of the district or town.', max_length=8, verbose_name='unit')),
                ('name', models.CharField(help_text='e.g. HĐND quận Ba Đình, nhiệm kỳ 2021–2026.', max_length=200, verbose_name='name')),
                ('term_start', models.DateField(help_text='First day of the term.', verbose_name='term start')),
                ('term_end', models.DateField(help_text='Last day of the term (inclusive).', verbose_name='term end')),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo activity.', verbose_name='demo data')),
            ],
            options={
                'verbose_name': "People's Council",
                'verbose_name_plural': "People's Councils",
                'ordering': ['unit_code', 'term_start'],
                'constraints': [models.UniqueConstraint(fields=('unit_code', 'term_start'), name='council_unit_term'), models.CheckConstraint(condition=models.Q(('term_end__gt', models.F('term_start'))), name='council_term_range')],
            },
        ),
        migrations.CreateModel(
            name='Deputy',
            fields=[
                *columns.public(),
                ('full_name', models.CharField(help_text='As elected (public).', max_length=120, verbose_name='full name')),
                ('constituency', models.JSONField(default=list, help_text="GSO codes of the wards of the deputy's constituency (đơn vị bầu cử).", verbose_name='constituency')),
                ('term_start', models.DateField(help_text="First day as deputy (the council's term start, or later).", verbose_name='term start')),
                ('term_end', models.DateField(blank=True, help_text="Last day as deputy (inclusive); empty: to the end of the council's term.", null=True, verbose_name='term end')),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo activity.', verbose_name='demo data')),
                ('council', models.ForeignKey(help_text='The council and term.', on_delete=django.db.models.deletion.PROTECT, related_name='deputies', to='oversight.council', verbose_name='council')),
                ('official', models.ForeignKey(blank=True, help_text="The deputy's official record, when the deputy has a login.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deputy_seats', to='staff.official', verbose_name='official')),
            ],
            options={
                'verbose_name': 'council deputy',
                'verbose_name_plural': 'council deputies',
                'ordering': ['council', 'full_name'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('official__isnull', False)), fields=('council', 'official'), name='deputy_once_per_council'), models.CheckConstraint(condition=models.Q(('term_end__isnull', True), ('term_end__gte', models.F('term_start')), _connector='OR'), name='deputy_term_range')],
            },
        ),
        migrations.CreateModel(
            name='DialogueConference',
            fields=[
                *columns.public(),
                ('ward_code', models.CharField(db_index=True, help_text='GSO code of the ward.', max_length=8, verbose_name='ward')),
                ('scheduled_at', models.DateTimeField(help_text='Announced date and time.', verbose_name='scheduled at')),
                ('announced_at', models.DateTimeField(help_text='When it was announced.', verbose_name='announced at')),
                ('announcement_channels', models.JSONField(default=list, help_text='How residents were told, e.g. ["residential_group_heads", "website"].', verbose_name='announcement channels')),
                ('via_representatives', models.BooleanField(default=False, help_text='Held with residential-group representatives rather than all residents.', verbose_name='through representatives')),
                ('location', models.CharField(blank=True, help_text='Where it is held.', max_length=300, verbose_name='location')),
                ('topic', models.CharField(help_text='What it is about.', max_length=500, verbose_name='topic')),
                ('status', models.CharField(choices=[('announced', 'Đã thông báo'), ('held', 'Đã tổ chức'), ('cancelled', 'Đã hủy')], default='announced', help_text='Announced, held or cancelled.', max_length=10, verbose_name='status')),
                ('held_at', models.DateTimeField(blank=True, help_text='When it actually took place.', null=True, verbose_name='held at')),
                ('attendees', models.PositiveIntegerField(default=0, help_text='Residents or representatives present.', verbose_name='attendees')),
                ('minutes', models.TextField(blank=True, help_text='Record of the dialogue.', max_length=20000, verbose_name='minutes')),
                ('cancel_reason', models.CharField(blank=True, help_text='Why it was cancelled.', max_length=500, verbose_name='cancellation reason')),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented by every change.', verbose_name='version')),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo activity.', verbose_name='demo data')),
                ('announced_by', models.ForeignKey(help_text='The ward leader who announced it.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='announced by')),
            ],
            options={
                'verbose_name': 'dialogue conference',
                'verbose_name_plural': 'dialogue conferences',
                'ordering': ['scheduled_at'],
                'indexes': [models.Index(fields=['ward_code', 'scheduled_at'], name='conference_ward_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('scheduled_at__gt', models.F('announced_at'))), name='conference_after_announcement')],
            },
        ),
        migrations.CreateModel(
            name='OversightRule',
            fields=[
                *columns.base(),
                ('key', models.CharField(choices=[('conference_notice_days', 'Số ngày thông báo trước hội nghị'), ('conferences_per_year', 'Số hội nghị đối thoại tối thiểu/năm'), ('conference_required_channels', 'Kênh thông báo bắt buộc'), ('petition_answer_days', 'Thời hạn trả lời kiến nghị (ngày)'), ('reception_days_per_week', 'Số ngày tiếp công dân/tuần')], help_text='Which rule.', max_length=40, verbose_name='rule')),
                ('value', models.JSONField(help_text='A whole number, or a list of channel codes for channel rules.', verbose_name='value')),
                ('valid_from', models.DateField(help_text='First day the value applies.', verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='First day it no longer applies; empty: until changed.', null=True, verbose_name='valid to')),
                ('source', models.CharField(help_text='Legal provision or decision, marked [V] verified or [C] configured.', max_length=300, verbose_name='source')),
            ],
            options={
                'verbose_name': 'oversight rule',
                'verbose_name_plural': 'oversight rules',
                'ordering': ['key', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('key', 'valid_from'), name='oversight_rule_key_from'), models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gt', models.F('valid_from')), _connector='OR'), name='oversight_rule_valid_range')],
            },
        ),
        migrations.CreateModel(
            name='Question',
            fields=[
                *columns.public(),
                ('session_date', models.DateField(help_text='Day of the council session.', verbose_name='session date')),
                ('ward_code', models.CharField(db_index=True, help_text='GSO code of the ward questioned.', max_length=8, verbose_name='ward')),
                ('question', models.TextField(help_text='What was asked.', max_length=4000, verbose_name='question')),
                ('answer', models.TextField(blank=True, help_text='The reply.', max_length=8000, verbose_name='answer')),
                ('answered_at', models.DateTimeField(blank=True, help_text='When answered.', null=True, verbose_name='answered at')),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo activity.', verbose_name='demo data')),
                ('addressed_to', models.ForeignKey(help_text='The ward chairman questioned.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='addressed to')),
                ('answered_by', models.ForeignKey(blank=True, help_text='Who answered (the chairman in post then).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='answered by')),
                ('council', models.ForeignKey(help_text='The council in session.', on_delete=django.db.models.deletion.PROTECT, related_name='questions', to='oversight.council', verbose_name='council')),
                ('deputy', models.ForeignKey(help_text='Who asked.', on_delete=django.db.models.deletion.PROTECT, related_name='questions', to='oversight.deputy', verbose_name='deputy')),
            ],
            options={
                'verbose_name': 'questioning',
                'verbose_name_plural': 'questionings',
                'ordering': ['-session_date', 'id'],
                'indexes': [models.Index(fields=['council', 'session_date'], name='question_session_idx')],
            },
        ),
        migrations.CreateModel(
            name='Commitment',
            fields=[
                *columns.public(),
                ('text', models.TextField(help_text='What was promised.', max_length=2000, verbose_name='commitment')),
                ('due_date', models.DateField(help_text='Promised by this day.', verbose_name='due date')),
                ('status', models.CharField(choices=[('open', 'Đang thực hiện'), ('done', 'Đã hoàn thành')], default='open', help_text='Open or done.', max_length=8, verbose_name='status')),
                ('done_at', models.DateTimeField(blank=True, help_text='When reported done.', null=True, verbose_name='done at')),
                ('progress_note', models.TextField(blank=True, help_text='Latest progress report.', max_length=4000, verbose_name='progress')),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented by every change.', verbose_name='version')),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo activity.', verbose_name='demo data')),
                ('question', models.ForeignKey(help_text='The question answered.', on_delete=django.db.models.deletion.PROTECT, related_name='commitments', to='oversight.question', verbose_name='question')),
            ],
            options={
                'verbose_name': 'commitment',
                'verbose_name_plural': 'commitments',
                'ordering': ['due_date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='VoterMeeting',
            fields=[
                *columns.public(),
                ('ward_code', models.CharField(db_index=True, help_text='GSO code of the ward.', max_length=8, verbose_name='ward')),
                ('held_at', models.DateTimeField(help_text='When the meeting took place.', verbose_name='held at')),
                ('location', models.CharField(help_text='Where it was held.', max_length=300, verbose_name='location')),
                ('attendees', models.PositiveIntegerField(default=0, help_text='Number of voters present.', verbose_name='attendees')),
                ('notes', models.TextField(blank=True, help_text='Summary.', max_length=4000, verbose_name='notes')),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo activity.', verbose_name='demo data')),
                ('council', models.ForeignKey(help_text='The council whose deputies met the voters.', on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='oversight.council', verbose_name='council')),
                ('deputies', models.ManyToManyField(help_text='The deputies who met the voters.', related_name='meetings', to='oversight.deputy', verbose_name='deputies')),
                ('recorded_by', models.ForeignKey(help_text='The deputy who recorded the meeting.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'voter-contact meeting',
                'verbose_name_plural': 'voter-contact meetings',
                'ordering': ['-held_at'],
                'indexes': [models.Index(fields=['ward_code', 'held_at'], name='meeting_ward_held_idx')],
            },
        ),
        migrations.CreateModel(
            name='Petition',
            fields=[
                *columns.public(),
                ('ward_code', models.CharField(db_index=True, help_text='GSO code of the ward concerned.', max_length=8, verbose_name='ward')),
                ('content', models.TextField(help_text='What voters asked.', max_length=4000, verbose_name='content')),
                ('routed_level', models.CharField(choices=[('ward', 'UBND phường'), ('district', 'UBND quận')], help_text='The ward or the district committee answers.', max_length=10, verbose_name='routed to')),
                ('routed_unit_code', models.CharField(db_index=True, help_text='GSO code of the answering unit.', max_length=8, verbose_name='routed unit')),
                ('received_on', models.DateField(help_text='Day the petition was raised.', verbose_name='received on')),
                ('answer_due', models.DateField(help_text='Last day to answer.', verbose_name='answer due')),
                ('status', models.CharField(choices=[('received', 'Đã tiếp nhận, chờ trả lời'), ('answered', 'Đã trả lời'), ('escalated', 'Quá hạn, đã chuyển cấp trên'), ('closed', 'Đã kết thúc')], default='received', help_text='Current state.', max_length=12, verbose_name='status')),
                ('answer', models.TextField(blank=True, help_text="The committee's answer.", max_length=4000, verbose_name='answer')),
                ('answered_at', models.DateTimeField(blank=True, help_text='When answered.', null=True, verbose_name='answered at')),
                ('answer_basis', models.JSONField(blank=True, help_text="The authority resolver's basis for the answerer.", null=True, verbose_name='answer basis')),
                ('council_follow_up', models.TextField(blank=True, help_text="The deputies' follow-up notes, dated, newest last.", max_length=8000, verbose_name='council follow-up')),
                ('escalated_at', models.DateTimeField(blank=True, help_text='When escalated.', null=True, verbose_name='escalated at')),
                ('escalated_to_unit_code', models.CharField(blank=True, help_text='GSO code of the unit above.', max_length=8, verbose_name='escalated to')),
                ('closed_at', models.DateTimeField(blank=True, help_text='When the council closed it.', null=True, verbose_name='closed at')),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented by every change.', verbose_name='version')),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo activity.', verbose_name='demo data')),
                ('answered_by', models.ForeignKey(blank=True, help_text='The chairman (or the holder of his authority) who answered.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='answered by')),
                ('meeting', models.ForeignKey(help_text='The meeting where voters raised it.', on_delete=django.db.models.deletion.PROTECT, related_name='petitions', to='oversight.votermeeting', verbose_name='meeting')),
            ],
            options={
                'verbose_name': 'voter petition',
                'verbose_name_plural': 'voter petitions',
                'ordering': ['answer_due', 'id'],
                'indexes': [models.Index(fields=['ward_code', 'status', 'answer_due'], name='petition_ward_idx'), models.Index(condition=models.Q(('status', 'received')), fields=['answer_due'], name='petition_open_due_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('answer_due__gte', models.F('received_on'))), name='petition_due_after_receipt')],
            },
        ),
        migrations.CreateModel(
            name='CitizenReception',
            fields=[
                *columns.public(),
                ('ward_code', models.CharField(db_index=True, help_text='GSO code of the ward.', max_length=8, verbose_name='ward')),
                ('date', models.DateField(help_text='Day of the reception.', verbose_name='date')),
                ('citizens_received', models.PositiveIntegerField(default=0, help_text='Number of citizens received (lượt).', verbose_name='citizens received')),
                ('matters', models.PositiveIntegerField(default=0, help_text='Number of matters raised (vụ việc).', verbose_name='matters')),
                ('summary', models.TextField(blank=True, help_text='What was raised and done.', max_length=4000, verbose_name='summary')),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo activity.', verbose_name='demo data')),
                ('official', models.ForeignKey(help_text='The chairman (or vice-chairman) who received citizens.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='official')),
            ],
            options={
                'verbose_name': 'citizen reception',
                'verbose_name_plural': 'citizen receptions',
                'ordering': ['-date', 'id'],
                'constraints': [models.UniqueConstraint(fields=('ward_code', 'date', 'official'), name='reception_once_a_day')],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
