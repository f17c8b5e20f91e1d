"""Domain errors that a view does not handle become a page (or an htmx fragment) with the
error's status: see ``core.web_errors`` for the one way from a domain error to a response."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cqdt.core.errors import DomainError
from cqdt.core.web_errors import error_page


class DomainErrorMiddleware:
    """``process_exception`` for ``DomainError`` outside the API (the API has its handlers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        return error_page(request, exception)
