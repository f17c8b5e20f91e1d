"""What the oversight API's operations share: the one router (each operation keeping the id it
had when the API was one module), the caller's scope, paging, and writes on a found record."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.audit import Actor
from cqdt.core.keywords import given as given
from cqdt.core.keywords import payload_fields as payload_fields
from cqdt.core.schemas import OnDate
from cqdt.oversight import schemas, selectors, services
from cqdt.oversight.api import answers
from cqdt.staff.access import require_official, require_unit_in

WARD = r"^\d{5}$"
MAX_PAGE = 500

M = TypeVar("M", bound=Model)
W = TypeVar("W")


class OversightRouter(Router):
    """The router of ``cqdt.oversight.api``: an operation's id stays ``cqdt_oversight_api_<name>``
    (the OpenAPI document's, which generated clients call by), whichever module of the package
    defines it."""

    def add_api_operation(
        self,
        path: str,
        methods: list[str],
        view_func: Callable[..., Any],
        *,
        operation_id: str | None = None,
        **options: Any,
    ) -> None:
        super().add_api_operation(
            path,
            methods,
            view_func,
            operation_id=operation_id or f"cqdt_oversight_api_{view_func.__name__}",
            **options,
        )


router = OversightRouter(auth=STAFF_AUTH)


# --- scope -------------------------------------------------------------------------------------


def acting(request: HttpRequest) -> dict[str, Any]:
    """Who acts in an oversight write: the audit actor and the official (403 without one)."""
    return {"actor": Actor.of(request.user), "official": require_official(request)}


def in_ward(request: HttpRequest, visible: set[str] | None, ward_code: str) -> dict[str, Any]:
    """A write for a ward: the ward checked to lie in ``visible`` (else the same 404 as a
    missing one), then who acts (``acting``) and the ward, as the services name them."""
    ward_visible(visible, ward_code, "ward_code")
    return {**acting(request), "ward_code": ward_code}


def scope_of(request: HttpRequest) -> set[str] | None:
    return selectors.visible_unit_codes(request.user)


def ward_visible(visible: set[str] | None, code: str, field: str) -> None:
    """A ward out of scope answers as a missing one, without repeating the code asked for."""
    require_unit_in(visible, code, field=field)


def ward_scope(request: HttpRequest, ward: str | None) -> set[str] | None:
    """The caller's scope, the ward asked for (if any) checked to lie in it."""
    visible = scope_of(request)
    if ward:
        ward_visible(visible, ward, "ward")
    return visible


def paged(qs: QuerySet[M], params: PageQuery, out: Callable[[M], dict[str, Any]]) -> dict[str, Any]:
    """One page of ``qs`` (``limit`` rows from ``offset``), each row answered by ``out``."""
    page = qs[params.offset : params.offset + params.limit]
    return {
        "items": [out(row) for row in page],
        "count": qs.count(),
        "limit": params.limit,
        "offset": params.offset,
    }


# --- a body's fields, as a service's keywords --------------------------------------------------

# A payload is never passed to a service whole, so a field later added to a schema under the name
# of a keyword the service takes from the platform (``services.SERVICE_ONLY``: who acts, the
# clock, the demo data's mark) reaches no service.
SERVICE_ONLY = services.SERVICE_ONLY


@dataclass(frozen=True)
class Record:
    """A kind of record the API's writes act on: how to find one in the caller's scope, the name
    the services give it (its path parameter is ``<name>_id``, under ``/<name>s``), and how it
    is answered."""

    find: Callable[[str, set[str] | None], Any]
    name: str
    out: Callable[..., dict[str, Any]]
    response: type[Schema]

    def write(
        self,
        request: HttpRequest,
        record_id: str,
        service: Callable[..., W],
        payload: Schema,
        fields: tuple[str, ...],
    ) -> W:
        """``service`` on the record ``record_id`` (outside the caller's scope, the same 404 as a
        missing one), by the caller (``acting``: 403 without an official), with the payload's
        ``fields`` (``given``), which are named as the service's arguments."""
        record = self.find(record_id, scope_of(request))
        return service(**acting(request), **{self.name: record}, **given(payload, fields))

    def post(
        self,
        step: str,
        payload: type[Schema],
        service: Callable[..., Any],
        summary: str,
        *,
        fields: tuple[str, ...],
        answer: Record | None = None,
        operation: str | None = None,
    ) -> None:
        """``POST /<name>s/{<name>_id}/<step>``: ``write`` with ``service`` and the payload's
        ``fields`` (every field of ``payload``, named one by one: ``payload_fields``), its result
        answered as ``answer`` (this record by default); the operation named ``<name>_<step>``
        unless ``operation`` says otherwise."""
        out = answer or self
        fields = payload_fields(payload, fields, self.name)

        def endpoint(request: HttpRequest, **args: Any) -> dict[str, Any]:
            return out.out(self.write(request, args[self.param], service, args["payload"], fields))

        self._signed(endpoint, operation or f"{self.name}_{step.replace('-', '_')}", payload)
        router.post(f"{self.path}/{step}", response=out.response, summary=summary)(endpoint)

    def get(self, summary: str) -> None:
        """``GET /<name>s/{<name>_id}``: the record in the caller's scope (outside it, the same
        404 as a missing one), answered as this record; the operation named ``<name>_detail``."""

        def endpoint(request: HttpRequest, **args: Any) -> dict[str, Any]:
            return self.out(self.find(args[self.param], scope_of(request)))

        self._signed(endpoint, f"{self.name}_detail")
        router.get(self.path, response=self.response, summary=summary)(endpoint)

    @property
    def param(self) -> str:
        return f"{self.name}_id"

    @property
    def path(self) -> str:
        return f"/{self.name}s/{{{self.param}}}"

    def _signed(
        self, endpoint: Callable[..., Any], name: str, payload: type[Schema] | None = None
    ) -> None:
        """``endpoint`` named ``name`` (its operation's id), taking the request, the record's id
        as ``<name>_id`` and, for a write, ``payload``: what ninja reads to parse a call."""
        arg = inspect.Parameter.POSITIONAL_OR_KEYWORD
        params = [
            inspect.Parameter("request", arg, annotation=HttpRequest),
            inspect.Parameter(self.param, arg, annotation=str),
        ]
        if payload is not None:
            params.append(inspect.Parameter("payload", arg, annotation=payload))
        endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        endpoint.__name__ = name


PETITION = Record(selectors.petition_for, "petition", answers.petition_out, schemas.PetitionOut)
QUESTION = Record(selectors.question_for, "question", answers.question_out, schemas.QuestionOut)
COMMITMENT = Record(
    selectors.commitment_for, "commitment", answers.commitment_out, schemas.CommitmentOut
)
CONFERENCE = Record(
    selectors.conference_for, "conference", answers.conference_out, schemas.ConferenceOut
)


class OnQuery(Schema):
    on: OnDate = None


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=10_000_000)


class WardPageQuery(PageQuery):
    """A page of records, of one ward if ``ward`` is given (checked by ``ward_scope``)."""

    ward: str | None = Field(None, pattern=WARD)


class VersionIn(Schema):
    version: int = Field(..., ge=1, description="The version you last saw; a stale one gets 409.")
