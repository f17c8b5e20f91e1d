"""The procedure catalog's tables, squashed from 0001–0007 (docs/decisions/0020), and
PostgreSQL's ``unaccent`` and ``pg_trgm`` for the catalog search (once 0004; issue 13, item 5).

Both are trusted extensions (PostgreSQL 13+): the database owner may create them without being a
superuser. ``CreateExtension`` does nothing on another engine, so SQLite skips them (it searches
a folded column instead, see ``procedures.selectors.procedures_search``).

Left out, as no-ops on a new database (its catalog is loaded afterwards, by
``load_reference_data``, with the corrected values and the search text): 0003 corrected the
residence and land-mediation rows of catalogs loaded before it, and 0006 filled the search text
of the procedures already in the catalog.
"""

from django.db import migrations, models

from cqdt.core.migrations import _columns as columns
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension


class Migration(migrations.Migration):

    replaces = [('procedures', '0001_procedure_catalog'), ('procedures', '0002_procedure_calendar_days'), ('procedures', '0003_correct_residence_and_land_mediation'), ('procedures', '0004_search_extensions'), ('procedures', '0005_procedure_search_text'), ('procedures', '0006_fill_procedure_search_text'), ('procedures', '0007_law_conflicts')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Procedure',
            fields=[
                *columns.base(),
                ('slug', models.SlugField(help_text='Stable identifier within the catalog.', max_length=80, verbose_name='slug')),
                ('code', models.CharField(blank=True, db_index=True, help_text='Code in the national procedure database, if known.', max_length=20, verbose_name='national code')),
                ('name', models.CharField(help_text='Official Vietnamese name.', max_length=300, verbose_name='name')),
                ('name_en', models.CharField(blank=True, help_text='English name.', max_length=300, verbose_name='name (English)')),
                ('field', models.CharField(help_text='Field of work (lĩnh vực).', max_length=40, verbose_name='field')),
                ('competent_level', models.CharField(choices=[('commune', 'Cấp xã'), ('district', 'Cấp huyện'), ('city', 'Cấp tỉnh')], default='commune', help_text='Level that decides.', max_length=20, verbose_name='competent level')),
                ('time_kind', models.CharField(choices=[('working_days', 'Ngày làm việc'), ('working_hours', 'Giờ làm việc'), ('same_day', 'Trong ngày (trước 15 giờ)'), ('calendar_days', 'Ngày (theo lịch)')], help_text='How the processing time is counted.', max_length=20, verbose_name='time kind')),
                ('time_value', models.PositiveIntegerField(default=0, help_text='Working days, hours or calendar days; 0 for same-day.', verbose_name='time value')),
                ('fee_vnd', models.PositiveIntegerField(blank=True, help_text='Fee or charge.', null=True, verbose_name='fee (VND)')),
                ('fee_note', models.CharField(blank=True, help_text='How the fee is set.', max_length=400, verbose_name='fee note')),
                ('required_documents', models.JSONField(blank=True, default=list, help_text='[{code, name, required}]', verbose_name='required documents')),
                ('result_type', models.CharField(help_text='What the applicant receives.', max_length=300, verbose_name='result')),
                ('sign_act', models.CharField(help_text='Act kind asked of the authority resolver when signing.', max_length=60, verbose_name='signing act')),
                ('legal_basis', models.CharField(help_text='Provisions fixing the time.', max_length=400, verbose_name='legal basis')),
                ('verified', models.BooleanField(default=False, help_text='Time read in a named source.', verbose_name='verified')),
                ('verification', models.CharField(blank=True, help_text='Source read.', max_length=600, verbose_name='verification')),
                ('valid_from', models.DateField(help_text='First day in force.', verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='First day no longer in force.', null=True, verbose_name='valid to')),
                ('online_allowed', models.BooleanField(default=True, help_text='Whether citizens may submit online.', verbose_name='online submission')),
                ('search_text', models.CharField(blank=True, editable=False, help_text='Name, English name, code and field, lower-case without diacritics; kept by the procedure services (procedures.services), searched on SQLite.', max_length=1200, verbose_name='search text')),
            ],
            options={
                'verbose_name': 'administrative procedure',
                'verbose_name_plural': 'administrative procedures',
                'ordering': ['field', 'name'],
                'constraints': [models.UniqueConstraint(fields=('slug', 'valid_from'), name='procedure_slug_from_uniq'), models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gt', models.F('valid_from')), _connector='OR'), name='procedure_valid_range'), models.CheckConstraint(condition=models.Q(('time_kind', 'same_day'), ('time_value__gt', 0), _connector='OR'), name='procedure_time_positive')],
            },
        ),
        migrations.CreateModel(
            name='LawConflict',
            fields=[
                *columns.public(),
                ('procedure_slug', models.SlugField(help_text='Slug of the procedure (catalog).', max_length=80, verbose_name='procedure')),
                ('law', models.CharField(help_text='Name and number of the sector law or decree.', max_length=200, verbose_name='law')),
                ('article', models.CharField(blank=True, help_text='Article and clause, only if read in a source; empty otherwise.', max_length=120, verbose_name='article')),
                ('actor', models.CharField(choices=[('commune_council', 'Hội đồng nhân dân phường (xã)'), ('committee_collective', 'Ủy ban nhân dân phường (xã) – tập thể')], help_text='The council or collective the law names.', max_length=30, verbose_name='actor named')),
                ('excerpt', models.TextField(blank=True, help_text="The provision's words, as read in the source.", verbose_name='excerpt')),
                ('verified', models.BooleanField(default=False, help_text="The article's text was read in a source.", verbose_name='verified')),
                ('verification', models.CharField(blank=True, help_text='Source read, or why not.', max_length=600, verbose_name='verification')),
                ('is_demo', models.BooleanField(default=False, help_text='Demo row loaded by the demo loader.', verbose_name='demo data')),
            ],
            options={
                'verbose_name': 'sector-law conflict',
                'verbose_name_plural': 'sector-law conflicts',
                'ordering': ['procedure_slug', 'law', 'article'],
                'indexes': [models.Index(fields=['procedure_slug'], name='lawconflict_procedure_idx')],
            },
        ),
        UnaccentExtension(),
        TrigramExtension(),
    ]
