"""Accounts' tables (invitations, login sessions, single sign-on identities, security keys), squashed from 0001–0004 (docs/decisions/0020)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from cqdt.core.migrations import _columns as columns


class Migration(migrations.Migration):

    replaces = [('accounts', '0001_invitation'), ('accounts', '0002_session_record'), ('accounts', '0003_oidc_identity'), ('accounts', '0004_security_key')]

    initial = True

    dependencies = [
        ('staff', '0001_squashed_0002_end_reason_unit_reorganised'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Invitation',
            fields=[
                *columns.base(),
                ('token_hash', models.CharField(max_length=64, unique=True, verbose_name='token hash')),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='used at')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('issued_by', models.CharField(blank=True, max_length=150, verbose_name='issued by')),
                ('official', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='staff.official', verbose_name='official')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to=settings.AUTH_USER_MODEL, verbose_name='user account')),
            ],
            options={
                'verbose_name': 'invitation',
                'verbose_name_plural': 'invitations',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='SessionRecord',
            fields=[
                columns.pk(),
                ('session_key', models.CharField(max_length=40, unique=True, verbose_name='session key')),
                ('user_agent', models.CharField(blank=True, max_length=200, verbose_name='browser')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='logged in at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_records', to=settings.AUTH_USER_MODEL, verbose_name='user account')),
            ],
            options={
                'verbose_name': 'login session',
                'verbose_name_plural': 'login sessions',
            },
        ),
        migrations.CreateModel(
            name='OidcIdentity',
            fields=[
                columns.pk(),
                ('issuer', models.CharField(max_length=255, verbose_name='issuer')),
                ('subject', models.CharField(max_length=255, verbose_name='subject')),
                ('linked_at', models.DateTimeField(auto_now_add=True, verbose_name='linked at')),
                ('last_login_at', models.DateTimeField(blank=True, null=True, verbose_name='last login at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='oidc_identities', to=settings.AUTH_USER_MODEL, verbose_name='user account')),
            ],
            options={
                'verbose_name': 'single sign-on identity',
                'verbose_name_plural': 'single sign-on identities',
                'constraints': [models.UniqueConstraint(fields=('issuer', 'subject'), name='oidc_identity_subject'), models.UniqueConstraint(fields=('user', 'issuer'), name='oidc_identity_one_per_user')],
            },
        ),
        migrations.CreateModel(
            name='SecurityKey',
            fields=[
                columns.pk(),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('credential_id', models.CharField(max_length=1400, unique=True, verbose_name='credential id')),
                ('public_key', models.BinaryField(verbose_name='public key')),
                ('sign_count', models.PositiveBigIntegerField(default=0, verbose_name='signature counter')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='registered at')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used at')),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'security key',
                'verbose_name_plural': 'security keys',
            },
        ),
    ]
