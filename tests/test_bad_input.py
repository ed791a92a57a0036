"""Bad input to ``kg build`` (issue 8): each bad article gets one line on stderr naming the path
and the reason, the others are built, the summary counts both and the exit code says so."""

from __future__ import annotations

import codecs
import json
import time
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.extract import chunk_offsets, extract_articles
from kg.model import Article
from kg.settings import Settings
from kg.sources import article_from_text, read_sources
from kg.store.local import LocalStore

LATIN1 = "Café owner José Núñez said North Korea sent troops to Kursk."
UTF16 = "Zelensky said North Korean troops reached Kursk — about 10,000 of them."


def write_mixed_folder(folder: Path) -> None:
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text("NATO Secretary General Mark Rutte met Zelensky in Kyiv.\n", encoding="utf-8")
    (folder / "sub" / "nested.txt").write_text("Kim Jong-un visited Moscow in June.\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))
    (folder / "utf16.txt").write_bytes(UTF16.encode("utf-16"))  # with a BOM
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\n\t\n", encoding="utf-8")
    (folder / "baddate.txt").write_text("date 2024-13-45\nNATO said North Korea sent troops.\n", encoding="utf-8")
    (folder / "feed.jsonl").write_text(
        '{"id": "j1", "text": "Rutte met Zelensky in Kyiv.", "date": "2024-10-31"}\n'
        "{not json\n"
        "[1, 2]\n"
        '{"id": "j4"}\n'
        '{"id": "j5", "text": "Kim Jong-un visited Moscow.", "date": "yesterday"}\n'
        '{"id": "j6", "text": "Zelensky \\ud800 met Rutte."}\n',
        encoding="utf-8",
    )
    (folder / "notes.md").write_text("not an article, ignored", encoding="utf-8")
    (folder / "bomonly.txt").write_bytes(codecs.BOM_UTF8)
    (folder / "markeronly.txt").write_text("date 2024-10-27\n", encoding="utf-8")


FAILURES = {  # path (relative) -> a word the reason must contain
    "binary.txt": "binary",
    "empty.txt": "empty",
    "blank.txt": "empty",
    "feed.jsonl:2": "invalid JSON",
    "feed.jsonl:3": "object",
    "feed.jsonl:4": "text",
    "feed.jsonl:6": "surrogate",
    "bomonly.txt": "empty",
    "markeronly.txt": "no text after the date marker",
}
BUILT = {"good", "nested", "latin1", "utf16", "baddate", "j1", "j5"}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def mixed_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("mixed")
    folder = base / "in"
    write_mixed_folder(folder)
    missing = base / "missing.txt"
    result = invoke("build", str(folder), str(missing), "--store", str(base / "store"), "--format", "json")
    return base, folder, missing, result


def test_bad_articles_fail_alone_and_the_rest_is_built(mixed_build):
    base, folder, missing, result = mixed_build
    assert result.exit_code == 1, result.stderr
    summary = json.loads(result.stdout)
    assert summary["new"] == len(BUILT)
    assert summary["failed"] == len(FAILURES) + 1  # + the missing path
    # the invalid date marker, and the JSONL record whose date "yesterday" cannot be read
    assert [w["reason"].split(" ")[:2] for w in summary["warnings"]] == [["invalid", "date"], ["unreadable", "date"]]
    assert set(LocalStore(Settings(store=str(base / "store"))).article_ids()) == BUILT


def test_each_problem_is_one_line_naming_path_and_reason(mixed_build):
    base, folder, missing, result = mixed_build
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(FAILURES) + 3, lines  # + missing path + the two date warnings
    failed = {}
    for line in lines:
        assert line.startswith(("kg: failed: ", "kg: warning: ")), line
        kind, rest = line[4:].split(": ", 1)
        path, reason = rest.split(": ", 1)
        failed[(kind, path)] = reason
    for name, word in FAILURES.items():
        reason = failed.pop(("failed", str(folder / name)))
        assert word.lower() in reason.lower(), (name, reason)
    assert "no such file" in failed.pop(("failed", str(missing)))
    assert "date marker" in failed.pop(("warning", str(folder / "baddate.txt")))
    assert "unreadable date 'yesterday'" in failed.pop(("warning", f"{folder / 'feed.jsonl'}:5"))
    assert not failed


def _text_of(store_path: Path, article_id: str) -> str:
    store = LocalStore(Settings(store=str(store_path)))
    result = store.query(
        "SELECT ?s ?g WHERE { GRAPH ?g { ?c a nif:Context ; nif:isString ?s } }",
        {"g": store.iris.graph(article_id)},
    )
    (row,) = result.rows
    return row[0].value


def test_latin1_and_utf16_are_read_as_the_text_they_hold(mixed_build):
    base = mixed_build[0]
    assert _text_of(base / "store", "latin1") == LATIN1
    assert _text_of(base / "store", "utf16") == UTF16


def test_malformed_date_marker_builds_without_a_date(mixed_build):
    store = LocalStore(Settings(store=str(mixed_build[0] / "store")))
    dates = store.query("SELECT ?d WHERE { ?a dcterms:identifier 'baddate' ; dcterms:date ?d }")
    assert dates.rows == ()
    assert _text_of(mixed_build[0] / "store", "baddate").startswith("date 2024-13-45\n")


# readers on their own -------------------------------------------------------------------------
@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                                        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le")])
def test_text_with_a_byte_order_mark(tmp_path, bom, codec):
    (tmp_path / "a.txt").write_bytes(bom + UTF16.encode(codec))
    (article,) = read_sources([str(tmp_path / "a.txt")])
    assert isinstance(article, Article) and article.text == UTF16


def test_word_date_at_the_start_is_prose_not_a_marker():
    article = article_from_text("date palms grow along the Tigris.\n", article_id="p")
    assert article.body_start == 0 and not article.warnings
    assert article.title == "date palms grow along the Tigris."


def test_jsonl_text_may_hold_unicode_line_separators(tmp_path):
    text = "Rutte met Zelensky\u2028in Kyiv.\u0085Then he left\u2029for Brussels."
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "x", "text": text}, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    (article,) = read_sources([str(tmp_path / "feed.jsonl")])
    assert isinstance(article, Article) and article.text == text


