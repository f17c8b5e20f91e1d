"""The table of allowed moves (pure): no sequence of actions leaves the table's states.

Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP), DOMAIN §3. Property-based: hypothesis
draws sequences of actions, the machine applies the allowed ones and checks the invariants after
every step; final states accept no move at all.
"""

from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from cqdt.dossiers import workflow
from cqdt.dossiers.models import Status

ACTIONS = sorted(workflow.MOVES)
NON_FINAL = [s for s in workflow.STATES if s not in workflow.FINAL]


def test_the_model_status_choices_are_the_workflow_states():
    assert set(Status.values) == set(workflow.STATES)
    assert set(workflow.STATE_LABELS) == set(workflow.STATES)


def test_every_move_names_known_states():
    for move in workflow.MOVES.values():
        assert move.sources <= set(workflow.STATES), move.action
        assert move.target is None or move.target in workflow.STATES, move.action
        assert move.label_vi and move.label_en


@pytest.mark.parametrize("state", sorted(workflow.FINAL))
def test_final_states_accept_no_move(state):
    assert workflow.allowed_actions(state) == []
    assert not any(workflow.can_move(action, state) for action in ACTIONS)


@pytest.mark.parametrize("state", NON_FINAL)
def test_every_open_state_can_still_reach_a_final_state(state):
    seen, todo = {state}, deque([state])
    while todo:
        current = todo.popleft()
        for action in workflow.allowed_actions(current):
            nxt = workflow.target_of(action, current)
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen & workflow.FINAL


def test_the_main_path_and_the_supplement_loops():
    path = [
        ("accept", workflow.ACCEPTED),
        ("assign", workflow.ASSIGNED),
        ("start_processing", workflow.PROCESSING),
        ("request_supplement", workflow.SUPPLEMENT),
        ("resubmit", workflow.PROCESSING),
        ("submit_for_signature", workflow.AWAITING_SIGNATURE),
        ("sign", workflow.SIGNED),
        ("return_result", workflow.RETURNED),
    ]
    state = workflow.SUBMITTED
    for action, expected in path:
        assert workflow.can_move(action, state)
        state = workflow.target_of(action, state)
        assert state == expected
    # At intake the supplement loop returns to "submitted": no clock runs yet.
    assert (
        workflow.target_of("request_supplement", workflow.SUBMITTED) == workflow.INTAKE_SUPPLEMENT
    )
    assert workflow.target_of("resubmit", workflow.INTAKE_SUPPLEMENT) == workflow.SUBMITTED


def test_an_apology_keeps_the_state_and_needs_a_due_date():
    for state in workflow.MOVES["apologise"].sources:
        assert workflow.target_of("apologise", state) == state
        assert state in workflow.OPEN_WITH_DUE
    assert not workflow.can_move("apologise", workflow.SUBMITTED)


def test_unknown_actions_are_never_allowed():
    assert not workflow.can_move("teleport", workflow.SUBMITTED)


@given(state=st.sampled_from(workflow.STATES), action=st.sampled_from(ACTIONS))
def test_can_move_agrees_with_allowed_actions(state, action):
    assert workflow.can_move(action, state) == (action in workflow.allowed_actions(state))
    if workflow.can_move(action, state):
        assert workflow.target_of(action, state) in workflow.STATES


@given(st.lists(st.sampled_from(ACTIONS), max_size=40))
def test_random_sequences_stay_inside_the_table(actions):
    state = workflow.SUBMITTED
    accepted = False  # a due date exists once accepted
    for action in actions:
        if not workflow.can_move(action, state):
            continue
        state = workflow.target_of(action, state)
        accepted = accepted or state == workflow.ACCEPTED
        assert state in workflow.STATES
        if state in workflow.OPEN_WITH_DUE:
            assert accepted, "the clock runs only on an accepted dossier"
    if state in workflow.FINAL:
        assert workflow.allowed_actions(state) == []


class DossierMachine(RuleBasedStateMachine):
    """A dossier driven by random actions; invalid ones must be refused by the table."""

    def __init__(self):
        super().__init__()
        self.state = workflow.SUBMITTED
        self.history = [self.state]

    @rule(action=st.sampled_from(ACTIONS))
    def act(self, action):
        before = self.state
        if workflow.can_move(action, before):
            self.state = workflow.target_of(action, before)
            self.history.append(self.state)
        else:
            assert action not in workflow.allowed_actions(before)

    @precondition(lambda self: self.state in workflow.FINAL)
    @rule(action=st.sampled_from(ACTIONS))
    def final_is_final(self, action):
        assert not workflow.can_move(action, self.state)

    @invariant()
    def state_is_known(self):
        assert self.state in workflow.STATES

    @invariant()
    def nothing_leaves_a_final_state(self):
        finals = [i for i, s in enumerate(self.history) if s in workflow.FINAL]
        if finals:
            assert finals[0] == len(self.history) - 1

    @invariant()
    def signed_only_after_awaiting_signature(self):
        for prev, cur in zip(self.history, self.history[1:], strict=False):
            if cur == workflow.SIGNED and prev != workflow.SIGNED:  # an apology keeps the state
                assert prev == workflow.AWAITING_SIGNATURE
            if cur == workflow.RETURNED:
                assert prev == workflow.SIGNED


DossierMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)
TestDossierMachine = DossierMachine.TestCase
