"""Placing a point in a commune-level unit without polygons (pure; no Django imports).

The shipped geodata (``data/README.md``) has, per unit, a centroid, and for units before
1 July 2025 a bounding box, and for units from 1 July 2025 an area. No boundary polygons are
shipped, so every answer here is an approximation with its method, distance and confidence:

1. ``bbox+nearest_centroid``: among the units whose box (widened by ``BOX_MARGIN_KM``) holds the
   point, the one with the nearest centroid; confidence ``high`` when one box holds it,
   ``medium`` when several do.
2. ``nearest_centroid_within_radius``: otherwise, the nearest centroid, accepted only when the
   point lies within ``RADIUS_FACTOR`` × the unit's equivalent radius √(area/π) (from the area,
   or from the box when there is no area); confidence ``low``.
3. None: outside Vietnam's extent, or farther than that from every centroid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # the IUGG mean radius
RADIUS_FACTOR = 1.5
BOX_MARGIN_KM = 0.05
# Vietnam's mainland and islands (Hoàng Sa, Trường Sa) lie within this box.
VIETNAM_EXTENT = (7.0, 102.0, 24.0, 118.0)  # south, west, north, east


# The unit's measured fields (units.Unit) a candidate is built from, in its order after ``pk``.
MEASURES = (
    "centroid_lat",
    "centroid_lon",
    "bbox_south",
    "bbox_west",
    "bbox_north",
    "bbox_east",
    "area_km2",
)


@dataclass(frozen=True)
class Candidate:
    pk: int
    lat: float
    lon: float
    south: float | None
    west: float | None
    north: float | None
    east: float | None
    area_km2: float | None


@dataclass(frozen=True)
class Hit:
    pk: int
    method: str
    distance_km: float
    radius_km: float | None
    confidence: str
    candidates: int


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the haversine formula, on a sphere of the mean radius (at 100 m
    the error against the WGS 84 ellipsoid is under half a metre)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def in_vietnam_extent(lat: float, lon: float) -> bool:
    south, west, north, east = VIETNAM_EXTENT
    return south <= lat <= north and west <= lon <= east


def _box_holds(c: Candidate, lat: float, lon: float) -> bool:
    if c.south is None or c.west is None or c.north is None or c.east is None:
        return False
    dlat = BOX_MARGIN_KM / 111.0
    dlon = BOX_MARGIN_KM / (111.0 * max(math.cos(math.radians(lat)), 0.01))
    return c.south - dlat <= lat <= c.north + dlat and c.west - dlon <= lon <= c.east + dlon


def equivalent_radius_km(c: Candidate) -> float | None:
    """√(area/π): the radius of a disc of the unit's area (from its box when no area)."""
    if c.area_km2:
        return math.sqrt(c.area_km2 / math.pi)
    if c.south is not None and c.west is not None and c.north is not None and c.east is not None:
        height = distance_km(c.south, c.west, c.north, c.west)
        width = distance_km(c.south, c.west, c.south, c.east)
        return math.sqrt(height * width / math.pi)
    return None


def locate(lat: float, lon: float, candidates: list[Candidate]) -> Hit | None:
    if not (math.isfinite(lat) and math.isfinite(lon)) or not in_vietnam_extent(lat, lon):
        return None
    if not candidates:
        return None
    boxed = [c for c in candidates if _box_holds(c, lat, lon)]
    if boxed:
        best = min(boxed, key=lambda c: distance_km(lat, lon, c.lat, c.lon))
        return Hit(
            pk=best.pk,
            method="bbox+nearest_centroid",
            distance_km=distance_km(lat, lon, best.lat, best.lon),
            radius_km=equivalent_radius_km(best),
            confidence="high" if len(boxed) == 1 else "medium",
            candidates=len(boxed),
        )
    ranked = sorted(candidates, key=lambda c: distance_km(lat, lon, c.lat, c.lon))
    for c in ranked[:5]:
        radius = equivalent_radius_km(c)
        dist = distance_km(lat, lon, c.lat, c.lon)
        if radius is not None and dist <= RADIUS_FACTOR * radius:
            return Hit(
                pk=c.pk,
                method="nearest_centroid_within_radius",
                distance_km=dist,
                radius_km=radius,
                confidence="low",
                candidates=1,
            )
    return None


# --- a map pin against a chosen unit (issue 13 item 8) ---------------------------------------------

# A pin farther than this many equivalent radii from the centroid of a unit without an outline is
# not in that unit, whatever its shape (Hanoi's wards: 2–15 km², so 2.4–6.6 km).
PIN_FAR_FACTOR = 3.0


@dataclass(frozen=True)
class PinCheck:
    """How a pin stands against a unit's geodata.

    ``verdict``: ``inside_outline`` / ``outside_outline`` (the unit has an outline — its bounding
    box, the only outline shipped — and the pin is in it or not); ``near_centroid`` /
    ``far_from_centroid`` (no outline: the pin is or is not within ``PIN_FAR_FACTOR`` × the
    unit's equivalent radius of its centroid — a plausibility check, not a boundary);
    ``no_geodata`` (nothing to check against)."""

    verdict: str
    distance_km: float | None = None
    limit_km: float | None = None

    @property
    def refused(self) -> bool:
        return self.verdict in ("outside_outline", "far_from_centroid")

    @property
    def has_outline(self) -> bool:
        return self.verdict in ("inside_outline", "outside_outline")


def check_pin(lat: float, lon: float, unit: Candidate | None) -> PinCheck:
    """Whether (lat, lon) can lie in ``unit`` (None: the unit has no centroid)."""
    if unit is None:
        return PinCheck("no_geodata")
    distance = distance_km(lat, lon, unit.lat, unit.lon)
    if None not in (unit.south, unit.west, unit.north, unit.east):
        inside = _box_holds(unit, lat, lon)
        return PinCheck("inside_outline" if inside else "outside_outline", distance)
    radius = equivalent_radius_km(unit)
    if radius is None:
        return PinCheck("no_geodata", distance)
    limit = PIN_FAR_FACTOR * radius
    return PinCheck("near_centroid" if distance <= limit else "far_from_centroid", distance, limit)
