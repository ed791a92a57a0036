"""The hand check of kg's Wikidata links (issue 19): 200 links drawn at random from a build of
the BBC corpus, checked by reading their sentences. Not a test: run it by hand.

    python -m bench.links draw --store /tmp/kg-bbc          # builds the corpus there if needed
    python -m bench.links score                             # precision from the verdicts
    python -m bench.links recheck --store /tmp/kg-recheck   # the same 200 mentions, kg as it is now

``draw`` builds the corpus (``../shared/corpora/bbc/bbc_news.jsonl``) into ``--store`` unless it
already holds it, reads every link the build made (one per article and linked entity, with the
first mention's sentence: ``bench/links/sample.rq``), draws ``--n`` of them with a fixed seed and
writes ``bench/links/checklist.tsv``. A person reads each sentence and writes a verdict per row
into ``bench/links/verdicts.tsv`` (``right`` or ``wrong``, with a one-line reason for each wrong
one). ``score`` joins the two files and prints the precision, overall and per confidence.
``recheck`` builds only the checklist's articles with kg as it is now and reads what each checked
mention is linked to: the same item keeps its verdict, a mention no longer linked (or no longer a
mention) leaves the sample, and a new item needs a verdict of its own in
``bench/links/recheck-verdicts.tsv`` (``n``, ``wikidata``, ``verdict``, ``reason``), which it lists
until there is one. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench" / "links"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc" / "bbc_news.jsonl"
CHECKLIST = HERE / "checklist.tsv"
VERDICTS = HERE / "verdicts.tsv"
RECHECK_VERDICTS = HERE / "recheck-verdicts.tsv"
MENTIONS = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?id ?anchor ?sentence ?qid WHERE {
  GRAPH ?g {
    ?m itsrdf:taIdentRef ?e ; nif:anchorOf ?anchor ; nif:sentence ?s .
    ?s nif:anchorOf ?sentence .
    ?a dcterms:identifier ?id .
    OPTIONAL { ?e skos:exactMatch ?qid }
  }
}"""
SEED = 19
COLUMNS = ["n", "article", "entity", "class", "wikidata", "item", "confidence", "anchor", "sentence"]


def links(store) -> list[dict[str, str]]:
    """Every (article, linked entity) of the store with its first mention's sentence."""
    result = store.query((HERE / "sample.rq").read_text(encoding="utf-8"))
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for row in result.rows:
        values = dict(zip(result.columns, (t.value if t is not None else "" for t in row)))
        key = (values["id"], values["e"])
        if key not in seen:  # rows come sorted by article, entity, offset: the first mention
            seen[key] = values
    return [seen[key] for key in sorted(seen)]


def describe(qid: str) -> str:
    """What the gazetteer says the item is: name, kind, country."""
    from kg.linking import load_gazetteer

    gaz = load_gazetteer()
    entry = gaz.get(qid)
    if entry is None:
        return ""
    country = gaz.get(entry.country_qid) if entry.country_qid and entry.country_qid != qid else None
    return f"{entry.name} ({entry.kind}{', ' + country.name if country else ''})"


def draw(args) -> int:
    from kg.build import build_sources
    from kg.settings import Settings
    from kg.store import open_store

    settings = Settings().replace(store=str(args.store))
    store = open_store(settings)
    if not store.exists() or args.rebuild:
        print(f"building {args.corpus} into {args.store} ...", file=sys.stderr)
        summary = build_sources([str(args.corpus)], settings.replace(jobs=args.jobs), store=store,
                                force=args.rebuild)
        print(f"  {summary.new + summary.updated} articles, {summary.seconds:.0f} s", file=sys.stderr)
    rows = links(store)
    sample = random.Random(args.seed).sample(rows, min(args.n, len(rows)))
    sample.sort(key=lambda r: (r["id"], r["label"]))
    HERE.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for number, row in enumerate(sample, start=1):
            qid = row["qid"].rsplit("/", 1)[-1]
            writer.writerow([number, row["id"], row["label"], row["cls"].rsplit("#", 1)[-1], qid,
                             describe(qid), row["confidence"], row["anchor"],
                             " ".join(row["sentence"].split())])
    print(f"{len(rows)} links in the store; {len(sample)} drawn (seed {args.seed}) -> {args.out}")
    return 0


def _read(path: Path, quoted: bool = False) -> list[dict[str, str]]:
    """A TSV file: the checklist is written with csv's quoting (sentences hold quotes), the
    verdicts by hand without it."""
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE))


