"""Console pages for the administrators' keys for integrators (issue 18, item 4): every staff API
token and Open311 key with its last use, issuing (the secret shown on that answer only), and
rotating or revoking one key after a confirmation page. Thin views over ``accounts.keys``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cqdt.accounts import keys
from cqdt.core.errors import DomainError, NotFound
from cqdt.staff import console
from cqdt.staff.access import principal_for


class KeyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại mã"),
        choices=[
            ("staff", _("Mã truy cập API của cán bộ (Bearer)")),
            ("open311", _("Khóa API Open311 (gửi phản ánh)")),
        ],
    )
    name = forms.CharField(
        label=_("Dùng cho"), max_length=100, help_text=_("Tên ứng dụng tích hợp, đơn vị vận hành.")
    )
    username = forms.CharField(
        label=_("Tài khoản"),
        max_length=150,
        required=False,
        help_text=_("Với mã của cán bộ: tài khoản mà mã thay mặt. Để trống với khóa Open311."),
    )
    read_only = forms.BooleanField(label=_("Chỉ đọc (không được thêm, sửa, xóa)"), required=False)
    scope_unit_code = forms.CharField(
        label=_("Giới hạn trong đơn vị"),
        max_length=20,
        required=False,
        help_text=_(
            "Mã đơn vị hành chính: mã chỉ dùng được cho đơn vị này và các đơn vị trực thuộc. "
            "Để trống: không giới hạn thêm."
        ),
    )
    days = forms.IntegerField(label=_("Thời hạn (ngày)"), min_value=1, max_value=365, initial=90)


class RotateForm(forms.Form):
    overlap_minutes = forms.IntegerField(
        label=_("Mã cũ còn dùng được thêm (phút)"),
        min_value=0,
        max_value=60,
        initial=0,
        help_text=_("0: mã cũ ngừng ngay. Tối đa 60 phút để ứng dụng kịp chuyển sang mã mới."),
    )


def _require_admin(request: HttpRequest) -> None:
    if not principal_for(request.user).is_admin:
        raise DjangoPermissionDenied


@never_cache  # an answer may carry a secret shown once
@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """Every API key and token; issue a new one (its secret shown on this answer only)."""
    _require_admin(request)
    form = KeyForm(request.POST or None)
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            ask = keys.KeyRequest(**form.cleaned_data)
            try:
                token, secret = keys.key_issue(user=request.user, ask=ask)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                context["issued"] = {"token": token, "secret": secret}
                form, status = KeyForm(), 200
    context |= {
        "form": form,
        "keys": list(keys.keys_list(request.user)[:500]),
        "now": timezone.now(),
    }
    return console.render_console(request, "accounts/api_keys.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_key_change(request: HttpRequest, key_id: str, move: str) -> HttpResponse:
    """Revoke or rotate one key: a confirmation page first (GET), the move on POST."""
    _require_admin(request)
    try:
        token = keys.key_for(request.user, key_id)
    except NotFound as exc:
        raise Http404 from exc
    form = RotateForm(request.POST or None) if move == "rotate" else None
    context: dict[str, Any] = {"key": token, "move": move, "form": form}
    if request.method == "GET":
        return console.render_console(request, "accounts/api_key_confirm.html", context)
    try:
        if move == "revoke":
            context["done"] = keys.key_revoke(user=request.user, key_id=key_id)
        elif form is not None and form.is_valid():
            new, secret = keys.key_rotate(
                user=request.user,
                key_id=key_id,
                overlap_minutes=form.cleaned_data["overlap_minutes"],
            )
            context["issued"] = {"token": new, "secret": secret}
        else:
            return console.render_console(
                request, "accounts/api_key_confirm.html", context, status=422
            )
    except DomainError as exc:
        context["error"] = exc.message
        return console.render_console(
            request, "accounts/api_key_confirm.html", context, status=exc.status
        )
    return console.render_console(request, "accounts/api_key_confirm.html", context)
