"""Web forms of citizen feedback (parsing only; the rules are the services')."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cqdt.core import citizen_forms
from cqdt.core.citizen_forms import code_field, comment_field, score_field, secret_field
from cqdt.core.widgets import QuickSelect
from cqdt.feedback import photos as photo_rules


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files under one name (Django's documented pattern). The count and size limits
    are ``photos.read_uploads``' and the content checks ``photos.clean_photo``'s, one place each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def pin_coordinate(label: Any, invalid: Any) -> forms.DecimalField:
    """One coordinate of the map pin: a hidden field the map's script fills (WGS 84 degrees,
    six decimals, about 0.1 m); a bad value is refused with a message naming it."""
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.HiddenInput,
        error_messages=dict.fromkeys(
            ("invalid", "max_digits", "max_decimal_places", "max_whole_digits"), invalid
        ),
    )


def photo_limits() -> str:
    """The photos field's label: how many photos and how large, as ``feedback.photos`` limits
    them (:data:`~cqdt.feedback.photos.MAX_PHOTOS`, :data:`~cqdt.feedback.photos.MAX_MB`)."""
    return _("Ảnh (tối đa %(n)d ảnh, mỗi ảnh không quá %(mb)d MB)") % {
        "n": photo_rules.MAX_PHOTOS,
        "mb": photo_rules.MAX_MB,
    }


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Lĩnh vực phản ánh"),
        error_messages={"required": _("Hãy chọn lĩnh vực phản ánh.")},
    )
    ward = forms.ChoiceField(
        label=_("Phường nơi xảy ra sự việc"),
        required=False,
        widget=QuickSelect,
        help_text=_("Chọn phường, hoặc ghi rõ “phường …, quận …” trong địa chỉ."),
    )
    address = forms.CharField(
        label=_("Địa chỉ, vị trí"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: trước số 12 phố Phó Đức Chính, phường Trúc Bạch, quận Ba Đình."),
    )
    # The map pin (item 8): set by the map's script; without JS or tiles, ward and address do.
    lat = pin_coordinate(
        _("Vĩ độ của điểm ghim"),
        _("Vĩ độ của điểm ghim không hợp lệ (độ thập phân, tối đa 6 chữ số sau dấu chấm)."),
    )
    lon = pin_coordinate(
        _("Kinh độ của điểm ghim"),
        _("Kinh độ của điểm ghim không hợp lệ (độ thập phân, tối đa 6 chữ số sau dấu chấm)."),
    )
    description = forms.CharField(
        label=_("Nội dung phản ánh"),
        max_length=4000,
        error_messages={"required": _("Hãy mô tả sự việc bạn muốn phản ánh.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    photos = MultiplePhotoField(
        required=False,  # its label names the limits (``photo_limits``), set with the form
        help_text=_("Ảnh được lưu lại không kèm thông tin vị trí, thiết bị (EXIF)."),
    )
    reporter_name = forms.CharField(
        label=_("Họ và tên (không bắt buộc)"), max_length=120, required=False
    )
    reporter_phone = citizen_forms.phone_field(_("Số điện thoại (không bắt buộc)"))
    reporter_email = citizen_forms.email_field(_("Thư điện tử (không bắt buộc)"))
    # Names this form as served, so that a double click on "Gửi" files one report
    # (core.idempotency.web_claim); a new form is a new report.
    once = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        category_choices: list[tuple[str, str]],
        ward_choices: list[tuple[str, Any]],
        two_level: bool = False,
        **kwargs: Any,
    ) -> None:
        """``two_level``: the day has no district level (from 1 July 2025, Law 72/2025/QH15;
        Resolution 1656/NQ-UBTVQH15): the wards and communes are asked for by their own names,
        and the example address is in a unit of that day (12 Phó Đức Chính, in Phường Trúc
        Bạch, Quận Ba Đình until 30 June 2025, is in Phường Ba Đình since)."""
        super().__init__(*args, **kwargs)
        self.fields["photos"].label = photo_limits()
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", _("— Chọn lĩnh vực —")), *category_choices]
        ward = self.fields["ward"]
        assert isinstance(ward, forms.ChoiceField)
        ward.choices = [("", _("— Xác định theo địa chỉ —")), *ward_choices]
        self.two_level = two_level
        if two_level:
            ward.label = _("Phường, xã nơi xảy ra sự việc")
            ward.help_text = _("Chọn phường, xã, hoặc ghi rõ “phường …” hoặc “xã …” trong địa chỉ.")
            self.fields["address"].help_text = _(
                "Ví dụ: trước số 12 phố Phó Đức Chính, phường Ba Đình."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pinned = data.get("lat") is not None and data.get("lon") is not None
        if not data.get("ward") and not (data.get("address") or "").strip() and not pinned:
            self.add_error(
                "address",
                _("Hãy chọn phường, xã hoặc ghi địa chỉ có tên phường, xã.")
                if self.two_level
                else _("Hãy chọn phường hoặc ghi địa chỉ có tên phường, quận."),
            )
        return data


class FollowUpForm(forms.Form):
    code = code_field(_("Mã phản ánh"), 30)
    secret = secret_field(_("Mã theo dõi"))


class CloseForm(forms.Form):
    secret = secret_field()
    satisfaction = score_field(_("Mức độ hài lòng với kết quả xử lý"))
    comment = comment_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its ids apart from the lookup form's and the other form's on the same page.
        kwargs.setdefault("auto_id", "close_%s")
        super().__init__(*args, **kwargs)


class ReopenForm(forms.Form):
    secret = secret_field()
    reason = forms.CharField(
        label=_("Vì sao chưa hài lòng?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its ids apart from the lookup form's and the other form's on the same page.
        kwargs.setdefault("auto_id", "reopen_%s")
        super().__init__(*args, **kwargs)
