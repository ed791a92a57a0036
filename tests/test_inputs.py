"""Real-world input: feed dates in JSONL, HTML pages (trafilatura) and RSS/Atom feeds
(feedparser), with title, date and URL taken from them; kg's id scheme unchanged."""

from __future__ import annotations

import io
import json

import pytest

from kg.model import Article, SourceFailure
from kg.sources import content_hash, count_articles, feed_date, read_sources

HTML = """<!DOCTYPE html><html><head><title>Seoul says troops arrived | World News</title>
<meta property="og:title" content="Seoul says North Korean troops arrived in Russia">
<meta property="article:published_time" content="2024-10-18T08:00:00+09:00">
<link rel="canonical" href="https://example.org/news/seoul-troops"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Seoul says North Korean troops arrived in Russia</h1>
<p>South Korea's National Intelligence Service said on Friday that about 1,500 North Korean special
forces soldiers had been sent to Russia aboard Russian navy ships.</p>
<p>The agency said the troops were moved to Vladivostok and would be deployed to the front.</p></article>
<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>World news</title><link>https://example.org/</link>
<item><title>Pentagon confirms troops</title><link>https://example.org/a1</link>
<pubDate>Tue, 29 Oct 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Pentagon spokesman Pat Ryder said about 3,000 North Korean troops were in Russia.&lt;/p&gt;</description></item>
<item><title>Rutte speaks</title><link>https://example.org/a2</link><pubDate>Thu, 31 Oct 2024 00:30:00 +0900</pubDate>
<description>NATO Secretary General Mark Rutte said North Korean units had been deployed.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Frontline</title><id>urn:feed</id><updated>2024-11-06T00:00:00Z</updated>
<entry><title>Kursk clashes</title><link href="https://example.org/k"/><id>urn:k</id>
<published>2024-11-05T12:00:00Z</published><updated>2024-11-06T12:00:00Z</updated>
<content type="html">&lt;p&gt;Ukraine said its forces clashed with North Korean troops in Kursk.&lt;/p&gt;&lt;p&gt;More followed.&lt;/p&gt;</content></entry></feed>"""


def articles(*specs: str) -> list[Article | SourceFailure]:
    return list(read_sources(list(specs)))


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-10-29T10:00:00Z", "2024-10-29"),
        ("2024-10-29T23:30:00-05:00", "2024-10-29"),  # as written: the publisher's own day
        ("2024-10-29 10:00", "2024-10-29"),
        ("2024-10-29", "2024-10-29"),
        ("Tue, 29 Oct 2024 10:00:00 GMT", "2024-10-29"),
        ("29 Oct 2024 10:00:00 +0100", "2024-10-29"),
        ("29 October 2024", "2024-10-29"),
        ("soon", None),
        ("2024-13-45T00:00:00Z", None),
    ],
)
def test_feed_dates(value: str, iso: str | None) -> None:
    assert feed_date(value) == iso


def test_jsonl_dates_in_feed_forms_are_kept_and_a_bad_one_is_a_warning(tmp_path) -> None:
    lines = [{"id": "a", "text": "Rutte spoke on Monday.", "date": "2024-10-29T10:00:00Z"},
             {"id": "b", "text": "Rutte spoke again.", "date": "Tue, 29 Oct 2024 10:00:00 GMT"},
             {"id": "c", "text": "Rutte spoke once more.", "date": "next week sometime"}]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    a, b, c = articles(str(path))
    assert (a.date, b.date, c.date) == ("2024-10-29", "2024-10-29", None)
    assert not a.warnings and "unreadable date 'next week sometime'" in c.warnings[0]


def test_an_html_page_gives_its_main_text_title_date_and_url(tmp_path) -> None:
    (tmp_path / "seoul.html").write_text(HTML, encoding="utf-8")
    (article,) = articles(str(tmp_path / "seoul.html"))
    assert article.id == "seoul"  # the file stem, as for .txt
    assert article.title == "Seoul says North Korean troops arrived in Russia"
    assert article.date == "2024-10-18" and article.url == "https://example.org/news/seoul-troops"
    assert "about 1,500 North Korean special" in article.text and "Vladivostok" in article.text
    assert "Sport" not in article.text and "Copyright" not in article.text


def test_an_html_page_without_text_is_a_failure(tmp_path) -> None:
    (tmp_path / "empty.html").write_text("<html><head><title>x</title></head><body><img src=a.png></body></html>", encoding="utf-8")
    (failure,) = articles(str(tmp_path / "empty.html"))
    assert isinstance(failure, SourceFailure) and "no article text" in failure.reason


def test_rss_and_atom_entries_are_articles(tmp_path) -> None:
    (tmp_path / "world.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "front.atom").write_text(ATOM, encoding="utf-8")
    items = articles(str(tmp_path))
    assert all(isinstance(item, Article) for item in items)
    by_title = {a.title: a for a in items}
    assert set(by_title) == {"Pentagon confirms troops", "Rutte speaks", "Kursk clashes"}
    pentagon = by_title["Pentagon confirms troops"]
    assert pentagon.date == "2024-10-29" and pentagon.url == "https://example.org/a1"
    assert pentagon.source == "World news" and "<p>" not in pentagon.text
    assert pentagon.text == "Pentagon confirms troops\n\nPentagon spokesman Pat Ryder said about 3,000 North Korean troops were in Russia."
    assert pentagon.id == content_hash(pentagon.text).split(":")[1][:16]  # kg's id of a record without one
    assert by_title["Rutte speaks"].date == "2024-10-31"  # the day it was in Seoul
    kursk = by_title["Kursk clashes"]
    assert kursk.date == "2024-11-05" and kursk.text.endswith("in Kursk.\nMore followed.")


def test_an_xml_file_that_is_not_a_feed_is_read_as_text(tmp_path) -> None:
    (tmp_path / "note.xml").write_text("<note>Rutte spoke in Brussels on 28 October 2024.</note>", encoding="utf-8")
    (article,) = articles(str(tmp_path / "note.xml"))
    assert isinstance(article, Article) and article.date == "2024-10-28"


def test_a_feed_on_stdin() -> None:
    items = list(read_sources(["-"], stdin=io.StringIO(RSS)))
    assert [a.title for a in items] == ["Pentagon confirms troops", "Rutte speaks"]


def test_count_articles_for_the_progress_total(tmp_path) -> None:
    (tmp_path / "world.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Rutte spoke.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n', encoding="utf-8")
    assert count_articles([str(tmp_path)]) == 2 + 1 + 2
    assert count_articles(["-"]) is None
