"""PostgreSQL's ``unaccent`` and ``pg_trgm`` for the catalog search (issue 13, item 5).

Both are trusted extensions (PostgreSQL 13+): the database owner may create them without being a
superuser. ``CreateExtension`` does nothing on another engine, so SQLite skips this migration's
work (it searches a folded column instead, see ``procedures.selectors.procedures_search``).
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_correct_residence_and_land_mediation")]

    operations = [UnaccentExtension(), TrigramExtension()]
