"""Build-time tool: turn world-atlas TopoJSON into the small GeoJSON the dashboard map draws.

The dashboard must not fetch tiles or anything outside its own origin, so country shapes
ship in the package (``static/world.json``). They come from the npm package
``world-atlas`` 2.0.2 (ISC; Natural Earth 1:110m, public domain), file
``countries-110m.json``. This script decodes its arcs, rounds coordinates to 0.01° and
adds ISO alpha-3 codes (the store's ``events.location_country``) with pycountry::

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python -m veille.web.build_world package/countries-110m.json src/veille/web/static/world.json

It is not used at run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

#: Natural Earth features without an ISO numeric id, by name.
EXTRA_CODES = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Delta-decode and de-quantise every arc."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[list[float]]:
    """Join arcs into one ring; a negative index means the reversed arc ``~i``."""
    ring: list[list[float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        if ring:
            points = points[1:]
        ring.extend([list(p) for p in points])
    return ring


def _alpha3(numeric: str | None, name: str) -> str | None:
    import pycountry  # build-time only

    if numeric:
        country = pycountry.countries.get(numeric=numeric.zfill(3))
        if country is not None:
            return country.alpha_3
    return EXTRA_CODES.get(name)


def convert(topo: dict[str, Any]) -> dict[str, Any]:
    """TopoJSON ``countries`` object → GeoJSON FeatureCollection with ``iso3`` and ``name``."""
    arcs = _decode_arcs(topo)
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name", "")
        if geom["type"] == "Polygon":
            coords: list[Any] = [_ring(arcs, r) for r in geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            coords = [[_ring(arcs, r) for r in poly] for poly in geom["arcs"]]
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": _alpha3(geom.get("id"), name), "name": name},
                "geometry": {"type": geom["type"], "coordinates": coords},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(
            "usage: python -m veille.web.build_world countries-110m.json OUT.json", file=sys.stderr
        )
        return 2
    topo = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    Path(argv[1]).write_text(json.dumps(convert(topo), separators=(",", ":")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
