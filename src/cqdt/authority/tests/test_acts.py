"""Act kinds, their fields, and which delegation scopes cover them (pure, no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqdt.authority import acts
from cqdt.authority.wording import act_label

ALL = acts.all_acts()
SIGN_RESULTS = [a for a in ALL if a.startswith("sign_result:")]
FIXED = [a for a in ALL if not a.startswith("sign_result:")]
PATTERN = "sign_result:*"

act_kinds = st.sampled_from(ALL)
scopes = st.lists(st.sampled_from([*ALL, PATTERN]), max_size=6)
junk = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_:*", max_size=20)


def test_every_listed_act_is_valid_and_belongs_to_a_known_field():
    assert "certify_copy" in ALL and "sign_result:land" in ALL
    for act in ALL:
        assert acts.is_valid_act(act)
        assert acts.field_of(act) in acts.FIELDS


def test_fields_of_acts():
    assert acts.field_of("certify_copy") == "certification"
    assert acts.field_of("register_civil_status") == "civil_status"
    assert acts.field_of("sign_result:land") == "land"
    assert acts.field_of("issue_document") == "general"


def test_unknown_or_malformed_acts_are_invalid():
    for act in ("", "certify", "sign_result:", "sign_result:moon", PATTERN, "CERTIFY_COPY", "a b"):
        assert not acts.is_valid_act(act)


@given(junk)
def test_validity_is_membership_in_the_catalogue(text):
    assert acts.is_valid_act(text) == (text in ALL)


@given(scopes, act_kinds)
def test_a_scope_covers_an_act_it_names_or_a_pattern_matching_it(scope, act):
    expected = act in scope or (PATTERN in scope and act.startswith("sign_result:"))
    assert acts.scope_covers(scope, act) == expected


@given(scopes, scopes, act_kinds)
def test_a_wider_scope_covers_at_least_as_much(scope, extra, act):
    if acts.scope_covers(scope, act):
        assert acts.scope_covers(scope + extra, act)


@given(act_kinds)
def test_an_empty_scope_covers_nothing_and_a_single_entry_covers_itself(act):
    assert not acts.scope_covers([], act)
    assert acts.scope_covers([act], act)


@given(st.sampled_from(FIXED))
def test_the_sign_result_pattern_never_covers_fixed_acts(act):
    assert not acts.scope_covers([PATTERN], act)


@given(st.sampled_from(SIGN_RESULTS))
def test_the_sign_result_pattern_covers_every_field_result(act):
    assert acts.scope_covers([PATTERN], act)
    assert not acts.scope_covers(["certify_copy", "register_civil_status"], act)


@given(scopes, act_kinds)
def test_scope_order_does_not_matter(scope, act):
    assert acts.scope_covers(scope, act) == acts.scope_covers(list(reversed(scope)), act)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_act_reads_as_words_not_as_its_code(lang):
    """The signing page and the delegation forms name each act in words (decide_residence read
    as its code in the grid)."""
    for act in acts.all_acts():
        label = act_label(act, lang)
        assert label and label != act and "_" not in label, (act, label)


def test_the_governance_models_shipped_list_only_acts_a_source_lets_the_chairman_delegate():
    """The models' delegable lists are configuration ([C], units/data/governance.json): each entry
    must name one act of the catalogue, not a pattern, and not one the committee does not decide
    (DOMAIN §8) — a misspelt act would match no delegation and be refused without saying why."""
    import json
    from importlib import resources

    shipped = json.loads(resources.files("cqdt.units").joinpath("data/governance.json").read_text())
    for model in shipped["models"]:
        assert acts.delegable_list_errors(model["delegable_acts"]) == [], model["slug"]


def test_a_pattern_an_unknown_act_or_an_act_decided_outside_the_committee_is_not_delegable():
    outside = sorted(acts.DECIDED_OUTSIDE_COMMITTEE)[0]
    listed = ["certify_copy", PATTERN, "certify_moon", outside]
    assert acts.delegable_list_errors(listed) == [PATTERN, "certify_moon", outside]
