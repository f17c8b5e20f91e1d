"""What of a catalog row the public reads, and what stays with staff. Pure rules, no Django.

The catalog keeps its research notes beside the data: ``verification`` names the source read and
what it said, and fee notes carry remarks such as "— theo nguồn thứ cấp, chưa đọc văn bản gốc".
Those notes are for the staff who keep the catalog, not for citizens (issue 13: the public page
showed "chưa kiểm chứng với nguồn"). What is not verified is still not shown to the public as fact
(CONVENTIONS: "data shown as fact must be verified, else marked"): the public page marks such a
time or fee as information to confirm at the one-stop desk, in plain words, without the notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A research remark inside a fee note: after a dash inside brackets ("(TT 226/2016 — theo nguồn
# thứ cấp, chưa đọc văn bản gốc)"), or a whole bracket of it ("(mức thu theo nguồn thứ cấp, chưa
# đọc văn bản gốc)"). Each says the amount was not read in the instrument itself.
_SAYS_UNREAD = r"(?=[^()]*(?:chưa đọc|trí nhớ|nguồn thứ cấp))"
_REMARK_AFTER_DASH = re.compile(r"\s*[—–]\s*" + _SAYS_UNREAD + r"[^()]*(?=\))")
_REMARK_BRACKET = re.compile(r"\s*\(" + _SAYS_UNREAD + r"[^()]*\)")


@dataclass(frozen=True)
class PublicFeeNote:
    """A fee note as the public reads it; ``unconfirmed``: the amount was not read at source."""

    text: str
    unconfirmed: bool


def public_fee_note(note: str) -> PublicFeeNote:
    """The fee note without its research remarks, and whether it had one.

    "2.000 đ/trang (Thông tư 226/2016/TT-BTC — theo nguồn thứ cấp, chưa đọc văn bản gốc)."
    → "2.000 đ/trang (Thông tư 226/2016/TT-BTC).", unconfirmed.
    """
    cleaned = _REMARK_AFTER_DASH.sub("", note)
    cleaned = _REMARK_BRACKET.sub("", cleaned)
    cleaned = re.sub(r"\s+([.,;])", r"\1", cleaned).strip()
    cleaned = re.sub(r"\s*[—–-]\s*([.;]|$)", r"\1", cleaned).strip()
    return PublicFeeNote(text=cleaned, unconfirmed=cleaned != note.strip())
