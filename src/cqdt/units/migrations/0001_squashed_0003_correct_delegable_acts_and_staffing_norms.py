"""Units' tables, squashed from 0001–0003 (docs/decisions/0020).

Left out, as a no-op on a new database (its governance models are loaded afterwards, by
``load_reference_data``, from ``units/data/governance.json`` with the corrected values): 0003
corrected the delegable acts and staffing norms of governance models loaded before it.
"""

import django.db.models.deletion
from django.db import migrations, models

from cqdt.core.migrations import _columns as columns


class Migration(migrations.Migration):

    replaces = [('units', '0001_units_and_governance'), ('units', '0002_units_history_geodata_datasets'), ('units', '0003_correct_delegable_acts_and_staffing_norms')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='GovernanceModel',
            fields=[
                *columns.base(),
                ('slug', models.SlugField(help_text='Stable identifier.', max_length=60, unique=True, verbose_name='slug')),
                ('name', models.CharField(help_text='Name in Vietnamese.', max_length=200, verbose_name='name')),
                ('name_en', models.CharField(help_text='Name in English.', max_length=200, verbose_name='name (English)')),
                ('legal_basis', models.CharField(help_text='Acts establishing it.', max_length=300, verbose_name='legal basis')),
                ('has_people_council', models.BooleanField(help_text="Whether units under it elect a People's Council.", verbose_name="has a People's Council")),
                ('regime', models.CharField(choices=[('head_of_unit', 'Chế độ thủ trưởng'), ('collective', 'Chế độ tập thể')], help_text='Head or collective.', max_length=20, verbose_name='regime')),
                ('chairman_selection', models.CharField(choices=[('appointed_by_parent_chairman', 'Do Chủ tịch cấp trên bổ nhiệm'), ('elected_by_own_council', 'Do HĐND cùng cấp bầu')], help_text='How the committee chairman comes to office.', max_length=40, verbose_name='chairman selection')),
                ('supervisor', models.CharField(choices=[('parent_council', 'HĐND cấp trên'), ('own_council', 'HĐND cùng cấp'), ('city_council', 'HĐND thành phố trực thuộc trung ương')], help_text="Which People's Council supervises the committee.", max_length=20, verbose_name='supervisor')),
                ('budget_status', models.CharField(choices=[('budget_level', 'Cấp ngân sách'), ('estimate_unit_of_parent', 'Đơn vị dự toán của cấp trên')], help_text='Budget level or estimate unit.', max_length=30, verbose_name='budget status')),
                ('signature_templates', models.JSONField(help_text='Signature blocks by basis: chairman, vice_chairman, delegate (with {post}), acting; lines separated by newlines.', verbose_name='signature templates')),
                ('max_vice_chairmen', models.JSONField(help_text='By ward class, e.g. {"I": 2, "II": 2, "III": 1}.', verbose_name='maximum vice-chairmen')),
                ('staffing_norm', models.JSONField(help_text='Civil-servant norm: {"average_max_per_unit": 15} across a parent, or per unit {"max_by_type_and_class": {"ward": {"I": 23}, "commune": {...}}}; a missing figure means no verified norm.', verbose_name='staffing norm')),
                ('delegable_acts', models.JSONField(blank=True, default=list, help_text='Act kinds the chairman may delegate in writing (ủy quyền).', verbose_name='delegable acts')),
                ('rule_sources', models.JSONField(help_text='For each answer above, the legal provision it comes from.', verbose_name='rule sources')),
                ('chairman_approval', models.JSONField(blank=True, default=dict, help_text='Who approves an elected chairman, by level, e.g. {"commune_level": "province_chairman", "city": "prime_minister"}; empty when appointed.', verbose_name='chairman approval')),
            ],
            options={
                'verbose_name': 'governance model',
                'verbose_name_plural': 'governance models',
            },
        ),
        migrations.CreateModel(
            name='Unit',
            fields=[
                *columns.base(),
                ('code', models.CharField(db_index=True, help_text='Official GSO code, zero-padded.', max_length=8, verbose_name='code')),
                ('name', models.CharField(help_text='Official name, with its prefix.', max_length=120, verbose_name='name')),
                ('division_type', models.CharField(choices=[('city', 'Thành phố trực thuộc trung ương'), ('province', 'Tỉnh'), ('urban_district', 'Quận'), ('town', 'Thị xã'), ('rural_district', 'Huyện'), ('district_city', 'Thành phố thuộc tỉnh, thuộc thành phố trực thuộc trung ương'), ('ward', 'Phường'), ('commune', 'Xã'), ('township', 'Thị trấn'), ('special_zone', 'Đặc khu')], help_text='Level and kind.', max_length=20, verbose_name='division type')),
                ('parent_code', models.CharField(blank=True, db_index=True, help_text='GSO code of the parent unit during this version; empty for the city.', max_length=8, verbose_name='parent code')),
                ('valid_from', models.DateField(blank=True, help_text='First day of this version; empty: before records.', null=True, verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='First day this version no longer applies.', null=True, verbose_name='valid to')),
                ('ward_class', models.CharField(blank=True, choices=[('I', 'Loại I'), ('II', 'Loại II'), ('III', 'Loại III')], help_text='Class I, II or III of the unit (data, with its source); empty when unknown.', max_length=3, verbose_name='ward class')),
                ('ward_class_source', models.CharField(blank=True, help_text='Decision that classified it.', max_length=200, verbose_name='ward class source')),
                ('population', models.PositiveIntegerField(blank=True, help_text='Residents; empty when no verified figure.', null=True, verbose_name='population')),
                ('population_as_of', models.DateField(blank=True, help_text='Date the figure refers to.', null=True, verbose_name='population as of')),
                ('population_source', models.CharField(blank=True, help_text='Where the figure comes from.', max_length=200, verbose_name='population source')),
                ('population_is_estimate', models.BooleanField(default=False, help_text='True when estimated; the method is then given in the source field.', verbose_name='population is an estimate')),
                ('source', models.CharField(help_text='Provenance of this version (dataset or decision).', max_length=200, verbose_name='source')),
                ('source_date', models.DateField(blank=True, help_text='Date of the source.', null=True, verbose_name='source date')),
                ('legal_basis', models.CharField(blank=True, help_text='Resolution that created or changed the unit, if any.', max_length=200, verbose_name='legal basis')),
                ('area_km2', models.FloatField(blank=True, help_text='Natural area; empty when unknown.', null=True, verbose_name='area (km²)')),
                ('bbox_east', models.FloatField(blank=True, help_text='Eastern longitude.', null=True, verbose_name='bounding box east')),
                ('bbox_north', models.FloatField(blank=True, help_text='Northern latitude.', null=True, verbose_name='bounding box north')),
                ('bbox_south', models.FloatField(blank=True, help_text='Southern latitude.', null=True, verbose_name='bounding box south')),
                ('bbox_west', models.FloatField(blank=True, help_text='Western longitude.', null=True, verbose_name='bounding box west')),
                ('centroid_lat', models.FloatField(blank=True, help_text='WGS 84; empty when unknown.', null=True, verbose_name='centroid latitude')),
                ('centroid_lon', models.FloatField(blank=True, help_text='WGS 84; empty when unknown.', null=True, verbose_name='centroid longitude')),
                ('geo_source', models.CharField(blank=True, help_text='Where the centroid, box and area come from.', max_length=300, verbose_name='geodata source')),
                ('province_code', models.CharField(blank=True, db_index=True, help_text='Code of the province-level unit it lies in (its own code for a province).', max_length=2, verbose_name='province code')),
                ('verification', models.CharField(blank=True, help_text='How the row was cross-checked against the legal text; empty: not checked.', max_length=300, verbose_name='verification')),
            ],
            options={
                'verbose_name': 'administrative unit',
                'verbose_name_plural': 'administrative units',
                'ordering': ['code', 'valid_from'],
                'indexes': [models.Index(fields=['parent_code', 'division_type'], name='unit_parent_type_idx')],
                'constraints': [models.UniqueConstraint(fields=('code', 'valid_from'), name='unit_code_valid_from_uniq'), models.UniqueConstraint(condition=models.Q(('valid_to__isnull', True)), fields=('code',), name='unit_one_open_version'), models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_from__isnull', True), ('valid_to__gt', models.F('valid_from')), _connector='OR'), name='unit_valid_range')],
            },
        ),
        migrations.CreateModel(
            name='GovernanceAssignment',
            fields=[
                *columns.base(),
                ('unit_code', models.CharField(db_index=True, help_text='GSO code.', max_length=8, verbose_name='unit code')),
                ('valid_from', models.DateField(blank=True, help_text='First day; empty: since before records.', null=True, verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='First day it no longer applies.', null=True, verbose_name='valid to')),
                ('legal_basis', models.CharField(help_text='Act applying it.', max_length=300, verbose_name='legal basis')),
                ('model', models.ForeignKey(help_text='The model that applies.', on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='units.governancemodel', verbose_name='model')),
            ],
            options={
                'verbose_name': 'governance assignment',
                'verbose_name_plural': 'governance assignments',
                'ordering': ['unit_code', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('unit_code', 'valid_from'), name='governance_unit_from_uniq')],
            },
        ),
        migrations.CreateModel(
            name='UnitSuccession',
            fields=[
                *columns.base(),
                ('kind', models.CharField(choices=[('merge', 'Sáp nhập'), ('split', 'Chia tách'), ('rename', 'Đổi tên'), ('reparent', 'Điều chỉnh địa giới (đổi đơn vị cấp trên)'), ('arrange', 'Sắp xếp (nhập toàn bộ hoặc một phần)')], help_text='What happened.', max_length=12, verbose_name='kind')),
                ('effective_on', models.DateField(help_text='Day the change took effect.', verbose_name='effective on')),
                ('legal_basis', models.CharField(help_text='Resolution deciding it.', max_length=200, verbose_name='legal basis')),
                ('predecessor', models.ForeignKey(help_text='The version that ended.', on_delete=django.db.models.deletion.PROTECT, related_name='successions_out', to='units.unit', verbose_name='predecessor')),
                ('successor', models.ForeignKey(help_text='The version that took over.', on_delete=django.db.models.deletion.PROTECT, related_name='successions_in', to='units.unit', verbose_name='successor')),
                ('share', models.CharField(choices=[('whole', 'Toàn bộ'), ('part', 'Một phần')], default='whole', help_text='Whether the whole predecessor or a part of it went into the successor.', max_length=5, verbose_name='share')),
                ('source', models.CharField(blank=True, help_text='Dataset the link comes from.', max_length=200, verbose_name='source')),
                ('verification', models.CharField(blank=True, help_text='The article and copy of the legal text it was checked against; empty: not.', max_length=300, verbose_name='verification')),
            ],
            options={
                'verbose_name': 'unit succession',
                'verbose_name_plural': 'unit successions',
                'constraints': [models.UniqueConstraint(fields=('predecessor', 'successor'), name='succession_pair_uniq')],
            },
        ),
        migrations.CreateModel(
            name='ReferenceDataset',
            fields=[
                *columns.base(),
                ('slug', models.SlugField(help_text='Stable name.', max_length=60, unique=True, verbose_name='slug')),
                ('title', models.CharField(help_text='What the source is.', max_length=300, verbose_name='title')),
                ('url', models.CharField(blank=True, help_text='Where the source is published.', max_length=300, verbose_name='where')),
                ('licence', models.CharField(blank=True, help_text='Licence.', max_length=60, verbose_name='licence')),
                ('province_codes', models.JSONField(blank=True, default=list, help_text='Province codes the source covers; empty: the whole country.', verbose_name='provinces covered')),
                ('verified_from', models.DateField(blank=True, help_text='First date for which the state it records is verified.', null=True, verbose_name='verified from')),
                ('verified_to', models.DateField(blank=True, help_text='Last date up to which it was checked against its sources.', null=True, verbose_name='verified to')),
                ('notes', models.TextField(blank=True, help_text='Limits of the source.', verbose_name='notes')),
            ],
            options={
                'verbose_name': 'reference dataset',
                'verbose_name_plural': 'reference datasets',
            },
        ),
        migrations.AddField(
            model_name='unit',
            name='dataset',
            field=models.ForeignKey(blank=True, help_text='Reference dataset the version was loaded from; empty when entered by hand.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='units', to='units.referencedataset', verbose_name='dataset'),
        ),
    ]
