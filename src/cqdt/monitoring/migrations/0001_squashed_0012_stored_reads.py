"""Monitoring's tables, squashed from 0001–0012 (docs/decisions/0020), with the two seeds a new
database needs: version 1 of the indicator definitions, the Decision 766 weights and the
thresholds (once 0002), and the pilot's implementation plan named generically (once 0010).

Left out, as no-ops on a new database: 0004 emptied the facts, rollups and watermarks folded
before the year grain (a new database has none), and 0009 gave the recommendations already
recorded a public id (a new database has none).
"""

import django.db.models.deletion
import uuid
import datetime as dt

from django.db import migrations, models

from cqdt.core.migrations import _columns as columns


VERSION = 1
VALID_FROM = dt.date(2021, 7, 1)


def seed(apps, schema_editor):
    from cqdt.monitoring import definitions as d

    IndicatorDefinition = apps.get_model("monitoring", "IndicatorDefinition")
    IndexWeight = apps.get_model("monitoring", "IndexWeight")
    ShortcomingThreshold = apps.get_model("monitoring", "ShortcomingThreshold")
    for i in d.INDICATORS:
        IndicatorDefinition.objects.get_or_create(
            code=i.code,
            version=VERSION,
            defaults={
                "valid_from": VALID_FROM,
                "name": i.name_vi,
                "name_en": i.name_en,
                "unit": i.unit,
                "definition": i.definition_vi,
                "definition_en": i.definition_en,
                "source": "docs/indicators.md, phiên bản 1",
            },
        )
    for g in d.index_spec_as_data():
        IndexWeight.objects.get_or_create(
            group=g["group"],
            version=VERSION,
            defaults={
                "valid_from": VALID_FROM,
                "weight": g["weight"],
                "label": g["label_vi"],
                "label_en": g["label_en"],
                "components": g["components"],
                "source": g["source"]
                + "; áp dụng từ đầu thí điểm (01/7/2021) để so sánh được [C]",
            },
        )
    for r in d.SHORTCOMING_RULES:
        ShortcomingThreshold.objects.get_or_create(
            rule=r.code,
            version=VERSION,
            defaults={
                "valid_from": VALID_FROM,
                "label": r.label_vi,
                "label_en": r.label_en,
                "threshold": r.threshold,
                "source": r.source,
            },
        )


def unseed(apps, schema_editor):
    for name in ("IndicatorDefinition", "IndexWeight", "ShortcomingThreshold"):
        apps.get_model("monitoring", name).objects.filter(version=VERSION).delete()


PLAN_TITLE = "Kế hoạch triển khai thí điểm mô hình chính quyền đô thị tại thành phố Hà Nội"
PLAN_WHY = (
    "Chưa kiểm chứng: số, ngày và tên kế hoạch của UBND Thành phố không đọc được trong nguồn "
    "lưu trữ (đã tìm ngày 05/12/2026); nhập số hiệu khi đối chiếu được văn bản."
)


def create_plan(apps, schema_editor):
    """Its number, date and title could not be read in a source (issue 15, item 3), so the
    instrument stays empty and the row unverified. No tasks: none could be sourced."""
    Plan = apps.get_model("monitoring", "ImplementationPlan")
    if not Plan.objects.filter(is_demo=False).exists():
        Plan.objects.create(title=PLAN_TITLE, instrument="", verified=False, verification=PLAN_WHY)


def remove_plan(apps, schema_editor):
    Plan = apps.get_model("monitoring", "ImplementationPlan")
    Plan.objects.filter(title=PLAN_TITLE, instrument="", tasks__isnull=True).delete()


def rollup_key():
    """The fields every rollup has first (``RollupBase``): the grain, the unit and the day."""
    return [
        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
        ('grain', models.CharField(choices=[('day', 'Ngày'), ('month', 'Tháng'), ('year', 'Năm')], help_text='Day, month or year.', max_length=5, verbose_name='grain')),
        ('unit_code', models.CharField(help_text='GSO code.', max_length=8, verbose_name='unit')),
        ('day', models.DateField(help_text='The day, or the first day of the month or year.', verbose_name='day')),
    ]


