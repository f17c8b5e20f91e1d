"""The text of a dossier's result document, by document type — pure rules, no Django.

One template per Decree 30/2020/NĐ-CP type used for one-stop results (decision, confirmation,
certificate, notice): the legal basis from the procedure catalog, the dossier it answers, and
what the committee decides or confirms. They are the committee's generic wording, not the
specialised forms some procedures prescribe (civil-status extracts, certified-copy attestations
have their own forms under their own circulars); those forms can replace the body per procedure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ResultText:
    title: str
    body: str
    recipients: list[str]


def _title(procedure_name: str, result_type: str) -> str:
    result = result_type.strip()
    generic = result.lower() in {"", "kết quả", "kết quả giải quyết"}
    return f"Về việc {procedure_name[:1].lower()}{procedure_name[1:]}" if generic else result


def result_text(
    *,
    kind: str,
    body_name: str,
    procedure_name: str,
    result_type: str,
    legal_basis: str,
    dossier_code: str,
    received_on: dt.date,
    applicant: str,
) -> ResultText:
    basis = legal_basis.strip().rstrip(";.")
    received = f"{received_on:%d/%m/%Y}"
    considering = (
        f"Xét hồ sơ số {dossier_code} tiếp nhận ngày {received} của {applicant} "
        f"đề nghị giải quyết thủ tục “{procedure_name}”;"
    )
    paragraphs = [f"Căn cứ {basis};"] if basis and basis.lower() != "test" else []
    paragraphs.append(considering)
    if kind == "decision":
        paragraphs += [
            f"{body_name.upper()} QUYẾT ĐỊNH:",
            f"Điều 1. Giải quyết thủ tục “{procedure_name}” cho {applicant} theo hồ sơ số "
            f"{dossier_code}.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            f"Điều 3. Công chức phụ trách và {applicant} chịu trách nhiệm thi hành Quyết định "
            "này./.",
        ]
    else:
        verb = {"certificate": "chứng nhận", "notice": "thông báo"}.get(kind, "xác nhận")
        paragraphs.append(
            f"{body_name} {verb}: {applicant} đã được giải quyết thủ tục “{procedure_name}” "
            f"theo hồ sơ số {dossier_code}, với kết quả: {result_type.strip() or 'đạt'}./."
        )
    return ResultText(
        title=_title(procedure_name, result_type),
        body="\n\n".join(paragraphs),
        recipients=[f"- {applicant};", "- Bộ phận Một cửa;"],
    )
