"""``{% signed_result_of d as result %}``: a dossier's signed result for its applicant's lookup
page (QA Q8) — its number, date and verify link, read here because the dossiers context does not
read documents (``config/tests/test_dependency_directions``)."""

from __future__ import annotations

from typing import Any

from django import template

from cqdt.documents import selectors

register = template.Library()


@register.simple_tag
def signed_result_of(dossier: Any) -> dict[str, Any] | None:
    doc = selectors.signed_result(dossier.pk)
    return selectors.public_summary(doc) if doc is not None else None
