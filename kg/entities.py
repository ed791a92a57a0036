"""The entity layer: typed entity spans per document, then entities and mentions per article.

Two parts:

* the ``kg_entities`` spaCy component (after the model's NER and kg's entity ruler) maps
  labels onto the five classes, trims determiners and possessives, resolves metonymy
  ("Moscow is ignoring" -> Russia; "a summit in Budapest" stays a place) and drops names in
  bylines, credits and boilerplate;
* :func:`collect_entities` groups an article's spans into entities: gazetteer names,
  surnames and spelling variants of one person ("Zelensky" = "Volodymyr Zelenskyy"), one
  armed-forces entity per state ("North Korean soldiers" = "Kim's troops") linked to its
  state, and Wikidata links where the gazetteer is sure.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

import numpy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg import lexicon
from kg.gazetteer import load_gazetteer
from kg.iri import slug
from kg.model import Article, Entity, Mention
from kg.model import Span as TextSpan
from kg.nlp import doc_text

if TYPE_CHECKING:
    from kg.linking import LinkContext, LinkResult

CLASSES = ("Person", "State", "MilitaryUnit", "Organization", "Place")
_NER_CLASS = {"PERSON": "Person", "GPE": "Place", "LOC": "Place", "FAC": "Place", "ORG": "Organization"}
_DROP_LEADING = {"the", "a", "an", "'s", "’s"}
_NAME_OK = re.compile(r"[A-Za-z]")
_QID = re.compile(r"Q[1-9][0-9]*")


def _gazetteer_class(text: str) -> tuple[str, str] | None:
    """``(class, canonical name)`` the gazetteer gives ``text``, if unambiguous enough."""
    entries = load_gazetteer().lookup(text)
    if not entries:
        return None
    states = [e for e in entries if e.cls == "State"]
    best = states[0] if states else entries[0]
    return best.cls, best.name


def _trim(span: Span) -> Span | None:
    """Drop leading determiners and a trailing possessive: "the NATO's" -> "NATO"."""
    start, end = span.start, span.end
    while start < end and (
        span.doc[start].is_space
        or span.doc[start].lower_ in _DROP_LEADING
        or (span.label_ == "PERSON" and span.doc[start].lower_ in lexicon.TITLE_WORDS)
    ):
        start += 1
    while end > start and (span.doc[end - 1].lower_ in {"'s", "’s", "'", "’"} or span.doc[end - 1].is_punct
                           or span.doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    return Span(span.doc, start, end, label=span.label_, kb_id=span.kb_id_, span_id=span.id_)


@functools.lru_cache(maxsize=1024)
def _line_noise(line: str) -> tuple[bool, tuple[tuple[int, int], ...]]:
    """Whether a line is boilerplate, and where its inline credits are. Cached: the entities
    of one paragraph share its line."""
    credits = tuple(m.span() for m in lexicon.INLINE_CREDIT.finditer(line))
    return lexicon.is_noise_line(line), credits


def _in_noise_line(doc: Doc, span: Span) -> bool:
    """Bylines, credits, boilerplate, and lines that hold nothing but the name (a byline
    such as "Maciej Zubel" or a heading such as "Background:")."""
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    noise, credits = _line_noise(line)
    if noise:
        return True
    for credit_start, credit_end in credits:
        if credit_start <= span.start_char - line_start < credit_end:
            return True
    rest = (line[: span.start_char - line_start] + line[span.end_char - line_start:]).strip(" \t:-–—|·")
    return not rest and _label(span) in ("PERSON", "ORG", "Person")


def _is_locative(span: Span) -> bool:
    """Whether a place name is used as a location (object of "in", "to", "from" …)."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in lexicon.LOCATIVE_PREPOSITIONS:
        return True
    if root.dep_ == "conj":  # "in Kyiv and Moscow"
        head = root.head
        return head.dep_ == "pobj" and head.head.lower_ in lexicon.LOCATIVE_PREPOSITIONS
    if root.dep_ == "appos" or (root.dep_ == "npadvmod" and root.head.pos_ == "PROPN"):
        return True  # "Budapest, Hungary"
    return False


def _metonymy(span: Span) -> tuple[str, str] | None:
    """A capital used as an actor stands for its state: ``("State", state)``."""
    state = lexicon.CAPITALS.get(span.text)
    if state is None:
        return None
    return None if _is_locative(span) else ("State", state)


def _city_state_place(span: Span) -> bool:
    """A country name that is also its capital's name, used as a location ("in Luxembourg")."""
    if not _is_locative(span):
        return False
    from kg.linking import is_city_state_name

    return is_city_state_name(span.text)


