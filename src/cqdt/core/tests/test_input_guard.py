"""The input guard's pure rules: NFC for every text value, bidi controls refused in names."""

from __future__ import annotations

import json
import unicodedata

from cqdt.core import input_guard as guard

NFC = "Hường"
NFD = unicodedata.normalize("NFD", NFC)


def test_a_json_body_is_rewritten_only_where_a_string_is_not_composed() -> None:
    raw = '{"amount": 1.10, "big": 123456789012345678901234567890, "name": "NAME"}'
    raw = raw.replace("NAME", NFD)
    out = guard.nfc_json(raw.encode())
    assert out == raw.replace(NFD, NFC).encode()  # numbers and layout byte for byte
    assert guard.nfc_json(out) is None  # nothing left to change
    escaped = json.dumps({"name": NFD}).encode()  # Python's client: \\u escapes
    assert json.loads(guard.nfc_json(escaped)) == {"name": NFC}
    assert guard.nfc_json(b"not json") is None


def test_passwords_and_secrets_are_kept_as_typed() -> None:
    body = json.dumps({"password": NFD, "secret": NFD, "name": NFD}, ensure_ascii=False)
    assert json.loads(guard.nfc_json(body.encode())) == {
        "password": NFD,
        "secret": NFD,
        "name": NFC,
    }
    pairs = guard.nfc_pairs([("new_password1", NFD), ("full_name", NFD)])
    assert pairs == [("new_password1", NFD), ("full_name", NFC)]
    assert guard.nfc_pairs([("full_name", NFC)]) is None


def test_bidi_controls_are_refused_in_names_only() -> None:
    for field in ("name", "full_name", "applicant.name", "reporter_name", "payload.applicant.name"):
        assert guard.scan_value("A\u202eB", field) == (field, "bidi")
    assert guard.scan_value("A\u202eB", "description") is None
    assert guard.scan_value({"applicant": {"name": "\u2067x"}}, "") == ("applicant.name", "bidi")


PASTED = "\u202a0912 345 678\u202c"  # as Zalo or Messenger copy a number


def test_a_phone_number_loses_its_bidi_controls_and_nothing_else_does() -> None:
    for field in ("phone", "applicant_phone", "applicant.phone", "reporter_phone"):
        assert guard.normal_text(field, PASTED) == "0912 345 678"
        assert guard.normal_text(field, "\u200e\u2066+84912345678\u2069\u200f") == "+84912345678"
    assert guard.normal_text("description", PASTED) == PASTED  # not a phone field
    pairs = guard.nfc_pairs([("applicant_phone", PASTED), ("note", PASTED)])
    assert pairs == [("applicant_phone", "0912 345 678"), ("note", PASTED)]
    assert guard.nfc_pairs([("applicant_phone", "0912345678")]) is None
    for body in (
        json.dumps({"applicant": {"phone": PASTED}, "note": PASTED}),  # \\u escapes
        json.dumps({"applicant": {"phone": PASTED}, "note": PASTED}, ensure_ascii=False),
    ):
        assert json.loads(guard.nfc_json(body.encode())) == {
            "applicant": {"phone": "0912 345 678"},
            "note": PASTED,
        }
