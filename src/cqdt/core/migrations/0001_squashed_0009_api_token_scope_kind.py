"""Core's tables, squashed from 0001–0009 (docs/decisions/0020).

On PostgreSQL the audit log refuses UPDATE and DELETE at the database level (a row trigger, once
0002) and TRUNCATE (a statement-level trigger, once 0006; issue 10, item 7; docs/decisions/0007):
TRUNCATE fires no row trigger. Only the table's owner or a superuser can disable a trigger: the
application runs as a runtime role that is neither (docs/operations/database-roles.md).

On PostgreSQL the rate-limit counters are an UNLOGGED table (once 0007; issue 17, item 2). Every
public lookup counts one hit: as a logged table each hit was a WAL record and a commit that
waited for the disk (fdatasync), the largest single cost of the citizen's lookup under load. The
counters are worth nothing after a crash (PostgreSQL empties an unlogged table on recovery: every
client starts a fresh window) and are not needed on a standby (only the primary counts), so they
need no WAL.

Nothing of this on SQLite, which has no triggers here, no TRUNCATE and no WAL to spare.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from cqdt.core.migrations import _columns as columns


APPEND_ONLY = """
CREATE OR REPLACE FUNCTION cqdt_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION cqdt_audit_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS cqdt_audit_append_only();
"""

NO_TRUNCATE = """
CREATE OR REPLACE FUNCTION cqdt_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION cqdt_audit_no_truncate();
"""

DROP_NO_TRUNCATE = """
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS cqdt_audit_no_truncate();
"""


def on_postgresql(sql):
    """A RunPython pair that runs ``sql`` on PostgreSQL only (the originals' vendor guard)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    replaces = [('core', '0001_audit_event'), ('core', '0002_audit_append_only_trigger'), ('core', '0003_api_tokens'), ('core', '0004_outbox'), ('core', '0005_rate_counters'), ('core', '0006_audit_refuse_truncate'), ('core', '0007_rate_counters_unlogged'), ('core', '0008_idempotent_requests'), ('core', '0009_api_token_scope_kind')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                columns.pk(),
                ('occurred_at', models.DateTimeField(help_text='When the change happened.', verbose_name='occurred at')),
                ('actor_label', models.CharField(help_text="Username, or 'system:<job>' for system jobs.", max_length=150, verbose_name='actor')),
                ('basis', models.JSONField(blank=True, help_text="The authority acted under when not the actor's own (delegation, acting).", null=True, verbose_name='basis')),
                ('action', models.CharField(help_text='Named event, e.g. unit.merge.', max_length=80, verbose_name='action')),
                ('object_type', models.CharField(help_text='app_label.model', max_length=80, verbose_name='object type')),
                ('object_id', models.CharField(help_text='Public id of the object.', max_length=80, verbose_name='object id')),
                ('before', models.JSONField(blank=True, help_text='State before.', null=True, verbose_name='before')),
                ('after', models.JSONField(blank=True, help_text='State after.', null=True, verbose_name='after')),
                ('request_id', models.CharField(blank=True, help_text='The request that caused it.', max_length=64, verbose_name='request id')),
                ('prev_hash', models.CharField(help_text='Chain link.', max_length=64, verbose_name='previous hash')),
                ('hash', models.CharField(help_text='SHA-256 of the event.', max_length=64, unique=True, verbose_name='hash')),
                ('actor_user', models.ForeignKey(blank=True, db_constraint=False, help_text='The user who acted; empty for system jobs.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor user')),
            ],
            options={
                'verbose_name': 'audit event',
                'verbose_name_plural': 'audit events',
                'ordering': ['id'],
                'indexes': [models.Index(fields=['object_type', 'object_id', 'id'], name='audit_object_idx')],
            },
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                columns.pk(),
                ('name', models.CharField(blank=True, help_text='What the token is for.', max_length=100, verbose_name='name')),
                ('prefix', models.CharField(db_index=True, help_text='First characters, to recognise it.', max_length=12, verbose_name='prefix')),
                ('key_hash', models.CharField(help_text='SHA-256 of the token.', max_length=64, unique=True, verbose_name='key hash')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When issued.', verbose_name='created at')),
                ('expires_at', models.DateTimeField(help_text='After this the token is refused.', verbose_name='expires at')),
                ('revoked_at', models.DateTimeField(blank=True, help_text='When revoked.', null=True, verbose_name='revoked at')),
                ('last_used_at', models.DateTimeField(blank=True, help_text='Last accepted use.', null=True, verbose_name='last used at')),
                ('user', models.ForeignKey(blank=True, help_text='The user the token acts as (none for an Open311 key).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ('issued_by', models.ForeignKey(blank=True, help_text='The administrator who issued it; empty for a command-line issue.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                ('kind', models.CharField(choices=[('staff', 'Staff API token'), ('open311', 'Open311 API key')], default='staff', help_text='A staff bearer token, or an Open311 API key.', max_length=10, verbose_name='kind')),
                ('read_only', models.BooleanField(default=False, help_text='Refused for any write (POST, PUT, PATCH, DELETE).', verbose_name='read only')),
                ('replaces', models.ForeignKey(blank=True, help_text='The token this one rotated.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.apitoken', verbose_name='replaces')),
                ('revoked_by', models.ForeignKey(blank=True, help_text='Who revoked it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by')),
                ('scope_unit_code', models.CharField(blank=True, help_text="Only this unit and the units under it on the date of each use; empty: no limit beyond the holder's own.", max_length=20, verbose_name='scope unit')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
            },
        ),
        migrations.CreateModel(
            name='OutboxMessage',
            fields=[
                columns.pk(),
                ('channel', models.CharField(help_text='email or sms.', max_length=10, verbose_name='channel')),
                ('recipient', models.CharField(help_text='Address or phone (personal data).', max_length=200, verbose_name='recipient')),
                ('subject', models.CharField(blank=True, help_text='Email subject.', max_length=200, verbose_name='subject')),
                ('body', models.TextField(help_text='Message text.', verbose_name='body')),
                ('idempotency_key', models.CharField(help_text='One message per key, ever.', max_length=120, unique=True, verbose_name='idempotency key')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When queued.', verbose_name='created at')),
                ('sent_at', models.DateTimeField(blank=True, help_text='When delivered.', null=True, verbose_name='sent at')),
                ('attempts', models.PositiveSmallIntegerField(default=0, help_text='Delivery attempts.', verbose_name='attempts')),
                ('last_error', models.CharField(blank=True, help_text='Last failure.', max_length=300, verbose_name='last error')),
            ],
            options={
                'verbose_name': 'outbox message',
                'verbose_name_plural': 'outbox messages',
                'indexes': [models.Index(fields=['sent_at', 'id'], name='outbox_pending_idx')],
            },
        ),
        migrations.CreateModel(
            name='RateCounter',
            fields=[
                columns.pk(),
                ('key', models.CharField(help_text='Bucket and hashed address.', max_length=120, verbose_name='key')),
                ('window_no', models.BigIntegerField(help_text='Number of the time window since the epoch.', verbose_name='window')),
                ('hits', models.PositiveIntegerField(default=0, verbose_name='hits')),
                ('expires_at', models.DateTimeField(db_index=True, verbose_name='expires at')),
            ],
            options={
                'verbose_name': 'rate-limit counter',
                'verbose_name_plural': 'rate-limit counters',
                'constraints': [models.UniqueConstraint(fields=('key', 'window_no'), name='ratecounter_key_window')],
            },
        ),
        migrations.CreateModel(
            name='IdempotentRequest',
            fields=[
                columns.pk(),
                ('client', models.CharField(help_text='Hashed token, user or address of the caller.', max_length=80, verbose_name='client')),
                ('key', models.CharField(help_text='The Idempotency-Key header.', max_length=255, verbose_name='key')),
                ('fingerprint', models.CharField(help_text='SHA-256 of the method, path and body.', max_length=64, verbose_name='fingerprint')),
                ('status', models.PositiveSmallIntegerField(blank=True, help_text='HTTP status; empty while in progress.', null=True, verbose_name='status')),
                ('content_type', models.CharField(blank=True, help_text='Content-Type of the answer.', max_length=100, verbose_name='content type')),
                ('body', models.BinaryField(blank=True, default=b'', help_text='The answer.', verbose_name='body')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the first request came.', verbose_name='created at')),
                ('expires_at', models.DateTimeField(db_index=True, help_text='When the key may be used again.', verbose_name='expires at')),
            ],
            options={
                'verbose_name': 'idempotent request',
                'verbose_name_plural': 'idempotent requests',
                'constraints': [models.UniqueConstraint(fields=('client', 'key'), name='idempotent_client_key')],
            },
        ),
        migrations.RunPython(on_postgresql(APPEND_ONLY), on_postgresql(DROP_APPEND_ONLY)),
        migrations.RunPython(on_postgresql(NO_TRUNCATE), on_postgresql(DROP_NO_TRUNCATE)),
        migrations.RunPython(
            on_postgresql("ALTER TABLE core_ratecounter SET UNLOGGED"),
            on_postgresql("ALTER TABLE core_ratecounter SET LOGGED"),
        ),
    ]
