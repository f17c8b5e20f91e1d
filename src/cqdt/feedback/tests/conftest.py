"""Two wards of Quận Ba Đình with their teams, built through the services, and feedback helpers.

The teams come from ``cqdt.testing`` (appointments run 1 July 2021 – 30 June 2026), so every test
acts on Tuesday 15 March 2022 (``NOW``), passes ``now=`` to the services, and freezes the clock
there for requests (the access policy reads "today").
"""

import datetime as dt
import io

import pytest
import time_machine
from django.core.cache import cache
from django.db.models import Sum
from PIL import Image

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.core.models import AuditEvent, OutboxMessage
from cqdt.feedback import services
from cqdt.feedback.models import Report, ReportEvent, ReportPhoto, ReportSequence
from cqdt.testing import at, reference, shared

WARD = "00001"  # Phường Phúc Xá, Quận Ba Đình
WARD_B = "00004"  # Phường Trúc Bạch, Quận Ba Đình
DISTRICT = "001"
CITIZEN = Actor.system("test-citizen")
SIDEWALK = "trat-tu-do-thi"  # handled by the ward, 5 working days
LIGHTING = "chieu-sang"  # handled by the district
# Distinct strings a test can look for in any response.
REPORTER = {
    "reporter_name": "Quách Thị Hồng Nhung",
    "reporter_phone": "0987654321",
    "reporter_email": "nhung.quach@example.vn",
}


NOW = at(dt.date(2022, 3, 15))  # a Tuesday inside the teams' terms


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def categories(reference_data):
    services.categories_load()
    return reference_data


def _units_and_categories() -> None:
    reference.units()
    services.categories_load()


def _built_wards() -> dict:
    """The district chairman of Ba Đình and two ward teams (chair, vice, desk, justice) with
    logins (the module's, copied, when shared: in-memory changes do not leak between tests)."""
    from django.contrib.auth import get_user_model

    return _wards(get_user_model())


# The reference data, the categories and ``wards`` built once for the module's tests that ask
# for ``wards`` and neither load reference data themselves nor commit, each test in a savepoint
# (``cqdt.testing.shared``). Two ward teams and nine logins are about half a second of services.
_module_wards, wards = shared.world(
    "wards", _built_wards, on=_units_and_categories, fresh="categories"
)


def _wards(django_user_model) -> dict:
    chair = testing.district_chairman(DISTRICT, "F-DC")
    people = {
        "district_chair": chair,
        "a": testing.ward_team(WARD, DISTRICT, chair, "FA"),
        "b": testing.ward_team(WARD_B, DISTRICT, chair, "FB"),
    }
    people["user_district_chair"] = testing.login_for(chair, django_user_model, "f_dc")
    for ward in ("a", "b"):
        for key, official in list(people[ward].items()):
            people[ward][f"user_{key}"] = testing.login_for(
                official, django_user_model, f"f_{ward}_{key}"
            )
    return people


@pytest.fixture
def monitor(wards, django_user_model):
    """A city monitor (sees every unit, no personal data)."""
    official = testing.city_monitor("F-SNV")
    return testing.login_for(official, django_user_model, "f_monitor")


def submit(*, ward=WARD, category=SIDEWALK, now=NOW, photos=None, **kwargs):
    data = {"description": "Hàng quán lấn chiếm toàn bộ vỉa hè, người đi bộ phải xuống lòng đường."}
    data.update(REPORTER)
    data.update(kwargs)
    return services.report_submit(
        actor=CITIZEN, category_code=category, ward_code=ward, photos=photos, now=now, **data
    )


def jpeg(size=(64, 48), *, gps=True, color=(200, 30, 30)) -> bytes:
    """A small JPEG; with ``gps`` it carries EXIF with a GPS position and a camera make."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0110] = "Model X"  # Model
        gps_ifd = {1: "N", 2: (21.0, 2.0, 3.0), 3: "E", 4: (105.0, 50.0, 1.0)}
        exif[0x8825] = gps_ifd  # GPSInfo
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def counts() -> dict:
    """What a refused request must leave as it was."""
    return {
        "reports": Report.objects.count(),
        "events": ReportEvent.objects.count(),
        "photos": ReportPhoto.objects.count(),
        "sequence": ReportSequence.objects.aggregate(s=Sum("last_value"))["s"] or 0,
        "audit": AuditEvent.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


def state(code: str) -> tuple:
    r = Report.objects.get(code=code)
    return (r.status, r.version, r.unit_code, r.events.count(), r.satisfaction, r.escalated_at)


def drive(team, code: str, *, to: str, now=NOW):
    """Move a report along the main path with ``team``'s desk and justice officer."""
    r = Report.objects.get(code=code)
    while r.status != to:
        kw = {"actor": CITIZEN, "code": code, "version": r.version, "now": now}
        if r.status == "received":
            r = services.report_acknowledge(official=team["desk"], **kw)
        elif r.status == "acknowledged":
            r = services.report_assign(official=team["desk"], assignee=team["justice"], **kw)
        elif r.status == "assigned":
            r = services.report_start(official=team["justice"], **kw)
        elif r.status == "in_progress":
            r = services.report_resolve(
                official=team["justice"], resolution="Đã yêu cầu dọn dẹp vỉa hè.", **kw
            )
        else:
            raise AssertionError(f"cannot drive a {r.status} report to {to}")
    return r


def forward(team, code: str, version: int, to_unit_code: str, reason: str, *, now=NOW):
    """``team``'s desk forwards report ``code`` to the unit it names as competent."""
    return services.report_forward(
        actor=CITIZEN,
        official=team["desk"],
        code=code,
        version=version,
        to_unit_code=to_unit_code,
        reason=reason,
        now=now,
    )


@pytest.fixture
def api_key(categories):
    return services.open311_key_issue(actor=CITIZEN, name="Ứng dụng thử nghiệm")
