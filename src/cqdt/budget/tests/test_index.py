"""The state budget index is effective-dated by budget year and says what of it was verified
(Circular 324/2016/TT-BTC's body: the code structure; its appendices — the item list — and
Circular 130/2025/TT-BTC's text were not read)."""

from __future__ import annotations

from cqdt.budget import index


def test_the_circular_in_force_follows_the_budget_year():
    assert index.version_for(2018)["id"] == index.version_for(2025)["id"] == "tt324-2016"
    assert index.version_for(2026)["id"] == index.version_for(2030)["id"] == "tt130-2025"
    assert index.version_for(2015)["id"] == "tt324-2016"  # no earlier list on the platform
    assert "93/2019" in " ".join(index.version_for(2022)["amended_by"])
    assert "51/2022" in " ".join(index.version_for(2022)["amended_by"])


def test_only_what_was_read_is_verified_and_every_verified_fact_names_its_source():
    for year in (2022, 2026):
        src = index.source(year)
        assert src["instrument_verified"] is True
        assert src["items_verified"] is False and src["verified"] is False
        assert all(not it.verified for it in index.items(year).values())
        for fact in src["verified_facts"]:
            s = src["sources"][fact["source"]]
            assert s["url"].startswith("https://") and s["read_on"] and s["title"]
    assert index.source(2022)["chapter_ranges_verified"] is True
    assert index.source(2026)["chapter_ranges_verified"] is False


def test_chapter_levels_only_where_the_ranges_were_verified():
    assert index.chapter_level("805", 2022) == "commune"
    assert index.chapter_level("600", 2022) == "district"
    assert index.chapter_level("990", 2022) is None
    assert index.chapter_level("805", 2026) is None  # Circular 130/2025's ranges not read


def test_every_item_has_the_shape_the_circular_prescribes():
    for year in (2022, 2026):
        # Not an empty list, which every loop below passes (found in review): Circular
        # 324/2016/TT-BTC's Tiểu mục 6001, salary by grade and step, under Mục 6000, salaries.
        assert (index.item("6001", year).group, index.groups(year)["6000"][0]) == (
            "6000",
            "Tiền lương",
        )
        for it in index.items(year).values():
            assert index.item_shape_ok(it.code, it.group), it.code
            assert it.group in index.groups(year)
    assert not index.item_shape_ok("6050", "6000")  # a Mục, not a Tiểu mục
    assert not index.item_shape_ok("6051", "6000")  # beyond the 50 values after the Mục
