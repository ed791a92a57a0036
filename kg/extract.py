"""The extraction stage: articles in, :class:`~kg.model.Extraction` out.

Texts are cut into chunks of bounded size (at paragraph, line or sentence boundaries) so a
huge article is processed in bounded memory and never hits spaCy's ``max_length``; all
chunks of all articles stream through one ``nlp.pipe`` call in batches. The pipeline
(:func:`kg.pipeline.load_pipeline`) finds each chunk's entities and facts (``kg_facts``); this
stage moves them to article offsets and, for an article of several chunks, resolves its
entities again over the whole article.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from typing import Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from kg.entities import collect_entities
from kg.pipeline.dates import parse_anchor
from kg.lexicon import section
from kg.linking import Linker
from kg.model import (
    Article, Claim, Entity, Event, Extraction, Mention, Relation, SourceFailure, Span, SpanRecord,
)
from kg.pipeline import doc_spans
from kg.pipeline.doc import sentence_span
from kg.pipeline.relations.consolidate import consolidate

__all__ = ["assemble", "batches", "chunk_offsets", "extract_articles", "extract_batch"]

NO_ENTITIES_CHARS = section("rules/entities").table("warnings").integer("no_entities_chars")
"""An article with more text than this that yields no entity is reported (``Extraction.warnings``)."""

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
    max_chunk_chars: int = 20_000,
) -> Iterator[Extraction]:
    """Stream extractions in input order; the model runs over all chunks in batches.

    ``nlp`` is kg's pipeline (:func:`kg.pipeline.load_pipeline`): its ``kg_facts`` component
    finds each chunk's entities and facts, and its linker resolves the entities of an article
    of several chunks again over the whole article.
    """
    linker: Linker = nlp.get_pipe("kg_facts").linker

    def chunks() -> Iterator[tuple[Doc, tuple[Article, int, int, int]]]:
        for article in articles:
            pieces = chunk_offsets(article.text, article.body_start, max_chunk_chars) or [
                (article.body_start, article.body_start)
            ]
            for index, (begin, end) in enumerate(pieces):
                doc = nlp.make_doc(article.text[begin:end])
                doc._.kg_date = article.date  # the anchor of relative dates
                yield doc, (article, begin, index, len(pieces))

    pending: list[_Chunk] = []
    for doc, (article, offset, index, total) in nlp.pipe(chunks(), as_tuples=True, batch_size=batch_size):
        # each chunk is reduced to its spans and facts at once, so a huge article never holds
        # more than one parsed chunk in memory
        pending.append(_Chunk.from_doc(doc, offset))
        if index == total - 1:
            yield assemble(article, pending, model=model, linker=linker)
            pending = []


@dataclass(frozen=True)
class _Chunk:
    """What extraction keeps of one processed chunk once its Doc is gone."""

    records: tuple[SpanRecord, ...]
    sentences: tuple[Span, ...]
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...]
    events: tuple[Event, ...]
    claims: tuple[Claim, ...]

    @classmethod
    def from_doc(cls, doc: Doc, offset: int) -> "_Chunk":
        """The entities and facts ``kg_facts`` found in the chunk, moved to article offsets."""
        records = tuple(doc_spans(doc, offset))
        sentences = tuple(span for span in (sentence_span(sent, offset) for sent in doc.sents) if span)
        mentions = tuple(
            dataclasses.replace(m, start=m.start + offset, end=m.end + offset,
                                sentence=Span(m.sentence.start + offset, m.sentence.end + offset))
            for m in doc._.kg_mentions
        )
        facts = doc._.kg_facts.shifted(offset)
        return cls(records, sentences, doc._.kg_entities, mentions, facts.relations, facts.events, facts.claims)


def _remap(value: str | None, keys: dict[str, str]) -> str | None:
    return keys.get(value, value) if value is not None else None


def assemble(article: Article, chunks: list[_Chunk], *, model: str, linker: Linker | None = None) -> Extraction:
    """One article's extraction from its chunks: with several chunks, entities are resolved
    again over the whole article (a surname in chunk 3 finds the full name in chunk 1) and
    the facts' entity keys are mapped onto the article-level entities."""
    if len(chunks) == 1:
        entities, mentions = chunks[0].entities, chunks[0].mentions
        key_maps: list[dict[str, str]] = [{}]
    else:
        entities, mentions = collect_entities([r for chunk in chunks for r in chunk.records], linker=linker,
                                              anchor=parse_anchor(article.date))
        article_key = {(m.start, m.end): m.entity for m in mentions}
        known = {e.key for e in entities}
        extra: dict[str, Entity] = {}
        key_maps = []
        for chunk in chunks:
            keys = {}
            for m in chunk.mentions:
                keys.setdefault(m.entity, article_key.get((m.start, m.end), m.entity))
            key_maps.append(keys)
            for entity in chunk.entities:  # e.g. a unit's state that no mention names
                mapped = keys.get(entity.key, entity.key)
                if mapped not in known and mapped not in extra:
                    extra[mapped] = dataclasses.replace(entity, key=mapped)
        entities = tuple(sorted((*entities, *extra.values()), key=lambda e: e.key))
    relations: list[Relation] = []
    events: list[Event] = []
    claims: list[Claim] = []
    for chunk, keys in zip(chunks, key_maps):
        relations.extend(
            dataclasses.replace(r, subject=_remap(r.subject, keys), object=_remap(r.object, keys))
            for r in chunk.relations
        )
        base = len(events)
        events.extend(
            dataclasses.replace(
                e, agent=_remap(e.agent, keys), place=_remap(e.place, keys),
                participants=tuple(_remap(p, keys) for p in e.participants),
            )
            for e in chunk.events
        )
        claims.extend(
            dataclasses.replace(
                c, speaker=_remap(c.speaker, keys), source=_remap(c.source, keys),
                about=tuple(i + base for i in c.about),
            )
            for c in chunk.claims
        )
    if len(chunks) > 1:  # the same event told in two chunks is one event
        merged, merged_claims = consolidate(events, claims)
        events, claims = list(merged), list(merged_claims)
    # one claim per content span (its IRI): keep the most confident reading
    best: dict[tuple[int, int], Claim] = {}
    for claim in claims:
        key = (claim.content.start, claim.content.end)
        if key not in best or claim.confidence > best[key].confidence:
            best[key] = claim
    warnings = []
    body = len(article.text[article.body_start:].strip())
    if not entities and body > NO_ENTITIES_CHARS:
        warnings.append(f"no entities found in {body} characters of text; check that it is prose "
                        "and not lost as boilerplate")
    return Extraction(
        article=article,
        entities=tuple(entities),
        mentions=tuple(mentions),
        sentences=tuple(span for chunk in chunks for span in chunk.sentences),
        relations=tuple(relations),
        events=tuple(events),
        claims=tuple(c for c in claims if best[(c.content.start, c.content.end)] is c),
        model=model,
        warnings=tuple(warnings),
    )


def extract_batch(
    nlp: Language, articles: Sequence[Article], *, model: str, batch_size: int = 16, max_chunk_chars: int = 20_000,
) -> Iterator[Extraction | SourceFailure]:
    """Extract a batch; if the batch fails, retry one by one so one bad article fails alone
    (as a :class:`SourceFailure` with the reason) and the others are still extracted."""
    options = dict(model=model, batch_size=batch_size, max_chunk_chars=max_chunk_chars)
    try:
        yield from list(extract_articles(nlp, articles, **options))
        return
    except Exception:
        if len(articles) == 1:
            raise
    for article in articles:
        try:
            yield from extract_articles(nlp, [article], **options)
        except Exception as exc:  # report and go on: one article must not stop the build
            yield SourceFailure(article.path or article.id, f"extraction failed: {type(exc).__name__}: {exc}")


def batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Lists of up to ``size`` articles from a stream (the unit handed to a worker)."""
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
