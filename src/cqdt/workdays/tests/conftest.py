import pytest

from cqdt.workdays.calendar import Calendar


@pytest.fixture(scope="session")
def calendar() -> Calendar:
    """The statutory calendar (holidays library, no overrides) for 2015–2031."""
    return Calendar.build(2015, 2031)


@pytest.fixture
def fresh_calendar_cache():
    from cqdt.workdays.selectors import clear_cache

    clear_cache()
    yield
    clear_cache()
