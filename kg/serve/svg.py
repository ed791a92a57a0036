"""Drawings rendered on the server as SVG geometry (coordinates the templates place), so the
pages need no drawing library in the browser and work offline: an entity's neighbourhood, the
timeline's months, troop figures over time, and places over country outlines.

Colours are CSS classes (``kg.css``), never inline styles, which the Content-Security-Policy forbids.
"""

from __future__ import annotations

import functools
import json
import math
from datetime import date
from pathlib import Path
from typing import Any, Sequence

OUTLINES = Path(__file__).resolve().parent / "data" / "countries-110m.json"
"""Country outlines derived from Natural Earth by ``scripts/build_outlines.py``."""


def neighbourhood(center: dict[str, Any], neighbours: Sequence[dict[str, Any]],
                  width: int = 760, height: int = 520) -> dict[str, Any]:
    """An entity in the middle, its neighbours on an ellipse around it (room for their names
    left and right), one edge to each."""
    middle, centre_y = width / 2, height / 2
    rx, ry = width / 2 - 160, height / 2 - 50
    nodes = [{**center, "x": middle, "y": centre_y, "r": 26, "center": True}]
    edges = []
    count = max(len(neighbours), 1)
    for index, other in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        x, y = middle + rx * math.cos(angle), centre_y + ry * math.sin(angle)
        weight = other.get("sentences") or 0
        nodes.append({**other, "x": round(x, 1), "y": round(y, 1), "r": round(10 + min(8.0, 2 * math.log1p(weight)), 1),
                      "center": False, "anchor": "start" if x > middle + 1 else "end" if x < middle - 1 else "middle"})
        label = ", ".join(dict.fromkeys(other.get("relations") or [])) or (
            f"{weight} sentence{'s' if weight != 1 else ''}" if weight else "")
        edges.append({"x1": middle, "y1": centre_y, "x2": round(x, 1), "y2": round(y, 1),
                      "relation": bool(other.get("relations")), "label": label,
                      "lx": round((middle + x) / 2, 1), "ly": round((centre_y + y) / 2 - 3, 1)})
    return {"width": width, "height": height, "nodes": nodes, "edges": edges}


def month_bars(months: Sequence[dict[str, Any]], kinds: Sequence[str], width: int = 900, height: int = 180) -> dict[str, Any]:
    """Stacked bars, one per month, one block per kind."""
    if not months:
        return {"width": width, "height": height, "bars": [], "ticks": []}
    slot = width / len(months)
    top = max(sum(m["counts"].values()) for m in months) or 1
    bars, ticks = [], []
    for index, month in enumerate(months):
        y = height - 20
        for kind in kinds:
            count = month["counts"].get(kind, 0)
            if not count:
                continue
            h = (height - 30) * count / top
            y -= h
            bars.append({"x": round(index * slot + 1, 1), "y": round(y, 1), "w": round(max(slot - 2, 1), 1),
                         "h": round(h, 1), "kind": kind, "title": f"{month['month']}: {count} {kind}"})
        if index % max(1, len(months) // 12) == 0:
            ticks.append({"x": round(index * slot + slot / 2, 1), "label": month["month"]})
    return {"width": width, "height": height, "bars": bars, "ticks": ticks, "top": top}


def _day(text: Any) -> date | None:
    """A date from ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (the first day of the period)."""
    if not isinstance(text, str):
        return None
    parts = text[:10].split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def figures_chart(reports: Sequence[dict[str, Any]], width: int = 640, height: int = 220) -> dict[str, Any]:
    """Reported figures over time: one point per report, the reports of one day side by side,
    each source its own colour class (``src-0`` …), so conflicting figures show at once."""
    dated = [(d, r) for r in reports if (d := _day(r.get("date"))) is not None and isinstance(r.get("value"), (int, float))]
    left, bottom = 60, 30
    if not dated:
        return {"width": width, "height": height, "points": [], "ticks": [], "legend": []}
    first = min(d for d, _ in dated).toordinal()
    last = max(d for d, _ in dated).toordinal()
    span = max(last - first, 1)
    top = max(r["value"] for _, r in dated) or 1
    sources = list(dict.fromkeys(r.get("speaker") or "unattributed" for _, r in dated))
    same_day: dict[int, int] = {}
    points = []
    for d, r in dated:
        slot = same_day.get(d.toordinal(), 0)
        same_day[d.toordinal()] = slot + 1
        x = left + (width - left - 20) * (d.toordinal() - first) / span + slot * 9
        y = height - bottom - (height - bottom - 15) * r["value"] / top
        source = r.get("speaker") or "unattributed"
        points.append({"x": round(x, 1), "y": round(y, 1), "class": f"src-{sources.index(source) % 8}",
                       "title": f"{r['value']:,} ({r.get('quantity_text') or ''}) — {source}, {r.get('date')}",
                       "path": r.get("article_path")})
    ticks = [{"y": round(height - bottom - (height - bottom - 15) * f, 1), "label": f"{round(top * f):,}"}
             for f in (0, 0.5, 1)]
    return {"width": width, "height": height, "points": points, "ticks": ticks, "left": left,
            "first": date.fromordinal(first).isoformat(), "last": date.fromordinal(last).isoformat(),
            "legend": [{"label": s, "class": f"src-{i % 8}"} for i, s in enumerate(sources)]}


@functools.lru_cache(maxsize=1)
def outlines() -> tuple[dict[str, str], ...]:
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    return tuple(data["countries"])


def world_map(places: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Places over country outlines in an equirectangular projection (x = longitude,
    y = -latitude), the view framed on the places with a margin."""
    if places:
        lons = [p["longitude"] for p in places]
        lats = [-p["latitude"] for p in places]
        x0, x1 = min(lons) - 12, max(lons) + 12
        y0, y1 = min(lats) - 8, max(lats) + 8
        if x1 - x0 < 40:
            x0, x1 = (x0 + x1) / 2 - 20, (x0 + x1) / 2 + 20
        if y1 - y0 < 25:
            y0, y1 = (y0 + y1) / 2 - 12.5, (y0 + y1) / 2 + 12.5
        x0, x1, y0, y1 = max(x0, -180), min(x1, 180), max(y0, -90), min(y1, 90)
    else:
        x0, x1, y0, y1 = -180, 180, -90, 90
    scale = max(x1 - x0, y1 - y0) / 360
    top = max((p.get("articles") or 0) for p in places) if places else 1
    marks = [{**p, "x": p["longitude"], "y": -p["latitude"],
              "r": round(scale * (2.2 + 4 * math.sqrt((p.get("articles") or 0) / (top or 1))), 2)}
             for p in places]
    return {"view": f"{x0:g} {y0:g} {x1 - x0:g} {y1 - y0:g}", "countries": outlines(), "places": marks,
            "stroke": round(0.6 * scale, 3), "font": round(3.2 * scale + 0.4, 2)}
