"""Console pages: a unit's accounts (invite, CSV import) and the first-password page.

Thin views over ``accounts.services``: a unit the user may not see answers 404 like a missing
one; seeing it without deciding its accounts answers 403; domain errors are shown beside their
field with 422 and nothing is written. A link's secret is shown once, on the page that made it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cqdt.accounts import factors, hygiene, security_keys, selectors, services, sso
from cqdt.accounts.models import SecurityKey
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError, InvalidInput, NotFound
from cqdt.core.ratelimit import rate_limit
from cqdt.core.text import vi_sort_key
from cqdt.staff import console, posts
from cqdt.staff import selectors as staff_selectors
from cqdt.staff.access import policy, principal_for
from cqdt.units import selectors as unit_selectors


class InviteForm(forms.Form):
    official = forms.UUIDField(widget=forms.HiddenInput)
    email = forms.EmailField(label=_("Thư điện tử"), required=False, max_length=254)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV"),
        help_text=_("Cột: civil_service_code, full_name, email (UTF-8)."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_accounts(request: HttpRequest, code: str) -> HttpResponse:
    today = unit_selectors.today()
    principal = principal_for(request.user, today)
    unit = console.visible_unit(principal, code, today)
    office = selectors.office_for_unit(unit.code, today)
    if office is None or not policy.can(principal, "manage_accounts", office, today):
        raise DjangoPermissionDenied
    context: dict[str, Any] = {"unit": unit, "on": today, "office": office}
    status = 200
    invite_form = InviteForm()
    import_form = ImportForm()
    if request.method == "POST" and "file" in request.FILES:
        import_form = ImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            try:
                if upload.size > 500_000:
                    raise InvalidInput(
                        "Tệp quá lớn (tối đa 500 KB).",
                        "File too large (500 KB at most).",
                        field="file",
                    )
                text = upload.read().decode("utf-8")
                context["report"] = services.accounts_import_csv(
                    actor=Actor.of(request.user), unit_code=unit.code, text=text, on=today
                )
            except UnicodeDecodeError:
                import_form.add_error("file", _("Tệp phải là CSV mã hóa UTF-8."))
                status = 422
            except DomainError as exc:
                import_form.add_error("file", exc.message)
                status = 422
        else:
            status = 422
    elif request.method == "POST":
        invite_form = InviteForm(request.POST)
        if invite_form.is_valid():
            try:
                official = policy.visible_official(
                    principal, str(invite_form.cleaned_data["official"]), today
                )
                if not selectors.may_manage_account(principal, official, today):
                    raise DjangoPermissionDenied
                invitation, secret = services.account_invite(
                    actor=Actor.of(request.user),
                    official=official,
                    email=invite_form.cleaned_data["email"] or "",
                    on=today,
                )
                context["issued"] = {
                    "official": official,
                    "username": invitation.user.get_username(),
                    "link": request.build_absolute_uri(services.activation_path(secret)),
                    "expires_at": invitation.expires_at,
                }
                invite_form = InviteForm()
            except NotFound:
                invite_form.add_error(None, _("Không tìm thấy cán bộ, công chức."))
                status = 404
            except DomainError as exc:
                invite_form.add_error(None, exc.message)
                status = 422
        else:
            status = 422
    lang = console.lang()
    people: dict[int, dict[str, Any]] = {}
    for a in staff_selectors.unit_staff(unit.code, today):
        row = people.setdefault(
            a.official_id, {"official": a.official, "posts": [], "user": a.official.user}
        )
        row["posts"].append(posts.post_label(a.post, lang))
    context |= {
        "rows": sorted(people.values(), key=lambda r: vi_sort_key(r["official"].full_name)),
        "invite_form": invite_form,
        "import_form": import_form,
    }
    return console.render_console(request, "accounts/unit_accounts.html", context, status=status)


class NewPasswordForm(SetPasswordForm):
    """Django's two password fields, the validators' messages beside the first one, where the
    password is typed (Django puts them beside the confirmation, QA Q25)."""

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data


@never_cache  # the page carries the invitation's secret (review R8)
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    """The invitation link (``?t=<secret>``): choose the first password (Django's validators)."""
    secret = request.GET.get("t", "")[:100]
    try:
        invitation = selectors.invitation_by_secret(secret)
    except NotFound as exc:
        return console.render_console(
            request, "accounts/activate.html", {"invalid": exc.message}, status=404
        )
    form = NewPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(secret=secret, password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            form.add_error("new_password1", exc.message)
        else:
            return console.render_console(
                request, "accounts/activate.html", {"done": True, "username": invitation.user}
            )
    status = 422 if request.method == "POST" else 200
    return console.render_console(
        request,
        "accounts/activate.html",
        {
            "form": form,
            "username": invitation.user.get_username(),
            # the person's name, so a link sent to the wrong address is noticed (QA Q25)
            "full_name": invitation.official.full_name if invitation.official_id else "",
        },
        status=status,
    )


class NewPasswordChangeForm(PasswordChangeForm):
    """Django's current-and-new form, the validators' messages beside the new password."""

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data


class ResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("Thư điện tử của tài khoản"), max_length=254)


RESET_SENT = _(
    "Nếu địa chỉ này thuộc một tài khoản, thư có liên kết đặt lại mật khẩu đã được gửi tới đó."
)


@require_http_methods(["GET", "POST"])
def password_reset_request(request: HttpRequest) -> HttpResponse:
    """The "Quên mật khẩu?" page: the account's address; the same answer for any address (an
    unknown one leaves no trace, ``hygiene.password_reset_request``), limited as the API."""
    form = ResetRequestForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rate_limit(request, "password_reset", per_minute=5)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                hygiene.password_reset_request(email=form.cleaned_data["email"])
                context = {"sent": RESET_SENT}
        else:
            status = 422
    return console.render_console(request, "accounts/password_reset.html", context, status=status)


@never_cache  # the page carries the reset token (review R8)
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """The e-mailed link (``?u=<uid>&t=<token>``, ``hygiene.reset_path``): choose a new password
    (Django's validators, in Vietnamese); every session of the account ends (QA Q2)."""
    uid, token = request.GET.get("u", "")[:40], request.GET.get("t", "")[:100]
    try:
        rate_limit(request, "password_reset_confirm", per_minute=10)
        user = hygiene.reset_user(uid, token)
    except DomainError as exc:
        return console.render_console(
            request, "accounts/password_reset_confirm.html", {"invalid": exc.message}, exc.status
        )
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hygiene.password_reset_confirm(
                uid=uid, token=token, password=form.cleaned_data["new_password1"]
            )
        except DomainError as exc:
            form.add_error("new_password1", exc.message)
        else:
            return console.render_console(
                request,
                "accounts/password_reset_confirm.html",
                {"done": True, "username": user.get_username()},
            )
    status = 422 if request.method == "POST" else 200
    return console.render_console(
        request,
        "accounts/password_reset_confirm.html",
        {"form": form, "username": user.get_username()},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """ "Đổi mật khẩu" and what acts as the account (QA Q15): the current password and the new one
    twice (``hygiene.password_change``: every other session ends, this one stays); the sessions
    and the API tokens acting as the account; "Đăng xuất mọi nơi" (``sign_out_everywhere``)."""
    user = request.user
    assert isinstance(user, User)  # login_required
    form = NewPasswordChangeForm(user, request.POST or None)
    status, done, ended = 200, False, None
    if request.method == "POST" and request.POST.get("action") == "sign_out_all":
        hygiene.sign_out_everywhere(actor=Actor.of(user), user=user)
        return HttpResponseRedirect(reverse("staff:login"))
    if request.method == "POST":
        status = 422
        try:  # guesses of the current password are limited as the reset's (review R14)
            rate_limit(request, "password_change", per_minute=5)
        except DomainError as exc:
            return console.render_console(
                request,
                "accounts/password_change.html",
                {"form": NewPasswordChangeForm(user), "error": exc.message},
                exc.status,
            )
        if form.is_valid():
            try:
                ended = hygiene.password_change(
                    user=user,
                    current=form.cleaned_data["old_password"],
                    password=form.cleaned_data["new_password1"],
                    keep_session=request.session.session_key,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            else:
                update_session_auth_hash(request, user)  # a new session key: record it
                hygiene.record_login(None, request, user)
                status, done = 200, True
                form = NewPasswordChangeForm(user)
    context = {
        "form": form,
        "done": done,
        "ended": ended,
        "sessions": hygiene.active_sessions(user, request.session.session_key),
        "tokens": hygiene.tokens_of(user),
    }
    return console.render_console(request, "accounts/password_change.html", context, status)


# -- the caller's own account: second factor --------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Mã xác thực"), max_length=16, min_length=6)


def same_site_path(request: HttpRequest, value: str) -> str:
    """``value`` when it is a path of this site (``next``: where to go back), else ``""``: never
    another host nor a scheme (``url_has_allowed_host_and_scheme``), so that a link someone
    else made cannot send an official on from here to a page that imitates this one."""
    if (
        value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return ""


@never_cache  # it shows the authenticator's key and recovery codes: kept by no cache (review R8)
@login_required
@require_http_methods(["GET", "POST"])
def security(request: HttpRequest) -> HttpResponse:
    """Account security: set up a TOTP app (key shown once, recovery codes shown once) and enter
    a code so that this session may sign and delegate (again after 15 minutes idle).

    ``?next=``: the page a move was refused on (``factors.security_page``), a path of this site
    only. The page's forms post to their own URL, ``next`` included; a code entered goes back
    there (a redirect); a second factor just set up shows its recovery codes first, with a link
    back."""
    back = same_site_path(request, request.GET.get("next", ""))
    context: dict[str, Any] = {
        "form": CodeForm(),
        "has_device": factors.has_device(request.user),
        "back": back,
    }
    status = 200
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "begin":
        try:
            device = factors.totp_begin(request=request)
        except DomainError as exc:
            context["error"] = exc.message
            status = 403
        else:
            context |= {"setup": factors.totp_setup(device)}
    elif action in ("confirm", "verify"):
        form = CodeForm(request.POST)
        context["form"] = form
        if form.is_valid():
            try:
                if action == "confirm":
                    context["recovery_codes"] = factors.totp_confirm(
                        request=request, code=form.cleaned_data["code"]
                    )
                else:
                    context["verified"] = factors.verify(
                        request=request, code=form.cleaned_data["code"]
                    )
            except DomainError as exc:
                form.add_error("code", exc.message)
                status = 422 if isinstance(exc, InvalidInput) else 409
            else:
                if context.get("verified") and back:  # back to the page that was refused
                    return HttpResponseRedirect(back)
        else:
            status = 422
    elif action == "remove_key":
        try:
            security_keys.remove(request=request, key_id=int(request.POST.get("key", "0") or 0))
        except (DomainError, ValueError) as exc:
            context["error"] = exc.message if isinstance(exc, DomainError) else ""
            status = getattr(exc, "status", 422)
        else:
            context["key_removed"] = True
    context["has_device"] = factors.has_device(request.user)
    context["session_verified"] = factors.session_verified(request)
    context["security_keys"] = SecurityKey.objects.filter(user=request.user, confirmed=True)
    context["sso"] = {
        "enabled": sso.enabled(),
        "linked": request.user.oidc_identities.exists(),  # type: ignore[union-attr]
    }
    return console.render_console(request, "accounts/security.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def sso_link(request: HttpRequest) -> HttpResponse:
    """Link this account to the caller's identity at the city's provider: the session proves the
    account (password, and the second factor when the account has one), then the provider's
    login proves the identity; the callback stores its subject (``sso.oidc_login``)."""
    if not sso.enabled():
        raise Http404
    if factors.has_device(request.user) and not factors.session_verified(request):
        context = {
            "form": CodeForm(),
            "has_device": True,
            "session_verified": False,
            "sso": {"enabled": True, "linked": request.user.oidc_identities.exists()},  # type: ignore[union-attr]
            "error": _("Hãy nhập mã xác thực hai yếu tố trước khi liên kết tài khoản định danh."),
        }
        return console.render_console(request, "accounts/security.html", context, status=403)
    request.session[sso.LINK_KEY] = request.user.pk
    start = reverse("accounts:oidc_start") + "?next=" + reverse("accounts:security")
    return HttpResponseRedirect(start)
