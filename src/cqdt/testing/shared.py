"""When a world built once may stand under a whole test module (pytest only)."""

from __future__ import annotations

from typing import Any

# What a test asks for when it loads reference data itself or commits: a world held open in a
# module-wide transaction would be loaded twice or flushed under it.
NOT_WITH = (
    "reference_data",
    "one_stop_reference",
    "history_reference_data",
    "transactional_db",
    "live_server",
)


def commits(item: Any) -> bool:
    """``@pytest.mark.django_db(transaction=True)``: the test commits (no fixture name says so)."""
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


def every_test_of_the_module_uses(
    request: Any, name: str, without: tuple[str, ...] = NOT_WITH
) -> bool:
    """Whether every test of the requesting module asks for the fixture ``name`` and none for
    any of ``without``: only then may a world built once, inside a transaction rolled back when
    the module ends (Django's ``setUpTestData``), stand under every test of it."""
    items = [i for i in request.session.items if getattr(i, "module", None) is request.module]
    return all(
        name in i.fixturenames and not any(w in i.fixturenames for w in without) and not commits(i)
        for i in items
    )
