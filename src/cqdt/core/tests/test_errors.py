"""The one conversion of a model's validation error into ``InvalidInput``."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cqdt.core.errors import InvalidInput, full_clean, invalid_from


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
