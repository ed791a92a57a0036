"""The extraction stage: articles in, :class:`~kg.model.Extraction` out.

Texts are cut into chunks of bounded size (at paragraph, line or sentence boundaries) so a
huge article is processed in bounded memory and never hits spaCy's ``max_length``; all
chunks of all articles stream through one ``nlp.pipe`` call in batches.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.entities import Linker, SpanRecord, collect_entities, doc_spans, sentence_span
from kg.model import Article, Claim, Extraction, Span

_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))


def chunk_offsets(text: str, start: int, limit: int) -> list[tuple[int, int]]:
    """Cut ``text[start:]`` into ``(begin, end)`` pieces of at most ``limit`` characters,
    preferring paragraph breaks, then line breaks, then sentence ends, then any space."""
    pieces: list[tuple[int, int]] = []
    begin, end_of_text = start, len(text)
    while end_of_text - begin > limit:
        window_end = begin + limit
        cut = None
        for pattern in _BREAKS:
            matches = [m for m in pattern.finditer(text, begin + limit // 2, window_end)]
            if matches:
                cut = matches[-1].end()
                break
        if cut is None or cut <= begin:
            cut = window_end
        pieces.append((begin, cut))
        begin = cut
    if end_of_text > begin:
        pieces.append((begin, end_of_text))
    return pieces


def extract_articles(
    nlp: Language,
    articles: Iterable[Article],
    *,
    model: str,
    batch_size: int = 16,
    max_chunk_chars: int = 100_000,
    linker: Linker | None = None,
) -> Iterator[Extraction]:
    """Stream extractions in input order; the model runs over all chunks in batches."""

    def chunks() -> Iterator[tuple[str, tuple[Article, int, int, int]]]:
        for article in articles:
            pieces = chunk_offsets(article.text, article.body_start, max_chunk_chars) or [
                (article.body_start, article.body_start)
            ]
            for index, (begin, end) in enumerate(pieces):
                yield article.text[begin:end], (article, begin, index, len(pieces))

    pending: list[tuple[Doc, int]] = []
    for doc, (article, offset, index, total) in nlp.pipe(chunks(), as_tuples=True, batch_size=batch_size):
        pending.append((doc, offset))
        if index == total - 1:
            yield extract_from_docs(article, pending, model=model, linker=linker)
            pending = []


def extract_from_docs(
    article: Article, docs: list[tuple[Doc, int]], *, model: str, linker: Linker | None = None
) -> Extraction:
    """Entities, mentions, sentences and facts of one article from its processed chunks."""
    records: list[SpanRecord] = []
    sentences: list[Span] = []
    for doc, offset in docs:
        records.extend(doc_spans(doc, offset))
        for sent in doc.sents:
            span = sentence_span(sent, offset)
            if span is not None:
                sentences.append(span)
    entities, mentions = collect_entities(article, records, linker=linker)
    relations, events, claims = [], [], []
    try:
        from kg.relations import extract_facts
    except ImportError:
        extract_facts = None
    if extract_facts is not None:
        by_key = {e.key: e for e in entities}
        for doc, offset in docs:
            end = offset + len(doc.text)  # Doc.text is rebuilt from the tokens at each call
            local = [m for m in mentions if offset <= m.start < end]
            facts = extract_facts(doc, local, by_key, article, offset=offset)
            relations.extend(facts.relations)
            base = len(events)
            events.extend(facts.events)
            for claim in facts.claims:
                if base and claim.about:
                    claim = type(claim)(**{**claim.__dict__, "about": tuple(i + base for i in claim.about)})
                claims.append(claim)
    # one claim per content span (its IRI): keep the most confident reading
    best: dict[tuple[int, int], Claim] = {}
    for claim in claims:
        key = (claim.content.start, claim.content.end)
        if key not in best or claim.confidence > best[key].confidence:
            best[key] = claim
    claims = [c for c in claims if best[(c.content.start, c.content.end)] is c]
    return Extraction(
        article=article,
        entities=entities,
        mentions=mentions,
        sentences=tuple(sentences),
        relations=tuple(relations),
        events=tuple(events),
        claims=tuple(claims),
        model=model,
    )
