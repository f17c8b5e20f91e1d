"""The short-lived reference cache of hot paths."""

import pytest
from django.test import override_settings

from cqdt.core import refcache
from cqdt.core.errors import NotFound
from cqdt.testing import ProcedureFactory


@pytest.fixture(autouse=True)
def _empty():
    refcache.clear()
    yield
    refcache.clear()


def _counting(value):
    calls = []

    def load():
        calls.append(1)
        return value

    return load, calls


def test_without_a_ttl_every_read_loads():
    load, calls = _counting("x")
    with override_settings(CQDT_REFERENCE_CACHE_SECONDS=0):
        assert refcache.get("k", load) == "x"
        assert refcache.get("k", load) == "x"
    assert len(calls) == 2


def test_within_the_ttl_one_load_serves_many_reads():
    load, calls = _counting("x")
    with override_settings(CQDT_REFERENCE_CACHE_SECONDS=60):
        assert [refcache.get("k", load) for _ in range(5)] == ["x"] * 5
        assert refcache.get("other", load) == "x"
    assert len(calls) == 2


def test_an_expired_entry_is_loaded_again(monkeypatch):
    load, calls = _counting("x")
    clock = [1000.0]
    monkeypatch.setattr(refcache.time, "monotonic", lambda: clock[0])
    with override_settings(CQDT_REFERENCE_CACHE_SECONDS=2):
        refcache.get("k", load)
        clock[0] += 1.9
        refcache.get("k", load)
        assert len(calls) == 1
        clock[0] += 0.2
        refcache.get("k", load)
    assert len(calls) == 2


def test_errors_are_not_kept():
    calls = []

    def load():
        calls.append(1)
        raise NotFound("Không có.", "Missing.")

    with override_settings(CQDT_REFERENCE_CACHE_SECONDS=60):
        for _ in range(2):
            with pytest.raises(NotFound):
                refcache.get("k", load)
    assert len(calls) == 2


@pytest.mark.django_db
def test_saving_a_watched_model_clears_the_cache():
    load, calls = _counting("x")
    with override_settings(CQDT_REFERENCE_CACHE_SECONDS=60):
        refcache.get("k", load)
        ProcedureFactory(slug="thu-tuc-thu")  # a Procedure saved
        refcache.get("k", load)
    assert len(calls) == 2
