"""A domain error that no view handled is answered with its own status: a page, or for htmx a
fragment; forms and lookups use ``core.web_errors``."""

from __future__ import annotations

import pytest
from django import forms
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from cqdt.core.errors import InvalidInput, NotFound, PermissionDenied
from cqdt.core.web_errors import form_error, or_404
from cqdt.web.middleware import DomainErrorMiddleware

middleware = DomainErrorMiddleware(lambda request: HttpResponse())


def test_an_unhandled_error_is_a_page_with_its_status():
    request = RequestFactory().get("/x")
    response = middleware.process_exception(
        request, PermissionDenied("Không được phép.", "Not allowed.")
    )
    assert response is not None and response.status_code == 403
    assert "Không được phép." in response.content.decode()
    assert "<html" in response.content.decode().lower()


def test_for_htmx_the_answer_is_a_fragment_and_other_exceptions_pass():
    request = RequestFactory().post("/x", headers={"HX-Request": "true"})
    response = middleware.process_exception(request, NotFound("Không thấy.", "Not found."))
    assert response is not None and response.status_code == 404
    assert "<html" not in response.content.decode().lower()
    assert 'data-code="not_found"' in response.content.decode()
    assert middleware.process_exception(request, ValueError("x")) is None


class ApplicantForm(forms.Form):
    applicant_name = forms.CharField()


def test_a_form_error_lands_on_its_field_and_gives_the_status():
    form = ApplicantForm({"applicant_name": "x"})
    assert form.is_valid()
    status = form_error(form, InvalidInput("Sai tên.", "Bad name.", field="applicant.name"))
    assert status == 422 and form.errors["applicant_name"] == ["Sai tên."]


def test_or_404_turns_a_domain_error_into_http404():
    def find(code):
        raise NotFound("Không thấy.", "Not found.")

    with pytest.raises(Http404):
        or_404(find, "x")
    assert or_404(str.upper, "x") == "X"
