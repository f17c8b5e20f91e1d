"""The fields of a citizen's lookup and rating forms, shared by dossiers and feedback.

A citizen follows a dossier or a report with its public code and the secret shown once
(``core.lookup``), and rates the handling 1–5 with an optional comment. Parsing only: the
rules are ``core.lookup.find_by_secret`` and ``core.lookup.checked_score``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqdt.core import lookup

_PLAIN = {"autocomplete": "off", "spellcheck": "false"}


def code_field(label: Any, max_length: int) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, widget=forms.TextInput(attrs=_PLAIN))


def secret_field(label: Any = None) -> forms.CharField:
    """The lookup secret: a visible field with ``label``, or hidden (carried by a rating form)."""
    if label is None:  # labelled all the same: an error on it is named in the page's language
        return forms.CharField(
            label=_("Mã bí mật"), widget=forms.HiddenInput, max_length=lookup.MAX_INPUT
        )
    return forms.CharField(
        label=label, max_length=lookup.MAX_INPUT, widget=forms.TextInput(attrs=_PLAIN)
    )


def score_field(label: Any, *, required: Any = None) -> forms.TypedChoiceField:
    """A 1–5 score; ``required``: what to say when none is chosen (else Django's words)."""
    return forms.TypedChoiceField(
        label=label,
        error_messages={"required": required} if required else None,
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("5 – Rất hài lòng")),
            (4, _("4 – Hài lòng")),
            (3, _("3 – Bình thường")),
            (2, _("2 – Không hài lòng")),
            (1, _("1 – Rất không hài lòng")),
        ],
    )


def comment_field() -> forms.CharField:
    return forms.CharField(
        label=_("Ý kiến (không bắt buộc)"),
        max_length=lookup.MAX_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def phone_field(label: Any) -> forms.CharField:
    """A person's phone number, optional (the phone keypad, the browser's saved number)."""
    return forms.CharField(
        label=label,
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


def email_field(label: Any) -> forms.EmailField:
    """A person's email address, optional."""
    return forms.EmailField(label=label, max_length=120, required=False)
