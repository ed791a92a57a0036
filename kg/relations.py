"""Relations, events and attributed claims read off the dependency parse of one article chunk.

:func:`extract_facts` takes a parsed spaCy ``Doc`` (tagger, parser and NER have run), the
entity layer's mentions and entities, and returns :class:`Facts`: binary relations
(``role``, ``part_of``, ``located_in``, ``alliance``, ``conflict``), n-ary events
(``Deployment``, ``TroopTransfer``, ``Clash``, ``Meeting``, ``Summit``, ``Agreement``) and
claims (who said what, when, according to whom, how sure).

The patterns work on the parse and on mentions as units, never on raw strings:

* **role** — title words between an organisation/state (or its demonym) and a person
  (``NATO Secretary General Mark Rutte``, ``Ukrainian President …``), ``President of Ukraine
  …``, and appositions (``X, the defence minister of Y``).
* **part_of** — every unit or state body whose entity names its state; ``A of B`` and
  ``B's A`` between an organisation and a state.
* **located_in** — ``P in/of S``, ``S's P``, ``City, Country``.
* **deployment** — transfer verbs (``send``, ``deploy``, ``transport``) with troops as object,
  motion and presence verbs with troops as subject (``heading to``, ``arrived in``,
  ``stationed in``, ``are in``), and use verbs (``use X in Y``).
* **conflict / Clash** — ``fight against``, ``attack Y``, ``X's war against Y``,
  ``clashes between X and Y``; a Clash event when the words name a clash or a battle.
* **alliance / Agreement** — ``alliance/pact/cooperation between X and Y``, ``X-Y ties``,
  ``X and Y signed a treaty``, ``fight alongside``, ``on the side of``, ``consider X an ally``.
* **Meeting / Summit** — ``summit``/``meeting``/``talks`` nouns and ``meet`` verbs with
  participants, place and date.
* **claims** — reporting verbs (``said``, ``warned``, ``confirmed``…), ``according to X``,
  quotations with an ``X said`` tail or a ``Quote from X:`` lead, ``…, reports Outlet``.

Statements under negation (``did not send``, ``no evidence that``, ``denied``) yield a negated
claim and no positive relation or event. Modal words set ``modality``.

All spans in the output are *article* offsets: ``doc`` holds
``article.text[offset:offset + len(doc.text)]``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.dates import date_spans, parse_anchor, resolve_date
from kg.entities import sentence_span
from kg.lexicon import CAPITALS, DEMONYMS, LEADERS, PLURAL_DEMONYMS, UNIT_NOUNS
from kg.model import Article, Claim, DateValue, Entity, Event, Mention, Quantity, Relation, Span
from kg.nlp import doc_text
from kg.quantities import parse_quantity

__all__ = ["Facts", "extract_facts"]


@dataclass(frozen=True)
class Facts:
    """What :func:`extract_facts` finds in one chunk: relations, events and claims.

    ``Claim.about`` holds indexes into ``events`` of the same ``Facts``; :meth:`merge`
    keeps them right when chunks are concatenated.
    """

    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()

    def merge(self, other: Facts) -> Facts:
        """Concatenate two chunks' facts, shifting ``other``'s ``Claim.about`` indexes."""
        shift = len(self.events)
        claims = tuple(
            dataclasses.replace(c, about=tuple(i + shift for i in c.about)) for c in other.claims
        )
        return Facts(
            self.relations + other.relations, self.events + other.events, self.claims + claims
        )


# --- word lists (lemmas / lower-cased forms) ---------------------------------------------

REPORT_VERBS = frozenset(
    "say tell warn confirm report announce state add stress emphasize emphasise claim note "
    "declare reiterate specify conclude deny believe estimate indicate reveal insist argue "
    "explain suggest assert admit acknowledge allege disclose inform write mention point "
    "underline clarify predict".split()
)
"""Lemmas of verbs that attribute a statement to their subject."""
DENIAL_VERBS = frozenset("deny reject refute dismiss".split())
SOURCE_VERBS = frozenset("report write".split())
"""Reporting verbs that, in a sentence-final ``…, reports Politico`` tail, name the outlet."""

TRANSFER_VERBS = frozenset(
    "send dispatch deploy transfer transport move bring redeploy relocate ship airlift "
    "supply provide".split()
)
MOTION_VERBS = frozenset("head arrive go deploy enter advance travel land cross reach".split())
PRESENCE_VERBS = frozenset(
    "be station base locate position spot see observe fight operate train undergo remain "
    "stay gather concentrate mass kill wound capture die serve appear".split()
)
USE_VERBS = frozenset("use involve employ include integrate throw".split())
TROOP_NOUNS = frozenset(UNIT_NOUNS) | frozenset("men man people personnel military".split())

CONFLICT_VERBS = frozenset(
    "fight attack strike bomb shell battle clash invade kill shoot target repel "
    "engage".split()
)
CONFLICT_NOUNS = frozenset(
    "war aggression attack attacks invasion offensive assault hostilities fighting combat "
    "clash clashes battle battles fight strike strikes confrontation conflict".split()
)
CLASH_NOUNS = frozenset(
    "clash clashes battle battles fighting confrontation skirmish skirmishes firefight "
    "engagement combat".split()
)
ALLIANCE_NOUNS = frozenset(
    "alliance pact treaty agreement partnership cooperation ties axis coalition deal "
    "accord friendship".split()
)
AGREEMENT_NOUNS = frozenset("pact treaty agreement deal accord".split())
ALLY_VERBS = frozenset("ally cooperate partner side".split())
SUPPORT_VERBS = frozenset("support help assist back aid".split())
ALLY_NOUNS = frozenset("ally allies partner partners".split())
SUMMIT_NOUNS = frozenset("summit summits conference forum".split())
MEETING_NOUNS = frozenset("meeting meetings talks session negotiations".split())
_QUOTE_MARKS = re.compile("[\"'\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb\u201f`]")
"""Characters that may open or close a quotation (spaCy's ``is_quote`` tokens start with one)."""
MEETING_VERBS = frozenset("meet gather convene".split())
"""Verbs of meeting; "gather" and "convene" count only with a place ("gathered in Budapest")."""
REGARD_VERBS = frozenset("consider call regard see view name".split())
"""Verbs that may call someone an ally ("considers Pyongyang an ally")."""
NEGATION_NOUNS = frozenset("evidence sign proof indication confirmation".split())
"""Nouns whose negation (``no evidence that …``) negates what hangs off them."""

POSSIBLE_WORDS = frozenset("may might could can possibly probably perhaps maybe".split())
EXPECTED_WORDS = frozenset(
    "would will shall 'll likely expected expect plan plans planned intend intends intended "
    "going set poised ready prepare preparing".split()
)
FUTURE_AUX = frozenset("will shall 'll wo".split())

ROLE_WORDS = frozenset(
    "president minister spokesman spokeswoman spokesperson secretary general chancellor "
    "premier prime leader chief commander director head ambassador envoy chairman chairwoman "
    "adviser advisor representative deputy foreign defense defence interior first vice "
    "intelligence press national security commander-in-chief speaker".split()
)
"""Words that may make up a title (``Defence Minister``, ``Secretary General``)."""
ROLE_HEADS = frozenset(
    "president minister spokesman spokeswoman spokesperson secretary general chancellor "
    "premier leader chief commander director head ambassador envoy chairman chairwoman "
    "adviser advisor representative commander-in-chief speaker".split()
)
"""The word a title must contain to be one (``Defence`` alone != a title)."""

TRIGGER_LEMMAS = (
    TRANSFER_VERBS | MOTION_VERBS | PRESENCE_VERBS | USE_VERBS | CONFLICT_VERBS | ALLIANCE_NOUNS | ALLY_VERBS
    | SUPPORT_VERBS | REGARD_VERBS | MEETING_VERBS
)
TRIGGER_WORDS = CONFLICT_NOUNS | ALLIANCE_NOUNS | SUMMIT_NOUNS | MEETING_NOUNS
TRIGGER_PREPOSITIONS = frozenset({"alongside", "on"})
"""A token is looked at as an event or relation trigger (``_deployment``, ``_conflict``,
``_alliance``, ``_gathering``) only with its lemma in ``TRIGGER_LEMMAS``, its word in
``TRIGGER_WORDS`` or a ``TRIGGER_PREPOSITIONS`` child (``fight alongside X``, ``on the side
of X``): those methods do nothing for any other token. Keep these lists in step with them."""

ACTOR_CLASSES = frozenset({"State", "MilitaryUnit", "Organization"})
PLACE_CLASSES = frozenset({"Place", "State"})
PRONOUNS = frozenset("he she him his her".split())
PLURAL_PRONOUNS = frozenset("they them their".split())


# --- the extractor --------------------------------------------------------------------------


def extract_facts(
    doc: Doc,
    mentions: Iterable[Mention],
    entities: Mapping[str, Entity],
    article: Article,
    offset: int = 0,
) -> Facts:
    """Find relations, events and claims in ``doc``.

    Args:
        doc: the parsed chunk ``article.text[offset:offset + len(doc.text)]``.
        mentions: the entity layer's mentions, with *article* offsets (others are ignored).
        entities: entity key -> :class:`Entity` for every key the mentions use.
        article: the article, for its date (the anchor of relative dates).
        offset: where ``doc`` starts in ``article.text``.

    Returns:
        :class:`Facts` whose spans are article offsets; ``Claim.about`` indexes ``events``.
    """
    return _Extractor(doc, tuple(mentions), entities, article, offset).run()


_CHAINS: dict[str, tuple[tuple[str, set[str]], set[str], tuple[str, set[str]]]] = {
    # "according to X": the source hangs off "to" under "according".
    "ACCORDING_TO": (("lower_", {"according"}), {"to"}, ("dep_", {"pobj"})),
    # "in his words", "in the words of X"
    "IN_WORDS": (("lower_", {"in"}), {"words", "view", "opinion"}, ("dep_", {"poss"})),
    # "Quote from X:" — a lead that attributes the quotation after it.
    "QUOTE_FROM": (("lower_", {"quote", "quoting"}), {"from", "of"}, ("dep_", {"pobj"})),
    # "between A and B" under a noun: alliance, clash, cooperation…
    "BETWEEN": (("pos_", {"NOUN", "PROPN"}), {"between"}, ("dep_", {"pobj"})),
}
"""Dependency chains ``head > word > child``: a word (lower-cased) with its head and one of its
children, the head and the child given as ``(token attribute, values)``."""
_CHAIN_TRIGGERS = re.compile(r"\b(?:according|words|view|opinion|quote|quoting|between)\b", re.IGNORECASE)
"""The words every chain above is anchored on; a text without them has no match."""


class _Extractor:
    def __init__(
        self,
        doc: Doc,
        mentions: Sequence[Mention],
        entities: Mapping[str, Entity],
        article: Article,
        offset: int,
    ) -> None:
        self.doc = doc
        self.entities = entities
        self.offset = offset
        self.anchor = parse_anchor(article.date)
        self.mentions: list[tuple[SpacySpan, Mention]] = []
        self.tok_mention: dict[int, Mention] = {}
        self.text = doc_text(doc)
        # each token's lower-cased lemma and form: the word-list gates below need no Token objects
        self.lemmas = [lemma.lower() for lemma in _token_strings(doc, LEMMA)]
        self.lowers = _token_strings(doc, LOWER)
        end = offset + len(self.text)
        for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
            if m.start < offset or m.end > end or m.entity not in entities:
                continue
            span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            self.mentions.append((span, m))
            for tok in span:
                self.tok_mention.setdefault(tok.i, m)
        # mentions per sentence, and each mention's token bounds, computed once: ``Span.sent``
        # walks the doc, so asking it per sentence and mention made long texts quadratic
        self.by_sentence: dict[int, list[tuple[SpacySpan, Mention]]] = {}
        self.bounds: dict[int, tuple[int, int]] = {}
        for span, m in self.mentions:
            self.by_sentence.setdefault(span.sent.start, []).append((span, m))
            self.bounds.setdefault(id(m), (span.start, span.end))
        self.state_names: dict[str, str] = {}
        for ent in entities.values():
            if ent.cls == "State":
                for name in (ent.label, *ent.aliases):
                    self.state_names.setdefault(name.lower(), ent.key)
        self.state_unit: dict[str, str] = {}
        for ent in entities.values():
            if ent.cls == "MilitaryUnit" and ent.state:
                self.state_unit.setdefault(ent.state, ent.key)
        self.relations: list[tuple[Relation, int]] = []
        self.events: list[tuple[Event, int]] = []
        self.claims: list[tuple[Claim, Token, int, int]] = []
        self.negated: list[tuple[int, int]] = []
        self.quotes = self._quote_regions()
        self.dates = date_spans(doc)
        self.matches = self._chain_matches()

    # --- entry point -----------------------------------------------------------------------

    def run(self) -> Facts:
        self._claims()
        self._negations()
        self._part_of()
        for sent in self.doc.sents:
            self._roles(sent)
            self._located_in(sent)
        for tok in self._trigger_candidates():
            if self._is_negated(tok):
                continue
            self._deployment(tok)
            self._conflict(tok)
            self._alliance(tok)
            self._gathering(tok)
        self._between()
        return self._assemble()

    def _trigger_candidates(self) -> list[Token]:
        """The tokens that may trigger an event or relation (see ``TRIGGER_LEMMAS``), in text order."""
        doc = self.doc
        found = {
            i for i, (lemma, low) in enumerate(zip(self.lemmas, self.lowers))
            if lemma in TRIGGER_LEMMAS or low in TRIGGER_WORDS
        }
        found.update(doc[i].head.i for i, low in enumerate(self.lowers) if low in TRIGGER_PREPOSITIONS)
        return [doc[i] for i in sorted(found)]

    def _chain_matches(self) -> dict[str, list[list[int]]]:
        """Token indices ``[head, word, child]`` of the ``_CHAINS`` found, per chain, in text
        order: what spaCy's DependencyMatcher gives for such patterns, at a fraction of the
        cost (it looks up the tree root of every token that fits any node of any pattern)."""
        matches: dict[str, list[list[int]]] = {}
        if not _CHAIN_TRIGGERS.search(self.text):  # most texts have none
            return matches
        for name, ((head_attr, heads), words, (child_attr, children)) in _CHAINS.items():
            found: list[list[int]] = []
            for i, low in enumerate(self.lowers):
                if low in words:
                    tok = self.doc[i]
                    head = tok.head
                    if head.i != i and getattr(head, head_attr) in heads:
                        found.extend([head.i, i, c.i] for c in tok.children if getattr(c, child_attr) in children)
            if found:
                matches[name] = sorted(found)
        return matches

    def _with_lemma(self, lemmas: frozenset[str]) -> list[Token]:
        """The tokens whose lower-cased lemma is in ``lemmas``, in text order."""
        return [self.doc[i] for i, lemma in enumerate(self.lemmas) if lemma in lemmas]

    # --- basic lookups ---------------------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        """Article offsets of doc tokens ``start..end`` (exclusive)."""
        return Span(self.offset + self.doc[start].idx, self.offset + self.doc[end - 1].idx + len(self.doc[end - 1]))

    def sentence(self, tok: Token) -> Span:
        """The article span of ``tok``'s sentence, trimmed like the entity layer's sentences."""
        sent = tok.sent
        trimmed = sentence_span(sent, self.offset)
        return trimmed or Span(self.offset + sent.start_char, self.offset + sent.end_char)

    def entity(self, tok: Token | None) -> str | None:
        if tok is None:
            return None
        m = self.tok_mention.get(tok.i)
        return m.entity if m else None

    def cls(self, key: str | None) -> str | None:
        return self.entities[key].cls if key in self.entities else None

    def state_of(self, key: str | None) -> str | None:
        """The state a key stands for: itself for a state, its state for a unit/body."""
        if key is None:
            return None
        ent = self.entities.get(key)
        if ent is None:
            return None
        return key if ent.cls == "State" else ent.state

    def demonym(self, tok: Token) -> str | None:
        """State key for a demonym token (``Ukrainian``, ``North Korean``, ``Russians``)."""
        candidates = [tok.text]
        if tok.i > 0:
            candidates.insert(0, f"{self.doc[tok.i - 1].text} {tok.text}")
        for text in candidates:
            name = DEMONYMS.get(text) or PLURAL_DEMONYMS.get(text) or CAPITALS.get(text)
            if name and name.lower() in self.state_names:
                return self.state_names[name.lower()]
        return None

    def mention_tokens(self, tok: Token) -> tuple[int, int] | None:
        m = self.tok_mention.get(tok.i)
        if m is None:
            return None
        return self.bounds.get(id(m))

    # --- noun phrases as actors and places --------------------------------------------------

    def actor(self, tok: Token | None, depth: int = 0) -> str | None:
        """Entity key of the actor (state, unit, organisation, person) the NP at ``tok`` names."""
        if tok is None or depth > 3:
            return None
        key = self.entity(tok)
        if key is not None:
            return key
        if tok.lower_ in PLURAL_PRONOUNS:
            return self.resolve_they(tok)
        low = tok.lower_
        state = self.demonym(tok) if tok.pos_ in {"PROPN", "NOUN", "ADJ"} else None
        if state and low.endswith("s"):
            return state  # "the Russians use …"
        is_troops = tok.lemma_.lower() in TROOP_NOUNS or low in TROOP_NOUNS
        for child in tok.children:
            if child.dep_ in {"compound", "amod", "poss", "nmod"}:
                key = self.entity(child)
                if key is None and child.lower_ in {"its", "their"} and is_troops:
                    key = self.actor(self.subject_of(_governing_verb(tok)), depth + 1)
                if key is None:
                    key = self.demonym(child)
                if key is not None:
                    return self.unit_for(key) if is_troops else key
        if is_troops and tok.dep_ == "dobj" and tok.head.lemma_.lower() in TRANSFER_VERBS and depth == 0:
            # "X sent 3,000 troops": unnamed troops are the sender's
            sender = self.actor(self.subject_of(tok.head), depth + 1)
            if sender is not None and self.cls(sender) == "State":
                return self.unit_for(sender)
        if tok.like_num or tok.pos_ == "NUM" or is_troops or low in {"some", "many", "most", "part", "all", "group", "number"}:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in {"of", "from"}:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            key = self.actor(pobj, depth + 1)
                            if key is not None:
                                return self.unit_for(key)
        return None

    def unit_for(self, key: str) -> str:
        """Troops of a state are its military unit when the entity layer knows one."""
        if self.cls(key) == "State":
            return self.state_unit.get(key, key)
        return key

    def is_troops(self, tok: Token | None) -> bool:
        """Whether the NP at ``tok`` speaks of soldiers (a unit mention or a troop noun)."""
        if tok is None:
            return False
        key = self.entity(tok)
        if key is not None:
            return self.cls(key) == "MilitaryUnit"
        if tok.lemma_.lower() in TROOP_NOUNS or tok.lower_ in TROOP_NOUNS:
            return True
        if tok.like_num or tok.pos_ == "NUM" or tok.lower_ in {"some", "part", "thousands", "hundreds"}:
            return any(
                c.dep_ == "prep" and c.lower_ in {"of", "from"} and any(self.is_troops(p) for p in c.children if p.dep_ == "pobj")
                for c in tok.children
            ) or (tok.like_num and tok.dep_ in {"nsubj", "nsubjpass", "dobj"})
        return False

    def resolve_they(self, tok: Token) -> str | None:
        """``they`` as the most recent military unit that was a subject in the last sentences."""
        sent_start = tok.sent.start
        prev = self.doc[sent_start - 1].sent.start if sent_start > 0 else sent_start
        for i in range(tok.i - 1, prev - 1, -1):
            t = self.doc[i]
            key = self.entity(t)
            if key and self.cls(key) == "MilitaryUnit" and t.dep_ in {"nsubj", "nsubjpass"}:
                return key
        return None

    def subject_of(self, verb: Token | None) -> Token | None:
        """The subject of ``verb``, inherited through control (``sent men to fight``)."""
        seen = 0
        while verb is not None and seen < 4:
            seen += 1
            for child in verb.children:
                if child.dep_ in {"nsubj", "nsubjpass", "expl"} and child.dep_ != "expl":
                    return child
            if verb.dep_ in {"xcomp", "advcl", "conj", "acl", "acomp"} and verb.head != verb:
                head = verb.head
                if verb.dep_ in {"xcomp", "advcl"}:
                    for child in head.children:
                        if child.dep_ in {"dobj", "dative"}:
                            return child  # object control: "sent its men to fight"
                        if child.dep_ == "prep" and child.lower_ == "on" and head.lemma_ in {"call", "urge"}:
                            for pobj in child.children:
                                if pobj.dep_ == "pobj":
                                    return pobj
                if verb.dep_ == "acl" and head.pos_ in {"NOUN", "PROPN"}:
                    return head
                verb = head
                continue
            return None
        return None

    def place(self, tok: Token, preps: frozenset[str] | set[str], depth: int = 3) -> Token | None:
        """First place/state mention reached from ``tok`` through ``prep → pobj`` chains."""
        frontier = [tok]
        for _ in range(depth):
            nxt: list[Token] = []
            for t in frontier:
                for child in t.children:
                    if child.dep_ in {"prep", "agent"} and (child.lower_ in preps or (nxt and child.lower_ == "of")):
                        for pobj in child.children:
                            if pobj.dep_ != "pobj":
                                continue
                            hit = self.place_token(pobj)
                            if hit is not None:
                                return hit
                            nxt.append(pobj)
            frontier = nxt
            preps = set(preps) | {"in", "of", "to", "near", "at"}
        return None

    def place_token(self, tok: Token) -> Token | None:
        key = self.entity(tok)
        if key is not None:
            return tok if self.cls(key) in PLACE_CLASSES else None
        for child in tok.children:
            if child.dep_ in {"poss", "compound"}:
                key = self.entity(child)
                if key is not None and self.cls(key) in PLACE_CLASSES:
                    return child
        return None

    # --- modality, negation, dates ----------------------------------------------------------

    def modality(self, tok: Token) -> str:
        t: Token | None = tok
        result = "asserted"
        for _ in range(4):
            if t is None:
                break
            for child in t.children:
                low = child.lower_
                if child.dep_ in {"aux", "advmod", "auxpass", "acomp"}:
                    if low in POSSIBLE_WORDS:
                        return "possible"
                    if low in EXPECTED_WORDS:
                        result = "expected"
            if t != tok and t.lemma_.lower() in EXPECTED_WORDS | {"expect", "plan", "intend", "likely"}:
                result = "expected"
            if t.dep_ in {"xcomp", "conj", "acomp"} or (t.dep_ == "advcl" and any(c.lower_ == "to" for c in t.children)):
                t = t.head
            else:
                break
        return result

    def clause_negated(self, tok: Token) -> bool:
        t: Token | None = tok
        for _ in range(3):
            if t is None:
                return False
            if any(c.dep_ == "neg" for c in t.children):
                return True
            if t.dep_ in {"xcomp"}:
                t = t.head
            else:
                return False
        return False

    def is_future(self, tok: Token) -> bool:
        t = tok
        for _ in range(4):
            if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in FUTURE_AUX for c in t.children):
                return True
            if any(c.lower_ in {"next", "upcoming", "coming"} for c in t.children):
                return True
            if t.head == t or t.dep_ in {"ccomp", "advcl", "relcl"}:
                return False
            t = t.head
        return False

    def own_dates(self, trigger: Token) -> list[DateValue]:
        """Dates in the trigger's own clause (not in clauses under it)."""
        out: list[DateValue] = []
        for ent in self._date_groups(trigger.sent):
            gov = _governor(ent.root)
            if gov is None:
                continue
            attached = gov == trigger or (gov.dep_ == "acl" and gov.head == trigger)
            # "In his speech on Sunday, X reiterated …": the date sits on the speech.
            attached = attached or (
                trigger.pos_ in {"VERB", "AUX"} and gov.dep_ == "pobj" and gov.head.head == trigger
            )
            if attached:
                value = resolve_date(ent.text, self.anchor, future=self.is_future(trigger))
                if value is not None:
                    out.append(value)
        return out

    def _date_groups(self, sent: SpacySpan) -> list[SpacySpan]:
        """Date phrases of ``sent`` (``Sunday, the 13th of October`` is one)."""
        return [d for d in self.dates if d.start >= sent.start and d.end <= sent.end]

    def date_for(self, trigger: Token) -> DateValue | None:
        dates = self.own_dates(trigger)
        return _most_precise(dates)

    # --- quotes and negated regions ---------------------------------------------------------

    def _quote_regions(self) -> list[tuple[int, int]]:
        """Top-level quotations as token ranges ``(start, end)`` excluding the marks."""
        regions: list[tuple[int, int]] = []
        depth, start = 0, 0
        doc = self.doc
        # only the tokens at quotation marks are looked at: found in the text, not token by token
        marks = sorted({
            span[0].i for span in (
                doc.char_span(m.start(), m.end(), alignment_mode="expand")
                for m in _QUOTE_MARKS.finditer(self.text)
            ) if span is not None and len(span)
        })
        for tok in (doc[i] for i in marks):
            if not tok.is_quote or tok.text in {"'", "\u2018", "\u2019"}:
                continue
            before = doc[tok.i - 1] if tok.i > 0 else None
            after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if tok.text in {"\u201c", "\u201e", "\u00ab"}:
                opening = True
            elif tok.text in {"\u201d", "\u00bb"}:
                opening = False
            else:
                spaced_before = before is None or bool(before.whitespace_) or before.is_punct and before.text in "([—–-:"
                spaced_after = after is None or bool(tok.whitespace_) or after.is_punct and not after.is_quote
                if spaced_before and not spaced_after:
                    opening = True
                elif spaced_after and not spaced_before:
                    opening = False
                else:
                    opening = depth == 0
            if opening:
                if depth == 0:
                    start = tok.i + 1
                depth += 1
            elif depth > 0:
                depth -= 1
                if depth == 0 and tok.i > start:
                    regions.append((start, tok.i))
        return regions

    def _in_quote(self, i: int) -> tuple[int, int] | None:
        for start, end in self.quotes:
            if start <= i < end:
                return start, end
        return None

    def _negations(self) -> None:
        """Spans whose content == denied or negated; no positive facts come from them."""
        for claim, _, start, end in self.claims:
            if claim.negated:
                self.negated.append((start, end))
        for tok in self._with_lemma(NEGATION_NOUNS):
            if any(c.lower_ == "no" for c in tok.children) or self.clause_negated(tok.head):
                for child in tok.children:
                    if child.dep_ in {"acl", "ccomp", "relcl"} or child.dep_ == "prep":
                        self.negated.append((child.left_edge.i, child.right_edge.i + 1))

    def _is_negated(self, tok: Token) -> bool:
        return any(start <= tok.i < end for start, end in self.negated) or self.clause_negated(tok)

    # --- claims ----------------------------------------------------------------------------

    def _claims(self) -> None:
        """Find attributed statements and add them in text order (dates carry over in order)."""
        doc = self.doc
        sources: dict[int, str] = {}  # sentence start -> source organisation
        # "…, reports Politico": an outlet named after the statement is its source.
        for tok in self._with_lemma(SOURCE_VERBS):
            if tok.pos_ == "VERB":
                subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                key = self.entity(subj)
                if subj is not None and subj.i > tok.i and key and self.cls(key) == "Organization":
                    sources[tok.sent.start] = key
        according: dict[int, tuple[Token, str | None]] = {}  # head verb -> (cue token, key)
        for tokens in self.matches.get("ACCORDING_TO", []) + self.matches.get("IN_WORDS", []):
            acc, src = doc[tokens[0]], doc[tokens[2]]
            according[acc.head.i] = (acc, self.speaker_key(src))
        items: list[tuple[int, int, tuple]] = []
        taken: set[tuple[int, int]] = set()
        verb_contents: list[tuple[int, int]] = []
        for tok in self._with_lemma(REPORT_VERBS):
            if tok.pos_ not in {"VERB", "AUX"}:
                continue
            if self._in_quote(tok.i) is not None:
                continue  # the speaker's own words, not an attribution
            if tok.dep_ in {"amod", "acl"} and tok.tag_ == "VBN":
                continue  # "as specified by law": a participle modifying a noun
            subj = self._report_subject(tok)
            if subj is not None and subj.lower_ in {"i", "we", "you", "it", "they"} and not self.entity(subj):
                continue  # inside an unmarked quotation: the speaker's own words
            if tok.sent.start in sources and sources[tok.sent.start] == self.entity(subj) and self._other_report(tok):
                continue  # "reports Politico" is the source of the sentence's claim
            content = self._content(tok)
            if content is None:
                continue
            if content in self.quotes:
                taken.add(content)
            verb_contents.append(content)
            items.append((min(tok.i, content[0]), 0, ("verb", tok, subj, content)))
        verb_heads = {item[2][1].i for item in items}
        for head_i, (acc, key) in according.items():
            if head_i in verb_heads:
                continue
            nested = any(s <= acc.i < e for s, e in verb_contents)
            if nested and key is None:
                continue  # "he said that, according to intelligence, …": part of his claim
            items.append((acc.i, 1, ("according", acc, key, head_i)))
        for tokens in self.matches.get("QUOTE_FROM", []):
            quote_tok, src = doc[tokens[0]], doc[tokens[2]]
            region = next(((s, e) for s, e in self.quotes if s > src.i and (s, e) not in taken), None)
            if region is not None and region[0] - src.i <= 3:
                taken.add(region)
                items.append((quote_tok.i, 2, ("quote_from", quote_tok, src, region)))
        for region in self.quotes:
            if region not in taken and self._stands_alone(region):
                items.append((region[0], 3, ("continued", region)))
        for _, _, item in sorted(items, key=lambda x: (x[0], x[1])):
            kind = item[0]
            if kind == "verb":
                _, tok, subj, content = item
                speaker = self.speaker_key(subj) or self._adjacent_speaker(tok)
                source = sources.get(tok.sent.start)
                if tok.i in according:
                    acc_key = according[tok.i][1]
                    if speaker is None:
                        speaker = acc_key
                    elif acc_key and acc_key != speaker:
                        source = acc_key
                self._add_claim(tok, tok.text.lower(), content, speaker, source, subj)
            elif kind == "according":
                _, acc, key, head_i = item
                head = doc[head_i]
                start, end = head.left_edge.i, head.right_edge.i + 1
                if acc.i < head.i:
                    start = max(start, acc.right_edge.i + 1)
                while start < end and doc[start].is_punct:
                    start += 1
                while end > start and doc[end - 1].is_punct:
                    end -= 1
                if start >= end:
                    continue
                cue = "according to" if acc.lower_ == "according" else "in the words of"
                self._add_claim(head, cue, (start, end), key, sources.get(head.sent.start), acc, claim_root=head)
            elif kind == "quote_from":
                _, quote_tok, src, region = item
                self._add_claim(quote_tok, "quote from", region, self.speaker_key(src), None, src)
            else:
                region = item[1]
                if not self.claims:
                    continue
                claim, cue_tok, start, end = self.claims[-1]
                if (start, end) not in self.quotes or region[0] - end > 25 or claim.speaker is None:
                    continue  # only a quotation right after an attributed one continues it
                self._add_claim(doc[region[0]], claim.cue, region, claim.speaker, claim.source, None, inherit=claim)

    def _quote_tail(self, end: int, verb: Token) -> bool:
        """``…," he said``: the quotation closes on a comma or dash and the cue follows at once."""
        doc = self.doc
        gap = doc[end : verb.i]
        if any("\n" in t.text or "\n" in t.whitespace_ for t in gap):
            return False
        marks = {",", "-", "–", "—", "?", "!"}
        closing = doc[end - 1].text in marks or (end + 1 < len(doc) and doc[end + 1].text in marks)
        return closing or doc[end - 1].sent.start == verb.sent.start

    def _stands_alone(self, region: tuple[int, int]) -> bool:
        """A quotation of its own (starts a sentence, several words), not a quoted term."""
        start, end = region
        if end - start < 5:
            return False
        mark = self.doc[start - 1]
        if mark.i == 0 or mark.is_sent_start:
            return True
        before = self.doc[mark.i - 1]
        return before.text in {".", ":", "!", "?"} or "\n" in before.text or "\n" in before.whitespace_

    def _report_subject(self, verb: Token) -> Token | None:
        """Who speaks: the subject, the ``by`` agent, or the subject of the clause it hangs off."""
        t = verb
        for _ in range(3):
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                return subj
            agent = next((c for c in t.children if c.dep_ == "agent"), None)
            if agent is not None:
                return next((c for c in agent.children if c.dep_ == "pobj"), None)
            if t.dep_ in {"advcl", "conj", "xcomp"} and t.head != t:
                t = t.head
                continue
            return None
        return None

    def _other_report(self, tok: Token) -> bool:
        return any(
            t != tok and t.lemma_.lower() in REPORT_VERBS and t.pos_ == "VERB" and t.i < tok.i
            for t in tok.sent
        ) or any(m for m in self.matches.get("ACCORDING_TO", []) if self.doc[m[0]].sent.start == tok.sent.start)

    def _content(self, verb: Token) -> tuple[int, int] | None:
        doc = self.doc
        # Quotation right before the verb's clause ("…," the president said) or after a colon.
        left = verb.left_edge.i
        for start, end in self.quotes:
            if 0 <= left - end <= 2 and verb.i - end <= 8 and start < verb.i and self._quote_tail(end, verb):
                return start, end
            if 0 <= start - verb.right_edge.i <= 3 and start > verb.i:
                between = doc[verb.i + 1 : start]
                if any(t.text == ":" for t in between) or verb.i + 1 >= start - 1:
                    return start, end
            if start <= left < end or (left < start and verb.i > end and any(c.dep_ in {"ccomp", "parataxis"} and start <= c.i < end for c in verb.children)):
                return start, end
        for child in verb.children:
            if child.dep_ in {"ccomp", "parataxis"} and child.i != verb.i:
                start, end = child.left_edge.i, child.right_edge.i + 1
                region = self._in_quote(child.i)
                if region is not None:
                    return region
                while start < end and (doc[start].is_punct or doc[start].dep_ == "mark" and doc[start].lower_ == "that"):
                    start += 1
                while end > start and doc[end - 1].is_punct:
                    end -= 1
                if start < end:
                    return start, end
        for child in verb.children:
            if child.dep_ in {"dobj", "xcomp"} and child.lower_ not in {"this", "that", "it", "so"}:
                start, end = child.left_edge.i, child.right_edge.i + 1
                while end > start and doc[end - 1].is_punct:
                    end -= 1
                if end - start >= 2:
                    return start, end
        # "warned partners against making concessions": the predicate is the statement.
        start, end = verb.i + 1, verb.right_edge.i + 1
        while end > start and doc[end - 1].is_punct:
            end -= 1
        if end - start >= 3:
            return start, end
        for child in verb.children:
            if child.dep_ == "dobj" and child.lower_ in {"this", "that", "it", "so"}:
                return child.i, child.i + 1
        return None

    def speaker_key(self, tok: Token | None) -> str | None:
        if tok is None:
            return None
        key = self.entity(tok)
        if key is None:
            for child in tok.children:
                if child.dep_ in {"compound", "poss"} and self.entity(child):
                    key = self.entity(child)
                    break
        if key is None:
            key = self.demonym(tok) if tok.pos_ == "PROPN" else None
        if key is None and tok.pos_ == "PROPN":
            key = self._person_by_name(tok.text)
        if key is not None:
            # places do not speak: a "place" saying something is a mistyped name, not a speaker
            return None if self.cls(key) == "Place" else key
        low = tok.lower_
        titled = tok.pos_ in {"NOUN", "PROPN"} and tok.lemma_.lower() in ROLE_HEADS and any(
            c.lower_ in {"the", "this"} for c in tok.children
        )
        if low in PRONOUNS or titled or low in {"him"}:
            return self._last_person(tok)
        return None

    def _adjacent_speaker(self, verb: Token) -> str | None:
        """``… the Ministry of Defence said``: a mention ending right before the cue speaks,
        even when the parse picked another subject."""
        i = verb.i - 1
        while i >= 0 and self.doc[i].dep_ in {"aux", "neg", "advmod"} and self.doc[i].head == verb:
            i -= 1
        key = self.entity(self.doc[i]) if i >= 0 else None
        if key and self.cls(key) in ACTOR_CLASSES | {"Person"} and self.doc[i].sent.start == verb.sent.start:
            return key
        return None

    def _person_by_name(self, name: str) -> str | None:
        """A name the entity layer missed here but knows elsewhere (``Zelensky`` as a surname)."""
        low = name.lower()
        hits = {
            ent.key for ent in self.entities.values() if ent.cls == "Person"
            and any(low == n.lower().split()[-1] for n in (ent.label, *ent.aliases) if n)
        }
        return hits.pop() if len(hits) == 1 else None

    def _last_person(self, tok: Token) -> str | None:
        """The most recent person speaker, else the most recent person mentioned before."""
        for claim, _, start, _ in reversed(self.claims):
            if start < tok.i and claim.speaker and self.cls(claim.speaker) == "Person":
                return claim.speaker
        for span, m in reversed(self.mentions):
            if span.end <= tok.i and self.cls(m.entity) == "Person":
                return m.entity
        return None

    def _add_claim(
        self,
        cue_tok: Token,
        cue: str,
        content: tuple[int, int],
        speaker: str | None,
        source: str | None,
        subj: Token | None,
        *,
        claim_root: Token | None = None,
        inherit: Claim | None = None,
    ) -> None:
        start, end = content
        root = claim_root or cue_tok
        negated = cue_tok.lemma_.lower() in DENIAL_VERBS or self.clause_negated(cue_tok)
        content_root = _root_of(self.doc[start:end])
        if content_root is not None and content_root != root and self._in_quote(content_root.i) is None:
            negated = negated or self.clause_negated(content_root) or any(
                c.lower_ == "no" and c.dep_ == "det" for t in content_root.children if t.dep_ in {"dobj", "attr", "nsubj"} for c in t.children
            )
        modality = "asserted"
        if content_root is not None and self._in_quote(content_root.i) is None:
            modality = self.modality(content_root)
        date = inherit.date if inherit else self._claim_date(root, speaker)
        conf = 0.85 if speaker else 0.4
        if subj is not None and subj.lower_ in PRONOUNS | {"him"} and not self.entity(subj):
            conf = 0.65
        claim = Claim(
            content=self.span(start, end),
            sentence=self.sentence(cue_tok),
            cue=cue,
            confidence=conf,
            speaker=speaker,
            source=source if source != speaker else None,
            date=date,
            modality=modality,  # type: ignore[arg-type]
            negated=negated,
        )
        self.claims.append((claim, cue_tok, start, end))

    def _claim_date(self, verb: Token, speaker: str | None) -> DateValue | None:
        own = self.date_for(verb)
        if own is not None:
            return own
        # A statement continuing the same speaker's previous one keeps its date.
        if self.claims:
            prev, prev_tok, _, _ = self.claims[-1]
            if prev.speaker == speaker and speaker is not None and verb.sent.start - prev_tok.sent.start <= 400:
                if prev.date is not None or prev_tok.sent.start == verb.sent.start:
                    return prev.date
        # Present or present perfect in the lede: the news of the day, dated by the article.
        if self.anchor is not None:
            first_sent = next(self.doc.sents)
            lede = verb.sent.start == first_sent.start or verb.sent.start <= 60
            present = verb.tag_ in {"VBZ", "VBP"} or (
                verb.tag_ == "VBN" and any(c.lower_ in {"has", "have"} for c in verb.children if c.dep_ == "aux")
            )
            if present and (lede or verb.tag_ in {"VBZ", "VBP"}):
                return DateValue(iso=self.anchor.isoformat(), precision="day", text="")
        return None

    # --- part_of ---------------------------------------------------------------------------

    def _part_of(self) -> None:
        first: dict[str, Token] = {}
        for span, m in self.mentions:
            first.setdefault(m.entity, span.root)
        for key, tok in first.items():
            ent = self.entities[key]
            if ent.state and ent.state != key and ent.state in self.entities:
                conf = 0.95 if ent.cls == "MilitaryUnit" else 0.85
                self._relation("part_of", key, ent.state, tok, conf)
        # "the Main Intelligence Directorate of Ukraine's Defense Ministry", "Ukraine's X".
        for span, m in self.mentions:
            if self.cls(m.entity) != "Organization":
                continue
            root = span.root
            candidates: list[Token] = []
            for child in root.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            candidates.extend([pobj, *[c for c in pobj.children if c.dep_ in {"poss", "compound"}]])
                if child.dep_ in {"poss", "compound", "amod"}:
                    candidates.append(child)
            # a state named inside the organisation's own mention ("Ukraine's Defense Ministry")
            for tok in span:
                if tok.dep_ == "poss":
                    candidates.append(tok)
            for cand in candidates:
                key = self.entity(cand) or self.demonym(cand)
                if key and key != m.entity and self.cls(key) == "State":
                    self._relation("part_of", m.entity, key, root, 0.8)
                    break

    # --- roles -----------------------------------------------------------------------------

    def _roles(self, sent: SpacySpan) -> None:
        doc = self.doc
        for span, m in self.by_sentence.get(sent.start, ()):
            if self.cls(m.entity) != "Person":
                continue
            person = m.entity
            # Titles before the name: "[Org] [title words] Name", "[title] of [Org] Name".
            j = span.start - 1
            org_key: str | None = None
            title_end = span.start
            if j >= sent.start and self.entity(doc[j]) and self.cls(self.entity(doc[j])) in ACTOR_CLASSES:
                # "President of Ukraine Volodymyr Zelenskyy"
                bounds = self.mention_tokens(doc[j])
                if bounds and bounds[0] - 1 > sent.start and doc[bounds[0] - 1].lower_ == "of":
                    org_key = self.entity(doc[j])
                    j = bounds[0] - 2
                    title_end = bounds[0] - 1
            k = j
            while k >= sent.start and doc[k].lower_ in ROLE_WORDS and self.entity(doc[k]) is None:
                k -= 1
            title_toks = doc[k + 1 : title_end] if org_key else doc[k + 1 : j + 1]
            if not any(t.lower_ in ROLE_HEADS for t in title_toks):
                self._apposition_role(span, person)
                continue
            if org_key is None and k >= sent.start:
                org_key = self.entity(doc[k]) or self.demonym(doc[k])
                if org_key and self.cls(org_key) not in ACTOR_CLASSES:
                    org_key = None
            confidence = 0.85
            if org_key is None:
                # A known head of state named with a bare title ("President X"): the lexicon
                # says which state.
                org_key = self._leader_state(person) if any(t.lower_ in {"president", "leader", "premier"} for t in title_toks) else None
                confidence = 0.6
            if org_key is None:
                self._apposition_role(span, person)
                continue
            self._relation("role", person, org_key, span.root, confidence, title=_title(title_toks))

    def _leader_state(self, person: str) -> str | None:
        ent = self.entities[person]
        for name in (ent.label, *ent.aliases):
            for part in (name, name.split()[-1]):
                state = LEADERS.get(part)
                if state and state.lower() in self.state_names:
                    return self.state_names[state.lower()]
        return None

    def _apposition_role(self, span: SpacySpan, person: str) -> None:
        """``X, the defence minister of Y`` / ``X, Y's defence minister``."""
        for child in span.root.children:
            if child.dep_ != "appos" or child.lower_ not in ROLE_HEADS:
                continue
            org = None
            title = [t for t in child.subtree if t.i <= child.i and t.lower_ in ROLE_WORDS]
            for sub in child.children:
                if sub.dep_ == "prep" and sub.lower_ in {"of", "at", "for"}:
                    pobj = next((p for p in sub.children if p.dep_ == "pobj"), None)
                    org = self.actor(pobj)
                    if org is None and pobj is not None:
                        org = next((self.entity(t) for t in pobj.subtree if self.entity(t)), None)
                elif sub.dep_ in {"poss", "compound", "amod"} and org is None:
                    org = self.entity(sub) or self.demonym(sub)
            if org and self.cls(org) in ACTOR_CLASSES:
                self._relation("role", person, org, span.root, 0.8, title=_title(title))

    # --- located_in ------------------------------------------------------------------------

    def _located_in(self, sent: SpacySpan) -> None:
        doc = self.doc
        for span, m in self.by_sentence.get(sent.start, ()):
            if self.cls(m.entity) != "Place":
                continue
            root = span.root
            for child in root.children:
                if child.dep_ == "prep" and child.lower_ in {"in", "of"}:
                    pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                    hit = self.place_token(pobj) if pobj is not None else None
                    if hit is not None:
                        self._relation("located_in", m.entity, self.entity(hit), root, 0.8)
                if child.dep_ == "poss":
                    key = self.entity(child)
                    if key and self.cls(key) in PLACE_CLASSES:
                        self._relation("located_in", m.entity, key, root, 0.8)
            # "the Kursk region in western Russia" with "in" attached elsewhere by the parser.
            k = span.end
            if k < sent.end and doc[k].lower_ in {"in", "of"}:
                k += 1
                while k < sent.end and doc[k].pos_ in {"DET", "ADJ"} and self.entity(doc[k]) is None:
                    k += 1
                key = self.entity(doc[k]) if k < sent.end else None
                if key and key != m.entity and self.cls(key) in PLACE_CLASSES:
                    self._relation("located_in", m.entity, key, root, 0.7)
            # "Budapest, Hungary": a place, a comma, then a state/place and no conjunction.
            after = span.end
            if after + 1 < sent.end and doc[after].text == ",":
                nxt = self.entity(doc[after + 1])
                bounds = self.mention_tokens(doc[after + 1]) if nxt else None
                if nxt and nxt != m.entity and self.cls(nxt) in PLACE_CLASSES and bounds:
                    tail = doc[bounds[1]] if bounds[1] < sent.end else None
                    listy = tail is not None and (tail.lower_ in {"and", "or"} or (tail.text == "," and bounds[1] + 1 < sent.end and self.entity(doc[bounds[1] + 1])))
                    if not listy:
                        self._relation("located_in", m.entity, nxt, root, 0.7)
        # "Russia's Far East" may come as one Place mention containing the state.
        for span, m in self.by_sentence.get(sent.start, ()):
            if self.cls(m.entity) != "Place":
                continue
            for tok in span:
                if tok.dep_ == "poss" and tok.head.i >= span.start:
                    key = self.demonym(tok) or self._state_by_text(tok.text)
                    if key and key != m.entity:
                        self._relation("located_in", m.entity, key, span.root, 0.75)

    def _state_by_text(self, text: str) -> str | None:
        return self.state_names.get(text.lower())

    # --- events: deployment -----------------------------------------------------------------

    def _deployment(self, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        if verb.pos_ not in {"VERB", "AUX"}:
            return
        if lemma not in TRANSFER_VERBS | MOTION_VERBS | PRESENCE_VERBS | USE_VERBS:
            return
        subj = self.subject_of(verb)
        passive = subj is not None and subj.dep_ == "nsubjpass"
        obj = next((c for c in verb.children if c.dep_ in {"dobj"}), None)
        dest = self.place(verb, {"to", "into", "towards", "toward"}, depth=1)
        where = self.place(verb, {"in", "at", "near", "inside", "on", "within", "across"})
        count_tok: Token | None = None
        agent = unit = None
        sender: str | None = None
        user: str | None = None
        trigger_kind = ""
        if lemma in TRANSFER_VERBS and not passive and obj is not None and self.is_troops(obj):
            sender = self.actor(subj)
            unit = self.actor(obj) or (self.unit_for(sender) if sender and self.cls(sender) == "State" else None)
            if unit == sender:
                unit = None
            count_tok = obj
            if dest is None:
                # "sending its men to fight alongside X in Ukraine": the purpose clause says where.
                for child in verb.children:
                    if child.dep_ in {"advcl", "xcomp"}:
                        dest = self.place(child, {"in", "to"}) or dest
            trigger_kind = "transfer"
        elif lemma in USE_VERBS and not passive and obj is not None and self.is_troops(obj):
            user = self.actor(subj)
            unit = self.actor(obj)
            count_tok = obj
            where = where or self.place(obj, {"in", "at", "near"})
            trigger_kind = "use"
        elif (lemma in TRANSFER_VERBS | USE_VERBS and passive) or lemma in MOTION_VERBS | PRESENCE_VERBS:
            if subj is None or not self.is_troops(subj):
                return
            if dest is None and where is None and lemma in {"kill", "wound", "die", "capture", "spot", "see"}:
                # "were killed after X bombed positions near Y": the clause saying when, says where
                for child in verb.children:
                    if child.dep_ == "advcl":
                        where = self.place(child, {"in", "near", "at"}) or self._dobj_place(child)
            if lemma in PRESENCE_VERBS - MOTION_VERBS - TRANSFER_VERBS - USE_VERBS and dest is None and where is None:
                return
            unit = self.actor(subj)
            count_tok = subj
            agent_tok = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent_tok is not None and lemma in TRANSFER_VERBS | USE_VERBS:
                pobj = next((p for p in agent_tok.children if p.dep_ == "pobj"), None)
                by = self.actor(pobj)
                if by is not None and self.cls(by) == "State":
                    if lemma in TRANSFER_VERBS:
                        sender = by
                    else:
                        user = by
            trigger_kind = "motion"
        else:
            return
        # troops, senders and users act, places do not: "England's four representatives have
        # reached the knockout stages" or "the men from the Emerald Isle have been runners-up"
        # name a place (typed Place, not State) through a number or a troop-like noun
        unit, sender, user = (None if key is not None and self.cls(key) == "Place" else key
                              for key in (unit, sender, user))
        if unit is None and sender is None:
            return
        place_tok = dest or where
        place = self.entity(place_tok) if place_tok is not None else None
        if place is not None and place in {unit, sender}:
            place = None
        if place is None and trigger_kind != "use" and unit is None:
            return
        if sender and place and self.cls(sender) == "State" and self.cls(place) == "State" and sender != place:
            kind, agent = "TroopTransfer", sender
        else:
            kind, agent = "Deployment", unit or sender
        participants = tuple(dict.fromkeys(k for k in (agent, unit, sender, user, place) if k))
        count = self.count_of(count_tok)
        conf = 0.75 if place else 0.5
        if count_tok is not None and count_tok.lower_ in PLURAL_PRONOUNS:
            conf -= 0.15
        self._event(
            kind, verb, conf, participants=participants, agent=agent, place=place,
            date=self.date_for(verb), count=count, modality=self.modality(verb),
        )  # fmt: skip

    def _dobj_place(self, verb: Token) -> Token | None:
        """``bombed territory near Donetsk``: a place hanging off the object."""
        for child in verb.children:
            if child.dep_ == "dobj":
                return self.place(child, {"in", "near", "at"})
        return None

    def count_of(self, tok: Token | None) -> Quantity | None:
        """The troop figure of the NP at ``tok``: ``about 10,000 (of its military)``."""
        if tok is None:
            return None
        num: Token | None = None
        if tok.like_num or tok.pos_ == "NUM":
            num = tok
        else:
            num = next((c for c in tok.children if c.dep_ in {"nummod", "quantmod"} or (c.dep_ == "amod" and c.like_num)), None)
            if num is None:
                # "thousands of soldiers": the vague head == the subject, soldiers under "of"
                if tok.lower_ in {"thousands", "hundreds", "dozens", "tens"}:
                    num = tok
        if num is None:
            return None
        toks = sorted([t for t in num.subtree if t.i <= num.i or t.dep_ in {"quantmod", "compound"}], key=lambda t: t.i)
        left = [t for t in tok.children if t.i < num.i and t.dep_ in {"advmod", "quantmod"} and t.lower_ in {"about", "approximately", "around", "nearly", "roughly", "some", "over"}]
        toks = sorted(set(toks) | set(left), key=lambda t: t.i)
        if not toks:
            return None
        start, end = toks[0].i, toks[-1].i + 1
        while start < end and self.doc[start].dep_ == "det" and self.doc[start].lower_ in {"the", "these", "those"}:
            start += 1
        text = self.doc[start:end].text
        quantity = parse_quantity(text)
        if quantity is None:
            return None
        if quantity.value is not None and quantity.value < 20 and not quantity.vague:
            return None  # "two battalions", "1 November": not a head count
        return quantity

    # --- conflict and clashes ----------------------------------------------------------------

    def _conflict(self, tok: Token) -> None:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in CONFLICT_VERBS:
            a = self.actor(self.subject_of(tok))
            b = None
            for child in tok.children:
                if child.dep_ == "dobj" and lemma not in {"fight", "engage"}:
                    b = self.actor(child)
                if child.dep_ == "prep" and child.lower_ in {"against"} or (child.dep_ == "prep" and child.lower_ == "with" and lemma in {"clash", "battle", "engage"}):
                    pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                    b = self.actor(pobj) or b
            if self._sides(a, b):
                self._relation("conflict", a, b, tok, 0.75)  # type: ignore[arg-type]
                if lemma in {"clash", "battle"} or self.date_for(tok) or self.place(tok, {"in", "near", "at"}):
                    self._clash(tok, (a, b))  # type: ignore[arg-type]
        elif tok.pos_ in {"NOUN", "PROPN"} and tok.lower_ in CONFLICT_NOUNS:
            b = None
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in {"against", "on"}:
                    pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                    b = self.actor(pobj)
            if b is None:
                return
            sides: list[str] = []
            for child in tok.children:
                if child.dep_ in {"poss", "amod", "compound"}:
                    key = self.entity(child) or self.demonym(child)
                    if key:
                        sides.append(key)
            gov = tok.head
            if tok.dep_ == "pobj":
                prep = tok.head
                gov = prep.head
            if tok.dep_ in {"dobj", "pobj"} and gov.pos_ in {"VERB", "AUX"}:
                sides.append(self.actor(self.subject_of(gov)) or "")
                obj = next((c for c in gov.children if c.dep_ == "dobj" and c != tok), None)
                if obj is not None and self.is_troops(obj):
                    sides.append(self.actor(obj) or "")
            elif tok.dep_ == "pobj" and gov.pos_ == "NOUN":
                # "participation of X in the war against Y"
                for child in gov.children:
                    if child.dep_ == "prep" and child.lower_ == "of":
                        sides.append(self.actor(next((p for p in child.children if p.dep_ == "pobj"), None)) or "")
            for a in dict.fromkeys(s for s in sides if s):
                if self._sides(a, b):
                    self._relation("conflict", a, b, tok, 0.7)
                    if tok.lower_ in CLASH_NOUNS:
                        self._clash(tok, (a, b))

    def _sides(self, a: str | None, b: str | None) -> bool:
        if not a or not b or a == b:
            return False
        if self.cls(a) not in ACTOR_CLASSES or self.cls(b) not in ACTOR_CLASSES:
            return False
        sa, sb = self.state_of(a), self.state_of(b)
        return not (sa and sb and sa == sb)

    def _clash(self, trigger: Token, sides: tuple[str, ...]) -> None:
        place_tok = self.place(trigger, {"in", "near", "at", "on"})
        date = self.date_for(trigger) or self._governing_date(trigger)
        self._event(
            "Clash", trigger, 0.65 if place_tok is not None or date else 0.5, participants=tuple(sides),
            place=self.entity(place_tok) if place_tok is not None else None, date=date,
            modality=self.modality(trigger),
        )  # fmt: skip

    def _governing_date(self, tok: Token) -> DateValue | None:
        """Date of the nearest verb above ``tok`` that has one (``On 5 November, X confirmed the clashes``)."""
        t = tok
        for _ in range(5):
            if t.head == t:
                break
            t = t.head
            if t.pos_ in {"VERB", "AUX"}:
                value = self.date_for(t)
                if value is not None:
                    return value
                for claim, cue_tok, _, _ in self.claims:
                    if cue_tok == t and claim.date is not None and claim.date.text:
                        return claim.date
        return None

    # --- alliance and agreements --------------------------------------------------------------

    def _alliance(self, tok: Token) -> None:
        lemma = tok.lemma_.lower()
        if tok.pos_ in {"NOUN", "PROPN"} and (tok.lower_ in ALLIANCE_NOUNS or lemma in ALLIANCE_NOUNS):
            actors: list[str] = []
            for child in tok.children:
                if child.dep_ in {"compound", "amod", "poss", "nmod"}:
                    for t in child.subtree:
                        key = self.entity(t) or self.demonym(t)
                        if key and self.cls(key) in ACTOR_CLASSES:
                            actors.append(key)
                if child.dep_ == "prep" and child.lower_ == "with":
                    pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                    key = self.actor(pobj)
                    if key:
                        actors.append(key)
                        if not any(c.dep_ == "poss" for c in tok.children):
                            gov = _governing_verb(tok)
                            other = self.actor(self.subject_of(gov)) if gov is not None else None
                            if other:
                                actors.append(other)
            # "Russia and North Korea signed the treaty"
            verb = tok.head if tok.dep_ == "dobj" else None
            if verb is not None and verb.lemma_.lower() in {"sign", "conclude", "strike", "seal", "ink"}:
                subj = self.subject_of(verb)
                if subj is not None:
                    actors.extend(k for k in (self.actor(subj), *[self.actor(c) for c in subj.conjuncts]) if k)
            actors = list(dict.fromkeys(a for a in actors if a))
            pairs = [(a, b) for a, b in combinations(actors, 2) if self._sides(a, b)]
            if lemma != "relation":
                for a, b in pairs:
                    self._relation("alliance", a, b, tok, 0.75 if lemma != "tie" else 0.65)
            if tok.lower_ in AGREEMENT_NOUNS or lemma in AGREEMENT_NOUNS:
                self._agreement(tok, actors)
            return
        if tok.pos_ != "VERB":
            return
        subj_key = self.actor(self.subject_of(tok))
        for child in tok.children:
            if child.dep_ != "prep":
                continue
            pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
            if pobj is None:
                continue
            other = None
            if child.lower_ in {"alongside"} or (child.lower_ == "with" and lemma in ALLY_VERBS):
                other = self.actor(pobj)
            elif child.lower_ == "on" and pobj.lower_ == "side":
                of = next((c for c in pobj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                other = self.actor(next((p for p in of.children if p.dep_ == "pobj"), None)) if of else None
            if self._sides(subj_key, other):
                self._relation("alliance", subj_key, other, tok, 0.7)  # type: ignore[arg-type]
            if child.lower_ == "alongside" and other and lemma in {"fight", "battle", "serve", "wage"}:
                # "to fight alongside Russian troops in Ukraine": both fight the state they are in
                theatre = next((self.actor(p) for c in (*tok.children, *pobj.children)
                                if c.dep_ == "prep" and c.lower_ == "in"
                                for p in c.children if p.dep_ == "pobj" and self.cls(self.actor(p)) == "State"), None)
                for side in (other, subj_key):
                    if theatre and side and self._sides(side, theatre):
                        self._relation("conflict", side, theatre, tok, 0.6)
        if lemma in SUPPORT_VERBS:
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            other = self.actor(obj)
            if self._sides(subj_key, other):
                self._relation("alliance", subj_key, other, tok, 0.5)  # type: ignore[arg-type]
        if lemma in REGARD_VERBS:
            ally = next((t for t in tok.subtree if t.lower_ in ALLY_NOUNS and t.i > tok.i), None)
            if ally is not None:
                target = next((self.actor(c) for c in tok.children if c.dep_ in {"dobj", "dative", "oprd"} and self.actor(c)), None)
                if target is None and ally.dep_ == "appos":
                    target = self.actor(ally.head)
                if self._sides(subj_key, target):
                    self._relation("alliance", subj_key, target, tok, 0.65)  # type: ignore[arg-type]

    def _agreement(self, noun: Token, actors: list[str]) -> None:
        acl = next((c for c in noun.children if c.dep_ == "acl"), None)
        date = self.date_for(noun) or (self.date_for(acl) if acl is not None else None)
        if date is None and noun.dep_ == "dobj" and noun.head.lemma_.lower() in {"sign", "conclude", "seal", "ink", "strike"}:
            acl = noun.head
            date = self.date_for(acl)
        place_tok = self.place(acl, {"in", "at", "during", "on"}) if acl is not None else None
        if place_tok is None:
            place_tok = self.place(noun, {"in", "at"}, depth=1)
        if not actors:
            actors = [
                k for r, _ in self.relations if r.kind == "alliance" and r.sentence == self.sentence(noun)
                for k in (r.subject, r.object)
            ]
        if not actors and date is None:
            return
        for existing, _ in self.events:
            if existing.kind == "Agreement" and set(existing.participants) == set(actors) and date is None:
                return  # the same pact spoken of again
        gov = noun.head if noun.dep_ in {"dobj", "pobj"} else None
        self._event(
            "Agreement", noun, 0.7 if date else 0.55, participants=tuple(dict.fromkeys(actors)),
            place=self.entity(place_tok) if place_tok is not None else None, date=date,
            modality=self.modality(gov) if gov is not None and gov.pos_ == "VERB" else "asserted",
        )  # fmt: skip

    def _between(self) -> None:
        """``X between A and B``: alliances, conflicts and clashes named by the noun."""
        doc = self.doc
        for tokens in self.matches.get("BETWEEN", []):
            noun, first = doc[tokens[0]], doc[tokens[2]]
            if self._is_negated(noun):
                continue
            low = noun.lower_
            actors: list[str] = []
            for t in first.subtree:
                key = self.entity(t) or (self.demonym(t) if t.pos_ in {"ADJ", "PROPN"} else None)
                if key and self.cls(key) in ACTOR_CLASSES:
                    actors.append(key)
            actors = list(dict.fromkeys(actors))
            if len(actors) < 2:
                continue
            a, b = actors[0], actors[1]
            if not self._sides(a, b):
                continue
            if low in ALLIANCE_NOUNS or noun.lemma_.lower() in ALLIANCE_NOUNS:
                self._relation("alliance", a, b, noun, 0.8)
                if low in AGREEMENT_NOUNS:
                    self._agreement(noun, [a, b])
            elif low in CONFLICT_NOUNS:
                self._relation("conflict", a, b, noun, 0.8)
                if low in CLASH_NOUNS:
                    self._clash(noun, (a, b))

    # --- meetings and summits -------------------------------------------------------------------

    def _gathering(self, tok: Token) -> None:
        low = tok.lower_
        if tok.pos_ in {"NOUN", "PROPN"} and (low in SUMMIT_NOUNS or low in MEETING_NOUNS):
            gov = _governing_verb(tok)
            if gov is not None and gov.lemma_.lower() == "meet" and tok in gov.subtree:
                return  # the verb's event covers it
            kind = "Summit" if low in SUMMIT_NOUNS else "Meeting"
            participants: list[str] = []
            for child in tok.children:
                if child.dep_ in {"compound", "amod", "poss", "nmod"}:
                    key = self.entity(child) or self.demonym(child)
                    if key and self.cls(key) in ACTOR_CLASSES | {"Person"}:
                        participants.append(key)
                if child.dep_ == "prep" and child.lower_ in {"of", "with", "between"}:
                    for t in child.subtree:
                        key = self.entity(t)
                        if key and self.cls(key) in ACTOR_CLASSES | {"Person"}:
                            participants.append(key)
            place_tok = self.place(tok, {"in", "at"})
            date = self.date_for(tok) or self._governing_date(tok) or self._claim_date_of(tok)
            if place_tok is None and date is None:
                return
            self._event(
                kind, tok, 0.7 if place_tok is not None else 0.5,
                participants=tuple(dict.fromkeys(participants)),
                place=self.entity(place_tok) if place_tok is not None else None, date=date,
                modality=self.modality(gov) if gov is not None else "asserted",
            )  # fmt: skip
        elif tok.pos_ == "VERB" and tok.lemma_.lower() in MEETING_VERBS:
            participants = []
            subj = self.subject_of(tok)
            if subj is not None:
                for t in subj.subtree:
                    key = self.entity(t)
                    if key and self.cls(key) in ACTOR_CLASSES | {"Person"}:
                        participants.append(key)
            for child in tok.children:
                target = child if child.dep_ == "dobj" else None
                if child.dep_ == "prep" and child.lower_ == "with":
                    target = next((p for p in child.children if p.dep_ == "pobj"), None)
                if target is not None:
                    for t in (target, *target.conjuncts):
                        key = self.actor(t)
                        if key and self.cls(key) in ACTOR_CLASSES | {"Person"}:
                            participants.append(key)
            place_tok = self.place(tok, {"in", "at"}, depth=1)
            if place_tok is None and (tok.lemma_.lower() != "meet" or not participants):
                return  # "meet demand", "the criteria had to be met": no one meets anyone anywhere
            leaders = subj is not None and subj.lemma_.lower() in {"leader", "head"}
            kind = "Summit" if leaders or any(t.lower_ in SUMMIT_NOUNS for t in tok.subtree) else "Meeting"
            self._event(
                kind, tok, 0.7 if place_tok is not None else 0.55,
                participants=tuple(dict.fromkeys(participants)),
                place=self.entity(place_tok) if place_tok is not None else None,
                date=self.date_for(tok), modality=self.modality(tok),
            )  # fmt: skip

    def _claim_date_of(self, tok: Token) -> DateValue | None:
        """The date of the claim whose cue governs ``tok`` (``he said this at the summit``)."""
        for claim, cue_tok, _, _ in self.claims:
            if cue_tok.sent.start == tok.sent.start and tok in cue_tok.subtree:
                return claim.date
        return None

    # --- output ----------------------------------------------------------------------------

    def _relation(self, kind: str, subject: str, obj: str, tok: Token, confidence: float, title: str | None = None) -> None:
        if not subject or not obj or subject == obj:
            return
        if kind in {"alliance", "conflict"} and obj < subject:
            subject, obj = obj, subject
        rel = Relation(kind=kind, subject=subject, object=obj, sentence=self.sentence(tok), confidence=confidence, title=title)  # type: ignore[arg-type]
        for existing, _ in self.relations:
            if (existing.kind, existing.subject, existing.object, existing.sentence) == (kind, subject, obj, rel.sentence):
                return
        self.relations.append((rel, tok.i))

    def _event(self, kind: str, trigger: Token, confidence: float, **fields: object) -> None:
        event = Event(kind=kind, sentence=self.sentence(trigger), confidence=confidence, trigger=trigger.text, **fields)  # type: ignore[arg-type]
        for existing, i in self.events:
            if i == trigger.i and existing.kind == kind:
                return
        self.events.append((event, trigger.i))

    def _assemble(self) -> Facts:
        events = [e for e, _ in self.events]
        claims: list[Claim] = []
        for claim, cue_tok, start, end in self.claims:
            about = tuple(n for n, (_, i) in enumerate(self.events) if start <= i < end)
            counts = [events[n].count for n in about if events[n].count is not None]
            for tok in self.doc[start:end]:
                if tok.like_num and (tok.dep_ in {"nummod", "nsubj", "nsubjpass", "dobj"}) and self.is_troops(tok.head if tok.dep_ == "nummod" else tok):
                    q = self.count_of(tok.head if tok.dep_ == "nummod" else tok)
                    if q is not None and q not in counts:
                        counts.append(q)
            claims.append(dataclasses.replace(claim, about=about, counts=tuple(dict.fromkeys(counts))))  # type: ignore[arg-type]
        return Facts(
            relations=tuple(r for r, _ in self.relations),
            events=tuple(events),
            claims=tuple(claims),
        )


# --- tree helpers -------------------------------------------------------------------------------


def _token_strings(doc: Doc, attr: int) -> list[str]:
    """Each token's ``attr`` (``LEMMA``, ``LOWER``…) as a string, without building the tokens:
    each distinct value is looked up once."""
    ids = doc.to_array(attr).tolist()
    strings = {h: doc.vocab.strings[h] for h in set(ids)}
    return [strings[h] for h in ids]


def _governor(tok: Token) -> Token | None:
    """The verb or noun a modifier (a date) attaches to, past prepositions and conjunctions."""
    t = tok
    for _ in range(6):
        if t.head == t:
            return None
        if t.dep_ in {"pobj", "pcomp", "conj"}:
            t = t.head
            continue
        if t.dep_ in {"prep", "agent", "npadvmod", "compound", "appos", "tmod", "nmod", "amod", "advmod", "nummod", "dobj"}:
            return t.head
        return None
    return None


def _governing_verb(tok: Token) -> Token | None:
    t = tok
    for _ in range(6):
        if t.head == t:
            return t if t.pos_ in {"VERB", "AUX"} else None
        t = t.head
        if t.pos_ in {"VERB", "AUX"}:
            return t
    return None


def _root_of(span: SpacySpan) -> Token | None:
    if len(span) == 0:
        return None
    return span.root


def _title(tokens: Iterable[Token]) -> str | None:
    words = [t.text for t in tokens if t.lower_ in ROLE_WORDS]
    if not words:
        return None
    text = " ".join(words)
    return text[0].upper() + text[1:] if text[0].islower() and text.split()[0].lower() in {"president", "minister", "secretary", "chancellor", "premier"} else text


def _most_precise(dates: Sequence[DateValue]) -> DateValue | None:
    if not dates:
        return None
    order = {"day": 0, "month": 1, "year": 2}
    return min(dates, key=lambda d: order[d.precision])
