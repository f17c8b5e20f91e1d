"""Pure rules of accounts for officials (no Django imports).

Which office decides an official's account: the office that decides their appointments; and what
a CSV of a ward's staff, imported to create their accounts in bulk, must be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from cqdt.core.folding import fold
from cqdt.core.refusals import CONFLICT, INVALID, Refusal, invalid
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


# --- the bulk import of a ward's staff (accounts.services.accounts_import_csv) ----------------

CSV_COLUMNS = ("civil_service_code", "full_name", "email")
MAX_ROWS = 2000  # rows of one import: a district's staff fit in one file [C]

REPEATED_CODE = invalid(
    "Mã cán bộ, công chức lặp lại trong tệp.",
    "The civil-service code is repeated in the file.",
    "civil_service_code",
)
TOO_MANY_ROWS = invalid("Tối đa 2000 dòng mỗi lần.", "At most 2000 rows at a time.", "file")


def columns_refusal(fieldnames: Collection[str] | None) -> Refusal | None:
    """The header names every column of ``CSV_COLUMNS``; the missing ones are listed."""
    missing = [c for c in CSV_COLUMNS if c not in (fieldnames or [])]
    if not missing:
        return None
    return Refusal(
        "Tệp CSV thiếu cột: " + ", ".join(missing) + ".",
        "The CSV lacks the columns: " + ", ".join(missing) + ".",
        field="file",
        code="csv_columns",
        kind=INVALID,
    )


def row_limit_refusal(line: int) -> Refusal | None:
    """The file's ``line`` (the header is line 1) is within ``MAX_ROWS`` rows."""
    return TOO_MANY_ROWS if line > MAX_ROWS + 1 else None


def repeated_refusal(code: str, seen: Collection[str]) -> Refusal | None:
    """Each official once in a file (``seen``: the codes of the rows above)."""
    return REPEATED_CODE if code in seen else None


def unknown_official_refusal(code: str) -> Refusal:
    """An account is made for a registered official only (registered and assigned first; the
    code is cut to 20 characters in the sentence)."""
    return Refusal(
        f"Chưa có cán bộ, công chức mã “{code[:20]}”; hãy đăng ký và bố trí trước.",
        f"No official has the code “{code[:20]}”; register and assign first.",
        field="civil_service_code",
        code="official_not_found",
        kind=INVALID,
    )


def active_account_refusal(username: str, is_active: bool, has_password: bool) -> Refusal | None:
    """An invitation gives the first password: an account that is active and has one is not
    invited again — a second way in for whoever holds the mailbox, beside a password that still
    works (QA Q4); its holder resets the password (``hygiene.password_reset_request``), which
    ends every session. A closed account, or one never activated, is invited as before."""
    if not (is_active and has_password):
        return None
    return Refusal(
        f"Tài khoản {username[:40]} đã kích hoạt (đã có mật khẩu); không cấp lại liên kết kích "
        "hoạt. Người dùng tự đặt lại mật khẩu tại “Quên mật khẩu?” trên trang đăng nhập.",
        f"Account {username[:40]} is already active (its password is set); no new activation "
        "link is issued. Its holder resets the password with “Quên mật khẩu?” on the login page.",
        field="official",
        code="account_active",
        kind=CONFLICT,
    )


def name_mismatch_refusal(code: str, given: str, recorded: str) -> Refusal | None:
    """A row's ``full_name`` must be the official's the code names, compared without case,
    diacritics or extra spaces (``core.folding.fold``: a CSV typed without marks still matches): a
    mistyped code would otherwise send another official's first-password link to the row's
    address (QA Q25). The sentence names the recorded official so the importer can correct
    either column; the code is cut to 20 characters and the given name to 100."""
    if fold(given) == fold(recorded):
        return None
    return Refusal(
        f"Họ tên “{given[:100]}” không khớp với hồ sơ cán bộ, công chức mã “{code[:20]}”: "
        f"{recorded}. Kiểm tra lại mã hoặc họ tên.",
        f"The name “{given[:100]}” does not match the record of official “{code[:20]}”: "
        f"{recorded}. Check the code or the name.",
        field="full_name",
        code="name_mismatch",
        kind=INVALID,
    )


def no_post_refusal(unit_code: str, on: dt.date) -> Refusal:
    """A ward imports accounts only for those who hold, or are about to hold, a post in it: the
    office that decides their appointments keeps their accounts (:func:`account_office`)."""
    return Refusal(
        f"Không giữ chức danh nào tại đơn vị {unit_code} vào ngày {on:%d/%m/%Y}.",
        f"Holds no post in unit {unit_code} on {on.isoformat()}.",
        field="civil_service_code",
        code="no_post",
        kind=INVALID,
    )
