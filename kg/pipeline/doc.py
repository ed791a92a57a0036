"""What every kg component reads off a spaCy ``Doc``: its text, its sentences, token columns.

Also the ``kg_line_breaks`` component, which starts a sentence after every line break, and the
``Doc`` extension attributes kg's components read and write:

* ``doc._.kg_date`` (in): the article's date (``YYYY-MM-DD``), the anchor of relative dates;
* ``doc._.kg_entities``, ``doc._.kg_mentions``, ``doc._.kg_facts`` (out, set by ``kg_facts``):
  the entities, mentions (doc offsets) and relations, events and claims found in the doc.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from kg.model import Span

__all__ = ["doc_text", "line_breaks", "sentence_span", "token_strings", "register_extensions"]

_LINE_BREAK = re.compile(r"\n\s*")
_TEXT_KEY = "kg:text"
EXTENSIONS = ("kg_date", "kg_entities", "kg_mentions", "kg_facts")


def register_extensions() -> None:
    """Declare kg's ``Doc`` extension attributes (idempotent)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


def doc_text(doc: Doc) -> str:
    """``doc.text``, rebuilt from the tokens once per doc and kept in ``doc.user_data``: kg's
    components all read it, and ``Doc.text`` joins every token's text at each call (a doc's
    text never changes; retokenizing moves token boundaries only)."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def sentence_span(sent: SpacySpan, offset: int = 0) -> Span | None:
    """A sentence's offsets (plus ``offset``) without surrounding whitespace (None if blank)."""
    text = doc_text(sent.doc)[sent.start_char : sent.end_char]  # ``Span.text`` joins its tokens
    stripped = text.strip()
    if not stripped:
        return None
    begin = sent.start_char + offset + len(text) - len(text.lstrip())
    return Span(begin, begin + len(stripped))


def token_strings(doc: Doc, attr: int) -> list[str]:
    """Each token's ``attr`` (``LEMMA``, ``LOWER``…) as a string, without building the tokens:
    each distinct value is looked up once."""
    ids = doc.to_array(attr).tolist()
    strings = {h: doc.vocab.strings[h] for h in set(ids)}
    return [strings[h] for h in ids]


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines, bylines and headings such as
    "Background:" never merge into the next sentence's parse."""
    text = doc_text(doc)
    for newline in _LINE_BREAK.finditer(text):
        span = doc.char_span(newline.start(), newline.end(), alignment_mode="expand")
        if span is not None and span[-1].is_space and span[-1].i + 1 < len(doc):
            doc[span[-1].i + 1].is_sent_start = True
    return doc
