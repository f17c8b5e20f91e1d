"""Web forms of the oversight pages (parsing only; the rules are checked by the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cqdt.oversight import rules


class ConferenceAnnounceForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Thời gian tổ chức"),
        help_text=_("Ít nhất 7 ngày sau ngày thông báo (Nghị định 32/2021/NĐ-CP)."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    topic = forms.CharField(label=_("Nội dung đối thoại"), max_length=500)
    location = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    announcement_channels = forms.MultipleChoiceField(
        label=_("Kênh thông báo"),
        choices=[(code, vi) for code, (vi, _en) in rules.CHANNELS.items()],
        initial=["residential_group_heads"],
        widget=forms.CheckboxSelectMultiple,
    )
    via_representatives = forms.BooleanField(
        label=_("Đối thoại qua đại diện các tổ dân phố"), required=False
    )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    end = forms.DateField(
        label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
