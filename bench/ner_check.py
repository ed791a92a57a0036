"""What kg's entity layer does to the statistical model's own names (issue 19). Not a test.

    python bench/ner_check.py --limit 300

Runs the bare model (``load_pipeline(model, with_rules=False)``) and kg's pipeline over the
first ``--limit`` articles of the BBC corpus and compares, for every PERSON, ORG, GPE and LOC
span of the bare model, what kg made of it (kg's spans trimmed of a leading determiner or a
trailing possessive count as the same span):

* kept: a kg span on the same bounds, of the same coarse type (PER, ORG, LOC);
* retyped: a kg span on the same bounds of another coarse type;
* cut: one kg span strictly inside it; split: several kg spans inside it;
* crossed: a kg span that overlaps it and reaches outside it (beside or instead of a cover);
* extended: a kg span that strictly contains it (a name of kg's over the model's);
* dropped: no kg span overlaps it (kg's filters: boilerplate, titles, fragments).

It also counts kg spans where the model had none (gaps filled). It prints the counts as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc" / "bbc_news.jsonl"
COARSE_MODEL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
COARSE_KG = {"Person": "PER", "Organization": "ORG", "MilitaryUnit": "ORG", "State": "LOC", "Place": "LOC"}
LEADING = {"the", "a", "an"}
TRAILING = {"'s", "’s", "'", "’"}


def core(doc, start: int, end: int) -> tuple[int, int]:
    while start < end - 1 and doc[start].lower_ in LEADING:
        start += 1
    while end > start + 1 and doc[end - 1].lower_ in TRAILING:
        end -= 1
    return start, end


def compare(bare_doc, kg_doc, counts: Counter) -> None:
    kg_spans = [(e.start, e.end, COARSE_KG.get(e.label_)) for e in kg_doc.ents if e.label_ in COARSE_KG]
    touched = set()
    for ent in bare_doc.ents:
        coarse = COARSE_MODEL.get(ent.label_)
        if coarse is None:
            continue
        counts["model spans"] += 1
        b_start, b_end = core(bare_doc, ent.start, ent.end)
        overlapping = [s for s in kg_spans if s[0] < b_end and b_start < s[1]]
        touched.update(overlapping)
        same = [s for s in overlapping if (s[0], s[1]) == (b_start, b_end)]
        inside = [s for s in overlapping if b_start <= s[0] and s[1] <= b_end and (s[0], s[1]) != (b_start, b_end)]
        covers = [s for s in overlapping if s[0] <= b_start and b_end <= s[1] and (s[0], s[1]) != (b_start, b_end)]
        if same:
            counts["kept" if same[0][2] == coarse else "retyped"] += 1
        elif len(inside) > 1:
            counts["split"] += 1
        elif inside:
            counts["cut"] += 1
        elif covers:
            counts["extended"] += 1
        elif overlapping:
            counts["crossed"] += 1
        else:
            counts["dropped"] += 1
    counts["gaps filled"] += sum(1 for s in kg_spans if s not in touched)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    from kg.model import Article
    from kg.pipeline import load_pipeline
    from kg.settings import Settings
    from kg.sources import read_sources

    model = args.model or Settings().model
    articles = [a for a in read_sources([str(args.corpus)]) if isinstance(a, Article)][: args.limit]
    texts = [a.text[a.body_start:] for a in articles]
    bare = load_pipeline(model, with_rules=False)
    ours = load_pipeline(model)
    counts: Counter = Counter()
    disabled = [name for name in ("kg_facts",) if name in ours.pipe_names]
    with ours.select_pipes(disable=disabled):
        for bare_doc, kg_doc in zip(bare.pipe(texts), ours.pipe(texts)):
            compare(bare_doc, kg_doc, counts)
    json.dump({"articles": len(texts), **counts}, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
