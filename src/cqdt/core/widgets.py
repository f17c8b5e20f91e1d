"""Form widgets written for speed where Django's templates are slow.

Django renders a ``<select>`` through its form templates, one ``{% include %}`` of the option
template (and one of the attributes template) per option: for the ward choosers of the online
application, the counter and the feedback form (every ward with a desk: some 580 options in
Hanoi before 1 July 2025) that was nearly all of the page's rendering — py-spy on the browser
tests put 99 of the online form's 101 rendering samples in the select widget.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]


def _shown(value: Any) -> str:
    """``{{ value }}`` in an autoescaping template (``render_value_in_context``)."""
    return conditional_escape(str(localize(template_localtime(value))))


def _as_text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``."""
    return conditional_escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``django/forms/widgets/attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_shown(name)}")
        if value is not True:
            out.append(f'="{_as_text(value)}"')
    return "".join(out)


class QuickSelect(forms.Select):
    """``forms.Select`` rendering the very HTML of Django's templates (``select.html``,
    ``select_option.html``, ``attrs.html``) without the template engine: same context
    (``get_context``: the options, their ``selected``, the attributes), same escaping, same
    whitespace. A renderer other than Django's own templates (a project's ``FORM_RENDERER``, a
    form's ``default_renderer``) or other templates get Django's rendering, unchanged."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        if type(renderer or get_default_renderer()) is not DjangoTemplates or (
            self.template_name,
            self.option_template_name,
        ) != (forms.Select.template_name, forms.Select.option_template_name):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_shown(group_name)}">')
            for option in group_choices:
                out.append(
                    f'\n  <option value="{_as_text(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{_shown(option['label'])}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