def test_file_name_that_is_not_utf8_still_builds(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = b"caf\xe9 news.txt"
    with open(bytes(folder) + b"/" + name, "wb") as handle:
        handle.write(b"Rutte met Zelensky in Kyiv.")
    result = invoke("build", str(folder), "--store", str(tmp_path / "store"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert LocalStore(Settings(store=str(tmp_path / "store"))).article_ids() == ["caf\ufffd news"]


def test_folder_without_articles_and_stdin_without_text(tmp_path):
    (tmp_path / "notes.md").write_text("nothing to read", encoding="utf-8")
    result = invoke("build", str(tmp_path), "-", "--store", str(tmp_path / "store"), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["failed"] == 2
    assert "no .txt, .jsonl, .html or feed files" in result.stderr and "<stdin>: empty input" in result.stderr


# huge articles ----------------------------------------------------------------------------------
SENTENCES = (
    "North Korea sent troops to Kursk, officials said on Monday.",
    "Mark Rutte met Volodymyr Zelensky in Kyiv.",
    "Russia and North Korea signed a defence pact in June.",
    "South Korea's spy agency said 3,000 soldiers had arrived.",
)


def huge_text(size: int) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        sentence = SENTENCES[i % len(SENTENCES)] + ("\n\n" if i % 7 == 6 else " ")
        parts.append(sentence)
        total += len(sentence)
        i += 1
    return "".join(parts)


def test_20mb_article_is_read_and_cut_into_bounded_chunks(tmp_path):
    """Reading and chunking only (the full NLP of 20 MB takes many minutes, see the next test)."""
    path = tmp_path / "huge.txt"
    path.write_text("date 2024-11-04\n" + huge_text(20_000_000), encoding="utf-8")
    started = time.perf_counter()
    (article,) = read_sources([str(path)])
    assert isinstance(article, Article) and len(article.text) > 20_000_000 and article.date == "2024-11-04"
    limit = Settings().max_chunk_chars
    tracemalloc.start()
    pieces = chunk_offsets(article.text, article.body_start, limit)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert time.perf_counter() - started < 30
    assert peak < 20_000_000, f"chunking used {peak / 1e6:.0f} MB on top of the text"
    assert pieces[0][0] == article.body_start and pieces[-1][1] == len(article.text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:])), "chunks must cover the text"
    assert all(0 < end - begin <= limit for begin, end in pieces)
    assert len(pieces) < 1.5 * len(article.text) / limit
    # every cut is at a paragraph break here: no sentence is split between two chunks
    assert all(article.text[end - 2:end] == "\n\n" for _, end in pieces[:-1])


class _RecordingPipeline:
    """The real pipeline, recording the size of every text it is handed."""

    def __init__(self, nlp) -> None:
        self.nlp, self.sizes = nlp, []
        self.make_doc, self.get_pipe = nlp.make_doc, nlp.get_pipe

    def pipe(self, items, **kwargs):
        def recorded():
            for doc, context in items:
                self.sizes.append(len(doc.text))
                yield doc, context
        return self.nlp.pipe(recorded(), **kwargs)


def test_long_article_is_processed_in_chunks_with_exact_offsets(nlp):
    """~30 kB through the real pipeline in 3,000-character chunks: the model never sees more
    than a chunk, mentions slice the text exactly, and chunking changes no mention."""
    article = article_from_text(huge_text(30_000), article_id="long")
    recording = _RecordingPipeline(nlp)
    (chunked,) = extract_articles(recording, [article], model="m", max_chunk_chars=3_000)
    assert len(recording.sizes) >= 12 and max(recording.sizes) <= 3_000
    for m in chunked.mentions:
        assert article.text[m.start:m.end] == m.anchor
    (whole,) = extract_articles(nlp, [article], model="m", max_chunk_chars=100_000)
    spans = lambda ex: {(m.start, m.end, m.anchor) for m in ex.mentions}  # noqa: E731
    assert spans(chunked) == spans(whole)
    assert max(m.start for m in chunked.mentions) > 27_000, "the last chunk was processed too"
