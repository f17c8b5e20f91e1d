"""The one conversion of a model's validation error into ``InvalidInput``, and of a pure rule's
refusal into the error of its kind."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cqdt.core import refusals
from cqdt.core.errors import (
    Conflict,
    InvalidInput,
    PermissionDenied,
    RuleViolation,
    error_for,
    full_clean,
    invalid_from,
    refuse,
)


def test_a_field_error_names_the_field_and_keeps_every_problem():
    error = ValidationError({"name": ["Too long."], "phone": ["Bad."]})
    converted = invalid_from(error)
    assert (converted.field, converted.status) == ("name", 422)
    assert converted.vi.startswith("Dữ liệu không hợp lệ ở trường “name”: Too long.")
    assert converted.details == {"errors": {"name": ["Too long."], "phone": ["Bad."]}}


def test_a_table_level_error_names_the_table_field_and_public_names_rename():
    assert invalid_from(ValidationError("Duplicate."), table_field="date").field == "date"
    renamed = invalid_from(
        ValidationError({"applicant_name": ["x"]}),
        public_names={"applicant_name": "applicant.name"},
    )
    assert renamed.field == "applicant.name"


def test_full_clean_raises_invalid_input_and_passes_options():
    class Model:
        def full_clean(self, **options):
            self.options = options
            raise ValidationError({"code": ["Required."]})

    obj = Model()
    with pytest.raises(InvalidInput) as caught:
        full_clean(obj, exclude=["x"])
    assert caught.value.field == "code" and obj.options == {"exclude": ["x"]}


@pytest.mark.parametrize(
    ("kind", "error", "status"),
    [
        (refusals.INVALID, InvalidInput, 422),
        (refusals.RULE, RuleViolation, 422),
        (refusals.CONFLICT, Conflict, 409),
        (refusals.FORBIDDEN, PermissionDenied, 403),
    ],
)
def test_a_refusal_becomes_the_error_of_its_kind_with_its_words_field_and_code(kind, error, status):
    r = refusals.Refusal(
        "Không được.", "Not allowed.", field="official", code="some_code", kind=kind
    )
    raised = error_for(r)
    assert type(raised) is error and raised.status == status
    assert (raised.vi, raised.en, raised.field, raised.code) == (
        "Không được.",
        "Not allowed.",
        "official",
        "some_code",
    )
    with pytest.raises(error):
        refuse(None, r)


def test_a_forbidden_refusal_without_a_code_gets_the_permission_default():
    raised = error_for(refusals.forbidden("Không được.", "Not allowed."))
    assert isinstance(raised, PermissionDenied)
    assert (raised.code, raised.field) == ("permission_denied", None)
