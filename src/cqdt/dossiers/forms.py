"""Web forms for the counter, the workflow actions and the citizen pages (parsing only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqdt.core import citizen_forms
from cqdt.core.citizen_forms import code_field, comment_field, score_field, secret_field
from cqdt.core.widgets import QuickSelect
from cqdt.dossiers.models import ApplicantKind, Channel
from cqdt.dossiers.services import ApplicantIn, attachments


class ApplicantForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("Người nộp là"), choices=ApplicantKind.choices, initial="person"
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên người nộp"),
        max_length=150,
        error_messages={"required": _("Hãy nhập họ và tên người nộp.")},
    )
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 chữ số)"),
        max_length=12,
        required=False,  # required for a person only (dossiers.rules.applicant_refusals)
        help_text=_("Bắt buộc khi người nộp là cá nhân."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d{12}"}
        ),
    )
    organisation_name = forms.CharField(
        label=_("Tên tổ chức (nếu là tổ chức)"), max_length=200, required=False
    )
    applicant_phone = citizen_forms.phone_field(_("Số điện thoại"))
    applicant_email = citizen_forms.email_field(_("Thư điện tử"))
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Nội dung đề nghị, ghi chú"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, document_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"] = forms.MultipleChoiceField(
            label=_("Giấy tờ nộp kèm"),
            choices=document_choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


def applicant_in(data: Mapping[str, Any]) -> ApplicantIn:
    """The applicant in ``ApplicantForm``'s answers (the counter's cleaned data, or the online
    answers kept in the session): a field missing or empty is blank, the kind a person."""
    return ApplicantIn(
        kind=data.get("applicant_kind") or "person",
        name=data.get("applicant_name") or "",
        id_number=data.get("applicant_id_number") or "",
        organisation_name=data.get("organisation_name") or "",
        phone=data.get("applicant_phone") or "",
        email=data.get("applicant_email") or "",
        address=data.get("applicant_address") or "",
    )


class CounterForm(ApplicantForm):
    unit = forms.ChoiceField(label=_("Đơn vị tiếp nhận"), widget=QuickSelect)
    procedure = forms.ChoiceField(label=_("Thủ tục hành chính"))
    channel = forms.ChoiceField(
        label=_("Kênh nộp"), choices=[c for c in Channel.choices if c[0] != "online"]
    )
    accept_now = forms.BooleanField(
        label=_("Tiếp nhận ngay (phát hành Giấy tiếp nhận, Mẫu 01)"), required=False, initial=True
    )


class LookupForm(forms.Form):
    code = code_field(_("Mã hồ sơ"), 60)
    secret = secret_field(_("Mã tra cứu"))


class RatingForm(forms.Form):
    secret = secret_field()
    rating = score_field(_("Mức độ hài lòng"), required=_("Vui lòng chọn mức đánh giá."))
    comment = comment_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its ids apart from the lookup form's on the same page ("id_secret" stood twice).
        kwargs.setdefault("auto_id", "rating_%s")
        super().__init__(*args, **kwargs)


ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def add_attachment_fields(form: forms.Form, papers: list[dict]) -> None:
    """A file input per paper of the procedure (``attachments_<code>``), PDF, JPEG or PNG."""
    for paper in papers:
        form.fields[f"attachments_{paper['code']}"] = forms.FileField(
            label=_("Tệp: %(name)s") % {"name": paper["name"]},
            required=False,
            # Every limit the file is checked against (QA Q24: the hint named the size only,
            # and a 45-megapixel photo was refused by a rule it did not state).
            help_text=_(
                "PDF (tối đa %(pages)s trang), JPEG hoặc PNG (tối đa %(mp)s megapixel); "
                "tối đa %(mb)s MB."
            )
            % {
                "pages": attachments.MAX_PAGES,
                "mp": attachments.MAX_PIXELS // 1_000_000,
                "mb": attachments.MAX_BYTES // (1024 * 1024),
            },
            widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        )


def attachment_uploads(form: forms.Form) -> list[tuple[str, object]]:
    """(paper code, uploaded file) for each file input the applicant filled."""
    return [
        (name.removeprefix("attachments_"), value)
        for name, value in form.cleaned_data.items()
        if name.startswith("attachments_") and value
    ]


class SupplementForm(forms.Form):
    """The applicant's answer to a supplement request: the secret (carried) and the files."""

    secret = secret_field()
