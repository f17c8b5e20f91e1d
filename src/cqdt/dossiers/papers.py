"""A dossier's papers as the staff pages show them: those it was received with, those it still
lacks, and the printed forms Mẫu 01–05 of Circular 01/2018/TT-VPCP — each dated the day it was
issued, issued by the desk that held the dossier that day and signed as on record.

Reads only (the dossier's pauses, apologies and timeline); the pages print what these return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cqdt.dossiers import desks, workflow
from cqdt.dossiers.models import Apology, Dossier, DossierEvent, SupplementPause
from cqdt.staff.models import Official
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors

FORM_TITLES = {
    "01": ("Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    "02": ("Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    "03": ("Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    "04": ("Mẫu số 04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    "05": ("Mẫu số 05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
}


def received(d: Dossier) -> list[str]:
    """The names of the papers the dossier was received with, in the order the procedure lists
    them (as the applicant's checklist and the catalogue read; the dossier keeps their codes
    sorted); a code the catalogue no longer lists is shown as it is."""
    given = set(d.documents)
    listed = [p for p in d.procedure.required_documents if p["code"] in given]
    named = {p["code"] for p in listed}
    return [p["name"] for p in listed] + [c for c in d.documents if c not in named]


def missing(d: Dossier) -> list[dict[str, Any]]:
    """The required papers a dossier not yet received lacks (recorded at the desk to be asked
    for on the Mẫu 02): named on the page and offered to tick when the applicant brings them."""
    if d.valid_receipt_at is not None or d.status in workflow.FINAL:
        return []
    given = set(d.documents)
    return [
        p for p in d.procedure.required_documents if p.get("required") and p["code"] not in given
    ]


def not_given(d: Dossier) -> list[dict[str, Any]]:
    """The procedure's papers, required or not, that the dossier was not given."""
    given = set(d.documents)
    return [p for p in d.procedure.required_documents if p["code"] not in given]


@dataclass(frozen=True)
class Issued:
    """What a printed form (Mẫu 01–05) says of its issue: the moment (None: never issued, so no
    paper to print), the officer who signs it, and the records it prints."""

    at: dt.datetime | None
    officer: Official | None
    pause: SupplementPause | None
    apology: Apology | None
    refusal: DossierEvent | None


def issued(d: Dossier, form: str) -> Issued:
    """The issue of form ``form`` (one of ``FORM_TITLES``) for dossier ``d``."""
    pause = d.pauses.order_by("-requested_at").first()
    apology = d.apologies.order_by("-issued_at").first()
    refusal = d.events.filter(action="refuse").select_related("actor_official").last()
    request_event = (
        d.events.filter(action="request_supplement").select_related("actor_official").last()
    )
    # Each paper is dated the day it was issued, not the day it is printed again.
    at = {
        "01": d.valid_receipt_at,
        "02": pause.requested_at if pause else None,
        "03": refusal.at if refusal else None,
        "04": apology.issued_at if apology else None,
        "05": d.valid_receipt_at,
    }[form]
    # Who signs it, as on record (Circular 01/2018/TT-VPCP): the officer who received the
    # dossier (01), who asked for the supplement (02), who refused it (03); the head of the
    # body signs the apology (04) and is not the officer who recorded it.
    officer = {
        "01": d.received_by,
        "02": request_event.actor_official if request_event else None,
        "03": refusal.actor_official if refusal else None,
        "04": None,
        "05": None,  # each hand-over is signed in its row
    }[form]
    return Issued(at=at, officer=officer, pause=pause, apology=apology, refusal=refusal)


def issuer(d: Dossier, on: dt.date) -> tuple[str, Any]:
    """The body that issued a paper on day ``on``: the code of the desk that held the dossier
    that day, and its unit by its name then."""
    code = desks.desk_on(d.code, d.unit_code, on)
    return code, unit_selectors.latest_version(code, on) or unit_selectors.unit_on(code)


def committee(name: str) -> str:
    """The issuing committee in a sentence: "Ủy ban nhân dân phường Phúc Xá" (Decree
    30/2020/NĐ-CP, Appendix II)."""
    return f"Ủy ban nhân dân {naming.in_text(name)}"
