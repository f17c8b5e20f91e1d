"""The shipped unit data is what the script makes of the `vietnamadminunits` package (a dev
dependency): regenerated in memory and compared, so the CSVs cannot drift silently."""

import importlib.util
import runpy
import sys
from pathlib import Path

import pytest

from cqdt.units import governance_rules

SCRIPT = Path(__file__).resolve().parents[4] / "scripts" / "units_from_vietnamadminunits.py"


def test_the_shipped_csvs_match_the_package():
    assert importlib.util.find_spec("vietnamadminunits") is not None, (
        "vietnamadminunits is a dev dependency: pip install -c constraints.txt -e '.[dev]'"
    )
    module = runpy.run_path(str(SCRIPT), run_name="units_data_check")
    assert module["PACKAGE_VERSION"] == "1.0.4"
    assert module["main"](["--check"]) == 0


def test_resolution_1656_articles_read_match_the_links(tmp_path, monkeypatch):
    """A cross-check row that disagrees with the dataset stops the script (no silent mark)."""
    module = runpy.run_path(str(SCRIPT), run_name="units_data_check")
    wrong = tmp_path / "crosscheck.csv"
    text = module["CROSSCHECK"].read_text(encoding="utf-8")
    wrong.write_text(text.replace("Hàng Bạc;", "", 1), encoding="utf-8")
    module["_cross_check"].__globals__["CROSSCHECK"] = wrong
    with pytest.raises(SystemExit, match="cross-check failed"):
        module["build"]()
    sys.modules.pop("units_data_check", None)


def test_a_model_may_not_list_a_pattern_as_delegable():
    # DOMAIN §8: only acts a source allows (Decree 32/2021/NĐ-CP: certified copies).
    assert governance_rules.delegable_pattern_entries(["certify_copy", "sign_result:*"]) == [
        "sign_result:*"
    ]
    assert governance_rules.delegable_pattern_entries(["certify_copy"]) == []


@pytest.mark.parametrize(
    ("division_type", "ward_class", "limit"),
    [
        ("ward", "I", 23),
        ("ward", "II", 21),
        ("ward", "III", 19),
        ("commune", "I", 22),
        ("commune", "II", 20),
        ("commune", "III", 18),
        ("township", "III", 18),
        ("ward", "", None),  # class unknown: never guessed
    ],
)
def test_standard_staffing_norms_differ_for_wards_and_communes(division_type, ward_class, limit):
    # Decree 33/2023/NĐ-CP, Art. 6(1): ward I 23, II 21, III 19; commune, township I 22, II 20,
    # III 18 (cadres and civil servants combined). Earlier data applied the ward figures to all.
    import json

    spec = json.loads(
        (Path(governance_rules.__file__).parent / "data" / "governance.json").read_text("utf-8")
    )
    norm = next(m for m in spec["models"] if m["slug"] == "standard-2015")["staffing_norm"]
    assert governance_rules.staffing_norm(norm, ward_class, division_type).limit == limit


def test_the_two_tier_model_names_its_sources_and_leaves_unverified_figures_empty():
    import json

    spec = json.loads(
        (Path(governance_rules.__file__).parent / "data" / "governance.json").read_text("utf-8")
    )
    model = next(m for m in spec["models"] if m["slug"] == "two-tier-2025")
    assert "72/2025/QH15" in model["legal_basis"]
    assert "150/2025/NĐ-CP" in model["rule_sources"]["staffing_norm"]
    assert "300/2025/NĐ-CP" in model["rule_sources"]["chairman_approval"]
    assert governance_rules.max_vice_chairmen(model["max_vice_chairmen"], "ward", "I") is None
    assert governance_rules.max_vice_chairmen(model["max_vice_chairmen"], "city", "") == 5
    assert governance_rules.staffing_norm(model["staffing_norm"], "I", "ward").limit is None
    for slug in ("hanoi-urban-pilot-2021", "hanoi-capital-law-2024"):
        pilot = next(m for m in spec["models"] if m["slug"] == slug)
        assert pilot["delegable_acts"] == ["certify_copy"]
