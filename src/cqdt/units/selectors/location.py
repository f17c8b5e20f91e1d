"""The commune-level unit most likely to contain a point, and how a map pin stands against a unit
(approximations: no boundary polygons are shipped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from cqdt.units import geo
from cqdt.units.models import COMMUNE_LEVEL, Unit
from cqdt.units.selectors.units import today, valid_on_q


@dataclass(frozen=True)
class LocatedUnit:
    """The commune-level unit most likely to contain a point (an approximation: no polygons)."""

    unit: Unit
    method: str
    distance_km: float
    radius_km: float | None
    confidence: str
    candidates: int


def _geo_rows(on: dt.date) -> list[geo.Candidate]:
    rows = Unit.objects.filter(
        valid_on_q(on), division_type__in=COMMUNE_LEVEL, centroid_lat__isnull=False
    ).values_list("pk", *geo.MEASURES)
    return [
        geo.Candidate(pk, lat, lon, south, west, north, east, area)
        for pk, lat, lon, south, west, north, east, area in rows
        if lat is not None and lon is not None
    ]


def locate_point(lat: float, lon: float, on: dt.date | None = None) -> LocatedUnit | None:
    """The commune-level unit in force on ``on`` most likely containing (lat, lon), or None.

    Without boundary polygons this is an approximation (see the units data README): among units
    whose bounding box holds the point, the nearest centroid (``bbox+nearest_centroid``); when
    no box holds it, the nearest centroid if the point lies within 1.5 × the unit's equivalent
    radius √(area/π) (``nearest_centroid_within_radius``). Outside Vietnam's extent, or too far
    from every centroid: None. Units without geodata are never returned.
    """
    from cqdt.core import refcache

    on = on or today()
    candidates = refcache.get(("unit-geo", on), lambda: _geo_rows(on))
    hit = geo.locate(lat, lon, candidates)
    if hit is None:
        return None
    unit = Unit.objects.get(pk=hit.pk)
    return LocatedUnit(
        unit=unit,
        method=hit.method,
        distance_km=round(hit.distance_km, 3),
        radius_km=round(hit.radius_km, 3) if hit.radius_km is not None else None,
        confidence=hit.confidence,
        candidates=hit.candidates,
    )


def geo_candidate(unit: Unit) -> geo.Candidate | None:
    """The unit's shipped geodata as ``geo`` reads it; None without a centroid."""
    if unit.centroid_lat is None or unit.centroid_lon is None:
        return None
    return geo.Candidate(
        unit.pk,
        unit.centroid_lat,
        unit.centroid_lon,
        unit.bbox_south,
        unit.bbox_west,
        unit.bbox_north,
        unit.bbox_east,
        unit.area_km2,
    )


def pin_check(unit: Unit, lat: float, lon: float) -> geo.PinCheck:
    """How a map pin stands against ``unit``: inside or outside its outline (its bounding box,
    the only outline shipped), or — for a unit without one, such as every unit from 1 July 2025
    — near or far from its centroid (``geo.check_pin``; an approximation, and said to be one)."""
    return geo.check_pin(lat, lon, geo_candidate(unit))


def units_without_geodata(on: dt.date | None = None) -> QuerySet[Unit]:
    """Commune-level units in force on ``on`` that have no centroid: locate_point never finds them."""
    on = on or today()
    return Unit.objects.filter(
        valid_on_q(on), division_type__in=COMMUNE_LEVEL, centroid_lat__isnull=True
    ).order_by("code")
