"""Forms of the staff console: they parse input; the services decide (Django forms, no rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqdt.authority.wording import act_label

__all__ = ["act_label"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DelegationGrantForm(forms.Form):
    """A written delegation (ủy quyền): who, which acts, the seal, the decision, the term."""

    delegate = forms.ChoiceField(
        label=_("Người được ủy quyền"),
        help_text=_("Cán bộ, công chức đang làm việc tại phường."),
    )
    scope = forms.MultipleChoiceField(
        label=_("Phạm vi ủy quyền"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ các việc mà mô hình tổ chức chính quyền cho phép ủy quyền."),
    )
    seal_allowed = forms.BooleanField(
        label=_("Được sử dụng con dấu của UBND phường"), required=False
    )
    instrument_number = forms.CharField(
        label=_("Số quyết định ủy quyền"), max_length=60, help_text=_("Ví dụ: 15/QĐ-UBND.")
    )
    instrument_date = forms.DateField(label=_("Ngày ký quyết định"), widget=DateInput())
    valid_from = forms.DateField(label=_("Có hiệu lực từ ngày"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Đến hết ngày"),
        widget=DateInput(),
        help_text=_("Ủy quyền có thời hạn và không vượt quá nhiệm kỳ của Chủ tịch."),
    )

    def __init__(
        self,
        *args: Any,
        delegates: list[tuple[str, str]],
        acts_allowed: list[str],
        lang: str = "vi",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        delegate_field = self.fields["delegate"]
        scope_field = self.fields["scope"]
        assert isinstance(delegate_field, forms.ChoiceField)
        assert isinstance(scope_field, forms.MultipleChoiceField)
        delegate_field.choices = [("", _("— Chọn người —")), *delegates]
        scope_field.choices = [(a, act_label(a, lang)) for a in acts_allowed]


class DelegationRevokeForm(forms.Form):
    """Revoking a delegation (thu hồi ủy quyền) from a day on, by a numbered decision."""

    revocation_number = forms.CharField(
        label=_("Số quyết định thu hồi"), max_length=60, help_text=_("Ví dụ: 20/QĐ-UBND.")
    )
    revoked_on = forms.DateField(label=_("Không còn hiệu lực từ ngày"), widget=DateInput())
    reason = forms.CharField(
        label=_("Lý do"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
