"""Property-based tests (issue 8): IRI minting, the article reader and mention offsets hold for
any input, not only the examples we thought of."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import rdflib
from hypothesis import HealthCheck, example, given, settings, strategies as st

from kg.extract import extract_articles
from kg.iri import IRIMinter, slug
from kg.model import Article, SourceFailure
from kg.settings import Settings
from kg.sources import article_from_text, read_sources
from kg.vocab import ENTITY_CLASSES

MINTER = IRIMinter(Settings().base_iri)
IRI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
"""RFC 3986 characters only: no spaces, no controls, nothing a serialiser must escape."""


def assert_valid_iri(iri: ox.NamedNode) -> None:
    assert IRI_CHARS.fullmatch(iri.value), iri.value
    assert ox.NamedNode(iri.value) == iri
    parsed = rdflib.URIRef(iri.value)
    assert parsed.n3() == f"<{iri.value}>"
    (quad,) = ox.parse(f"<urn:s> <urn:p> <{iri.value}> .".encode(), format=ox.RdfFormat.N_TRIPLES)
    assert quad.object == iri


@settings(max_examples=200, deadline=None)
@given(name=st.text(), cls=st.sampled_from(sorted(ENTITY_CLASSES)))
@example(name="", cls="Person")
@example(name=" \t\n", cls="Place")
@example(name="Kim Jong-un’s", cls="Person")
@example(name="../../etc/passwd?x=1#frag", cls="Organization")
@example(name="\u0000\U0010ffff\ufeff", cls="State")
def test_any_name_mints_a_valid_stable_iri(name, cls):
    iri = MINTER.entity(cls, name)
    assert_valid_iri(iri)
    assert IRIMinter(Settings().base_iri).entity(cls, name) == iri  # deterministic
    assert iri.value.startswith(f"{Settings().base_iri}entity/{cls}/")
    assert slug(name) == slug(unicodedata.normalize("NFC", name))


@settings(max_examples=200, deadline=None)
@given(article_id=st.text(min_size=1))
@example(article_id="a b/c?d#e%20")
@example(article_id="Ärger über Kyiv #1")
def test_any_article_id_mints_valid_iris_that_give_the_id_back(article_id):
    for iri in (MINTER.article(article_id), MINTER.graph(article_id),
                MINTER.span(article_id, "mention", 0, 5), MINTER.fact(article_id, "event", "x", 1)):
        assert_valid_iri(iri)
    assert MINTER.article_id_from_graph(MINTER.graph(article_id)) == unicodedata.normalize("NFC", article_id)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".jsonl"]))
@example(data=b'{"text": "a\\ud800b"}\n', suffix=".jsonl")
@example(data=b"\xff\xfe\x00\xd8", suffix=".txt")  # UTF-16 BOM, then a lone surrogate
@example(data=b"\xef\xbb\xbf", suffix=".txt")
@example(data=b"date 9999-99-99\n", suffix=".txt")
def test_reading_arbitrary_bytes_never_raises(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"x{suffix}"
        path.write_bytes(data)
        items = list(read_sources([str(path)]))
    assert items
    for item in items:
        assert isinstance(item, (Article, SourceFailure))
        if isinstance(item, Article):
            item.text.encode("utf-8")  # storable text: no lone surrogates
            assert item.text[item.body_start:].strip()
            assert_valid_iri(MINTER.graph(item.id))
        else:
            assert item.reason and "\n" not in item.reason


WORDS = ["North Korea", "Kursk", "Mark Rutte", "Zelensky", "NATO", "said", "sent", "3,000", "troops",
         "to", "in", "on", "Monday", ".", ",", "\n", "\n\n", "Kyiv", "Russia's", "Kim Jong-un", "—"]
TEXTS = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), min_size=1, max_size=60).map(" ".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, prefix=st.sampled_from(["", "date 2024-10-27\n", "  \r\n"]),
       chunk=st.sampled_from([40, 120, 100_000]))
def test_mentions_and_sentences_slice_the_text_exactly(nlp, text, prefix, chunk):
    article = article_from_text(prefix + text, article_id="p")
    if not article.text[article.body_start:].strip():
        return
    (extraction,) = extract_articles(nlp, [article], model="m", max_chunk_chars=chunk)
    for m in extraction.mentions:
        assert article.body_start <= m.start < m.end <= len(article.text)
        assert article.text[m.start:m.end] == m.anchor
        assert m.sentence.start <= m.start and m.end <= m.sentence.end
    for s in extraction.sentences:
        assert article.body_start <= s.start < s.end <= len(article.text)
