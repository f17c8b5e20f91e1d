import pytest

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    return client.get(url, params)


def picked(mapping, expected):
    """``mapping``'s values under ``expected``'s keys, to compare with ``expected`` at once."""
    return {key: mapping[key] for key in expected}


def regime(gov):
    """The governance model, whether there is a People's Council, the regime, the budget."""
    return gov["model"], gov["has_people_council"], gov["regime"], gov["budget_status"]


def test_pilot_lists_175_wards_on_first_day_and_none_the_day_before(client, reference_data):
    on_day = client.get(
        "/api/v1/units", {"type": "ward", "pilot": "true", "on": "2021-07-01"}
    ).json()
    assert on_day["count"] == 175
    before = client.get(
        "/api/v1/units", {"type": "ward", "pilot": "true", "on": "2021-06-30"}
    ).json()
    assert before["count"] == 0
    assert before["items"] == []


def test_bac_tu_liem_has_13_pilot_wards(client, reference_data):
    body = client.get(
        "/api/v1/units", {"parent": "021", "pilot": "true", "on": "2021-07-01"}
    ).json()
    assert body["count"] == 13
    assert all(item["parent_code"] == "021" for item in body["items"])


def test_unit_list_is_paginated(client, reference_data):
    body = client.get(
        "/api/v1/units", {"type": "commune", "limit": 50, "offset": 50, "on": "2021-07-01"}
    ).json()
    assert body["count"] == 383
    assert len(body["items"]) == 50


def test_phuc_xa_is_under_the_pilot_on_first_day(client, reference_data):
    response = client.get("/api/v1/units/00001", {"on": "2021-07-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Phường Phúc Xá"
    assert body["parent"]["code"] == "001"
    gov = body["governance"]
    pilot = ("hanoi-urban-pilot-2021", False, "head_of_unit", "estimate_unit_of_parent")
    assert regime(gov) == pilot
    appointed_by = {"unit_code": "001", "unit_name": "Quận Ba Đình", "body": "chairman"}
    assert picked(gov["chairman_appointed_by"], appointed_by) == appointed_by
    assert gov["supervised_by"]["unit_code"] == "001"
    assert body["predecessors"] == []
    # The 2021 version of Phúc Xá lasted until 30 June 2025 and went whole into Phường Hồng Hà
    # (Resolution 1656/NQ-UBTVQH15): this version has that one successor.
    assert [(s["code"], s["share"]) for s in body["successors"]] == [("00097", "whole")]


def test_phuc_xa_before_the_pilot_has_a_council(client, reference_data):
    gov = client.get("/api/v1/units/00001", {"on": "2021-06-30"}).json()["governance"]
    assert regime(gov) == ("standard-2015", True, "collective", "budget_level")


@pytest.mark.parametrize("on", ["2015-12-31", "2010-06-01", "1999-01-01"])
def test_before_2016_no_governance_model_is_recorded_not_the_2015_law(client, reference_data, on):
    """The 2015 law is in force from 1 January 2016; before it Hanoi's wards were governed under
    the 2003 law, and from 2009 to 2015 its urban wards had no council (Resolution
    26/2008/QH12). Neither is modelled, so the answer says no model is recorded."""
    body = client.get("/api/v1/units/00001", {"on": on}).json()
    assert body["code"] == "00001"  # the ward itself is known on that day
    assert body["governance"] is None, body["governance"]
    first = client.get("/api/v1/units/00001", {"on": "2016-01-01"}).json()["governance"]
    assert regime(first) == ("standard-2015", True, "collective", "budget_level")


def test_commune_of_a_rural_district_has_a_council(client, reference_data):
    communes = client.get(
        "/api/v1/units", {"type": "commune", "on": "2021-07-01", "limit": 1}
    ).json()
    code = communes["items"][0]["code"]
    gov = client.get(f"/api/v1/units/{code}", {"on": "2021-07-01"}).json()["governance"]
    assert gov["has_people_council"] is True
    assert gov["model"] == "standard-2015"
    assert gov["chairman_appointed_by"]["method"] == "elected_by_own_council"


def test_unknown_unit_is_404_unit_not_found(client, reference_data):
    response = client.get("/api/v1/units/99999")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "unit_not_found"
    assert body["messages"]["vi"] and body["messages"]["en"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"on": "2021-13-01"}, "on"),
        ({"on": "yesterday"}, "on"),
        ({"limit": "many"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"offset": "-1"}, "offset"),
        # "province" (tỉnh) became a valid type with the national 2025 data.
        ({"type": "hamlet"}, "type"),
        ({"pilot": "maybe"}, "pilot"),
        ({"parent": "abc"}, "parent"),
    ],
)
def test_malformed_list_input_is_422_naming_the_field(client, reference_data, params, field):
    response = client.get("/api/v1/units", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["field"] == field


def test_malformed_date_on_detail_is_422(client, reference_data):
    response = client.get("/api/v1/units/00001", {"on": "01/07/2021"})
    assert response.status_code == 422
    assert response.json()["field"] == "on"


def test_english_message_when_asked(client, reference_data):
    response = client.get("/api/v1/units/99999", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"].startswith("No administrative unit")


def test_openapi_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/units" in paths and "/api/v1/units/{code}" in paths


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_a_database_loaded_before_2016_was_the_start_moves_its_rows_once(reference_data):
    """Migration units 0004: rows loaded when the file said 'since before records' (NULL) move
    to 1 January 2016, and loading the reference data again adds no second row."""
    import importlib

    from django.apps import apps

    from cqdt.units.models import GovernanceAssignment
    from cqdt.units.reference.load import reference_data_load

    step = importlib.import_module("cqdt.units.migrations.0004_standard_model_from_2016")
    standard = GovernanceAssignment.objects.filter(model__slug="standard-2015")
    count = standard.count()
    standard.filter(valid_from=step.FIRST_DAY).update(valid_from=None)  # as loaded before
    assert standard.filter(valid_from__isnull=True).count() == count > 0
    step.forwards(apps, None)
    assert not standard.filter(valid_from__isnull=True).exists()
    reference_data_load()
    assert standard.count() == count
