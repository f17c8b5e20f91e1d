"""Loading the shipped reference data: units with their history, and the governance models.

``reference_data_load`` (run by ``cqdt load_reference_data``) loads Hanoi: the 610 units of
1 July 2021, their state before 1 July 2025, the 126 commune-level units of the two-tier model
from 1 July 2025 with every predecessor → successor link (``whole`` or ``part``), and the
governance models with their assignments. ``country_load`` (``cqdt load_units --country``) adds
Vietnam's 34 provinces and 3,321 commune-level units from 1 July 2025, and Đà Nẵng's and Hồ Chí
Minh City's units before 1 July 2025 with their urban-government models.

Idempotent: rows that exist are left alone (an administrator's edits and later reorganisations
win over the files), missing rows are created, and an end date the law set is written on an open
row loaded from these files earlier (the district level and the pilot ended on 30 June 2025).
One audit event records each load that wrote. ``data/README.md`` says what each file is and
where it stops; ``scripts/units_from_vietnamadminunits.py`` regenerates the generated files.

What the shipped files say (their sources, datasets and the unit versions read from them) is in
``files``; writing them into the database in ``load``. Every public name is re-exported here.
"""

from __future__ import annotations

from cqdt.units.reference.files import (
    ARRANGEMENT_2025_01,
    ARRANGEMENT_2025_01_BASIS,
    COUNTRY_2025_BASIS,
    DATA_DIR,
    DATASETS,
    DIVISION_TYPES,
    GOVERNANCE_JSON,
    HANOI,
    HANOI_2025_06_CSV,
    HANOI_2025_BASIS,
    SUCCESSIONS_CSV,
    TWO_TIER,
    UNITS_2025_07_CSV,
    UNITS_CSV,
    UNITS_SOURCE,
    UNITS_SOURCE_DATE,
    URBAN_2021,
    URBAN_2025_06_CSV,
    VAU,
    VAU_DATE,
    pilot_ward_codes,
    read_units_csv,
)
from cqdt.units.reference.load import LoadReport, country_load, reference_data_load

__all__ = [
    "ARRANGEMENT_2025_01",
    "ARRANGEMENT_2025_01_BASIS",
    "COUNTRY_2025_BASIS",
    "DATASETS",
    "DATA_DIR",
    "DIVISION_TYPES",
    "GOVERNANCE_JSON",
    "HANOI",
    "HANOI_2025_06_CSV",
    "HANOI_2025_BASIS",
    "SUCCESSIONS_CSV",
    "TWO_TIER",
    "UNITS_2025_07_CSV",
    "UNITS_CSV",
    "UNITS_SOURCE",
    "UNITS_SOURCE_DATE",
    "URBAN_2021",
    "URBAN_2025_06_CSV",
    "VAU",
    "VAU_DATE",
    "LoadReport",
    "country_load",
    "pilot_ward_codes",
    "read_units_csv",
    "reference_data_load",
]
