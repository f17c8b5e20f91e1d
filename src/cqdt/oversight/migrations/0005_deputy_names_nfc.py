"""Deputies' names stored before the input guard (81daf75) brought every text to NFC, brought
to NFC (data: ``core.migrations._names``; in batches, each in its own transaction; the reverse
changes nothing, as a name in NFC is the same name)."""

from cqdt.core.migrations._names import nfc_names_migration

Migration = nfc_names_migration(
    "oversight", "Deputy", ["full_name"], after="0004_conference_attendees_until_held"
)
