"""The test-data kit: factory_boy factories over the services (``factories``), the ward teams
built from them (``teams``), and the reference data each test database is given once
(``reference``). Tests, fixtures and the bench build their data here and nowhere else."""

from cqdt.testing.factories import (
    SYSTEM,
    TERM,
    AppointmentFactory,
    DossierFactory,
    OfficialFactory,
    ProcedureFactory,
    UserFactory,
    at,
    drive,
    submit,
)
from cqdt.testing.teams import (
    WardLeadership,
    appoint,
    assign_field,
    city_monitor,
    delegate,
    district_chairman,
    elect_chairman,
    elect_deputy,
    login_for,
    official,
    second_factor,
    ward_leadership,
    ward_team,
    with_logins,
)

__all__ = [
    "SYSTEM",
    "TERM",
    "AppointmentFactory",
    "DossierFactory",
    "OfficialFactory",
    "ProcedureFactory",
    "UserFactory",
    "WardLeadership",
    "appoint",
    "assign_field",
    "at",
    "city_monitor",
    "delegate",
    "district_chairman",
    "drive",
    "elect_chairman",
    "elect_deputy",
    "login_for",
    "official",
    "second_factor",
    "submit",
    "ward_leadership",
    "ward_team",
    "with_logins",
]