def score(args) -> int:
    checklist = {row["n"]: row for row in _read(args.checklist, quoted=True)}
    verdicts = _read(args.verdicts)
    by_confidence: dict[str, list[bool]] = defaultdict(list)
    wrong = []
    for verdict in verdicts:
        row = checklist[verdict["n"]]
        if (row["article"], row["wikidata"]) != (verdict["article"], verdict["wikidata"]):
            print(f"verdict {verdict['n']} does not match the checklist row", file=sys.stderr)
            return 1
        if verdict["verdict"] not in ("right", "wrong"):
            print(f"verdict {verdict['n']}: write 'right' or 'wrong'", file=sys.stderr)
            return 1
        if verdict["verdict"] == "wrong" and not verdict.get("reason"):
            print(f"verdict {verdict['n']}: a wrong link needs a reason", file=sys.stderr)
            return 1
        right = verdict["verdict"] == "right"
        by_confidence[row["confidence"] or "-"].append(right)
        if not right:
            wrong.append((row, verdict["reason"]))
    total = [v for values in by_confidence.values() for v in values]
    print(f"links checked: {len(total)}; right: {sum(total)}; precision: {sum(total) / len(total):.3f}")
    for confidence in sorted(by_confidence):
        values = by_confidence[confidence]
        print(f"  confidence {confidence}: {sum(values)}/{len(values)} right")
    for row, reason in wrong:
        print(f"  wrong: {row['article']}: {row['anchor']!r} -> {row['wikidata']} {row['item']}: {reason}")
    return 0


def recheck(args) -> int:
    import json
    import tempfile

    from kg.build import build_sources
    from kg.settings import Settings
    from kg.store import open_store

    checklist = _read(args.checklist, quoted=True)
    verdicts = {v["n"]: v for v in _read(args.verdicts)}
    later = {(v["n"], v["wikidata"]): v for v in _read(args.recheck_verdicts)} if args.recheck_verdicts.is_file() else {}
    wanted = {row["article"] for row in checklist}
    settings = Settings().replace(store=str(args.store))
    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "sample.jsonl"
        with args.corpus.open(encoding="utf-8") as source, sample.open("w", encoding="utf-8") as out:
            out.writelines(line for line in source if json.loads(line)["id"] in wanted)
        summary = build_sources([str(sample)], settings.replace(jobs=args.jobs), force=True)
    print(f"built {summary.new + summary.updated + summary.skipped} articles", file=sys.stderr)
    store = open_store(settings)
    result = store.query(MENTIONS)
    found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in result.rows:
        article, anchor, sentence, qid = (t.value if t is not None else "" for t in row)
        found[(article, anchor, " ".join(sentence.split()))].add(qid.rsplit("/", 1)[-1])
    outcome: dict[str, list[bool]] = defaultdict(list)
    missing, lost = [], []
    for row in checklist:
        qids = found.get((row["article"], row["anchor"], row["sentence"]))
        if qids is None:
            kind = "no longer a mention"
        elif row["wikidata"] in qids:
            kind = "the same item"
        elif qids == {""}:
            kind = "no longer linked"
        else:
            qid = sorted(q for q in qids if q)[0]
            verdict = later.get((row["n"], qid))
            if verdict is None:
                missing.append(f"{row['n']}\t{qid}\t{describe(qid)}\t{row['anchor']!r}\t{row['sentence']}")
                continue
            outcome["another item"].append(verdict["verdict"] == "right")
            continue
        outcome[kind].append(verdicts[row["n"]]["verdict"] == "right")
        right = verdicts[row["n"]]["verdict"] == "right"
        if "longer" in kind and right or kind == "the same item" and not right:
            lost.append(f"  {kind}, {'right' if right else 'wrong'} before: {row['n']} {row['article']}: "
                        f"{row['anchor']!r} -> {row['wikidata']}")
    kept = outcome["the same item"] + outcome["another item"]
    for kind in ("the same item", "another item", "no longer linked", "no longer a mention"):
        values = outcome[kind]
        print(f"{kind}: {len(values)} (of which right before: {sum(values)})" if "longer" in kind
              else f"{kind}: {len(values)}, right {sum(values)}")
    print("\n".join(lost))
    if missing:
        print(f"{len(missing)} mentions now linked to another item need a verdict in {args.recheck_verdicts}:")
        print("\n".join(missing))
        return 1
    print(f"links checked: {len(kept)}; right: {sum(kept)}; precision: {sum(kept) / max(1, len(kept)):.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    d = commands.add_parser("draw", help="build the corpus if needed and draw the checklist")
    d.add_argument("--store", type=Path, required=True)
    d.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    d.add_argument("--n", type=int, default=200)
    d.add_argument("--seed", type=int, default=SEED)
    d.add_argument("--jobs", type=int, default=2)
    d.add_argument("--rebuild", action="store_true", help="build again even if the store exists")
    d.add_argument("--out", type=Path, default=CHECKLIST)
    s = commands.add_parser("score", help="precision from the verdicts")
    s.add_argument("--checklist", type=Path, default=CHECKLIST)
    s.add_argument("--verdicts", type=Path, default=VERDICTS)
    r = commands.add_parser("recheck", help="the checklist's mentions as kg links them now")
    r.add_argument("--store", type=Path, required=True)
    r.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    r.add_argument("--jobs", type=int, default=2)
    r.add_argument("--checklist", type=Path, default=CHECKLIST)
    r.add_argument("--verdicts", type=Path, default=VERDICTS)
    r.add_argument("--recheck-verdicts", type=Path, default=RECHECK_VERDICTS)
    args = parser.parse_args(argv)
    return {"draw": draw, "score": score, "recheck": recheck}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
