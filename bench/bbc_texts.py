"""Write the texts of the BBC articles a gold folder annotates, from the shared corpus.

The BBC sets under ``bench/`` (``bench/gold-bbc-2``) annotate articles of the BBC News corpus
(``../shared/corpora/bbc/bbc_news.jsonl``); the project does not copy their texts. This writes
the ``text`` field of each article a gold file names (``politics-015.txt`` is corpus article
``politics/015``) byte for byte into a folder, for ``kg eval --texts``:

    python -m bench.bbc_texts bench/gold-bbc-2/read /tmp/bbc2-texts
    kg eval bench/gold-bbc-2/read --texts /tmp/bbc2-texts
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "bbc" / "bbc_news.jsonl"


def corpus_id(document: str) -> str:
    """``politics-015.txt`` -> ``politics/015``."""
    stem = document.removesuffix(".txt")
    category, _, number = stem.rpartition("-")
    return f"{category}/{number}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, nargs="+", help="gold folders (their *.json files)")
    parser.add_argument("out", type=Path, help="folder to write the texts into")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"error: no corpus at {args.corpus}", file=sys.stderr)
        return 1
    wanted: dict[str, str] = {}
    for folder in args.gold:
        for path in sorted(folder.glob("*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))["document"]
            wanted[corpus_id(document)] = document
    args.out.mkdir(parents=True, exist_ok=True)
    found = 0
    with args.corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            document = wanted.pop(record["id"], None)
            if document is not None:
                (args.out / document).write_text(record["text"], encoding="utf-8")
                found += 1
    if wanted:
        print(f"error: not in the corpus: {', '.join(sorted(wanted))}", file=sys.stderr)
        return 1
    print(f"{found} texts -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
