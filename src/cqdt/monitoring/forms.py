"""Forms of the registers' staff pages (issue 15, item 3). Validation of substance is the
services' (``monitoring.registers``, ``monitoring.plan``); these only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cqdt.monitoring.models import DevolutionKind, PlanTaskStatus, RecommendationStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DevolutionForm(forms.Form):
    procedure_slug = forms.ChoiceField(label=_("Thủ tục"))
    kind = forms.ChoiceField(label=_("Hình thức"), choices=DevolutionKind.choices)
    unit_code = forms.ChoiceField(
        label=_("Đơn vị nhận"), help_text=_("Một phường, hoặc cả quận (mọi phường của quận).")
    )
    instrument = forms.CharField(label=_("Số, ký hiệu quyết định"), max_length=120)
    instrument_date = forms.DateField(label=_("Ngày ký"), widget=DATE)
    valid_from = forms.DateField(label=_("Hiệu lực từ ngày"), widget=DATE)
    valid_to = forms.DateField(
        label=_("Hết hiệu lực từ ngày"),
        required=False,
        widget=DATE,
        help_text=_("Để trống nếu chưa hết."),
    )


class RecommendationForm(forms.Form):
    rule = forms.ChoiceField(label=_("Bất cập theo quy tắc"))
    unit_code = forms.ChoiceField(label=_("Đơn vị"))
    raised_on = forms.DateField(label=_("Ngày nêu"), widget=DATE)
    shortcoming = forms.CharField(
        label=_("Bất cập"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    proposal = forms.CharField(
        label=_("Đề xuất"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AnswerForm(forms.Form):
    recommendation = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[c for c in RecommendationStatus.choices if c[0] != RecommendationStatus.OPEN],
    )
    adjustment = forms.CharField(
        label=_("Nội dung điều chỉnh (hoặc lý do không điều chỉnh)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    instrument = forms.CharField(label=_("Số, ký hiệu văn bản"), max_length=120, required=False)
    instrument_date = forms.DateField(label=_("Ngày văn bản"), required=False, widget=DATE)
    changed = forms.CharField(
        label=_("Đã thay đổi"),
        max_length=200,
        required=False,
        help_text=_("Mô hình tổ chức hoặc phiên bản quy tắc đã thay đổi."),
    )


class PlanTaskForm(forms.Form):
    task = forms.CharField(label=_("Nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_unit_code = forms.ChoiceField(label=_("Đơn vị chủ trì"))
    owner = forms.CharField(label=_("Cơ quan, phòng chủ trì"), max_length=200, required=False)
    deadline = forms.DateField(label=_("Thời hạn"), widget=DATE)


class PlanProgressForm(forms.Form):
    task_id = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=PlanTaskStatus.choices)
    done_on = forms.DateField(label=_("Ngày hoàn thành"), required=False, widget=DATE)
    evidence = forms.CharField(
        label=_("Minh chứng"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
