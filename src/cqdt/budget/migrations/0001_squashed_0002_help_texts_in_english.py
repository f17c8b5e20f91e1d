"""The budget's tables (estimates, lines, adjustments, spending), squashed from 0001–0002 (docs/decisions/0020)."""

import django.db.models.deletion
import django.db.models.expressions
import uuid
from django.db import migrations, models

from cqdt.core.migrations import _columns as columns


class Migration(migrations.Migration):

    replaces = [('budget', '0001_estimates_and_execution'), ('budget', '0002_help_texts_in_english')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Estimate',
            fields=[
                *columns.base(),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable id.', unique=True, verbose_name='public id')),
                ('unit_code', models.CharField(db_index=True, help_text='GSO code.', max_length=8, verbose_name='unit code')),
                ('parent_code', models.CharField(blank=True, db_index=True, help_text="GSO code of the unit's parent on the estimate's first day.", max_length=8, verbose_name='parent code')),
                ('year', models.PositiveSmallIntegerField(help_text='Budget year.', verbose_name='year')),
                ('status', models.CharField(choices=[('draft', 'Đang lập'), ('submitted', 'Đã trình'), ('approved', 'Đã giao / đã quyết định')], default='draft', help_text='Draft, submitted or approved.', max_length=12, verbose_name='status')),
                ('version', models.PositiveIntegerField(default=1, help_text='Row version.', verbose_name='version')),
                ('budget_status', models.CharField(help_text='Budget level or estimate unit, from the governance model in force.', max_length=30, verbose_name='budget status')),
                ('governance_model', models.CharField(help_text='Slug of the model in force.', max_length=60, verbose_name='governance model')),
                ('decider_unit_code', models.CharField(help_text='Unit whose body decides the estimate.', max_length=8, verbose_name='deciding unit')),
                ('decider_body', models.CharField(help_text='council or committee.', max_length=10, verbose_name='deciding body')),
                ('approver_unit_code', models.CharField(help_text='Unit whose act gives the estimate to the unit (allocation or resolution).', max_length=8, verbose_name='approving unit')),
                ('approver_body', models.CharField(help_text='council or committee.', max_length=10, verbose_name='approving body')),
                ('decision_number', models.CharField(blank=True, help_text="Approving act's number.", max_length=60, verbose_name='decision number')),
                ('decision_date', models.DateField(blank=True, help_text="Approving act's date.", null=True, verbose_name='decision date')),
                ('legal_basis', models.CharField(help_text='Sources of the budget structure.', max_length=400, verbose_name='legal basis')),
                ('is_demo', models.BooleanField(default=False, help_text='Simulated figures, never real ones.', verbose_name='demo data')),
            ],
            options={
                'verbose_name': 'budget estimate',
                'verbose_name_plural': 'budget estimates',
                'ordering': ['unit_code', 'year'],
                'constraints': [models.UniqueConstraint(fields=('unit_code', 'year'), name='budget_estimate_unit_year')],
            },
        ),
        migrations.CreateModel(
            name='EstimateLine',
            fields=[
                *columns.base(),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable id.', unique=True, verbose_name='public id')),
                ('chapter_code', models.CharField(help_text='Chapter code (3 digits).', max_length=3, verbose_name='chapter')),
                ('item_code', models.CharField(help_text='Item code (4 digits).', max_length=4, verbose_name='item')),
                ('description', models.CharField(blank=True, help_text='What the line pays for.', max_length=200, verbose_name='description')),
                ('original_amount', models.BigIntegerField(help_text='Amount first approved (VND).', verbose_name='original amount')),
                ('amount', models.BigIntegerField(help_text='Allocation after adjustments (VND).', verbose_name='allocation')),
                ('committed', models.BigIntegerField(default=0, help_text='Open commitments (VND).', verbose_name='committed')),
                ('paid', models.BigIntegerField(default=0, help_text='Payments (VND).', verbose_name='paid')),
                ('earmarked', models.BooleanField(default=False, help_text='Targeted transfer from a higher level: the unit may not redirect it.', verbose_name='earmarked')),
                ('status', models.CharField(default='open', help_text='open.', max_length=8, verbose_name='status')),
                ('version', models.PositiveIntegerField(default=1, help_text='Row version.', verbose_name='version')),
                ('estimate', models.ForeignKey(help_text='The estimate.', on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='budget.estimate', verbose_name='estimate')),
            ],
            options={
                'verbose_name': 'estimate line',
                'verbose_name_plural': 'estimate lines',
                'ordering': ['chapter_code', 'item_code'],
                'constraints': [models.UniqueConstraint(fields=('estimate', 'chapter_code', 'item_code'), name='budget_line_uniq'), models.CheckConstraint(condition=models.Q(('committed__gte', 0), ('paid__gte', 0), ('amount__gte', django.db.models.expressions.CombinedExpression(models.F('committed'), '+', models.F('paid')))), name='budget_line_within_allocation')],
            },
        ),
        migrations.CreateModel(
            name='Adjustment',
            fields=[
                *columns.base(),
                ('delta', models.BigIntegerField(help_text='VND added (negative: removed).', verbose_name='change')),
                ('decision_number', models.CharField(help_text='The deciding act.', max_length=60, verbose_name='decision number')),
                ('decision_date', models.DateField(help_text='Date of the act.', verbose_name='decision date')),
                ('effective_on', models.DateField(help_text='First day it applies.', verbose_name='effective on')),
                ('reason', models.CharField(blank=True, help_text='Why.', max_length=300, verbose_name='reason')),
                ('line', models.ForeignKey(help_text='The line adjusted.', on_delete=django.db.models.deletion.PROTECT, related_name='adjustments', to='budget.estimateline', verbose_name='line')),
            ],
            options={
                'verbose_name': 'estimate adjustment',
                'verbose_name_plural': 'estimate adjustments',
                'ordering': ['effective_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Spending',
            fields=[
                *columns.base(),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable id.', unique=True, verbose_name='public id')),
                ('kind', models.CharField(choices=[('commitment', 'Cam kết chi'), ('payment', 'Thanh toán')], help_text='Commitment or payment.', max_length=12, verbose_name='kind')),
                ('amount', models.BigIntegerField(help_text='VND, positive.', verbose_name='amount')),
                ('open_amount', models.BigIntegerField(default=0, help_text='For a commitment: what is not yet paid.', verbose_name='open amount')),
                ('occurred_on', models.DateField(help_text='Date of the voucher.', verbose_name='date')),
                ('reference', models.CharField(blank=True, help_text='Voucher or treasury reference.', max_length=80, verbose_name='reference')),
                ('import_key', models.CharField(blank=True, help_text='Key of the imported row; importing it again changes nothing.', max_length=200, null=True, unique=True, verbose_name='import key')),
                ('is_demo', models.BooleanField(default=False, help_text='Simulated figures, never real ones.', verbose_name='demo data')),
                ('commitment', models.ForeignKey(blank=True, help_text='The commitment a payment settles, if any.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='budget.spending', verbose_name='commitment')),
                ('line', models.ForeignKey(help_text='The line charged.', on_delete=django.db.models.deletion.PROTECT, related_name='spendings', to='budget.estimateline', verbose_name='line')),
            ],
            options={
                'verbose_name': 'commitment or payment',
                'verbose_name_plural': 'commitments and payments',
                'ordering': ['occurred_on', 'id'],
                'indexes': [models.Index(fields=['line', 'kind', 'occurred_on'], name='budget_spend_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='budget_spending_positive'), models.CheckConstraint(condition=models.Q(('open_amount__gte', 0), ('open_amount__lte', models.F('amount'))), name='budget_spending_open_range')],
            },
        ),
    ]
