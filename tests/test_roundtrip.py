"""``kg export --format nquads|trig`` then ``kg import`` into an empty store gives the same
dataset, graph by graph (issue 8), including article ids that need percent-encoding."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from conftest import run_kg

pytestmark = pytest.mark.slow

ARTICLES = {
    "plain.txt": "NATO Secretary General Mark Rutte met Zelensky in Kyiv on 31 October 2024.",
    "Ärger über Kyiv #1.txt": "date 2024-11-04\nNorth Korea sent 10,000 troops to Kursk, Zelensky said.",
    "東京 report.txt": "Kim Jong-un visited Moscow. Russia and North Korea signed a pact in June.",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("roundtrip")
    folder = base / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "feed.jsonl").write_text('{"id": "j/1?x=%20", "text": "Rutte met Zelensky."}\n', encoding="utf-8")
    result = run_kg("build", str(folder), "--store", str(base / "store"), "--format", "json")
    assert result.returncode == 0, result.stderr
    return base


def dataset(path, fmt: str) -> dict[str, rdflib.Graph]:
    ds = rdflib.Dataset()
    ds.parse(path, format=fmt)
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


@pytest.mark.parametrize("fmt,ext,rdflib_format", [("nquads", "nq", "nquads"), ("trig", "trig", "trig")])
def test_export_import_export_is_isomorphic(built, tmp_path, fmt, ext, rdflib_format):
    exported = tmp_path / f"first.{ext}"
    result = run_kg("export", "--format", fmt, "-o", str(exported), "--store", str(built / "store"))
    assert result.returncode == 0, result.stderr
    imported = run_kg("import", str(exported), "--store", str(tmp_path / "copy"))
    assert imported.returncode == 0, imported.stderr
    again = tmp_path / f"again.{ext}"
    result = run_kg("export", "--format", fmt, "-o", str(again), "--store", str(tmp_path / "copy"))
    assert result.returncode == 0, result.stderr

    first, second = dataset(exported, rdflib_format), dataset(again, rdflib_format)
    assert len(first) == len(ARTICLES) + 1
    assert set(first) == set(second)
    for name in first:
        if not isomorphic(first[name], second[name]):
            _, only_first, only_second = graph_diff(to_isomorphic(first[name]), to_isomorphic(second[name]))
            pytest.fail(f"graph {name} differs:\nonly before: {sorted(only_first)[:5]}\n"
                        f"only after: {sorted(only_second)[:5]}")
    stats = run_kg("stats", "--format", "json", "--store", str(tmp_path / "copy"))
    assert stats.returncode == 0 and '"articles": 4' in stats.stdout
