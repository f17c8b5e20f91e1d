"""Reads of personal data in bulk, written to the audit log.

Decree 13/2023/NĐ-CP on personal data (the log of processing a controller keeps; article not
checked offline): who read whose personal data, and when, is part of the record of processing.
The platform audits a dossier's file list and each file opened (``attachments``); the desk's
tracking log (Mẫu 06, ``dossiers.tracking``) serves a period's applicants at once — names,
phones, addresses — on a page or as a workbook, so each log served is an event too.

The event says what was served and to whom, never the data: the unit, the period, the number of
rows (and of rows with personal data in full), the format and whether it was masked. A masked log
is written as well (``masked: true``): the codes, procedures and masked names of a period's
dossiers are still a read of the desk's record, and one event per log served keeps the trail
complete without a rule on which reads count.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cqdt.core.audit import Actor, audit_record

TRACKING_LOG_FORMATS = frozenset({"html", "xlsx"})


def tracking_log_served(
    *,
    actor: Actor,
    unit_code: str,
    first: dt.date,
    last: dt.date,
    rows: int,
    unmasked: int,
    fmt: str,
) -> None:
    """Write that ``actor`` was served the tracking log of ``unit_code``'s desk for [first, last]
    as ``fmt`` (html: the page; xlsx: the workbook), with ``rows`` rows of which ``unmasked``
    showed the applicant's data in full (``masked`` is true when none did). Called by the view
    once the answer is built, in the same request; nothing personal is written."""
    if fmt not in TRACKING_LOG_FORMATS:
        raise ValueError(f"unknown tracking log format {fmt!r}")
    after = {
        "unit": unit_code,
        "unit_code": unit_code,  # whose trail it is: staff.access.may_read_audit_trail
        "from": first,
        "to": last,
        "rows": rows,
        "unmasked": unmasked,
        "format": fmt,
        "masked": unmasked == 0,
    }
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="tracking_log_view",
            object_type="dossiers.desk",
            object_id=unit_code,
            after=after,
        )
