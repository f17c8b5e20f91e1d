"""The audit log's arrangement events (reorganisation.move, reorganisation.end) get an index of
their own, partial: the reads by action (units.selectors.first_moves, moved_away_from;
units.reorganisation.already_done) no longer scan every event of the dossiers.

Safe on both engines: a plain CREATE INDEX that changes no row, so the hash chain is untouched
and the append-only triggers (UPDATE, DELETE, TRUNCATE on PostgreSQL) do not fire. On
PostgreSQL it takes a SHARE lock while it is built (writes wait; 2 million events: see
bench/bench_audit_reads.py).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0012_api_token_public_id_unique'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('action__in', ['reorganisation.move', 'reorganisation.end'])), fields=['object_type', 'object_id', 'id'], name='audit_reorganisation_idx'),
        ),
    ]
