"""Per-request context (request id, the unit acted on) carried through contextvars, not through
arguments."""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("cqdt_request_id", default="")
# The administrative unit a request acted in (a public code, never personal data), for the access
# log: noted by whoever learns it (``note_unit``), the staff policy when it resolves a user.
unit_var: ContextVar[str] = ContextVar("cqdt_unit", default="")


def current_request_id() -> str:
    return request_id_var.get()


def note_unit(code: str) -> None:
    """Record the unit the current request acts in (the first noted wins)."""
    if code and not unit_var.get():
        unit_var.set(code)
