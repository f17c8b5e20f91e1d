"""core.records: the scope of a row read by its unique key."""

import pytest


def test_held_within_answers_a_missing_and_an_out_of_scope_row_alike():
    from types import SimpleNamespace

    from cqdt.core.records import held_within

    class Missing(Exception):
        pass

    row = SimpleNamespace(unit_code="00001")
    assert held_within(row, None, Missing) is row  # every unit
    assert held_within(row, {"00001", "001"}, Missing) is row
    for visible in ({"00004"}, set()):
        with pytest.raises(Missing):
            held_within(row, visible, Missing)
    with pytest.raises(Missing):
        held_within(None, None, Missing)
