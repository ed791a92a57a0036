"""Reading articles from files, folders, globs, JSONL and stdin."""

from __future__ import annotations

import datetime as dt
import io

from kg.model import Article, SourceFailure
from kg.sources import article_from_text, find_date, read_sources


def test_date_marker_sets_date_and_body_start():
    article = article_from_text(" date 2024-11-07 Leaders met in Budapest.", article_id="a")
    assert article.date == "2024-11-07"
    assert article.text[article.body_start:] == "Leaders met in Budapest."


def test_malformed_marker_is_skipped_and_date_left_empty():
    article = article_from_text(" date 2024-13-45 Leaders met.", article_id="a")
    assert article.date is None
    assert article.text[article.body_start:] == "Leaders met."


def test_date_in_first_lines():
    text = "Headline here\n\nJohn Smith\n27 October 2024 09:01\n\nBody text."
    assert find_date(text) == dt.date(2024, 10, 27)


def test_weekday_without_year_takes_most_recent_matching_year():
    text = "Leaders spoke late on Sunday, the 13th of October, after the talks."
    assert find_date(text, today=dt.date(2026, 11, 29)) == dt.date(2024, 10, 13)


def test_no_date():
    assert article_from_text("Nothing dated here.", article_id="x").date is None


def test_title_from_headline_line():
    article = article_from_text("Troops arrive\n\nSoldiers arrived on Monday.", article_id="a")
    assert article.title == "Troops arrive"


def test_folder_recursive_and_ids_from_file_names(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("First article.", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("Second article.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x,y", encoding="utf-8")
    items = list(read_sources([str(tmp_path)]))
    assert [i.id for i in items if isinstance(i, Article)] == ["a", "b"]


def test_glob(tmp_path):
    for name in ("x1.txt", "x2.txt", "y.txt"):
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    items = list(read_sources([str(tmp_path / "x*.txt")]))
    assert sorted(i.id for i in items) == ["x1", "x2"]


def test_jsonl_records_and_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "r1", "text": "One.", "date": "2024-10-01", "title": "T", "url": "https://e.org/1"}\n'
        "not json\n"
        '{"id": "r3"}\n'
        '{"text": "No id here."}\n',
        encoding="utf-8",
    )
    items = list(read_sources([str(path)]))
    first = items[0]
    assert isinstance(first, Article) and first.id == "r1" and first.date == "2024-10-01"
    assert first.url == "https://e.org/1"
    assert isinstance(items[1], SourceFailure) and items[1].path.endswith(":2")
    assert isinstance(items[2], SourceFailure) and "text" in items[2].reason
    assert isinstance(items[3], Article) and len(items[3].id) == 16  # content hash


def test_stdin_text_and_jsonl():
    (text,) = read_sources(["-"], stdin=io.StringIO("Troops arrived."))
    assert isinstance(text, Article) and text.text == "Troops arrived."
    items = list(read_sources(["-"], stdin=io.StringIO('{"id": "s", "text": "A."}\n')))
    assert [i.id for i in items] == ["s"]


def test_missing_path_is_a_failure_not_an_exception(tmp_path):
    (item,) = read_sources([str(tmp_path / "nope.txt")])
    assert isinstance(item, SourceFailure) and "no such file" in item.reason


def test_content_hash_changes_with_text():
    a = article_from_text("One.", article_id="a")
    b = article_from_text("Two.", article_id="a")
    assert a.content_hash != b.content_hash
    assert a.content_hash == article_from_text("One.", article_id="a").content_hash
