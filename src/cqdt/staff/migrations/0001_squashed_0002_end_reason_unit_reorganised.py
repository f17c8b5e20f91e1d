"""Staff's tables (officials and appointments), squashed from 0001–0002 (docs/decisions/0020)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from cqdt.core.migrations import _columns as columns


class Migration(migrations.Migration):

    replaces = [('staff', '0001_officials_and_appointments'), ('staff', '0002_end_reason_unit_reorganised')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Official',
            fields=[
                *columns.public(),
                ('full_name', models.CharField(help_text='Personal data.', max_length=120, verbose_name='full name')),
                ('date_of_birth', models.DateField(blank=True, help_text='Personal data.', null=True, verbose_name='date of birth')),
                ('gender', models.CharField(blank=True, choices=[('female', 'Nữ'), ('male', 'Nam'), ('other', 'Khác')], help_text='Personal data.', max_length=10, verbose_name='gender')),
                ('civil_service_code', models.CharField(help_text='Mã số cán bộ, công chức.', max_length=20, unique=True, verbose_name='civil-service code')),
                ('employer_unit_code', models.CharField(db_index=True, help_text='GSO code of the unit that employs the official (the district for ward civil servants).', max_length=8, verbose_name='employer unit')),
                ('user', models.OneToOneField(blank=True, help_text='The login of this official, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='official', to=settings.AUTH_USER_MODEL, verbose_name='user account')),
            ],
            options={
                'verbose_name': 'official',
                'verbose_name_plural': 'officials',
                'ordering': ['full_name'],
            },
        ),
        migrations.CreateModel(
            name='Appointment',
            fields=[
                *columns.public(),
                ('unit_code', models.CharField(db_index=True, help_text='GSO code of the unit.', max_length=8, verbose_name='unit')),
                ('post', models.CharField(choices=[('chairman', 'Chủ tịch'), ('vice_chairman', 'Phó Chủ tịch'), ('police_chief', 'Trưởng Công an'), ('military_commander', 'Chỉ huy trưởng Quân sự'), ('office_statistics', 'Văn phòng - Thống kê'), ('land_construction_urban_environment', 'Địa chính - Xây dựng - Đô thị và Môi trường'), ('finance_accounting', 'Tài chính - Kế toán'), ('justice_civil_status', 'Tư pháp - Hộ tịch'), ('culture_society', 'Văn hóa - Xã hội'), ('one_stop_desk', 'Bộ phận một cửa'), ('district_staff', 'Cán bộ, công chức cấp huyện'), ('council_deputy', 'Đại biểu HĐND'), ('city_monitor', 'Theo dõi của Thành phố')], help_text='The post held.', max_length=40, verbose_name='post')),
                ('kind', models.CharField(choices=[('appointment', 'Bổ nhiệm'), ('election', 'Bầu'), ('assignment', 'Bố trí công chức'), ('acting', 'Giao quyền')], default='appointment', help_text='How the post was given.', max_length=20, verbose_name='kind')),
                ('deciding_unit_code', models.CharField(help_text='Unit whose chairman or council decided.', max_length=8, verbose_name='deciding unit')),
                ('decision_number', models.CharField(help_text='e.g. 123/QĐ-UBND.', max_length=60, verbose_name='decision number')),
                ('decision_date', models.DateField(help_text='Date of the decision.', verbose_name='decision date')),
                ('term_start', models.DateField(help_text='First day in post.', verbose_name='term start')),
                ('term_end', models.DateField(blank=True, help_text='Last day of the term (inclusive); empty for open-ended posts.', null=True, verbose_name='term end')),
                ('ended_on', models.DateField(blank=True, help_text='First day no longer in post, when ended early.', null=True, verbose_name='ended on')),
                ('end_reason', models.CharField(blank=True, choices=[('dismissal', 'Miễn nhiệm'), ('transfer', 'Điều động'), ('rotation', 'Luân chuyển'), ('secondment', 'Biệt phái'), ('suspension', 'Tạm đình chỉ'), ('term_expiry', 'Hết nhiệm kỳ'), ('resignation', 'Thôi việc, nghỉ hưu'), ('acting_ended', 'Chấm dứt giao quyền'), ('unit_reorganised', 'Sắp xếp đơn vị hành chính')], help_text='Why it ended.', max_length=20, verbose_name='end reason')),
                ('end_decision_number', models.CharField(blank=True, help_text='Decision that ended it.', max_length=60, verbose_name='end decision number')),
                ('fields', models.JSONField(blank=True, default=list, help_text='Fields of work of a civil-servant post (e.g. civil_status).', verbose_name='fields')),
                ('deciding_official', models.ForeignKey(blank=True, help_text='Who signed the decision (empty for elections).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='staff.official', verbose_name='deciding official')),
                ('official', models.ForeignKey(help_text='Who holds the post.', on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='staff.official', verbose_name='official')),
            ],
            options={
                'verbose_name': 'appointment',
                'verbose_name_plural': 'appointments',
                'ordering': ['unit_code', 'post', 'term_start'],
                'indexes': [models.Index(fields=['unit_code', 'post', 'term_start'], name='appt_unit_post_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('term_end__isnull', True), ('term_end__gte', models.F('term_start')), _connector='OR'), name='appointment_term_range'), models.UniqueConstraint(fields=('official', 'unit_code', 'post', 'term_start'), name='appointment_once_per_start')],
            },
        ),
    ]
