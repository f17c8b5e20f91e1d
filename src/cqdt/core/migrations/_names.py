"""People's names stored before the input guard brought every text to NFC (81daf75), brought to
NFC now, for the data migrations of the apps that store them (dossiers' applicants, feedback's
reporters, staff's officials, oversight's deputies).

Vietnamese arrives composed (NFC: "ễ" one character) or decomposed (NFD: "e" and two combining
marks) depending on the keyboard and the operating system; a name stored decomposed is another
string than the same name typed composed, so exact searches and duplicate checks miss it. The
input guard normalises what arrives (``core.input_guard``); this brings what was stored before.

Frozen: what a migration ran is history; a different rule is a new function. Rows are read by
primary key in batches, each batch written in its own transaction (a migration calling this is
not atomic: a large table is never one long transaction, and a run stopped half-way is taken up
again, since a name already in NFC is left alone). Only the rows that change are written, with
``update()`` (no ``save()``: the row's own update time and version stay as they were). Nothing
is logged or printed: the values are personal data. Django's migration loader passes over this
module (its name starts with an underscore). Each app's migration is one call of
``nfc_names_migration``, which gives the ``Migration`` class.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from django.db import migrations, transaction

BATCH = 1000


def nfc_names(
    apps, app_label: str, model_name: str, fields: Sequence[str], *, batch: int | None = None
) -> int:
    """Bring ``fields`` of every row of ``app_label.model_name`` to NFC, ``batch`` rows at a
    time (``BATCH`` by default); the number of rows changed."""
    batch = batch or BATCH
    model = apps.get_model(app_label, model_name)
    manager = model._base_manager
    changed, last = 0, None
    while True:
        rows = manager.order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        page = list(rows.values_list("pk", *fields)[:batch])
        if not page:
            return changed
        with transaction.atomic(using=manager.db):
            for pk, *values in page:
                update = {
                    field: unicodedata.normalize("NFC", value)
                    for field, value in zip(fields, values, strict=True)
                    if value and not unicodedata.is_normalized("NFC", value)
                }
                if update:
                    manager.filter(pk=pk).update(**update)
                    changed += 1
        last = page[-1][0]


def nfc_names_migration(
    app_label: str, model_name: str, fields: Sequence[str], *, after: str
) -> type[migrations.Migration]:
    """The ``Migration`` of ``app_label`` that brings ``fields`` of ``model_name`` to NFC, after
    its migration ``after``: not atomic (one transaction per batch), the reverse a no-op (a name
    in NFC is the same name), elidable (nothing to keep when squashed)."""

    def forward(apps, schema_editor):
        nfc_names(apps, app_label, model_name, fields)

    class Migration(migrations.Migration):
        atomic = False  # one transaction per batch (nfc_names)
        dependencies = [(app_label, after)]
        operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]

    return Migration