def _demonym_of_title(span: Span) -> str | None:
    """The state of a demonym qualifying a title: "South Korean Defence Minister" -> South Korea."""
    state = lexicon.DEMONYMS.get(span.text)
    if state is None:
        return None
    doc = span.doc
    for token in doc[span.end: min(span.end + 3, len(doc))]:
        if token.lower_ in lexicon.TITLE_WORDS:
            return state
        if not token.is_title:
            return None
    return None


def _label(span: Span) -> str:
    """The NER's label of a span, or for a span of kg's ruler the kg class its id carries (the
    ruler marks its spans with labels the NER knows, see :func:`kg.ruler.ner_labels`)."""
    cls, sep, _ = span.id_.partition(":")
    return cls if sep and cls in CLASSES else span.label_


def _type_span(span: Span) -> Span | None:
    """Map one entity span to kg's classes, or drop it."""
    label = _label(span)
    if label in CLASSES:
        hint = span.id_ or f"{label}:"
        cls, _, canonical = hint.partition(":")
        if label == "Place" and span.text in lexicon.CAPITALS:
            turned = _metonymy(span)
            if turned:
                cls, canonical = turned
        elif label == "State" and _city_state_place(span):
            cls, canonical = "Place", ""
        return Span(span.doc, span.start, span.end, label=cls, span_id=f"{cls}:{canonical}")
    trimmed = _trim(span)
    if trimmed is None or not _NAME_OK.search(trimmed.text):
        return None
    text = trimmed.text
    if text.lower() in lexicon.TITLE_WORDS or text.lower() in lexicon.NOT_A_NAME or text.islower():
        return None
    titled = _demonym_of_title(trimmed)
    if titled:
        return Span(span.doc, trimmed.start, trimmed.end, label="State", span_id=f"State:{titled}")
    if label == "NORP":
        state = lexicon.PLURAL_DEMONYMS.get(text)
        return Span(span.doc, trimmed.start, trimmed.end, label="State", span_id=f"State:{state}") if state else None
    if text in lexicon.CAPITALS:
        turned = _metonymy(trimmed)
        if turned:
            return Span(span.doc, trimmed.start, trimmed.end, label="State", span_id=f"State:{turned[1]}")
    doc = span.doc
    if (label != "PERSON" and len(trimmed) > 1 and trimmed[0].lower_.rstrip(".") in lexicon.PERSONAL_HONORIFICS
            and not any(t.tag_ == "POS" for t in trimmed)):  # but "Mr Brown's Finance Facility" is his thing
        return Span(doc, trimmed.start, trimmed.end, label="Person", span_id="Person:")
    if (trimmed.start >= 2 and doc[trimmed.start - 1].lower_ == "of"
            and doc[trimmed.start - 2].lower_ in lexicon.SETTLEMENT_NOUNS and label in _NER_CLASS):
        return Span(doc, trimmed.start, trimmed.end, label="Place", span_id="Place:")
    known = _gazetteer_class(text)
    if known:
        cls, canonical = known
        if label == "PERSON" and cls != "Person":
            cls, canonical = "Person", ""
        return Span(span.doc, trimmed.start, trimmed.end, label=cls, span_id=f"{cls}:{canonical}")
    cls = _NER_CLASS.get(label)
    if cls is None:
        return None
    if cls == "Person" and len(text) < 3:
        return None
    return Span(span.doc, trimmed.start, trimmed.end, label=cls, span_id=f"{cls}:")


@Language.component("kg_entities")
def kg_entities(doc: Doc) -> Doc:
    """Type, trim and filter ``doc.ents``; the span id carries ``Class:canonical name``."""
    kept = []
    for span in doc.ents:
        if _in_noise_line(doc, span):
            continue
        typed = _type_span(span)
        if typed is not None:
            kept.append(typed)
    taken = {i for span in kept for i in range(span.start, span.end)}
    kept.extend(_organization_anaphors(doc, taken))
    doc.ents = filter_spans(kept)
    return doc


ANAPHOR = "@anaphor"


@functools.lru_cache(maxsize=1)
def _anaphor_hashes() -> numpy.ndarray:
    return numpy.array([get_string_id(w) for w in lexicon.ORGANIZATION_ANAPHORS], dtype="uint64")


