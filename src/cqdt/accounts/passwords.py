"""Django's password validators with Vietnamese-first messages (issue 18, item 3).

The rules are Django's own (length, likeness to the account's attributes, the list of common
passwords, all digits); only the wording is the project's, Vietnamese first and translated to
English through the project's catalogue, since Django ships no Vietnamese for them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation as base
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class MinimumLengthValidator(base.MinimumLengthValidator):
    def __init__(self, min_length: int = 12) -> None:
        super().__init__(min_length)

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(base.UserAttributeSimilarityValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as exc:
            raise ValidationError(
                _("Mật khẩu quá giống thông tin tài khoản (tên đăng nhập, thư điện tử)."),
                code="password_too_similar",
            ) from exc

    def get_help_text(self) -> str:
        return _("Mật khẩu không được giống thông tin cá nhân của bạn.")


class CommonPasswordValidator(base.CommonPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if password.lower().strip() in self.passwords:
            raise ValidationError(
                _("Mật khẩu quá phổ biến, dễ bị đoán."), code="password_too_common"
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu không được là mật khẩu phổ biến.")


class NumericPasswordValidator(base.NumericPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if password.isdigit():
            raise ValidationError(
                _("Mật khẩu không được chỉ gồm chữ số."), code="password_entirely_numeric"
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số.")


HELP = gettext_lazy(
    "Ít nhất 12 ký tự, không chỉ gồm chữ số, không phổ biến, không giống tên đăng nhập."
)
