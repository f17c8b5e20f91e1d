"""Dossiers' tables, squashed from 0001–0009 (docs/decisions/0020).

``code`` is unique by the named constraint ``dossiers_dossier_code_key``, without the
``varchar_pattern_ops`` index Django adds beside ``unique=True`` on PostgreSQL (once 0009,
docs/decisions/0015 §5): created so here, a new database never has that index, and 0009's
dropping of it is left out.
"""

import cqdt.dossiers.models
import django.db.models.deletion
import uuid
from django.db import migrations, models

from cqdt.core.migrations import _columns as columns


class Migration(migrations.Migration):

    replaces = [('dossiers', '0001_dossiers'), ('dossiers', '0002_open_due_and_covering_rollup_indexes'), ('dossiers', '0003_online_intake_counts'), ('dossiers', '0004_desk_versions'), ('dossiers', '0005_attachments'), ('dossiers', '0006_queue_by_due_index'), ('dossiers', '0007_due_recompute'), ('dossiers', '0008_updated_index'), ('dossiers', '0009_fewer_indexes')]

    initial = True

    dependencies = [
        ('procedures', '0001_squashed_0007_law_conflicts'),
        ('staff', '0001_squashed_0002_end_reason_unit_reorganised'),
        ('workdays', '0001_squashed_0003_calendar_change'),
    ]

    operations = [
        migrations.CreateModel(
            name='Desk',
            fields=[
                *columns.base(),
                ('unit_code', models.CharField(db_index=True, help_text='GSO code of the unit.', max_length=8, verbose_name='unit')),
                ('agency_identifier', models.CharField(help_text='Prefix of dossier codes, e.g. H26.xx.yy.', max_length=40, unique=True, verbose_name='agency identifier')),
                ('identifier_is_official', models.BooleanField(default=False, help_text='False for a provisional identifier.', verbose_name='identifier is official')),
                ('heading', models.CharField(help_text='Agency name printed on forms.', max_length=200, verbose_name='heading')),
                ('address', models.CharField(blank=True, help_text='Desk address.', max_length=300, verbose_name='address')),
                ('phone', models.CharField(blank=True, help_text='Desk phone.', max_length=30, verbose_name='phone')),
                ('valid_from', models.DateField(blank=True, help_text='First day the desk takes dossiers; empty: since before records.', null=True, verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='First day it no longer takes dossiers (its unit ended or was rearranged).', null=True, verbose_name='valid to')),
            ],
            options={
                'verbose_name': 'one-stop desk',
                'verbose_name_plural': 'one-stop desks',
                'constraints': [models.UniqueConstraint(condition=models.Q(('valid_to__isnull', True)), fields=('unit_code',), name='desk_one_open'), models.UniqueConstraint(fields=('unit_code', 'valid_from'), name='desk_unit_from')],
            },
        ),
        migrations.CreateModel(
            name='DailySequence',
            fields=[
                columns.pk(),
                ('agency_identifier', models.CharField(help_text='Agency.', max_length=40, verbose_name='agency identifier')),
                ('day', models.DateField(help_text='Receipt day (local).', verbose_name='day')),
                ('last_value', models.PositiveIntegerField(default=0, help_text='Last number issued.', verbose_name='last value')),
            ],
            options={
                'verbose_name': 'daily sequence',
                'verbose_name_plural': 'daily sequences',
                'constraints': [models.UniqueConstraint(fields=('agency_identifier', 'day'), name='daily_sequence_uniq')],
            },
        ),
        migrations.CreateModel(
            name='Dossier',
            fields=[
                *columns.base(),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Internal public identifier.', unique=True, verbose_name='public id')),
                ('code', models.CharField(help_text='<agency>-YYMMDD-XXXX.', max_length=60, verbose_name='code')),
                ('unit_code', models.CharField(help_text='Unit handling the dossier.', max_length=8, verbose_name='unit')),
                ('channel', models.CharField(choices=[('counter', 'Trực tiếp'), ('online', 'Trực tuyến'), ('post', 'Bưu chính')], help_text='How it came in.', max_length=10, verbose_name='channel')),
                ('status', models.CharField(choices=[('submitted', 'Mới nộp, chờ tiếp nhận'), ('intake_supplement_requested', 'Yêu cầu bổ sung khi tiếp nhận'), ('refused', 'Từ chối tiếp nhận'), ('accepted', 'Đã tiếp nhận'), ('assigned', 'Đã chuyển xử lý'), ('processing', 'Đang xử lý'), ('supplement_requested', 'Chờ bổ sung (tạm dừng tính thời hạn)'), ('awaiting_signature', 'Chờ ký'), ('signed', 'Đã có kết quả'), ('returned', 'Đã trả kết quả'), ('withdrawn', 'Đã rút hồ sơ'), ('cancelled', 'Đã hủy')], default='submitted', help_text='Current state.', max_length=40, verbose_name='status')),
                ('version', models.PositiveIntegerField(default=1, help_text='Incremented by every change.', verbose_name='version')),
                ('applicant_kind', models.CharField(choices=[('person', 'Cá nhân'), ('organisation', 'Tổ chức')], help_text='Person or organisation.', max_length=20, verbose_name='applicant kind')),
                ('applicant_name', models.CharField(help_text='Personal data.', max_length=150, verbose_name='applicant name')),
                ('applicant_id_number', models.CharField(blank=True, help_text='12-digit citizen ID of the person (personal data).', max_length=12, verbose_name='citizen ID')),
                ('organisation_name', models.CharField(blank=True, help_text='For organisations.', max_length=200, verbose_name='organisation')),
                ('applicant_phone', models.CharField(blank=True, help_text='Personal data.', max_length=20, verbose_name='phone')),
                ('applicant_email', models.EmailField(blank=True, help_text='Personal data.', max_length=120, verbose_name='email')),
                ('applicant_address', models.CharField(blank=True, help_text='Personal data.', max_length=300, verbose_name='address')),
                ('documents', models.JSONField(blank=True, default=list, help_text='Codes of papers received.', verbose_name='documents')),
                ('note', models.CharField(blank=True, help_text="Applicant's request or note.", max_length=1000, verbose_name='note')),
                ('submitted_at', models.DateTimeField(help_text='When it was submitted.', verbose_name='submitted at')),
                ('valid_receipt_at', models.DateTimeField(blank=True, help_text='When a complete, valid dossier was received.', null=True, verbose_name='valid receipt at')),
                ('due_at', models.DateTimeField(blank=True, help_text='Return due (moves on pauses).', null=True, verbose_name='due at')),
                ('original_due_at', models.DateTimeField(blank=True, help_text='Due date fixed at acceptance, before any apology.', null=True, verbose_name='original due at')),
                ('returned_at', models.DateTimeField(blank=True, help_text='When returned.', null=True, verbose_name='returned at')),
                ('closed_at', models.DateTimeField(blank=True, help_text='When it reached a final state.', null=True, verbose_name='closed at')),
                ('signed_at', models.DateTimeField(blank=True, help_text='When signed.', null=True, verbose_name='signed at')),
                ('signature_basis', models.JSONField(blank=True, help_text="The authority resolver's basis and instrument.", null=True, verbose_name='signature basis')),
                ('signature_block', models.CharField(blank=True, help_text='As printed on the result.', max_length=200, verbose_name='signature block')),
                ('result_note', models.CharField(blank=True, help_text='About the result.', max_length=1000, verbose_name='result note')),
                ('paused_working_days', models.PositiveIntegerField(default=0, help_text='Working days the clock stood still.', verbose_name='paused working days')),
                ('apology_count', models.PositiveSmallIntegerField(default=0, help_text='Mẫu 04 issued.', verbose_name='apologies')),
                ('at_risk_since', models.DateTimeField(blank=True, help_text='When flagged as one working day from due.', null=True, verbose_name='at risk since')),
                ('lookup_secret_hash', models.CharField(help_text="SHA-256 of the applicant's lookup secret.", max_length=64, verbose_name='lookup secret hash')),
                ('rating', models.PositiveSmallIntegerField(blank=True, help_text='1–5.', null=True, verbose_name='rating')),
                ('rating_comment', models.CharField(blank=True, help_text='Comment.', max_length=1000, verbose_name='rating comment')),
                ('rated_at', models.DateTimeField(blank=True, help_text='When rated.', null=True, verbose_name='rated at')),
                ('is_demo', models.BooleanField(default=False, help_text='Generated demo activity.', verbose_name='demo data')),
                ('assigned_to', models.ForeignKey(blank=True, help_text='Processing officer.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='assigned to')),
                ('procedure', models.ForeignKey(db_index=False, help_text='Procedure applied for.', on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='procedures.procedure', verbose_name='procedure')),
                ('received_by', models.ForeignKey(blank=True, db_index=False, help_text='Desk officer.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='received by')),
                ('signed_by', models.ForeignKey(blank=True, db_index=False, help_text='Signer.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='signed by')),
            ],
            options={
                'verbose_name': 'dossier',
                'verbose_name_plural': 'dossiers',
                'indexes': [models.Index(fields=['unit_code', 'status', 'due_at'], name='dossier_queue_idx'), models.Index(fields=['unit_code', 'submitted_at'], name='dossier_unit_submitted_idx'), models.Index(condition=models.Q(('closed_at__isnull', True)), fields=['due_at'], include=('unit_code', 'status'), name='dossier_open_due_idx'), models.Index(fields=['unit_code', 'due_at', 'code'], name='dossier_unit_due_idx'), models.Index(fields=['updated_at', 'id'], name='dossier_updated_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('rating__isnull', True), models.Q(('rating__gte', 1), ('rating__lte', 5)), _connector='OR'), name='dossier_rating_range'), models.UniqueConstraint(fields=('code',), name='dossiers_dossier_code_key')],
            },
        ),
        migrations.CreateModel(
            name='Apology',
            fields=[
                columns.pk(),
                ('issued_at', models.DateTimeField(help_text='When issued.', verbose_name='issued at')),
                ('reason', models.CharField(help_text='Why it will be late.', max_length=1000, verbose_name='reason')),
                ('old_due_at', models.DateTimeField(help_text='Due before.', verbose_name='old due')),
                ('new_due_at', models.DateTimeField(help_text='New return date.', verbose_name='new due')),
                ('approved_by_chairman', models.BooleanField(default=False, help_text='A second change of date needs the chairman.', verbose_name='approved by the chairman')),
                ('issued_by', models.ForeignKey(help_text='Processing officer or chairman.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='issued by')),
                ('dossier', models.ForeignKey(help_text='The dossier.', on_delete=django.db.models.deletion.CASCADE, related_name='apologies', to='dossiers.dossier', verbose_name='dossier')),
            ],
            options={
                'verbose_name': 'apology (form 04)',
                'verbose_name_plural': 'apologies (form 04)',
                'ordering': ['issued_at'],
            },
        ),
        migrations.CreateModel(
            name='DossierEvent',
            fields=[
                columns.pk(),
                ('at', models.DateTimeField(help_text='When.', verbose_name='at')),
                ('action', models.CharField(help_text='Move or event name.', max_length=40, verbose_name='action')),
                ('from_status', models.CharField(blank=True, help_text='State before.', max_length=40, verbose_name='from')),
                ('to_status', models.CharField(blank=True, help_text='State after.', max_length=40, verbose_name='to')),
                ('actor_role', models.CharField(blank=True, help_text='Public description of who acted (no names).', max_length=60, verbose_name='actor role')),
                ('public_note', models.CharField(blank=True, help_text='What the applicant is told.', max_length=1000, verbose_name='public note')),
                ('data', models.JSONField(blank=True, default=dict, help_text='Details for staff.', verbose_name='data')),
                ('actor_official', models.ForeignKey(blank=True, help_text='Official acting.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.official', verbose_name='actor')),
                ('dossier', models.ForeignKey(help_text='The dossier.', on_delete=django.db.models.deletion.CASCADE, related_name='events', to='dossiers.dossier', verbose_name='dossier')),
            ],
            options={
                'verbose_name': 'dossier event',
                'verbose_name_plural': 'dossier events',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SupplementPause',
            fields=[
                columns.pk(),
                ('requested_at', models.DateTimeField(help_text='Clock stopped.', verbose_name='requested at')),
                ('reason', models.CharField(help_text='What is missing (Mẫu 02).', max_length=1000, verbose_name='reason')),
                ('missing_documents', models.JSONField(blank=True, default=list, help_text='Codes.', verbose_name='missing documents')),
                ('at_intake', models.BooleanField(default=False, help_text='Before acceptance (no clock).', verbose_name='at intake')),
                ('resumed_at', models.DateTimeField(blank=True, help_text='Clock restarted.', null=True, verbose_name='resumed at')),
                ('paused_working_days', models.PositiveIntegerField(default=0, help_text='Working days added to the due date.', verbose_name='paused working days')),
                ('paused_office_minutes', models.PositiveIntegerField(default=0, help_text='Office minutes the clock stood still.', verbose_name='paused office minutes')),
                ('dossier', models.ForeignKey(help_text='The dossier.', on_delete=django.db.models.deletion.CASCADE, related_name='pauses', to='dossiers.dossier', verbose_name='dossier')),
            ],
            options={
                'verbose_name': 'supplement pause',
                'verbose_name_plural': 'supplement pauses',
                'ordering': ['requested_at'],
            },
        ),
        migrations.CreateModel(
            name='OnlineIntakeCount',
            fields=[
                columns.pk(),
                ('agency_identifier', models.CharField(help_text='Agency.', max_length=40, verbose_name='agency identifier')),
                ('day', models.DateField(help_text='Submission day (local).', verbose_name='day')),
                ('last_value', models.PositiveIntegerField(default=0, help_text='Online submissions counted so far.', verbose_name='online submissions')),
            ],
            options={
                'verbose_name': 'online intake count',
                'verbose_name_plural': 'online intake counts',
                'constraints': [models.UniqueConstraint(fields=('agency_identifier', 'day'), name='online_intake_uniq')],
            },
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                columns.pk(),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Public id.', unique=True, verbose_name='public id')),
                ('document_code', models.CharField(help_text="The procedure's paper this file is.", max_length=60, verbose_name='document code')),
                ('file', models.FileField(help_text='The stored file.', max_length=200, upload_to=cqdt.dossiers.models._attachment_path, verbose_name='file')),
                ('original_name', models.CharField(help_text="The file's name as uploaded.", max_length=200, verbose_name='original name')),
                ('content_type', models.CharField(help_text='Sniffed from the content.', max_length=40, verbose_name='content type')),
                ('size', models.PositiveIntegerField(help_text='Bytes stored.', verbose_name='size')),
                ('sha256', models.CharField(help_text='Hash of the stored bytes.', max_length=64, verbose_name='SHA-256')),
                ('pages', models.PositiveIntegerField(blank=True, help_text='Pages of a PDF.', null=True, verbose_name='pages')),
                ('scan', models.CharField(help_text='clean, or skipped when not configured.', max_length=10, verbose_name='malware scan')),
                ('stage', models.CharField(help_text='intake or supplement: when it was given.', max_length=20, verbose_name='stage')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, help_text='When it was stored.', verbose_name='uploaded at')),
                ('dossier', models.ForeignKey(help_text='The dossier the file belongs to.', on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='dossiers.dossier', verbose_name='dossier')),
            ],
            options={
                'verbose_name': 'attachment',
                'verbose_name_plural': 'attachments',
                'ordering': ['dossier', 'uploaded_at'],
            },
        ),
        migrations.CreateModel(
            name='DueRecompute',
            fields=[
                columns.pk(),
                ('last_id', models.BigIntegerField(default=0, help_text='Dossiers up to this id are done.', verbose_name='last dossier id')),
                ('moved', models.PositiveIntegerField(default=0, help_text='Dossiers whose due date moved.', verbose_name='moved')),
                ('batches', models.PositiveIntegerField(default=0, help_text='Batches done.', verbose_name='batches')),
                ('longest_batch_ms', models.PositiveIntegerField(default=0, help_text='Longest batch transaction.', verbose_name='longest batch (ms)')),
                ('started_at', models.DateTimeField(auto_now_add=True, help_text='Start.', verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, help_text='When every dossier was done.', null=True, verbose_name='finished at')),
                ('change', models.OneToOneField(help_text="The notice's change to the calendar.", on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workdays.calendarchange', verbose_name='calendar change')),
            ],
            options={
                'verbose_name': 'due-date recompute',
                'verbose_name_plural': 'due-date recomputes',
            },
        ),
    ]
