"""A lost lookup code (QA Q19 of 7 December): the lookup page's "Quên mã tra cứu?" asks for the
dossier's code and the phone number given at submission and sends a new lookup code to that
number by SMS (``services.lookup_code_renew``); the page says the same whatever the answer (no
oracle for codes or numbers), rate-limited as the lookup is.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from cqdt.core.citizen_forms import code_field
from cqdt.core.ratelimit import rate_limit
from cqdt.dossiers import services


class LookupCodeForm(forms.Form):
    code = code_field(_("Mã hồ sơ"), 60)
    phone = forms.CharField(
        label=_("Số điện thoại đã khai khi nộp hồ sơ"),
        max_length=20,
        help_text=_("Mã tra cứu mới được gửi bằng tin nhắn tới số này nếu số khớp với hồ sơ."),
    )


@require_http_methods(["GET", "POST"])
def lookup_code(request: HttpRequest) -> HttpResponse:
    """Ask for a new lookup code; the answer is the same for any code and number."""
    form = LookupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rate_limit(request, "lookup_code", per_minute=5)
        services.lookup_code_renew(code=form.cleaned_data["code"], phone=form.cleaned_data["phone"])
        return render(request, "dossiers/public/lookup_code.html", {"sent": True})
    status = 422 if request.method == "POST" else 200
    return render(request, "dossiers/public/lookup_code.html", {"form": form}, status=status)
