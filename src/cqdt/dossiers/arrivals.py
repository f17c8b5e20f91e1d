"""The arrival mix the demo data and the simulation share: each field's share of the dossiers a
ward counter receives (certification dominates, DOMAIN §1 "bất cập") and the post that processes
each field (the office and statistics civil servant for the rest). Pure."""

from __future__ import annotations

from cqdt.staff import posts

# Share of arrivals by field (certification dominates ward counters, DOMAIN §1 "bất cập").
FIELD_WEIGHTS = {
    "certification": 55,
    "civil_status": 28,
    "land": 5,
    "construction": 3,
    "social_protection": 4,
    "culture": 2,
    "security": 2,
    "internal_affairs": 1,
}
FIELD_PROCESSOR = {
    "certification": posts.JUSTICE_CIVIL_STATUS,
    "civil_status": posts.JUSTICE_CIVIL_STATUS,
    "land": posts.LAND_CONSTRUCTION,
    "construction": posts.LAND_CONSTRUCTION,
    "social_protection": posts.CULTURE_SOCIETY,
    "culture": posts.CULTURE_SOCIETY,
}
