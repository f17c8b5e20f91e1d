"""What each context contributes to the platform-wide commands, registered by the context itself.

ARCHITECTURE.md, "Directions of dependency": contexts depend downward only, and nothing below a
context may name it. The commands that span every context — ``cqdt load_reference_data`` and
``cqdt run_periodic`` — therefore live in ``core`` and know no context: each context registers
its reference loader and its periodic tasks from its ``AppConfig.ready()``, which Django calls
in ``INSTALLED_APPS`` order (the dependency order, so units load before the procedures and the
desks that refer to them). A context that is not installed registers nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, QuerySet, Window
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ReferenceLoader:
    """One context's reference data: ``load()`` is idempotent and returns a one-line summary."""

    context: str
    load: Callable[[], str]


@dataclass(frozen=True)
class PeriodicTask:
    """A django-tasks task enqueued on every ``cqdt run_periodic``."""

    context: str
    name: str
    task: Any  # django_tasks.Task; typed loosely so core does not import the backend


_reference_loaders: list[ReferenceLoader] = []
_periodic_tasks: list[PeriodicTask] = []


def add_reference_loader(context: str, load: Callable[[], str]) -> None:
    """Register ``context``'s reference loader (once; a second registration replaces the first)."""
    _reference_loaders[:] = [r for r in _reference_loaders if r.context != context]
    _reference_loaders.append(ReferenceLoader(context, load))


def add_periodic(context: str, *tasks: Any) -> None:
    """Register ``context``'s periodic tasks (by their function name; repeats are ignored)."""
    known = {(p.context, p.name) for p in _periodic_tasks}
    for task in tasks:
        name = str(
            getattr(getattr(task, "func", None), "__name__", "") or getattr(task, "name", "")
        )
        if (context, name) not in known:
            _periodic_tasks.append(PeriodicTask(context, name, task))
            known.add((context, name))


def reference_loaders() -> tuple[ReferenceLoader, ...]:
    return tuple(_reference_loaders)


def periodic_tasks() -> tuple[PeriodicTask, ...]:
    return tuple(_periodic_tasks)


# An action that a higher context performs in place of a lower one's own, so that the lower
# context's entry points (its API and pages) reach it without naming the higher context: the
# documents context registers "dossiers.sign" — the dossier's sign move together with its
# numbered, signed result document (issue 12).
_actions: dict[str, Callable[..., Any]] = {}


def set_action(name: str, call: Callable[..., Any]) -> None:
    _actions[name] = call


def action(name: str, default: Callable[..., Any]) -> Callable[..., Any]:
    """The registered action ``name``, or ``default`` when no installed context provides it."""
    return _actions.get(name, default)


# Gates on a login: each answers whether ``user`` may act now (a password login, a session, a
# bearer token). A context that ties accounts to something (posts held) registers its gate; with
# none registered every active user may act.
_login_gates: list[tuple[str, Callable[[Any], bool]]] = []


def add_login_gate(context: str, gate: Callable[[Any], bool]) -> None:
    """Register ``context``'s login gate (once; a second registration replaces the first)."""
    _login_gates[:] = [g for g in _login_gates if g[0] != context]
    _login_gates.append((context, gate))


def login_allowed(user: Any) -> bool:
    return all(gate(user) for _, gate in _login_gates)


# The staff home's worklist (issue 13 item 7): each context that holds work for a person adds
# the sections it knows (dossiers: mine, due soon, overdue, to sign, supplements returned;
# oversight: petitions and questions waiting for an answer), and the staff console shows them
# without naming the contexts above it. A provider gets the user and the moment, and returns its
# sections (one database query each, counted in the tests).


@dataclass(frozen=True)
class WorkItem:
    """One line of a section: what it is, where to act on it, and a note (the due date)."""

    label: str
    url: str
    note: str = ""
    late: bool = False


@dataclass(frozen=True)
class WorklistSection:
    key: str
    title: str
    count: int
    items: tuple[WorkItem, ...]
    url: str  # the full list behind the count
    context: str = ""


WORKLIST_ROWS = 5


def worklist_section(
    key: str,
    title: str,
    qs: QuerySet[Any],
    item: Callable[[Any], WorkItem],
    url: str,
    context: str,
) -> WorklistSection:
    """A section: the first rows of ``qs`` and the count of them all, in one query (each row
    carries the whole query's count, ``COUNT(*) OVER ()``)."""
    rows = list(qs.annotate(total=Window(Count("pk")))[:WORKLIST_ROWS])
    return WorklistSection(
        key=key,
        title=title,
        count=rows[0].total if rows else 0,
        items=tuple(item(row) for row in rows),
        url=url,
        context=context,
    )


_worklists: list[tuple[str, Callable[..., list[WorklistSection]]]] = []


def add_worklist(context: str, sections: Callable[..., list[WorklistSection]]) -> None:
    """Register ``context``'s worklist provider ``sections(user, now)`` (once per context)."""
    _worklists[:] = [w for w in _worklists if w[0] != context]
    _worklists.append((context, sections))


def worklists() -> tuple[tuple[str, Callable[..., list[WorklistSection]]], ...]:
    return tuple(_worklists)


class ContextConfig(AppConfig):
    """A context's ``AppConfig`` that declares what it contributes, by dotted path; ``ready()``
    registers it here, in ``INSTALLED_APPS`` order, so that every context is wired the same way
    and nothing below it names it (ARCHITECTURE.md, "Directions of dependency").

    ``periodic``: django-tasks tasks for ``cqdt run_periodic``; ``reference_loader``: ``load() ->
    str`` for ``cqdt load_reference_data``; ``worklist``: ``sections(user, now)`` for the staff
    home; ``login_gate``: ``may_log_in(user)``; ``cached_models``: the models (by name, in this
    app) whose saves clear the reference cache. Signals and actions that are not one of these go in
    ``connect()``.

    Name it as ``registry.ContextConfig`` in an ``apps.py``: a second ``AppConfig`` class among the
    module's names would make Django fall back to a plain ``AppConfig`` for the app.
    """

    periodic: ClassVar[tuple[str, ...]] = ()
    reference_loader: ClassVar[str] = ""
    worklist: ClassVar[str] = ""
    login_gate: ClassVar[str] = ""
    cached_models: ClassVar[tuple[str, ...]] = ()

    def ready(self) -> None:
        from cqdt.core import refcache

        context = self.label
        for path in (*self.periodic, self.reference_loader, self.worklist, self.login_gate):
            if path and not path.startswith(f"{self.name}."):
                # A context names only its own modules here; what it needs from below it imports
                # (the dependency test walks these paths as imports).
                raise ImproperlyConfigured(f"{self.name} declares {path}, outside its package")
        if self.cached_models:
            refcache.watch(*(self.get_model(name) for name in self.cached_models))
        if self.reference_loader:
            add_reference_loader(context, import_string(self.reference_loader))
        if self.periodic:
            add_periodic(context, *(import_string(path) for path in self.periodic))
        if self.login_gate:
            add_login_gate(context, import_string(self.login_gate))
        if self.worklist:
            add_worklist(context, import_string(self.worklist))
        self.connect()

    def connect(self) -> None:
        """The context's other wiring (signal receivers, actions); nothing by default."""
