"""QuickSelect renders the very HTML of Django's Select (its templates), faster."""

import datetime as dt

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cqdt.core.widgets import QuickSelect

CASES = [
    # choices, value, attrs
    ([("a", "A & B"), ("b", 'Quote "x" <y>')], "b", {"id": "id_x", "required": True}),
    (
        [
            ("Quận Ba Đình", [("00001", "Phường Phúc Xá"), ("00004", "Phường Trúc Bạch")]),
            ("—", [("9", "x")]),
            ("", [("z", "Z")]),
        ],
        "00004",
        {"id": "u", "aria-describedby": "u_helptext"},
    ),
    ([("", "---------"), (1, "one"), (2, 2), (3, 1234.5)], 2, {"disabled": False, "data-x": 0}),
    ([(dt.date(2025, 7, 1), dt.date(2025, 7, 1)), ("s", mark_safe("<b>safe</b>"))], None, None),
    ([("v", gettext_lazy("Phường")), ("w", "w")], ["w"], {"class": "a&b"}),
    ([], None, None),
]


@pytest.mark.parametrize(("choices", "value", "attrs"), CASES)
def test_the_same_html_as_django_s_select(choices, value, attrs):
    expected = forms.Select(choices=choices).render("n&m", value, attrs)
    assert QuickSelect(choices=choices).render("n&m", value, attrs) == expected


def test_a_form_s_field_renders_the_same(reference_data):
    from cqdt.units.selectors.choices import unit_choices

    choices = unit_choices()
    assert sum(len(units) for _, units in choices) > 100  # Hanoi's wards, grouped

    def form(widget):
        class F(forms.Form):
            unit = forms.ChoiceField(label="Đơn vị", choices=choices, widget=widget)

        return F(data={"unit": choices[1][1][0][0]})

    assert str(form(QuickSelect)["unit"]) == str(form(forms.Select)["unit"])
    assert "selected>" in str(form(QuickSelect)["unit"])


def test_other_templates_are_django_s():
    class Other(QuickSelect):
        option_template_name = "django/forms/widgets/select_option.html "

    with pytest.raises(Exception, match=r"select_option\.html "):
        Other(choices=[("a", "A")]).render("n", "a")


def test_the_pickers_list_wards_in_the_vietnamese_alphabet(reference_data):
    """Ba Đình's wards as the citizen's feedback form and the unit picker list them: Điện Biên and
    Đội Cấn after Cống Vị, before Giảng Võ — not after every other ward (QA Q11)."""
    from cqdt.feedback.selectors import wards_by_district
    from cqdt.units.selectors.choices import unit_choices

    by_district = dict(wards_by_district())
    names = [w.name for w in by_district["Quận Ba Đình"]]
    assert names.index("Phường Đội Cấn") < names.index("Phường Giảng Võ"), names
    assert names.index("Phường Cống Vị") < names.index("Phường Điện Biên"), names
    picked = [label for group, units in unit_choices() if "Ba Đình" in group for _, label in units]
    assert picked.index("Phường Đội Cấn") < picked.index("Phường Giảng Võ"), picked