def dossier_counts():
    """The dossier counts of a ward's rollup and of a district's or the city's
    (``DossierCounts``)."""
    return [
        ('submitted', models.IntegerField(default=0, help_text='Submitted that day.', verbose_name='submitted')),
        ('received', models.IntegerField(default=0, help_text='Validly received.', verbose_name='received')),
        ('received_online', models.IntegerField(default=0, help_text='Of them, online.', verbose_name='received online')),
        ('closed', models.IntegerField(default=0, help_text='Received dossiers that closed that day.', verbose_name='closed')),
        ('resolved', models.IntegerField(default=0, help_text='Results returned.', verbose_name='resolved')),
        ('early', models.IntegerField(default=0, help_text='Returned early.', verbose_name='early')),
        ('on_time', models.IntegerField(default=0, help_text='Returned on the due day.', verbose_name='on time')),
        ('late', models.IntegerField(default=0, help_text='Returned late.', verbose_name='late')),
        ('apologised', models.IntegerField(default=0, help_text='Returned with an apology.', verbose_name='apologised')),
        ('late_apologised', models.IntegerField(default=0, help_text='Late ones with an apology.', verbose_name='late with apology')),
        ('processing_days_sum', models.BigIntegerField(default=0, help_text='Σ working days, for the mean.', verbose_name='processing days sum')),
        ('rated', models.IntegerField(default=0, help_text='Resolved and rated.', verbose_name='rated')),
        ('rating_sum', models.IntegerField(default=0, help_text='Σ ratings.', verbose_name='rating sum')),
        ('satisfied', models.IntegerField(default=0, help_text='Rated 4–5.', verbose_name='satisfied')),
        ('unsatisfied_or_late', models.IntegerField(default=0, help_text='Late, or rated 1–2.', verbose_name='unsatisfied or late')),
        ('signed', models.IntegerField(default=0, help_text='Results signed.', verbose_name='signed')),
        ('signed_leader', models.IntegerField(default=0, help_text="On a leader's own authority.", verbose_name='signed by leaders')),
        ('signed_delegation', models.IntegerField(default=0, help_text='TUQ.', verbose_name='signed under delegation')),
    ]


def processing_counts():
    """Processing time and dossiers, ward or district/city (``ProcessingCounts``)."""
    return [
        ('working_days', models.IntegerField(help_text='Processing time.', verbose_name='working days')),
        ('resolved', models.IntegerField(default=0, help_text='Dossiers.', verbose_name='resolved')),
    ]


