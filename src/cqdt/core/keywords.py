"""A request's body reaches a service field by field, never whole.

A service takes some keywords from the platform, never from what a client sends (a request's
body, a page's form): who acts (the audit actor, the official), the clock (``now``: the server's,
a test's or the demo loader's) and the demo data's mark (``is_demo``) — ``SERVICE_ONLY``. Were a
payload passed to a service whole (``service(**payload.model_dump())``), a field later added to
its schema under one of these names would reach the service unreviewed: a client could backdate
a record or hide it as demo. So an endpoint names the fields it passes (``payload_fields``,
checked when the endpoint is registered: a mistake fails at import) and passes only them
(``given``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

SERVICE_ONLY = frozenset({"actor", "official", "now", "is_demo"})


def payload_fields(
    payload: type[BaseModel], fields: tuple[str, ...], *reserved: str
) -> tuple[str, ...]:
    """``fields``, checked: they are exactly ``payload``'s fields — one added to the schema must
    be named too, so it is reviewed before it reaches a service — and none is a service-only
    keyword (``SERVICE_ONLY``) nor one the endpoint gives itself (``reserved``: the record the
    path names)."""
    declared = set(payload.model_fields)
    refused = (SERVICE_ONLY | set(reserved)) & set(fields)
    if refused:
        raise TypeError(
            f"{payload.__name__}: {', '.join(sorted(refused))} is the service's own, never a "
            "request body's"
        )
    if set(fields) != declared or len(fields) != len(declared):
        raise TypeError(
            f"{payload.__name__}: the fields named ({', '.join(fields)}) are not the schema's "
            f"({', '.join(sorted(declared))})"
        )
    return fields


def given(payload: BaseModel, fields: tuple[str, ...]) -> dict[str, Any]:
    """The payload's ``fields``, each by its name, as a service's keywords: never the payload
    whole, whatever else its schema (or a subclass of it) holds."""
    return {name: getattr(payload, name) for name in fields}
