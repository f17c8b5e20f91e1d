"""Web forms for the counter, the workflow actions and the citizen pages (parsing only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cqdt.dossiers.models import ApplicantKind, Channel


class ApplicantForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("Người nộp là"), choices=ApplicantKind.choices, initial="person"
    )
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 chữ số)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d{12}"}
        ),
    )
    organisation_name = forms.CharField(
        label=_("Tên tổ chức (nếu là tổ chức)"), max_length=200, required=False
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), max_length=120, required=False)
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


class CounterForm(ApplicantForm):
    unit = forms.ChoiceField(label=_("Đơn vị tiếp nhận"))
    procedure = forms.ChoiceField(label=_("Thủ tục hành chính"))
    channel = forms.ChoiceField(
        label=_("Kênh nộp"), choices=[c for c in Channel.choices if c[0] != "online"]
    )
    accept_now = forms.BooleanField(
        label=_("Tiếp nhận ngay (phát hành Giấy tiếp nhận, Mẫu 01)"), required=False, initial=True
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    secret = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class RatingForm(forms.Form):
    secret = forms.CharField(widget=forms.HiddenInput, max_length=40)
    rating = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
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
    comment = forms.CharField(
        label=_("Ý kiến (không bắt buộc)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
