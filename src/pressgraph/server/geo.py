"""An offline map: places projected from their coordinates into an inline SVG.

No tiles, no CDN: points (equirectangular, scaled by the cosine of the mean
latitude) with labels, each a link to the place's page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pyoxigraph as ox

from ..namespaces import PREFIXES

__all__ = ["MapPoint", "coordinates", "places_with_coordinates", "project_points"]

SCHEMA = PREFIXES["schema"]
GEO = PREFIXES["geo"]
_WKT_POINT = re.compile(r"POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)", re.I)


@dataclass
class MapPoint:
    """A place on the map: where it is and where it is drawn."""

    iri: str
    label: str
    href: str
    lat: float
    lon: float
    x: float = 0.0
    y: float = 0.0
    highlight: bool = False


def coordinates(store: ox.Store, node: ox.NamedNode) -> tuple[float, float] | None:
    """(latitude, longitude) from ``schema:geo`` or a GeoSPARQL WKT point."""
    for q in store.quads_for_pattern(node, ox.NamedNode(SCHEMA + "geo"), None):
        geo = q.object
        if not isinstance(geo, ox.NamedNode | ox.BlankNode):
            continue
        lat = _number(store, geo, SCHEMA + "latitude")
        lon = _number(store, geo, SCHEMA + "longitude")
        if lat is not None and lon is not None:
            return lat, lon
    for q in store.quads_for_pattern(node, ox.NamedNode(GEO + "hasGeometry"), None):
        if not isinstance(q.object, ox.NamedNode | ox.BlankNode):
            continue
        for w in store.quads_for_pattern(q.object, ox.NamedNode(GEO + "asWKT"), None):
            m = _WKT_POINT.search(w.object.value)
            if m:
                return float(m.group(2)), float(m.group(1))
    return None


def _number(store: ox.Store, node: ox.NamedNode | ox.BlankNode, prop: str) -> float | None:
    for q in store.quads_for_pattern(node, ox.NamedNode(prop), None):
        try:
            return float(q.object.value)
        except ValueError:
            continue
    return None


def places_with_coordinates(store: ox.Store) -> list[tuple[ox.NamedNode, float, float]]:
    """Every subject with coordinates (via ``schema:geo`` or ``geo:hasGeometry``)."""
    seen: dict[str, tuple[ox.NamedNode, float, float]] = {}
    for prop in (SCHEMA + "geo", GEO + "hasGeometry"):
        for q in store.quads_for_pattern(None, ox.NamedNode(prop), None):
            s = q.subject
            if isinstance(s, ox.NamedNode) and s.value not in seen:
                where = coordinates(store, s)
                if where is not None:
                    seen[s.value] = (s, *where)
    return [seen[k] for k in sorted(seen)]


def project_points(
    points: list[MapPoint], width: int = 640, height: int = 400, margin: int = 40
) -> None:
    """Set ``x``/``y`` of each point so that all fit in the box (north up)."""
    if not points:
        return
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    min_x, max_x = min(lons) * scale_x, max(lons) * scale_x
    min_y, max_y = min(lats), max(lats)
    span = max(max_x - min_x, max_y - min_y, 1e-6)
    usable_w, usable_h = width - 2 * margin, height - 2 * margin
    factor = min(usable_w, usable_h) / span
    off_x = margin + (usable_w - (max_x - min_x) * factor) / 2
    off_y = margin + (usable_h - (max_y - min_y) * factor) / 2
    for p in points:
        p.x = round(off_x + (p.lon * scale_x - min_x) * factor, 1)
        p.y = round(off_y + (max_y - p.lat) * factor, 1)
