"""``role``: a person holds a title (or a place) in an organisation or state.

A title is a run of title words (``data/lexicon/wordnet.toml``'s title nouns and
``data/lexicon/relations.toml``'s title modifiers) holding a title noun: "Foreign Secretary",
"shadow defence minister", "interim leader", "political editor". Its organisation or state is
named inside the title phrase — an organisation or state mention, a demonym ("French President"),
a possessive ("the BBC's political editor", "Israel's prime minister"), an "of" phrase ("President
of Ukraine", "the defence minister of Ukraine") — in any of the places a title stands:

* before the name: "NATO Secretary General Mark Rutte", "Iraqi interim leader Iyad Allawi";
* in an apposition after it: "Olena Koval, the defence minister of Ukraine", "X, Israel's
  prime minister", or before it: "the Palestinian leader, Mahmoud Abbas";
* as the complement of a copula or an appointment: "X is the foreign minister of Y", "X was
  appointed ambassador to Y", also in a relative clause ("X, who is ...");
* an affiliation without a title: "Brad Smith, from the Red Cross", "the BBC's Paul Reynolds".

A title found without its organisation ("Prime Minister Tony Blair") is kept for the document:
the office table (``data/gazetteer/offices.tsv``) gives the state or organisation the person held
that title in on the article's date, when the text names it ("President Putin" in a story naming
Russia); else a titled description elsewhere in the text ("the British prime minister") gives the
organisation when one person holds that title; "his Israeli counterpart, X" gives X the title of
the person "his" refers to, in Israel. Failing all, an office that English binds to one state
("Prime Minister", "Home Secretary": ``data/lexicon/wordnet.toml``'s offices) is that state's,
when the text names that state and ties the person to no other. Every title also tells the reference
resolver who "the president" is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg.lexicon import HONORIFICS, OFFICES
from kg.linking.gazetteer import load_gazetteer
from kg.model import EntityClass, RelationKind
from kg.text import name_key
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.words import (
    ACTOR_CLASSES, AFFILIATION_PREPOSITIONS, CAPITALISED_TITLES, CONFIDENCE, COPULA_VERBS, COUNTERPARTS,
    OCCUPATION_NOUNS, OF_PLACE_PREPOSITIONS, OF_PREPOSITIONS, POST_VERBS, ROLE_HEADS, ROLE_WORDS, SPELLINGS,
)

__all__ = ["find_roles", "title_of"]

C_ROLE = CONFIDENCE.table("role")
POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})
LINKS = frozenset({"of", "the", "for", "to"})
"""Words that may stand inside a title phrase before a name ("Secretary of State", "President of
the United States")."""


@dataclass
class _Candidate:
    person: str
    title: str | None
    org: str | None
    token: Token
    confidence: float
    counterpart_of: str | None = None
    owner: str | None = None
    """For "his defence minister": the person "his" is, whose state the title is of."""


def title_of(tokens: Iterable[Token]) -> str | None:
    """The title the title words among ``tokens`` spell ("defence minister"); one that opens
    with a head-of-government word is capitalised ("President")."""
    tokens = list(tokens)
    marks = [i for i, t in enumerate(tokens) if t.lower_ in ROLE_WORDS]
    if not marks or not any(tokens[i].lower_ in ROLE_HEADS for i in marks):
        return None
    # the words between the first title word and the last are the title's too ("foreign
    # policy chief", "foreign affairs spokesman")
    words = [t.text for t in tokens[marks[0]: marks[-1] + 1] if t.is_alpha]
    text = " ".join(words)
    if text[0].islower() and text.split()[0].lower() in CAPITALISED_TITLES:
        return text[0].upper() + text[1:]
    return text


def _org_of(ctx: Context, tok: Token) -> str | None:
    """The organisation or state a word of a title phrase names (mention or demonym)."""
    key = ctx.entity(tok) or ctx.demonym(tok)
    if key is None and tok.pos_ in ("PRON", "DET") and tok.dep_ == "poss":
        key = None  # "his counterpart": handled apart
    return key if key is not None and ctx.cls(key) in ACTOR_CLASSES else None


def _phrase_org(ctx: Context, head: Token, person: str) -> str | None:
    """The organisation a title noun's own phrase names: its qualifiers ("Israel's", "French",
    "NATO"), its "of/at/for" phrase ("of Ukraine")."""
    for word in (*ctx.parse.modifiers(head), *(c for c in head.subtree if c.i < head.i)):
        key = _org_of(ctx, word)
        if key is not None and key != person:
            return key
    for word in ctx.parse.oblique(head, OF_PREPOSITIONS):
        key = ctx.actor(word)
        if key is None:
            key = next((k for t in word.subtree if (k := _org_of(ctx, t)) is not None), None)
        if key is not None and key != person and ctx.cls(key) in ACTOR_CLASSES:
            return key
    # a place's own office: "the governor of the Belgorod region", "Kharkiv's mayor"
    for word in (*(c for c in head.children if c.dep_ == "poss"), *ctx.parse.oblique(head, frozenset({"of"}))):
        key = ctx.place_of(word)
        if key is not None and ctx.cls(key) == EntityClass.PLACE:
            return key
    return None


def _counterpart_owner(ctx: Context, head: Token) -> str | None:
    """For "his counterpart"/"Blair's counterpart": the person whose title it is."""
    for child in head.children:
        if child.dep_ == "poss":
            key = ctx.entity(child) or ctx.refs.resolve(child)
            if key is not None and ctx.cls(key) == EntityClass.PERSON:
                return key
    return None


def _before_name(ctx: Context, span: SpacySpan, person: str, sent: SpacySpan) -> _Candidate | None:
    """"[Org|demonym]['s] [title words] [of Org] Name"."""
    doc = ctx.doc
    k = span.start - 1
    while (k >= sent.start and doc[k].lower_.rstrip(".") in HONORIFICS and doc[k].lower_ not in ROLE_WORDS
           and doc[k].is_title):
        k -= 1  # "spokesman Sir Menzies Campbell", "Defence Minister Colonel X": the title before the rank
    words: list[Token] = []
    place_owner: str | None = None
    while k >= sent.start:
        tok = doc[k]
        key = ctx.entity(tok)
        if key is not None and key != person and ctx.cls(key) in ACTOR_CLASSES:
            bounds = ctx.mention_tokens(tok)
            start = bounds[0] if bounds else k
            words[:0] = list(doc[start:k + 1])
            k = start - 1
            continue
        if key is not None and ctx.cls(key) == EntityClass.PLACE and words and place_owner is None:
            # a place inside a title: its field ("the Europe Director X", "Africa Minister X") or,
            # as a possessive, where the office is ("Gibraltar's Chief Minister X")
            bounds = ctx.mention_tokens(tok)
            start = bounds[0] if bounds else k
            if words[0].text in POSSESSIVE_MARKS:
                place_owner = key
                words[:0] = list(doc[start:k + 1])
                break
            if words[0].lower_ in ROLE_WORDS:
                k = start - 1
                continue
        hyphen = (tok.text == "-" and words and words[0].lower_ in ROLE_WORDS and k > sent.start
                  and doc[k - 1].lower_ in ROLE_WORDS and not tok.whitespace_)  # "Secretary-General"
        if key is not None or not (tok.lower_ in ROLE_WORDS or tok.text in POSSESSIVE_MARKS or ctx.demonym(tok)
                                   or tok.lower_ in LINKS and words or _portfolio_word(tok, span) or hyphen):
            break
        words.insert(0, tok)
        k -= 1
    whose = doc[k] if k >= sent.start and doc[k].lower_ == "whose" else None
    while words and words[0].lower_ in LINKS | POSSESSIVE_MARKS:
        words.pop(0)
    title = title_of(w for w in words if ctx.entity(w) is None)  # "Labour MP": the party is no title word
    if title is None:
        return None
    head = next((w for w in reversed(words) if w.lower_ in ROLE_HEADS), words[-1])
    if head.lower_ in COUNTERPARTS:
        return _Candidate(person, None, _first_org(ctx, words, person), span.root, C_ROLE.number("title_before_name"),
                          counterpart_of=_counterpart_owner(ctx, head))
    org = _first_org(ctx, words, person) or _of_after_name(ctx, span, person) or place_owner
    if org is None and whose is not None:  # "the EU, whose foreign policy chief X": the EU's
        owner = ctx.parse.antecedent(whose)
        if owner is None and whose.i >= 2 and doc[whose.i - 1].text == ",":
            owner = doc[whose.i - 2]  # the parser may hang the clause elsewhere: the noun before it
        key = ctx.actor(owner) if owner is not None else None
        org = key if key is not None and key != person and ctx.cls(key) in ACTOR_CLASSES else None
    return _Candidate(person, title, org, span.root, C_ROLE.number("title_before_name"))


def _of_after_name(ctx: Context, span: SpacySpan, person: str) -> str | None:
    """"President Jan Kowalski of Poland": the state or body an "of" right after the name names."""
    doc, k = ctx.doc, span.end
    if k + 1 >= len(doc) or doc[k].lower_ not in OF_PLACE_PREPOSITIONS:
        return None  # "of" only: "Prime Minister X in Moscow" is visiting
    k += 1
    if doc[k].lower_ == "the" and k + 1 < len(doc):
        k += 1
    key = ctx.entity(doc[k])
    return key if key is not None and key != person and ctx.cls(key) in ACTOR_CLASSES else None


def _portfolio_word(tok: Token, name: SpacySpan) -> bool:
    """A lower-case word naming a title's field inside the title before a name ("foreign
    *policy* chief", "foreign *affairs* spokesman"): it qualifies a word between it and the name."""
    return (tok.is_lower and tok.is_alpha and tok.pos_ in ("NOUN", "ADJ") and tok.dep_ in ("compound", "amod")
            and tok.i < tok.head.i <= name.end - 1)


def _first_org(ctx: Context, words: list[Token], person: str) -> str | None:
    for word in words:
        key = _org_of(ctx, word)
        if key is not None and key != person:
            return key
    return None


def _title_phrase(ctx: Context, head: Token, person: str, root: Token, confidence: float) -> _Candidate | None:
    """A title noun standing apart from the name (apposition, copula): its words and its org; a
    noun of occupation only with the body its phrase names ("X, a senior KGB officer", "X, a
    former Yale historian")."""
    if head.lower_ not in ROLE_HEADS:
        if head.lemma_.lower() not in OCCUPATION_NOUNS or head.pos_ != "NOUN":
            return None
        org = _phrase_org(ctx, head, person)
        if org is None or ctx.cls(org) != EntityClass.ORGANIZATION:
            return None
        return _Candidate(person, head.lemma_.lower(), org, root, confidence)
    words = [t for t in head.subtree if t.i <= head.i and t.lower_ in ROLE_WORDS]
    if head.lower_ in COUNTERPARTS:
        return _Candidate(person, None, _phrase_org(ctx, head, person), root, confidence,
                          counterpart_of=_counterpart_owner(ctx, head))
    title = title_of(words)
    if title is None:
        return None
    org = _phrase_org(ctx, head, person)
    owner = None
    if org is None:  # "Its spokesman, X": what "its" is; "his defence minister, X": whose state
        for word in head.children:
            if word.dep_ == "poss" and word.pos_ == "PRON":
                key = ctx.refs.resolve_other(word, person)
                if key is not None and key != person and ctx.cls(key) == EntityClass.PERSON:
                    owner = key
                elif key is not None and key != person and ctx.cls(key) in ACTOR_CLASSES:
                    org = key
    return _Candidate(person, title, org, root, confidence, owner=owner)


def _candidates(ctx: Context, span: SpacySpan, person: str, sent: SpacySpan) -> list[_Candidate]:
    found: list[_Candidate] = []
    before = _before_name(ctx, span, person, sent)
    if before is not None:
        found.append(before)
    root = span.root
    for child in root.children:
        if child.dep_ == "appos":  # "X, the defence minister of Y"
            candidate = _title_phrase(ctx, child, person, root, C_ROLE.number("apposition"))
            if candidate is not None:
                found.append(candidate)
        elif child.dep_ == "relcl" and child.lemma_.lower() in COPULA_VERBS:  # "X, who is ..."
            for complement in child.children:
                if complement.dep_ in {"attr", "oprd", "xcomp"}:
                    candidate = _title_phrase(ctx, complement, person, root, C_ROLE.number("apposition"))
                    if candidate is not None:
                        found.append(candidate)
        elif child.dep_ == "prep" and child.lower_ in AFFILIATION_PREPOSITIONS and not found:
            # "Brad Smith, from the Red Cross": an affiliation without a title
            comma = root.i + 1 < len(ctx.doc) and ctx.doc[root.i + 1].text == ","
            for word in ctx.parse.oblique(root, frozenset({child.lower_})):
                key = ctx.actor(word)
                if key is not None and ctx.cls(key) == EntityClass.ORGANIZATION and (comma or child.lower_ == "from"):
                    found.append(_Candidate(person, None, key, root, C_ROLE.number("apposition")))
        elif child.dep_ == "poss" and not found:  # "the BBC's Paul Reynolds"
            key = ctx.entity(child)
            if key is not None and ctx.cls(key) == EntityClass.ORGANIZATION:
                found.append(_Candidate(person, None, key, root, C_ROLE.number("apposition")))
    # "the Palestinian leader, Mahmoud Abbas"; "Shin Won-sik, South Korea's national security
    # adviser, said": an apposition the parser took for a modifier of the title noun after the comma
    if root.dep_ == "appos" or (root.dep_ in ("nmod", "compound", "npadvmod") and root.head.i > root.i
                                and span.end < len(ctx.doc) and ctx.doc[span.end].text == ","):
        title = root.head
        candidate = _title_phrase(ctx, title, person, root, C_ROLE.number("apposition"))
        # "Spain's director general for Europe, X": the parser hangs the name on the last word
        # of the title's own phrase; the name is the title's
        while candidate is None and title.dep_ == "pobj" and title.head.lower_ in OF_PREPOSITIONS \
                and title.head.head.pos_ in ("NOUN", "PROPN") and title.head.head.i < title.i:
            title = title.head.head
            candidate = _title_phrase(ctx, title, person, root, C_ROLE.number("apposition"))
        if candidate is not None:
            found.append(candidate)
    if root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_.lower() in COPULA_VERBS:
        verb = root.head
        complements = [c for c in verb.children if c.dep_ in {"attr", "oprd", "xcomp", "acomp"}]
        complements += ctx.parse.oblique(verb, frozenset({"as"}))
        for complement in complements:
            candidate = _title_phrase(ctx, complement, person, root, C_ROLE.number("apposition"))
            if candidate is not None:
                found.append(candidate)
    return found


def find_roles(ctx: Context) -> None:
    """Every role of the doc (see the module docstring), and the titles it tells the resolver."""
    candidates: list[_Candidate] = []
    for sent in ctx.doc.sents:
        for span, m in ctx.by_sentence.get(sent.start, ()):
            if ctx.cls(m.entity) == EntityClass.PERSON:
                candidates.extend(_candidates(ctx, span, m.entity, sent))
    for c in candidates:
        if c.title is not None:
            ctx.refs.add_title(c.person, c.title, c.org)
    titles = {c.person: c.title for c in candidates if c.title}
    for c in candidates:  # "his Israeli counterpart, X": the title of the person "his" is
        if c.counterpart_of is not None and c.title is None:
            c.title = titles.get(c.counterpart_of)
            if c.title is not None:
                ctx.refs.add_title(c.person, c.title, c.org)
    _orgs_from_holders(ctx, candidates)  # what is known of the holder first: "the Russian president" is not Yoon
    _orgs_from_descriptions(ctx, candidates)
    _orgs_from_offices(ctx, candidates)
    states = {c.person: c.org for c in candidates if c.org is not None and ctx.cls(c.org) == EntityClass.STATE}
    for c in candidates:  # "Zelensky, Ukraine's president, ... Umerov, his defence minister": Ukraine's
        if c.org is None and c.owner is not None and c.title:
            c.org = states.get(c.owner)
    emitted: set[tuple[str, str | None, str]] = set()
    for c in candidates:
        if c.org is None or (c.title is None and c.counterpart_of is not None):
            continue
        if (c.person, c.title, c.org) in emitted:
            continue
        emitted.add((c.person, c.title, c.org))
        ctx.relation(RelationKind.ROLE, c.person, c.org, c.token, c.confidence, title=c.title)
    known = {(person, org) for person, _, org in emitted}
    _posts(ctx, known, titles)
    _as_titles(ctx, known)


def _as_titles(ctx: Context, known: set[tuple[str, str]]) -> None:
    """A title a person's verb gives them with "as" ("X, who took over as the alliance's
    secretary general", "X served as Kenya's foreign minister"): the role, in the body or state
    its possessor or its "of" phrase names."""
    if not ctx.words & ROLE_HEADS or "as" not in ctx.words:
        return
    for tok in ctx.with_word(ROLE_HEADS):
        if tok.dep_ != "pobj" or tok.head.lower_ != "as":
            continue
        verb = tok.head.head
        if verb.pos_ not in ("VERB", "AUX") or ctx.asserted(verb) is None:
            continue
        people = _people_doing(ctx, verb)
        owners = [c for c in tok.children if c.dep_ == "poss"] + ctx.parse.oblique(tok, frozenset({"of"}))
        org = next((k for k in map(ctx.actor, owners) if k is not None and ctx.cls(k) in ACTOR_CLASSES
                    and ctx.cls(k) != EntityClass.PERSON), None)
        title = title_of(t for t in tok.subtree if t.i <= tok.i)
        if org is None or title is None:
            continue
        for person in people:
            if (person, org) not in known:
                known.add((person, org))
                ctx.relation(RelationKind.ROLE, person, org, tok, C_ROLE.number("apposition"), title=title)


_BODY_CLASSES = (EntityClass.ORGANIZATION, EntityClass.MILITARY_UNIT)
_POST_PREPOSITIONS = frozenset({"in", "of", "with", "at"})
_POST_LEMMAS = frozenset(POST_VERBS)


def _posts(ctx: Context, known: set[tuple[str, str]], titles: dict[str, str]) -> None:
    """Roles a verb of holding a post gives (``post_verbs``): "X commands the 47th Brigade",
    "X, who commands a squad in the 47th Brigade", "X heads the agency", "X serves in the 95th
    Brigade": the person is the verb's subject, the body what it acts on (or the body a phrase on
    that sets it in), an organisation or a unit."""
    for tok in ctx.with_lemma(_POST_LEMMAS):
        lemma = tok.lemma_.lower()
        if tok.pos_ != "VERB" or ctx.asserted(tok) is None:
            continue
        people = _people_doing(ctx, tok)
        if not people:
            continue
        objects = ctx.parse.objects(tok)
        words = objects + ctx.parse.oblique(tok, _POST_PREPOSITIONS) + [
            w for o in objects for w in ctx.parse.oblique(o, _POST_PREPOSITIONS)]
        bodies = [k for k in dict.fromkeys(map(ctx.actor, words)) if k is not None and ctx.cls(k) in _BODY_CLASSES]
        for person in people:
            for body in bodies[:1]:
                if (person, body) in known:
                    continue
                known.add((person, body))
                title = titles.get(person) or POST_VERBS[lemma] or None
                ctx.relation(RelationKind.ROLE, person, body, tok, C_ROLE.number("post_verb"), title=title)


def _people_doing(ctx: Context, verb: Token) -> list[str]:
    """The people who are ``verb``'s subjects."""
    return [k for k in map(ctx.actor, ctx.parse.subjects(verb)) if k is not None and ctx.cls(k) == EntityClass.PERSON]


def _orgs_from_descriptions(ctx: Context, candidates: list[_Candidate]) -> None:
    """A title without its organisation takes the one a titled description of the text gives:
    "Prime Minister Tony Blair ... the British prime minister", "President X ... Ukraine's
    president" (one holder of the title only)."""
    bare = [c for c in candidates if c.org is None and c.title]
    if not bare:
        return
    for tok in ctx.with_word(ROLE_HEADS):
        if ctx.entity(tok) is not None:
            continue
        # definite: "the British prime minister", or a state's own ("Ukraine's president: …")
        if not any(d.dep_ == "det" and d.lower_ in {"the", "this"} or d.dep_ == "poss" and d.pos_ == "PROPN"
                   for d in tok.children):
            continue
        states = {ctx.demonym(q) or ctx.entity(q) for q in ctx.parse.modifiers(tok)} - {None}
        states = {s for s in states if ctx.cls(s) in ACTOR_CLASSES}
        if len(states) != 1:
            continue
        state = next(iter(states))
        words = frozenset(_head_words(" ".join(t.text for t in tok.subtree if t.lower_ in ROLE_WORDS)))
        # who holds that title and is not known to hold it elsewhere
        people = {c.person for c in candidates
                  if c.title and frozenset(_head_words(c.title)) == words and c.org in (None, state)}
        if len(people) != 1:
            continue
        person = next(iter(people))
        if any(m.entity == person and span.root.dep_ in ("nsubj", "nsubjpass") and span.root.head in tok.ancestors
               for span, m in ctx.by_sentence.get(tok.sent.start, ())):
            continue  # "President X said Hungary's president would stay away": the speaker is someone else
        for c in bare:
            if c.person == person and frozenset(_head_words(c.title or "")) == words:
                c.org = state
                c.confidence = C_ROLE.number("leader_title")


def _orgs_from_holders(ctx: Context, candidates: list[_Candidate]) -> None:
    """A title still without its organisation takes the state or organisation its holder held
    that office in on the article's date (``data/gazetteer/offices.tsv``: "President Putin" ->
    Russia), when the entity layer holds it (the text names it, or it is the state of an office
    the text names its holder by: "Defence Secretary Geoff Hoon", in a story that never says
    "Britain"): the title must be the office's ("Foreign Minister" is not a president's), and the
    holder known by one of the person's names."""
    for c in candidates:
        if c.org is not None or not c.title:
            continue
        words = frozenset(_head_words(_spelling(c.title)))
        if not words:
            continue
        places = {o.holds_in for o in ctx.offices_held(c.person)
                  if any(frozenset(_head_words(_spelling(t))) == words for t in o.titles)}
        keys = {k for k in (_named(ctx, place) for place in places) if k is not None}
        if len(keys) == 1:
            c.org = keys.pop()
            c.confidence = C_ROLE.number("office_holder")


def _spelling(title: str) -> str:
    """One spelling of a title's words ("Defense Secretary" as "defence secretary")."""
    return " ".join(SPELLINGS.get(w, w) for w in title.lower().replace("-", " ").split())


def _named(ctx: Context, name: str) -> str | None:
    """The key of the state or organisation the text names ``name`` (or an alias the gazetteer
    gives it), if it does."""
    key = ctx.state_names.get(name.lower())
    if key is not None:
        return key
    names = {name_key(n) for e in load_gazetteer().lookup(name) for n in e.names} | {name_key(name)}
    for key, ent in ctx.entities.items():
        if ent.cls in ACTOR_CLASSES and any(name_key(n) in names for n in (ent.label, *ent.aliases)):
            return key
    return None


def _head_words(title: str) -> list[str]:
    return [w for w in title.lower().split() if w in ROLE_WORDS and w not in {"former", "outgoing", "incoming"}]


def office_state(title: str) -> str | None:
    """The state English binds an office title to when none is named ("Shadow Foreign
    Secretary" -> United Kingdom), read on the title's longest known ending."""
    words = title.lower().split()
    for start in range(len(words)):
        state = OFFICES.get(" ".join(words[start:]))
        if state is not None:
            return state
    return None


def _orgs_from_offices(ctx: Context, candidates: list[_Candidate]) -> None:
    """A title still without its organisation takes the state its office belongs to
    (:func:`office_state`), when the text names that state and ties the person to no other."""
    tied: dict[str, set[str]] = {}
    for c in candidates:
        if c.org is not None and ctx.cls(c.org) == EntityClass.STATE:
            tied.setdefault(c.person, set()).add(c.org)
    for c in candidates:
        if c.org is not None or not c.title:
            continue
        state = office_state(c.title)
        key = ctx.state_names.get(state.lower()) if state else None
        if key is None or key not in ctx.named or tied.get(c.person, {key}) != {key}:
            continue
        c.org = key
        c.confidence = C_ROLE.number("office_state")
