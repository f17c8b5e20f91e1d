"""The report's state machine (pure): the table of moves, and where any sequence of moves can go."""

from hypothesis import given
from hypothesis import strategies as st

from cqdt.feedback import workflow

ACTIONS = sorted(workflow.MOVES)


def test_the_main_path_and_its_branches():
    state = workflow.RECEIVED
    for action in ("acknowledge", "assign", "start", "resolve", "close"):
        assert workflow.can_move(action, state), (action, state)
        state = workflow.TARGET[action]
    assert state == workflow.CLOSED
    assert workflow.can_move("reopen", workflow.CLOSED)
    assert workflow.can_move("reopen", workflow.RESOLVED)
    assert workflow.TARGET["reopen"] == workflow.IN_PROGRESS
    assert workflow.TARGET["forward"] == workflow.RECEIVED  # the competent unit receives it afresh


def test_what_cannot_happen():
    assert not workflow.can_move("close", workflow.IN_PROGRESS)  # only a resolved report closes
    assert not workflow.can_move("start", workflow.RECEIVED)  # someone is assigned first
    assert not workflow.can_move("forward", workflow.RESOLVED)
    assert not workflow.can_move("acknowledge", workflow.ACKNOWLEDGED)
    assert not workflow.can_move("no-such-action", workflow.RECEIVED)
    for action in ACTIONS:
        assert not workflow.can_move(action, workflow.NOT_COMPETENT) or action == "reopen"


def test_open311_knows_open_and_closed():
    assert workflow.open311_status(workflow.RESOLVED) == "closed"
    assert workflow.open311_status(workflow.CLOSED) == "closed"
    for state in workflow.OPEN:
        assert workflow.open311_status(state) == "open"


@given(st.lists(st.sampled_from(ACTIONS), max_size=30))
def test_any_sequence_of_allowed_moves_stays_in_known_states(actions):
    state = workflow.RECEIVED
    for action in actions:
        if workflow.can_move(action, state):
            state = workflow.TARGET[action]
        assert state in workflow.LABELS
        # A closed report can only be reopened; an open one can always be forwarded.
        if state == workflow.CLOSED:
            assert [a for a in ACTIONS if workflow.can_move(a, state)] == ["reopen"]
        if state in workflow.OPEN:
            assert workflow.can_move("forward", state)
