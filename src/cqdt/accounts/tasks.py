"""Periodic work of the accounts context."""

from django_tasks import task

from cqdt.accounts import services
from cqdt.units import selectors as unit_selectors


@task()
def close_ended_accounts_task() -> int:
    """Close the accounts of officials whose last post has ended (issue 18)."""
    return services.accounts_close_ended(unit_selectors.today())
