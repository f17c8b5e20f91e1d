"""The staff's moves on a record found by its code, as API operations (dossiers and feedback both
offer them): ``POST <path>/<action>`` a move each, with its own payload schema and operation id,
and an action no move is named after answered with ``core.errors.no_such_action``'s 404 once the
record is found (a record outside the caller's scope stays the same 404 as a missing one)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from cqdt.core import keywords
from cqdt.core.errors import no_such_action


@dataclass(frozen=True)
class Move:
    """One move: its action (the path's last part), the payload it takes, the service that makes
    it, the operation's summary and the payload's ``fields``, named as the service's arguments:
    every field of the schema, one by one, and none a keyword the service takes from the
    platform or the record's ``code`` (``core.keywords.payload_fields``, checked here, so a
    mistake fails at import). The service gets only them (``given``), never the payload whole."""

    action: str
    payload: type[Schema]
    service: Callable[..., Any]
    summary: str
    fields: tuple[str, ...]

    def __post_init__(self) -> None:
        keywords.payload_fields(self.payload, self.fields, "code")

    def given(self, payload: Schema) -> dict[str, Any]:
        """``payload``'s fields, by name, as the service's keywords."""
        return keywords.given(payload, self.fields)


def moves_register(
    router: Router,
    path: str,
    moves: Iterable[Move],
    *,
    find: Callable[[HttpRequest, str], Any],
    make: Callable[[HttpRequest, Any, Move, Any], dict[str, Any]],
    response: Any,
    name: str,
    operation_id: str,
    unknown_summary: str | None = None,
) -> None:
    """``POST <path>/<action>`` for each of ``moves``, in their order: the record ``find``
    (request, code) gives, then ``make`` (request, record, move, payload) answers. The endpoint is
    named ``name`` and its operation ``operation_id``, each formatted with the action (the
    name is also the URL's). Then ``POST <path>/{action}``, out of the schema: an unknown action."""
    for move in moves:
        _register(router, path, move, find, make, response, name, operation_id)

    def unknown_action(request: HttpRequest, code: str, action: str) -> dict[str, Any]:
        find(request, code)
        raise no_such_action(action)

    router.post(f"{path}/{{action}}", summary=unknown_summary, include_in_schema=False)(
        unknown_action
    )


def _register(
    router: Router,
    path: str,
    move: Move,
    find: Callable[[HttpRequest, str], Any],
    make: Callable[[HttpRequest, Any, Move, Any], dict[str, Any]],
    response: Any,
    name: str,
    operation_id: str,
) -> None:
    def endpoint(request: HttpRequest, code: str, payload: Any) -> dict[str, Any]:
        return make(request, find(request, code), move, payload)

    endpoint.__annotations__["payload"] = move.payload
    endpoint.__name__ = name.format(move.action)
    router.post(
        f"{path}/{move.action}",
        response=response,
        summary=move.summary,
        operation_id=operation_id.format(move.action),
    )(endpoint)
