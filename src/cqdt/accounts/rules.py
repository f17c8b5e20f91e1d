"""Pure rules of accounts for officials (no Django imports).

Which office decides an official's account: the office that decides their appointments.
"""

from __future__ import annotations

from cqdt.units.governance_rules import level_key

APPOINTED_BY_PARENT_CHAIRMAN = "appointed_by_parent_chairman"


def account_office(
    *, division_type: str, chairman_selection: str, parent_code: str | None, parent_type: str
) -> str:
    """``"parent"`` or ``"self"``: whose committee creates the account of a post-holder here.

    - Hanoi's pilot wards (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP): the ward's civil
      servants are district staff; the district chairman appoints and assigns them, so the
      district's home-affairs office keeps their accounts.
    - Communes under a district before 1 July 2025 (Decree 33/2023/NĐ-CP, Art. 13): the district
      People's Committee recruits and manages commune civil servants — the district again.
    - From 1 July 2025 (two-tier local government, Law 72/2025/QH15; Luật Cán bộ, công chức 2025):
      no district level; the commune's chairman manages its own cadres and civil servants.
    - A district- or province-level unit keeps its own staff's accounts.
    """
    if level_key(division_type) != "commune_level" or not parent_code:
        return "self"
    if chairman_selection == APPOINTED_BY_PARENT_CHAIRMAN:
        return "parent"
    if level_key(parent_type) == "district_level":
        return "parent"
    return "self"


TOKEN_BYTES = 32
INVITATION_HOURS = 72
"""An invitation link is valid for three days and serves once."""
