"""Derive kg serve's country outlines (``kg/serve/data/countries-110m.json``) from Natural Earth.

The source is Natural Earth's 1:110m Admin 0 countries (public domain), as the npm package
``world-atlas`` 2.0.2 ships them in TopoJSON (``countries-110m.json``; the package is ISC
licensed). Get it with::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_outlines.py package/countries-110m.json

The script decodes the TopoJSON arcs, rounds every point to 0.1 degree, drops the points that
rounding made repeat and the rings that collapse, and writes one SVG path per country in
longitude and negated latitude (``M lon -lat L …``), so the map page draws them in an
equirectangular projection without any computation (``kg.serve.geo``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "kg" / "serve" / "data" / "countries-110m.json"
SOURCE = ("Natural Earth 1:110m Admin 0 countries (public domain), from the npm package "
          "world-atlas 2.0.2 (countries-110m.json), simplified by scripts/build_outlines.py")


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantized TopoJSON topology as lists of (longitude, latitude)."""
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)  # consecutive arcs share their end point
    return points


def ring_path(points: list[tuple[float, float]]) -> str:
    rounded: list[tuple[float, float]] = []
    for lon, lat in points:
        point = (round(lon, 1), round(-lat, 1))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    if len(rounded) < 3:
        return ""
    return "M" + "L".join(f"{x:g} {y:g}" for x, y in rounded) + "Z"


def outlines(topology: dict) -> list[dict[str, str]]:
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("type") == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        path = "".join(ring_path(ring_points(ring, arcs)) for polygon in polygons for ring in polygon)
        if path:
            countries.append({"name": geometry.get("properties", {}).get("name", ""), "path": path})
    return sorted(countries, key=lambda c: c["name"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="countries-110m.json from world-atlas 2.0.2")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    data = {"source": SOURCE, "projection": "equirectangular: x = longitude, y = -latitude (degrees)",
            "countries": outlines(topology)}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {len(data['countries'])} countries to {args.output}")


if __name__ == "__main__":
    main()