def _organization_anaphors(doc: Doc, taken: set[int]) -> list[Span]:
    """Definite descriptions such as "the agency" or "the alliance", to be resolved to the
    organization named just before (in :func:`collect_entities`)."""
    found = []
    # the few tokens that can be an anaphor, found on the doc's LOWER array, not token by token
    candidates = numpy.flatnonzero(numpy.isin(doc.to_array(LOWER)[1:], _anaphor_hashes())) + 1
    for i in candidates.tolist():
        token = doc[i]
        if token.i in taken:
            continue
        if doc[token.i - 1].lower_ != "the" or token.tag_ not in ("NN", "NNP"):
            continue
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if following is not None and (following.lower_ in lexicon.ANAPHOR_BLOCKERS or following.pos_ in ("NOUN", "PROPN")):
            continue
        found.append(Span(doc, token.i, token.i + 1, label="Organization", span_id=f"Organization:{ANAPHOR}"))
    return found


# ----------------------------------------------------------------------------------------------
@dataclass
class _Cluster:
    cls: str
    canonical: str
    anchors: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, str, TextSpan, str]] = field(default_factory=list)
    state: str | None = None

    @property
    def region_cue(self) -> bool:
        """Whether it was ever named as a region ("Kursk region", "Donetsk Oblast")."""
        return any(w in a.lower() for a in self.anchors for w in ("region", "oblast", "province"))

    @property
    def label(self) -> str:
        if self.canonical:
            return self.canonical
        if self.cls == "Person":  # the fullest name, without an honorific or rank before it:
            # "Mr Blair" alone is "Blair", the same person as a bare "Blair" in another article
            names = [" ".join(_name_words(a)) for a in self.anchors]
            return max(names, key=lambda a: (len(a.split()), len(a)))
        # ties go to the form named first: never to set order, which varies with the hash seed
        return max(dict.fromkeys(self.anchors), key=lambda a: (self.anchors.count(a), len(a)))


@dataclass(frozen=True)
class SpanRecord:
    """An entity span found in one document, in article offsets."""

    start: int
    end: int
    anchor: str
    cls: str
    canonical: str
    sentence: TextSpan
    label: str


def sentence_span(sent: Span, offset: int = 0) -> TextSpan | None:
    """A sentence's article offsets without surrounding whitespace (None if blank)."""
    text = doc_text(sent.doc)[sent.start_char : sent.end_char]  # ``Span.text`` joins its tokens
    stripped = text.strip()
    if not stripped:
        return None
    begin = sent.start_char + offset + len(text) - len(text.lstrip())
    return TextSpan(begin, begin + len(stripped))


def doc_spans(doc: Doc, offset: int = 0) -> list[SpanRecord]:
    """The typed entity spans of a processed doc, shifted to article offsets."""
    records = []
    for ent in doc.ents:
        cls, _, canonical = (ent.id_ or f"{ent.label_}:").partition(":")
        if cls not in CLASSES:
            continue
        sentence = sentence_span(ent.sent, offset) or TextSpan(ent.start_char + offset, ent.end_char + offset)
        anchor = ent.text
        start_char = ent.start_char
        if anchor != anchor.strip():  # never let a mention begin or end in whitespace
            start_char += len(anchor) - len(anchor.lstrip())
            anchor = anchor.strip()
            if not anchor:
                continue
        for suffix in ("'s", "’s", "'", "’"):  # possessive glued to the last token
            if anchor.endswith(suffix) and len(anchor) > len(suffix) + 1:
                anchor = anchor[: -len(suffix)]
                break
        if start_char + offset + len(anchor) > sentence.end:  # NER ignores sentence starts
            anchor = anchor[: max(0, sentence.end - start_char - offset)].rstrip()
            if not anchor:
                continue
        records.append(
            SpanRecord(
                start=start_char + offset,
                end=start_char + offset + len(anchor),
                anchor=anchor,
                cls=cls,
                canonical=canonical,
                sentence=sentence,
                label=ent.label_,
            )
        )
    return records


def _name_words(name: str) -> list[str]:
    """The words of a person's name without the honorifics, ranks and titles before it:
    "Mr Blair", "Gen. Pinochet" -> ["Blair"], ["Pinochet"]; "John Major" stays whole."""
    words = name.split()
    start = 0
    while start < len(words) - 1 and (
        words[start].lower().rstrip(".") in lexicon.HONORIFICS or words[start].lower() in lexicon.TITLE_WORDS
    ):
        start += 1
    return words[start:]


