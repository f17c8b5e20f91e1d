"""Feedback's tables, squashed from 0001–0002 (docs/decisions/0020).

Left out, as a no-op on a new database: 0002 moved the Open311 keys of its own table into core's
token table (kind ``open311``) and dropped the table; a new database has no keys to move, so the
table is not created and dropped again.
"""

import cqdt.feedback.models
import django.db.models.deletion
import uuid
from django.db import migrations, models

from cqdt.core.migrations import _columns as columns


class Migration(migrations.Migration):

    replaces = [('feedback', '0001_feedback_reports'), ('feedback', '0002_open311_keys_into_core_tokens')]

    initial = True

    dependencies = [
        ('staff', '0001_squashed_0002_end_reason_unit_reorganised'),
    ]

    operations = [
        migrations.CreateModel(
            name='Category',
            fields=[
                *columns.base(),
                ('code', models.SlugField(help_text='Open311 service_code.', max_length=60, unique=True, verbose_name='code')),
                ('name', models.CharField(help_text='Vietnamese name.', max_length=200, verbose_name='name')),
                ('name_en', models.CharField(help_text='English name.', max_length=200, verbose_name='name (English)')),
                ('description', models.CharField(blank=True, help_text='What it covers.', max_length=500, verbose_name='description')),
                ('group', models.CharField(blank=True, help_text='Open311 group.', max_length=100, verbose_name='group')),
                ('keywords', models.CharField(blank=True, help_text='Comma-separated.', max_length=300, verbose_name='keywords')),
                ('responsible_level', models.CharField(choices=[('ward', 'Cấp phường'), ('district', 'Cấp quận')], default='ward', help_text='Who handles it first.', max_length=10, verbose_name='responsible level')),
                ('ack_sla_value', models.PositiveIntegerField(help_text='Number of SLA units.', verbose_name='acknowledge within')),
                ('ack_sla_unit', models.CharField(choices=[('working_hours', 'Giờ làm việc'), ('working_days', 'Ngày làm việc')], help_text='Working hours or days.', max_length=20, verbose_name='acknowledge unit')),
                ('resolve_sla_value', models.PositiveIntegerField(help_text='Number of SLA units.', verbose_name='resolve within')),
                ('resolve_sla_unit', models.CharField(choices=[('working_hours', 'Giờ làm việc'), ('working_days', 'Ngày làm việc')], help_text='Working hours or days.', max_length=20, verbose_name='resolve unit')),
                ('sla_source', models.CharField(help_text='Rule the SLA comes from.', max_length=300, verbose_name='SLA source')),
                ('active', models.BooleanField(default=True, help_text='Offered to citizens.', verbose_name='active')),
            ],
            options={
                'verbose_name': 'feedback category',
                'verbose_name_plural': 'feedback categories',
                'ordering': ['group', 'name'],
            },
        ),
        migrations.CreateModel(
            name='ReportSequence',
            fields=[
                columns.pk(),
                ('day', models.DateField(help_text='Local day.', unique=True, verbose_name='day')),
                ('last_value', models.PositiveIntegerField(default=0, help_text='Last number issued.', verbose_name='last value')),
            ],
            options={
                'verbose_name': 'report sequence',
                'verbose_name_plural': 'report sequences',
            },
        ),
        migrations.CreateModel(
            name='Report',
            fields=[
                *columns.base(),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Internal identifier.', unique=True, verbose_name='public id')),
                ('code', models.CharField(help_text='Public code (service_request_id).', max_length=30, unique=True, verbose_name='code')),
                ('token', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Open311 token returned at submission.', unique=True, verbose_name='token')),
                ('description', models.TextField(help_text="The problem, in the reporter's words.", max_length=4000, verbose_name='description')),
                ('lat', models.DecimalField(blank=True, decimal_places=6, help_text='WGS84 latitude.', max_digits=9, null=True, verbose_name='latitude')),
                ('lon', models.DecimalField(blank=True, decimal_places=6, help_text='WGS84 longitude.', max_digits=9, null=True, verbose_name='longitude')),
                ('address', models.CharField(blank=True, help_text='Where, in words.', max_length=300, verbose_name='address')),
                ('ward_code', models.CharField(db_index=True, help_text='Ward where the problem is.', max_length=8, verbose_name='ward')),
                ('unit_code', models.CharField(db_index=True, help_text='Unit responsible now.', max_length=8, verbose_name='unit')),
                ('original_unit_code', models.CharField(help_text='Unit it was first sent to.', max_length=8, verbose_name='first unit')),
                ('status', models.CharField(choices=[('received', 'Đã tiếp nhận'), ('acknowledged', 'Đã xác nhận'), ('assigned', 'Đã giao xử lý'), ('in_progress', 'Đang xử lý'), ('resolved', 'Đã xử lý'), ('not_competent', 'Chuyển đơn vị có thẩm quyền'), ('closed', 'Đã đóng')], default='received', help_text='Current state.', max_length=20, verbose_name='status')),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented by every change.', verbose_name='version')),
                ('channel', models.CharField(default='web', help_text='web, open311, ...', max_length=20, verbose_name='channel')),
                ('reporter_name', models.CharField(blank=True, help_text='Personal data.', max_length=120, verbose_name='reporter name')),
                ('reporter_phone', models.CharField(blank=True, help_text='Personal data.', max_length=20, verbose_name='reporter phone')),
                ('reporter_email', models.EmailField(blank=True, help_text='Personal data.', max_length=120, verbose_name='reporter email')),
                ('follow_up_secret_hash', models.CharField(help_text="SHA-256 of the reporter's follow-up secret.", max_length=64, verbose_name='follow-up secret hash')),
                ('submitted_at', models.DateTimeField(help_text='When received.', verbose_name='submitted at')),
                ('ack_due_at', models.DateTimeField(help_text='SLA for acknowledgement.', verbose_name='acknowledge due')),
                ('resolve_due_at', models.DateTimeField(help_text='SLA for resolution.', verbose_name='resolve due')),
                ('acknowledged_at', models.DateTimeField(blank=True, help_text='When.', null=True, verbose_name='acknowledged at')),
                ('resolved_at', models.DateTimeField(blank=True, help_text='When.', null=True, verbose_name='resolved at')),
                ('closed_at', models.DateTimeField(blank=True, help_text='When.', null=True, verbose_name='closed at')),
                ('resolution_note', models.CharField(blank=True, help_text='Public answer.', max_length=2000, verbose_name='resolution')),
                ('escalated_at', models.DateTimeField(blank=True, help_text='When escalated.', null=True, verbose_name='escalated at')),
                ('escalated_to_unit_code', models.CharField(blank=True, help_text='District it was escalated to.', max_length=8, verbose_name='escalated to')),
                ('satisfaction', models.PositiveSmallIntegerField(blank=True, help_text='1–5.', null=True, verbose_name='satisfaction')),
                ('satisfaction_comment', models.CharField(blank=True, help_text="Reporter's comment on closing.", max_length=1000, verbose_name='satisfaction comment')),
                ('reopen_count', models.PositiveSmallIntegerField(default=0, help_text='Times reopened.', verbose_name='reopened')),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo activity.', verbose_name='demo data')),
                ('assigned_to', models.ForeignKey(blank=True, help_text='Who handles it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='assigned to')),
                ('category', models.ForeignKey(help_text='What it is about.', on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='feedback.category', verbose_name='category')),
            ],
            options={
                'verbose_name': 'feedback report',
                'verbose_name_plural': 'feedback reports',
                'indexes': [models.Index(fields=['unit_code', 'status', 'submitted_at'], name='report_unit_status_idx'), models.Index(fields=['submitted_at'], name='report_submitted_idx'), models.Index(fields=['category', 'submitted_at'], name='report_category_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('satisfaction__isnull', True), models.Q(('satisfaction__gte', 1), ('satisfaction__lte', 5)), _connector='OR'), name='report_satisfaction_range')],
            },
        ),
        migrations.CreateModel(
            name='ReportEvent',
            fields=[
                columns.pk(),
                ('at', models.DateTimeField(help_text='When.', verbose_name='at')),
                ('action', models.CharField(help_text='Event name.', max_length=40, verbose_name='action')),
                ('from_status', models.CharField(blank=True, help_text='State before.', max_length=20, verbose_name='from')),
                ('to_status', models.CharField(blank=True, help_text='State after.', max_length=20, verbose_name='to')),
                ('unit_code', models.CharField(blank=True, help_text='Unit responsible after it.', max_length=8, verbose_name='unit')),
                ('public_note', models.CharField(blank=True, help_text='Shown to the public.', max_length=2000, verbose_name='public note')),
                ('actor_official', models.ForeignKey(blank=True, help_text='Official acting.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='actor')),
                ('report', models.ForeignKey(help_text='The report.', on_delete=django.db.models.deletion.CASCADE, related_name='events', to='feedback.report', verbose_name='report')),
            ],
            options={
                'verbose_name': 'report event',
                'verbose_name_plural': 'report events',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ReportPhoto',
            fields=[
                columns.pk(),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Identifier in URLs.', unique=True, verbose_name='public id')),
                ('image', models.FileField(help_text='Stored JPEG.', upload_to=cqdt.feedback.models.photo_path, verbose_name='image')),
                ('width', models.PositiveIntegerField(help_text='Pixels.', verbose_name='width')),
                ('height', models.PositiveIntegerField(help_text='Pixels.', verbose_name='height')),
                ('size', models.PositiveIntegerField(help_text='Bytes stored.', verbose_name='size')),
                ('report', models.ForeignKey(help_text='The report.', on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='feedback.report', verbose_name='report')),
            ],
            options={
                'verbose_name': 'report photo',
                'verbose_name_plural': 'report photos',
            },
        ),
    ]
