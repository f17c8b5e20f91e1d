"""Which actors a sector law names that the governance model in force has no holder for — the
sector-law conflicts of the pilot (issue 15, item 3). Pure: no Django imports.

Sources (DOMAIN §1):
- Resolution 97/2019/QH14 of 27 Nov 2019 (the Hanoi pilot, from 1 July 2021): the wards of the
  pilot have no People's Council; the ward People's Committee is the state administrative agency
  at the ward.
- Decree 32/2021/NĐ-CP of 29 Mar 2021: the ward People's Committee works under the head-of-unit
  regime (chế độ thủ trưởng) — the chairman decides, not the committee as a collective.
So a sector law that gives a power to the "Hội đồng nhân dân phường" (the ward council) or to the
"Ủy ban nhân dân phường" deciding as a collective names an actor that a pilot ward does not have.
Whether a unit has a council and which regime its committee works under is the governance
model's data (``units.GovernanceModel``), so the same rule answers before, during and after the
pilot from the model in force on the day.
"""

from __future__ import annotations

COMMUNE_COUNCIL = "commune_council"  # Hội đồng nhân dân cấp xã (phường)
COMMITTEE_COLLECTIVE = "committee_collective"  # Ủy ban nhân dân cấp xã quyết định tập thể
ACTORS: dict[str, tuple[str, str]] = {
    COMMUNE_COUNCIL: ("Hội đồng nhân dân phường (xã)", "ward (commune) People's Council"),
    COMMITTEE_COLLECTIVE: (
        "Ủy ban nhân dân phường (xã) quyết định tập thể",
        "ward (commune) People's Committee deciding as a collective",
    ),
}
COLLECTIVE = "collective"  # ``units.Regime.COLLECTIVE``


def actor_exists(actor: str, *, has_people_council: bool, regime: str) -> bool:
    """Whether a unit governed by a model with these answers has a holder for ``actor``.

    A council exists only where the model has one (Resolution 97/2019/QH14: none in the pilot
    wards); a committee decides as a collective only under the collective regime (Decree
    32/2021/NĐ-CP: the pilot ward's committee works under the head-of-unit regime).
    """
    if actor == COMMUNE_COUNCIL:
        return has_people_council
    if actor == COMMITTEE_COLLECTIVE:
        return regime == COLLECTIVE
    raise KeyError(actor)


def missing_actors(actors: list[str], *, has_people_council: bool, regime: str) -> list[str]:
    """The actors of ``actors`` (in order, once each) that have no holder under the model."""
    out: list[str] = []
    for actor in actors:
        if actor in out:
            continue
        if not actor_exists(actor, has_people_council=has_people_council, regime=regime):
            out.append(actor)
    return out