def _surname_match(short: str, full: str) -> bool:
    """"Zelensky" ~ "Volodymyr Zelenskyy"; "Umierov" ~ "Rustem Umerov"; and a family name
    written first, as in Korean names: "Kim" ~ "Kim Jong Un", "Kim Yong-hyun"."""
    words = full.split()
    last = words[-1].lower()
    short = short.lower()
    if short == last:
        return True
    family_first = len(words) >= 3 or (len(words) == 2 and "-" in words[1])
    if family_first and short == words[0].lower():
        return True
    return short[:4] == last[:4] and difflib.SequenceMatcher(None, short, last).ratio() >= 0.8


Linker = Callable[[str, str, "LinkContext"], "LinkResult | None"]


def _state_in_name(name: str) -> str | None:
    """The state an organization's name starts with: "Russian Defence Ministry" -> Russia."""
    words = name.split()
    for size in (2, 1):
        state = lexicon.DEMONYMS.get(" ".join(words[:size])) if len(words) > size else None
        if state:
            return state
    return None


def default_linker(settings=None) -> Linker:
    """:func:`kg.linking.link` with the given settings (threshold, online mode)."""
    from kg.linking import link

    def run(name: str, cls: str, context: "LinkContext") -> "LinkResult | None":
        return link(name, cls, context, settings=settings)

    return run


