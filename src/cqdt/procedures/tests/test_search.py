"""Searching the catalog ignores case and diacritics, on SQLite and on PostgreSQL (issue 13)."""

import datetime as dt

import pytest
from django.db import connection

from cqdt.core.audit import Actor
from cqdt.core.models import AuditEvent
from cqdt.core.text import fold
from cqdt.procedures import selectors, services
from cqdt.procedures.models import Procedure
from cqdt.procedures.reference import catalog_load

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 5)
BIRTH = "tthc-1-001193"


@pytest.fixture
def catalog():
    catalog_load()


def _slugs(q: str) -> list[str]:
    return list(selectors.procedures_search(q, TODAY).values_list("slug", flat=True))


@pytest.mark.parametrize(
    "q",
    [
        "đăng ký khai sinh",
        "dang ky khai sinh",
        "DANG KY KHAI SINH",
        "Đăng Ký Khai Sinh",
        "khai sinh",
    ],
)
def test_birth_registration_is_found_with_or_without_diacritics(catalog, q):
    assert BIRTH in _slugs(q)


def test_accented_and_plain_queries_find_the_same_procedures(catalog):
    accented = set(_slugs("đăng ký khai tử"))
    assert accented and accented == set(_slugs("dang ky khai tu"))
    names = Procedure.objects.filter(slug__in=accented).values_list("name", flat=True)
    assert all(w in fold(n) for n in names for w in ("dang", "ky", "khai", "tu"))
    assert "Thủ tục đăng ký khai tử" in names


def test_every_word_must_match_in_any_order(catalog):
    assert BIRTH in _slugs("khai sinh đăng ký")
    assert _slugs("khai sinh chứng thực di chúc") == []


def test_the_national_code_and_the_field_name_are_searched(catalog):
    assert _slugs("1.001193") == [BIRTH]
    civil = set(_slugs("ho tich"))
    assert BIRTH in civil
    assert civil <= set(
        Procedure.objects.filter(field="civil_status").values_list("slug", flat=True)
    )


def test_an_empty_query_lists_everything_in_force_and_ended_ones_never(catalog):
    assert len(_slugs("")) == Procedure.objects.count()
    Procedure.objects.filter(slug=BIRTH).update(valid_to=dt.date(2025, 7, 1))
    assert BIRTH not in _slugs("dang ky khai sinh")
    assert BIRTH not in _slugs("")


def test_groups_follow_the_field_order_with_the_civil_status_first(catalog):
    groups = selectors.catalog_groups(TODAY)
    assert groups[0].code == "civil_status" and groups[0].label == "Hộ tịch"
    assert sum(len(g.procedures) for g in groups) == Procedure.objects.count()
    certification = selectors.catalog_groups(TODAY, "chung thuc ban sao")
    assert [g.code for g in certification] == ["certification"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's unaccent and pg_trgm")
def test_on_postgresql_the_search_uses_unaccent_and_tolerates_a_misspelt_word(catalog):
    qs = selectors.procedures_search("dang ky khai sinhh", TODAY)
    assert "UNACCENT" in str(qs.query).upper()  # a typo'd word of 5+ letters, found by trigrams
    assert "WORD_SIMILARITY" in str(qs.query).upper()
    assert BIRTH in list(qs.values_list("slug", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT unaccent('Đăng ký')")
        assert cursor.fetchone()[0] == "Dang ky"


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's folded column")
def test_on_sqlite_the_search_reads_the_folded_column(catalog):
    assert "search_text" in str(selectors.procedures_search("khai sinh", TODAY).query)


def test_the_loader_and_the_services_keep_the_search_text(catalog):
    birth = Procedure.objects.get(slug=BIRTH)
    assert birth.search_text.startswith("thu tuc dang ky khai sinh birth registration")
    assert "ho tich" in birth.search_text and "đ" not in birth.search_text

    actor = Actor.system("test")
    created = services.procedure_create(
        actor=actor,
        slug="thu-tuc-moi",
        name="Đăng ký hoạt động văn hóa",
        field="culture",
        time_kind="working_days",
        time_value=5,
        result_type="Văn bản",
        sign_act="sign_result:culture",
        legal_basis="Nghị định 110/2018/NĐ-CP",
        valid_from=dt.date(2021, 7, 1),
    )
    assert "dang ky hoat dong van hoa" in created.search_text
    assert _slugs("hoat dong van hoa") == ["thu-tuc-moi"]

    services.procedure_update(actor=actor, procedure=created, name="Thông báo tổ chức lễ hội")
    assert _slugs("hoat dong van hoa") == []
    assert _slugs("le hoi") and "thu-tuc-moi" in _slugs("le hoi")
    actions = list(
        AuditEvent.objects.filter(object_id="thu-tuc-moi@2021-07-01").values_list(
            "action", flat=True
        )
    )
    assert actions == ["procedures.create", "procedures.update"]


def test_reindex_recomputes_a_stale_search_text(catalog):
    Procedure.objects.filter(slug=BIRTH).update(search_text="")
    assert BIRTH not in _slugs("khai sinh") or connection.vendor == "postgresql"
    assert services.procedures_reindex(actor=Actor.system("test")) == 1
    assert BIRTH in _slugs("khai sinh")
