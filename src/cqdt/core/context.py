"""Per-request context (request id) carried through contextvars, not through arguments."""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("cqdt_request_id", default="")


def current_request_id() -> str:
    return request_id_var.get()