def collect_entities(
    article: Article,
    records: Iterable[SpanRecord],
    *,
    linker: Linker | None = None,
) -> tuple[tuple[Entity, ...], tuple[Mention, ...]]:
    """Group an article's entity spans into entities and one mention per span.

    ``linker(name, cls, context)`` returns a :class:`kg.linking.LinkResult` or ``None`` when
    unsure (default: the offline gazetteer linker). States are linked first and serve as
    context for places and people.
    """
    from kg.linking import LinkContext

    linker = linker if linker is not None else default_linker()
    records = sorted(records, key=lambda r: (r.start, r.end))
    clusters: dict[tuple[str, str], _Cluster] = {}
    order: list[_Cluster] = []

    def cluster_for(cls: str, key: str, canonical: str) -> _Cluster:
        found = clusters.get((cls, key))
        if found is None:
            found = clusters[(cls, key)] = _Cluster(cls, canonical)
            order.append(found)
        return found

    gazetteer = load_gazetteer()

    def canonical_name(cls: str, ref: str, anchor: str) -> str:
        """A ruler/lexicon reference (QID, ``Class/slug`` key or a name) as a canonical name."""
        if _QID.fullmatch(ref):
            entry = gazetteer.get(ref)
            return entry.name if entry else ""
        same_class = [e for e in gazetteer.lookup(anchor if (not ref or "/" in ref) else ref) if e.cls == cls]
        if len(same_class) == 1:
            return same_class[0].name
        return "" if (not ref or "/" in ref) else ref

    records = [
        SpanRecord(r.start, r.end, r.anchor, r.cls,
                   r.canonical if r.cls == "MilitaryUnit" or r.canonical == ANAPHOR
                   else canonical_name(r.cls, r.canonical, r.anchor),
                   r.sentence, r.label)
        for r in records
    ]
    anaphors = [r for r in records if r.canonical == ANAPHOR]
    records = [r for r in records if r.canonical != ANAPHOR]
    # full person names first, so surnames can attach to them wherever they occur
    people = [r for r in records if r.cls == "Person" and not r.canonical]
    full_names = [r.anchor for r in people if len(_name_words(r.anchor)) > 1]
    full_at = [(r.start, r.canonical or r.anchor, r.canonical) for r in records
               if r.cls == "Person" and len(_name_words(r.canonical or r.anchor)) > 1]

    cluster_at: dict[int, _Cluster] = {}

    def first_form(name: str) -> str:
        """The first full name of the text that ``name`` is a spelling variant of (same first
        word, matching surname), else ``name``: one key for "Volodymyr Zelensky/Zelenskyy"."""
        words = name.split()
        if len(words) < 2:
            return name
        return next((f for f in full_names if f.split()[0] == words[0] and _surname_match(words[-1], f)), name)

    def nearest(position: int, matches: list[tuple[int, str, str]], default: str) -> tuple[str, str]:
        """``(full name, canonical name or "")`` of the match mentioned last before
        ``position``, else of the first one after it; ``(default, "")`` without a match."""
        before = [m for m in matches if m[0] < position]
        chosen = before[-1] if before else (matches[0] if matches else None)
        return (chosen[1], chosen[2]) if chosen else (default, "")

    def full_name_for(short: str, position: int) -> tuple[str, str]:
        """The full name a bare name stands for (see :func:`nearest`)."""
        return nearest(position, [m for m in full_at if _surname_match(short, m[1])], short)
    for r in records:
        if r.cls == "MilitaryUnit":
            state = r.canonical or "unknown"
            demonym = lexicon.CANONICAL_DEMONYM.get(state, state)
            c = cluster_for("MilitaryUnit", slug(state), lexicon.UNIT_LABEL.format(demonym=demonym))
            c.state = state
        elif r.canonical:
            c = cluster_for(r.cls, slug(r.canonical), r.canonical)
        elif r.cls == "Person":
            # "Mr Blair" is a bare surname; "Tony Blair" and "Cherie Blair" are two people
            words = _name_words(r.anchor)
            name = " ".join(words)
            if len(words) == 1:
                head, known = full_name_for(name, r.start)
            else:  # "da Silva" and "Baez Silva" are the end of "Luiz Inacio Lula da Silva"...
                head, known = nearest(r.start, [m for m in full_at if m[1].endswith(" " + name)], name)
            # a known person joins that person; others group by their full name, its spelling
            # variants together ("Volodymyr Zelensky" joins "Volodymyr Zelenskyy")
            c = cluster_for("Person", slug(known), known) if known else cluster_for("Person", slug(first_form(head)), "")
        else:
            c = cluster_for(r.cls, slug(r.anchor), "")
        c.anchors.append(r.anchor)
        c.spans.append((r.start, r.end, r.anchor, r.sentence, r.label))
        cluster_at[r.start] = c

    # "the agency": the organization named last before it, if close enough
    organizations = [(r.start, r) for r in records if r.cls == "Organization"]
    for anaphor in anaphors:
        before = [r for start, r in organizations if start < anaphor.start
                  and anaphor.start - start <= lexicon.ANAPHOR_REACH]
        if not before:
            continue
        antecedent = cluster_at[before[-1].start]
        antecedent.spans.append((anaphor.start, anaphor.end, anaphor.anchor, anaphor.sentence, anaphor.label))

    # states of military units (and of bodies named after them: "Russian Defence Ministry")
    # exist as entities even when not named themselves
    for c in list(order):
        if c.cls == "Organization" and not c.state:
            c.state = _state_in_name(c.label)
        if c.cls in ("MilitaryUnit", "Organization") and c.state and c.state != "unknown":
            cluster_for("State", slug(c.state), c.state)

    # states first: the places and people linked next use them as context
    links: dict[int, LinkResult | None] = {}
    country_qids: set[str] = set()
    for c in sorted(order, key=lambda c: (c.cls != "State", not c.region_cue)):
        if c.cls == "MilitaryUnit":
            continue
        context = LinkContext.of(
            entity_qids=(link.qid for link in links.values() if link is not None),
            country_qids=country_qids,
            region_cue=c.region_cue,
        )
        link = linker(c.label, c.cls, context)
        if link is None and c.cls == "Person":
            for anchor in sorted(set(c.anchors), key=len, reverse=True):
                link = linker(anchor, c.cls, context)
                if link is not None:
                    break
        links[id(c)] = link
        if link is not None and c.cls == "State":
            country_qids.add(link.qid)

    resolved: dict[int, Entity] = {}
    by_key: dict[str, Entity] = {}
    for c in sorted(order, key=lambda c: c.state is not None):  # states before their units
        label = c.label
        link = links.get(id(c))
        qid = link.qid if link is not None else None
        if link is not None and link.label:
            label = link.label
        key = qid or f"{c.cls}/{slug(label)}"
        aliases = set(c.anchors)
        previous = by_key.get(key)
        if previous is not None:
            aliases |= set(previous.aliases) | {previous.label}
        state_key = None
        if c.state and c.state != "unknown":
            state_cluster = clusters[("State", slug(c.state))]
            state_entity = resolved.get(id(state_cluster))
            state_key = state_entity.key if state_entity else None
        entity = Entity(
            key=key,
            cls=c.cls,  # type: ignore[arg-type]
            label=label,
            aliases=tuple(sorted(a for a in aliases if a != label)),
            wikidata=qid,
            link_confidence=link.confidence if link is not None else None,
            latitude=link.latitude if link is not None else None,
            longitude=link.longitude if link is not None else None,
            state=state_key,
        )
        by_key[key] = entity
        resolved[id(c)] = entity

    mentions = []
    for c in order:
        key = resolved[id(c)].key
        for start, end, anchor, sentence, ner_label in c.spans:
            mentions.append(Mention(start, end, anchor, key, sentence, ner_label))
    mentions.sort(key=lambda m: (m.start, m.end))
    entities = tuple(sorted(by_key.values(), key=lambda e: e.key))
    return entities, tuple(mentions)