class Migration(migrations.Migration):

    replaces = [('monitoring', '0001_rollups_and_definitions'), ('monitoring', '0002_seed_definitions_v1'), ('monitoring', '0003_rollup_year_grain'), ('monitoring', '0004_refold_after_year_grain'), ('monitoring', '0005_open_due_and_covering_rollup_indexes'), ('monitoring', '0006_fact_moved_from'), ('monitoring', '0007_registers'), ('monitoring', '0008_imported_dossiers'), ('monitoring', '0009_registers_plan_and_public_ids'), ('monitoring', '0010_generic_implementation_plan'), ('monitoring', '0011_district_and_city_rollups'), ('monitoring', '0012_stored_reads')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='DossierFact',
            fields=[
                ('dossier_id', models.BigIntegerField(help_text='Primary key of the dossier.', primary_key=True, serialize=False, verbose_name='dossier')),
                ('unit_code', models.CharField(help_text='Unit handling it.', max_length=8, verbose_name='unit')),
                ('submitted_day', models.DateField(help_text='Hanoi date of submission.', verbose_name='submitted')),
                ('receipt_day', models.DateField(blank=True, help_text='Hanoi date of valid receipt.', null=True, verbose_name='received')),
                ('online', models.BooleanField(default=False, help_text='Submitted online.', verbose_name='online')),
                ('closed_day', models.DateField(blank=True, help_text='Hanoi date it closed after a valid receipt (returned, withdrawn, cancelled).', null=True, verbose_name='closed')),
                ('resolved_day', models.DateField(blank=True, help_text='Hanoi date the result was returned.', null=True, verbose_name='resolved')),
                ('outcome', models.CharField(blank=True, choices=[('early', 'Trước hạn'), ('on_time', 'Đúng hạn'), ('late', 'Quá hạn')], help_text='Early, on time or late (returned dossiers).', max_length=8, verbose_name='outcome')),
                ('apologised', models.BooleanField(default=False, help_text='At least one apology (form 04).', verbose_name='apologised')),
                ('processing_days', models.IntegerField(blank=True, help_text='Working days from valid receipt to return.', null=True, verbose_name='processing days')),
                ('rating', models.PositiveSmallIntegerField(blank=True, help_text='1–5, counted on the resolved day.', null=True, verbose_name='rating')),
                ('signed_day', models.DateField(blank=True, help_text='Hanoi date the result was signed.', null=True, verbose_name='signed')),
                ('signer_id', models.BigIntegerField(blank=True, help_text='Official who signed (primary key).', null=True, verbose_name='signer')),
                ('signer_basis', models.CharField(blank=True, help_text="Resolver's basis.", max_length=30, verbose_name='signature basis')),
                ('moved_from', models.CharField(blank=True, help_text='Unit it was at before units were arranged; its events before then count there.', max_length=8, verbose_name='moved from')),
                ('moved_on', models.DateField(blank=True, help_text='Day the arrangement moved it to ``unit_code``; empty: never moved.', null=True, verbose_name='moved on')),
            ],
            options={
                'verbose_name': 'dossier fact',
                'verbose_name_plural': 'dossier facts',
            },
        ),
        migrations.CreateModel(
            name='FeedbackFact',
            fields=[
                ('report_id', models.BigIntegerField(help_text='Primary key of the report.', primary_key=True, serialize=False, verbose_name='report')),
                ('unit_code', models.CharField(help_text='Unit responsible.', max_length=8, verbose_name='unit')),
                ('submitted_day', models.DateField(help_text='Hanoi date.', verbose_name='submitted')),
                ('resolved_day', models.DateField(blank=True, help_text='Hanoi date of resolution.', null=True, verbose_name='resolved')),
                ('resolved_on_time', models.BooleanField(default=False, help_text='Resolved by the resolution due moment.', verbose_name='on time')),
                ('moved_from', models.CharField(blank=True, help_text='Unit responsible before units were arranged; earlier events count there.', max_length=8, verbose_name='moved from')),
                ('moved_on', models.DateField(blank=True, help_text='Day the arrangement moved it to ``unit_code``; empty: never moved.', null=True, verbose_name='moved on')),
            ],
            options={
                'verbose_name': 'feedback fact',
                'verbose_name_plural': 'feedback facts',
            },
        ),
        migrations.CreateModel(
            name='Watermark',
            fields=[
                ('source', models.CharField(help_text='dossiers or feedback.', max_length=20, primary_key=True, serialize=False, verbose_name='source')),
                ('updated_at', models.DateTimeField(blank=True, help_text='Latest change folded in.', null=True, verbose_name='source updated at')),
                ('refreshed_at', models.DateTimeField(blank=True, help_text='When the last refresh ran.', null=True, verbose_name='refreshed at')),
                ('rows', models.BigIntegerField(default=0, help_text='Source rows read by the last refresh.', verbose_name='rows folded')),
                ('version', models.CharField(blank=True, help_text="For the district and city rows: a digest of the wards' mapping they used.", max_length=64, verbose_name='version')),
            ],
            options={
                'verbose_name': 'rollup watermark',
                'verbose_name_plural': 'rollup watermarks',
            },
        ),
        migrations.CreateModel(
            name='DossierRollup',
            fields=[
                *rollup_key(),
                *dossier_counts(),
            ],
            options={
                'verbose_name': 'dossier rollup',
                'verbose_name_plural': 'dossier rollups',
                'indexes': [models.Index(fields=['grain', 'day', 'unit_code'], name='dossier_rollup_day')],
                'constraints': [models.UniqueConstraint(fields=('grain', 'unit_code', 'day'), name='dossier_rollup_key')],
            },
        ),
        migrations.CreateModel(
            name='FeedbackRollup',
            fields=[
                *rollup_key(),
                ('received', models.IntegerField(default=0, help_text='Submitted.', verbose_name='received')),
                ('resolved', models.IntegerField(default=0, help_text='Resolved.', verbose_name='resolved')),
                ('resolved_on_time', models.IntegerField(default=0, help_text='Within the SLA.', verbose_name='resolved on time')),
            ],
            options={
                'verbose_name': 'feedback rollup',
                'verbose_name_plural': 'feedback rollups',
                'constraints': [models.UniqueConstraint(fields=('grain', 'unit_code', 'day'), name='feedback_rollup_key')],
            },
        ),
        migrations.CreateModel(
            name='IndexWeight',
            fields=[
                *columns.base(),
                ('version', models.PositiveIntegerField(help_text='Definition version.', verbose_name='version')),
                ('valid_from', models.DateField(help_text='First day it applies.', verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='First day it no longer applies; empty: until replaced.', null=True, verbose_name='valid to')),
                ('source', models.CharField(help_text='Legal source or decision; [C] when configured.', max_length=400, verbose_name='source')),
                ('group', models.CharField(help_text='Group code.', max_length=40, verbose_name='group')),
                ('weight', models.DecimalField(decimal_places=2, help_text='Points of the group.', max_digits=5, verbose_name='weight')),
                ('label', models.CharField(help_text='Vietnamese label.', max_length=200, verbose_name='label')),
                ('label_en', models.CharField(help_text='English.', max_length=200, verbose_name='label (English)')),
                ('components', models.JSONField(help_text="[{code, weight, measure (null: not measured), label_vi, label_en}]; the weights add up to the group's.", verbose_name='components')),
            ],
            options={
                'verbose_name': 'index weight',
                'verbose_name_plural': 'index weights',
                'ordering': ['version', 'id'],
                'constraints': [models.UniqueConstraint(fields=('group', 'version'), name='index_group_version')],
            },
        ),
        migrations.CreateModel(
            name='IndicatorDefinition',
            fields=[
                *columns.base(),
                ('version', models.PositiveIntegerField(help_text='Definition version.', verbose_name='version')),
                ('valid_from', models.DateField(help_text='First day it applies.', verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='First day it no longer applies; empty: until replaced.', null=True, verbose_name='valid to')),
                ('source', models.CharField(help_text='Legal source or decision; [C] when configured.', max_length=400, verbose_name='source')),
                ('code', models.CharField(help_text='Stable code.', max_length=40, verbose_name='code')),
                ('name', models.CharField(help_text='Vietnamese name.', max_length=200, verbose_name='name')),
                ('name_en', models.CharField(help_text='English name.', max_length=200, verbose_name='name (English)')),
                ('unit', models.CharField(help_text='count, share, working_days…', max_length=20, verbose_name='unit')),
                ('definition', models.TextField(help_text='Vietnamese definition.', verbose_name='definition')),
                ('definition_en', models.TextField(help_text='English.', verbose_name='definition (English)')),
            ],
            options={
                'verbose_name': 'indicator definition',
                'verbose_name_plural': 'indicator definitions',
                'ordering': ['code', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('code', 'version'), name='indicator_code_version'), models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gt', models.F('valid_from')), _connector='OR'), name='indicator_valid_range')],
            },
        ),
        migrations.CreateModel(
            name='ProcessingRollup',
            fields=[
                *rollup_key(),
                *processing_counts(),
            ],
            options={
                'verbose_name': 'processing-time rollup',
                'verbose_name_plural': 'processing-time rollups',
                'indexes': [models.Index(fields=['grain', 'day', 'unit_code'], include=('working_days', 'resolved'), name='processing_rollup_period')],
                'constraints': [models.UniqueConstraint(fields=('grain', 'unit_code', 'day', 'working_days'), name='processing_rollup_key')],
            },
        ),
        migrations.CreateModel(
            name='ShortcomingThreshold',
            fields=[
                *columns.base(),
                ('version', models.PositiveIntegerField(help_text='Definition version.', verbose_name='version')),
                ('valid_from', models.DateField(help_text='First day it applies.', verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='First day it no longer applies; empty: until replaced.', null=True, verbose_name='valid to')),
                ('source', models.CharField(help_text='Legal source or decision; [C] when configured.', max_length=400, verbose_name='source')),
                ('rule', models.CharField(help_text='Rule code.', max_length=40, verbose_name='rule')),
                ('label', models.CharField(help_text='Vietnamese label.', max_length=200, verbose_name='label')),
                ('label_en', models.CharField(help_text='English.', max_length=200, verbose_name='label (English)')),
                ('threshold', models.JSONField(help_text="The rule's parameters.", verbose_name='threshold')),
            ],
            options={
                'verbose_name': 'shortcoming threshold',
                'verbose_name_plural': 'shortcoming thresholds',
                'ordering': ['rule', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('rule', 'version'), name='shortcoming_rule_version')],
            },
        ),
        migrations.CreateModel(
            name='SignerRollup',
            fields=[
                *rollup_key(),
                ('signer_id', models.BigIntegerField(help_text='Official (primary key).', verbose_name='signer')),
                ('basis', models.CharField(help_text="Resolver's basis.", max_length=30, verbose_name='basis')),
                ('signatures', models.IntegerField(default=0, help_text='Count.', verbose_name='signatures')),
            ],
            options={
                'verbose_name': 'signer rollup',
                'verbose_name_plural': 'signer rollups',
                'indexes': [models.Index(fields=['grain', 'day', 'unit_code'], include=('signer_id', 'basis', 'signatures'), name='signer_rollup_period')],
                'constraints': [models.UniqueConstraint(fields=('grain', 'unit_code', 'day', 'signer_id', 'basis'), name='signer_rollup_key')],
            },
        ),
        migrations.CreateModel(
            name='Recommendation',
            fields=[
                *columns.base(),
                ('rule', models.CharField(help_text="Shortcoming rule code, or 'other'.", max_length=40, verbose_name='shortcoming rule')),
                ('unit_code', models.CharField(help_text='Unit concerned.', max_length=8, verbose_name='unit')),
                ('raised_on', models.DateField(help_text='Day the shortcoming was raised.', verbose_name='raised on')),
                ('shortcoming', models.TextField(help_text='What was found, with figures.', verbose_name='shortcoming')),
                ('proposal', models.TextField(help_text='What was proposed.', verbose_name='proposal')),
                ('status', models.CharField(choices=[('open', 'Chưa điều chỉnh'), ('adjusted', 'Đã điều chỉnh'), ('declined', 'Không điều chỉnh')], default='open', help_text='Whether an adjustment answered it.', max_length=20, verbose_name='status')),
                ('adjustment', models.TextField(blank=True, help_text='The adjustment that answered it.', verbose_name='adjustment')),
                ('instrument', models.CharField(blank=True, help_text='Number and symbol.', max_length=120, verbose_name='instrument')),
                ('instrument_date', models.DateField(blank=True, help_text='Date it was signed.', null=True, verbose_name='instrument date')),
                ('changed', models.CharField(blank=True, help_text='Governance model or rule version it changed.', max_length=200, verbose_name='changed')),
                ('version', models.PositiveIntegerField(default=1, help_text='Row version.', verbose_name='version')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Identifier used in URLs and the API.', null=True, verbose_name='public id')),
            ],
            options={
                'ordering': ['raised_on', 'id'],
            },
        ),
        migrations.AlterField(
            model_name='recommendation',
            name='public_id',
            field=models.UUIDField(default=uuid.uuid4, editable=False, help_text='Identifier used in URLs and the API.', unique=True, verbose_name='public id'),
        ),
        migrations.CreateModel(
            name='Devolution',
            fields=[
                *columns.base(),
                ('procedure_slug', models.SlugField(help_text='Slug of the procedure (catalog).', max_length=80, verbose_name='procedure')),
                ('kind', models.CharField(choices=[('decentralisation', 'Phân cấp'), ('authorisation', 'Ủy quyền')], help_text='Kind of transfer.', max_length=20, verbose_name='kind')),
                ('unit_code', models.CharField(help_text='Ward receiving it, or a district or city: all wards.', max_length=8, verbose_name='unit')),
                ('instrument', models.CharField(help_text='Number and symbol of the decision.', max_length=120, verbose_name='instrument')),
                ('instrument_date', models.DateField(help_text='Date it was signed.', verbose_name='instrument date')),
                ('valid_from', models.DateField(help_text='First day in force.', verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='First day no longer in force.', null=True, verbose_name='valid to')),
            ],
            options={
                'ordering': ['valid_from', 'procedure_slug', 'unit_code'],
                'indexes': [models.Index(fields=['procedure_slug', 'unit_code'], name='devolution_idx')],
            },
        ),
        migrations.CreateModel(
            name='RecordImport',
            fields=[
                *columns.public(),
                ('file_name', models.CharField(help_text='Name of the imported file (no path).', max_length=255, verbose_name='file name')),
                ('file_sha256', models.CharField(help_text="Hash of the file's bytes, as read.", max_length=64, verbose_name='file SHA-256')),
                ('actor_label', models.CharField(help_text='User or system job that imported it.', max_length=150, verbose_name='imported by')),
                ('simulated', models.BooleanField(default=False, help_text='Simulated records (cqdt simulate --comparison): demo data, never real.', verbose_name='simulated')),
                ('mapping', models.JSONField(default=dict, help_text='Field → column heading used.', verbose_name='column mapping')),
                ('rows_read', models.PositiveIntegerField(default=0, help_text='Data rows.', verbose_name='rows read')),
                ('rows_added', models.PositiveIntegerField(default=0, help_text='New records written.', verbose_name='rows added')),
                ('rows_existing', models.PositiveIntegerField(default=0, help_text='Rows whose unit and external id were already imported: left unchanged.', verbose_name='rows already present')),
                ('rows_rejected', models.PositiveIntegerField(default=0, help_text='Rows refused, with their reasons.', verbose_name='rows rejected')),
            ],
            options={
                'verbose_name': 'record import',
                'verbose_name_plural': 'record imports',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='ImportedDossier',
            fields=[
                columns.pk(),
                ('unit_code', models.CharField(help_text='Official (GSO) code of the commune-level unit.', max_length=8, verbose_name='unit')),
                ('external_id', models.CharField(help_text="The record's id in its source system.", max_length=100, verbose_name='external id')),
                ('procedure', models.CharField(blank=True, help_text='Slug of the catalog procedure; empty for simulated records.', max_length=80, verbose_name='procedure')),
                ('field', models.CharField(help_text='Field of the procedure.', max_length=40, verbose_name='field')),
                ('received_day', models.DateField(help_text='Day of valid receipt.', verbose_name='received')),
                ('due_day', models.DateField(blank=True, help_text='Due day.', null=True, verbose_name='due')),
                ('returned_day', models.DateField(blank=True, help_text='Day the result was returned.', null=True, verbose_name='returned')),
                ('status', models.CharField(choices=[('returned', 'Đã trả kết quả'), ('in_progress', 'Đang giải quyết'), ('refused', 'Từ chối'), ('withdrawn', 'Đã rút'), ('cancelled', 'Đã hủy')], help_text='Last status.', max_length=12, verbose_name='status')),
                ('on_time', models.BooleanField(blank=True, help_text='Returned on or before the due day; empty when not returned or not known.', null=True, verbose_name='on time')),
                ('processing_days', models.IntegerField(blank=True, help_text="Working days from receipt to return (the platform's calendar).", null=True, verbose_name='processing days')),
                ('month', models.DateField(help_text='First day of the month it counts in: of its return, else of its receipt.', verbose_name='month')),
                ('rating', models.PositiveSmallIntegerField(blank=True, help_text='Satisfaction 1–5; empty: not rated.', null=True, verbose_name='rating')),
                ('cost_vnd', models.BigIntegerField(blank=True, help_text='Cost of handling it; empty: unknown.', null=True, verbose_name='cost (VND)')),
                ('simulated', models.BooleanField(default=False, help_text='Copied from its import: demo data.', verbose_name='simulated')),
                ('batch', models.ForeignKey(help_text='The import that wrote it (its file and time).', on_delete=django.db.models.deletion.PROTECT, related_name='records', to='monitoring.recordimport', verbose_name='import')),
            ],
            options={
                'verbose_name': 'imported dossier',
                'verbose_name_plural': 'imported dossiers',
                'indexes': [models.Index(fields=['simulated', 'month', 'unit_code'], name='imported_dossier_month')],
                'constraints': [models.UniqueConstraint(fields=('unit_code', 'external_id'), name='imported_dossier_unit_external_id'), models.CheckConstraint(condition=models.Q(('returned_day__isnull', True), ('returned_day__gte', models.F('received_day')), _connector='OR'), name='imported_dossier_returned_after_received'), models.CheckConstraint(condition=models.Q(('rating__isnull', True), models.Q(('rating__gte', 1), ('rating__lte', 5)), _connector='OR'), name='imported_dossier_rating_1_5')],
            },
        ),
        migrations.CreateModel(
            name='ImplementationPlan',
            fields=[
                *columns.public(),
                ('title', models.CharField(help_text='Title of the plan.', max_length=300, verbose_name='title')),
                ('instrument', models.CharField(blank=True, help_text='Number and symbol, only if read in a source.', max_length=120, verbose_name='instrument')),
                ('instrument_date', models.DateField(blank=True, help_text='Date it was signed.', null=True, verbose_name='instrument date')),
                ('verified', models.BooleanField(default=False, help_text='Number, date and title read in a source.', verbose_name='verified')),
                ('verification', models.CharField(blank=True, help_text='Source read, or why not.', max_length=600, verbose_name='verification')),
                ('is_demo', models.BooleanField(default=False, help_text='Demo row loaded by the demo loader.', verbose_name='demo data')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='PlanTask',
            fields=[
                *columns.public(),
                ('task', models.TextField(help_text='What is to be done.', verbose_name='task')),
                ('owner_unit_code', models.CharField(help_text='Unit in charge (GSO code).', max_length=8, verbose_name='owner unit')),
                ('owner', models.CharField(blank=True, help_text='Department or office in charge.', max_length=200, verbose_name='owner')),
                ('deadline', models.DateField(help_text='Day it is due.', verbose_name='deadline')),
                ('status', models.CharField(choices=[('open', 'Đang thực hiện'), ('done', 'Đã hoàn thành')], default='open', help_text='Open or done.', max_length=10, verbose_name='status')),
                ('done_on', models.DateField(blank=True, help_text='Day it was completed.', null=True, verbose_name='done on')),
                ('evidence', models.TextField(blank=True, help_text='Document or record showing it was done.', verbose_name='evidence')),
                ('is_demo', models.BooleanField(default=False, help_text='Demo row loaded by the demo loader.', verbose_name='demo data')),
                ('version', models.PositiveIntegerField(default=1, help_text='Row version.', verbose_name='version')),
                ('plan', models.ForeignKey(help_text='The plan it belongs to.', on_delete=django.db.models.deletion.PROTECT, related_name='tasks', to='monitoring.implementationplan', verbose_name='plan')),
            ],
            options={
                'ordering': ['deadline', 'id'],
                'indexes': [models.Index(fields=['owner_unit_code'], name='plantask_owner_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('done_on__isnull', True), ('status', 'open')), models.Q(('done_on__isnull', False), ('status', 'done')), _connector='OR'), name='plantask_done_has_day')],
            },
        ),
        migrations.CreateModel(
            name='GroupDossierRollup',
            fields=[
                *rollup_key(),
                *dossier_counts(),
            ],
            options={
                'verbose_name': 'district or city dossier rollup',
                'verbose_name_plural': 'district or city dossier rollups',
                'constraints': [models.UniqueConstraint(fields=('grain', 'unit_code', 'day'), name='group_dossier_rollup_key')],
            },
        ),
        migrations.CreateModel(
            name='GroupProcessingRollup',
            fields=[
                *rollup_key(),
                *processing_counts(),
            ],
            options={
                'verbose_name': 'district or city processing-time rollup',
                'verbose_name_plural': 'district or city processing-time rollups',
                'indexes': [models.Index(fields=['grain', 'unit_code', 'day'], include=('working_days', 'resolved'), name='group_processing_rollup_unit')],
                'constraints': [models.UniqueConstraint(fields=('grain', 'unit_code', 'day', 'working_days'), name='group_processing_rollup_key')],
            },
        ),
        migrations.CreateModel(
            name='StoredRead',
            fields=[
                ('digest', models.CharField(help_text="Of the unit, the period and the rollups' version.", max_length=64, primary_key=True, serialize=False, verbose_name='digest')),
                ('unit_code', models.CharField(help_text='City or district.', max_length=16, verbose_name='unit code')),
                ('start', models.DateField(help_text='First day of the period.', verbose_name='from')),
                ('end', models.DateField(help_text='Last day of the period.', verbose_name='to')),
                ('value', models.TextField(help_text="The reads' answers, encoded as JSON.", verbose_name='reads')),
            ],
            options={
                'verbose_name': 'stored rollup read',
                'verbose_name_plural': 'stored rollup reads',
            },
        ),
        migrations.RunPython(seed, unseed),
        migrations.RunPython(create_plan, remove_plan),
    ]
