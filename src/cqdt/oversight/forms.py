"""Web forms of the oversight pages (parsing only; the rules are checked by the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cqdt.oversight import rules
from cqdt.oversight.models import RoutedLevel


def channel_choices(lang: str | None) -> list[tuple[str, str]]:
    """The announcement channels as (code, label) in ``lang`` (``oversight.rules.CHANNELS``)."""
    return [(code, rules.channel_label(code, lang or "vi")) for code in rules.CHANNELS]


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
        choices=lambda: channel_choices(get_language()),  # the page's language, read per form
        initial=["residential_group_heads"],
        widget=forms.CheckboxSelectMultiple,
    )
    via_representatives = forms.BooleanField(
        label=_("Đối thoại qua đại diện các tổ dân phố"), required=False
    )

    def __init__(self, *args: object, notice_applies: bool = True, **kwargs: object) -> None:
        """``notice_applies``: Decree 32/2021/NĐ-CP's minimum notice binds the ward (one without
        a council); else the date's help says nothing of it."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not notice_applies:
            self.fields["scheduled_at"].help_text = ""


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    end = forms.DateField(
        label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


# --- the deputy's records (issue 13 item 7: every write the API allows has a page) -------------


class MeetingForm(forms.Form):
    """A voter-contact meeting (tiếp xúc cử tri); the choices are the council's wards and
    deputies in the caller's scope (set by the view)."""

    ward_code = forms.ChoiceField(label=_("Phường"))
    held_at = forms.DateTimeField(
        label=_("Thời gian tiếp xúc"),
        help_text=_("Buổi tiếp xúc đã diễn ra (không ghi trước)."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.CharField(label=_("Địa điểm"), max_length=300)
    deputies = forms.MultipleChoiceField(
        label=_("Đại biểu dự"), widget=forms.CheckboxSelectMultiple
    )
    attendees = forms.IntegerField(
        label=_("Số cử tri dự"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_("Để trống nếu chưa đếm: không ghi là 0."),
    )
    notes = forms.CharField(
        label=_("Ghi chú"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: object,
        wards: list[tuple[str, str]],
        deputies: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["ward_code"].choices = [("", "—"), *wards]  # type: ignore[attr-defined]
        self.fields["deputies"].choices = deputies  # type: ignore[attr-defined]


class PetitionForm(forms.Form):
    """A voter petition raised at a meeting, routed to the committee that answers it."""

    content = forms.CharField(
        label=_("Nội dung kiến nghị"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    routed_level = forms.ChoiceField(
        label=_("Cơ quan trả lời"),
        choices=RoutedLevel.choices,
        initial=RoutedLevel.WARD,
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args: object, choices: list[tuple[str, str]] | None = None, **kwargs: object
    ) -> None:
        """``choices``: the committees the meeting's petitions may go to on its day, each named
        by its unit (``views.shared.routed_choices``: "UBND xã …", no district committee from
        1 July 2025 and the city's instead)."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if choices is not None:
            self.fields["routed_level"].choices = choices  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    """A deputy's question to the ward chairman at a council session (chất vấn)."""

    session_date = forms.DateField(
        label=_("Ngày phiên họp"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ward_code = forms.ChoiceField(
        label=_("Phường"),
        help_text=_("Người bị chất vấn là Chủ tịch UBND phường vào ngày phiên họp."),
    )
    question = forms.CharField(
        label=_("Nội dung chất vấn"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: object, wards: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["ward_code"].choices = [("", "—"), *wards]  # type: ignore[attr-defined]


class QuestionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung cam kết"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = forms.DateField(
        label=_("Hạn thực hiện"), widget=forms.DateInput(attrs={"type": "date"})
    )


class VersionedForm(forms.Form):
    """A change to a versioned record: the version the page showed is sent back (a stale one is
    refused with 409 by the service)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PetitionAnswerForm(VersionedForm):
    answer = forms.CharField(
        label=_("Nội dung trả lời"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class PetitionFollowUpForm(VersionedForm):
    note = forms.CharField(
        label=_("Ý kiến giám sát"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    close = forms.BooleanField(
        label=_("Kết thúc theo dõi: câu trả lời đã đáp ứng kiến nghị"), required=False
    )


# --- the ward's leaders' records: conferences held or cancelled, reception days, commitments ----


class ConferenceHoldForm(VersionedForm):
    """That an announced dialogue conference took place (Decree 32/2021/NĐ-CP)."""

    held_at = forms.DateTimeField(
        label=_("Thời gian tổ chức"),
        help_text=_("Để trống nếu hội nghị vừa diễn ra; không trước ngày đã thông báo."),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    attendees = forms.IntegerField(label=_("Số người dự"), min_value=1, max_value=1_000_000)
    minutes = forms.CharField(
        label=_("Biên bản hội nghị"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ConferenceCancelForm(VersionedForm):
    """Cancelling an announced conference: the reason, and a second, explicit step (the page
    asks to confirm before a move that cannot be undone, as the dossier page does)."""

    reason = forms.CharField(label=_("Lý do hủy"), max_length=500)
    # Sent by the button inside the page's second step (a <details> the user opens first).
    confirm = forms.CharField(widget=forms.HiddenInput, required=False, initial="yes")

    def clean_confirm(self) -> str:
        value: str = self.cleaned_data.get("confirm", "")
        if value != "yes":
            raise forms.ValidationError(_("Hãy xác nhận trước khi hủy hội nghị."))
        return value


class ReceptionForm(forms.Form):
    """A day of citizen reception (tiếp công dân) by the ward's chairman or a vice-chairman;
    the receiver's choices are the ward's leaders (set by the view)."""

    date = forms.DateField(
        label=_("Ngày tiếp công dân"),
        help_text=_("Ghi sổ sau buổi tiếp, không ghi trước."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    official = forms.ChoiceField(
        label=_("Người tiếp công dân"),
        help_text=_("Để trống nếu chính bạn tiếp công dân."),
        required=False,
    )
    citizens_received = forms.IntegerField(
        label=_("Số lượt công dân"), min_value=0, max_value=100_000
    )
    matters = forms.IntegerField(label=_("Số vụ việc"), min_value=0, max_value=100_000)
    summary = forms.CharField(
        label=_("Tóm tắt"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, leaders: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["official"].choices = [("", _("Tôi")), *leaders]  # type: ignore[attr-defined]


class CommitmentProgressForm(VersionedForm):
    """The ward chairman's report on a commitment: progress, or done."""

    progress_note = forms.CharField(
        label=_("Tiến độ thực hiện"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    done = forms.BooleanField(label=_("Đã hoàn thành cam kết"), required=False)
