"""Attributed statements: who said what, when, according to whom, how sure.

Reporting verbs (``said``, ``warned``, ``confirmed`` …), ``according to X``, quotations with an
``X said`` tail or a ``Quote from X:`` lead, ``…, reports Outlet``, and quotations that continue
the previous speaker's. A denial or a negated reporting verb makes a negated claim, and what a
negated claim or a negated ``no evidence that …`` covers yields no positive fact
(:func:`mark_negations`).
"""

from __future__ import annotations

import dataclasses

import numpy
from spacy.attrs import LIKE_NUM
from spacy.tokens import Token

from kg.model import Claim, DateValue, EntityClass
from kg.pipeline.relations.context import FIGURE_DEPS, Context
from kg.pipeline.relations.coref import DESCRIPTIONS
from kg.pipeline.relations.parse import SUBJECT_DEPS
from kg.pipeline.relations.tree import governor, most_precise, root_of
from kg.pipeline.relations.words import (
    ACTOR_CLASSES,
    AFTER_EVENT_PREPOSITIONS,
    CONFIDENCE,
    DENIAL_NOUNS,
    DENIAL_VERBS,
    FACTIVE_VERBS,
    FIGURE_NOUNS,
    FIGURE_VERBS,
    FIRST_PERSON,
    NEGATION_NOUNS,
    NEGATIVE_DETERMINERS,
    PRONOUN_CONTENTS,
    PRONOUNS,
    REACH,
    CUE_LEMMAS,
    PREPOSITIONAL_CUES,
    REPORT_VERBS,
    REPORTING_NOUNS,
    SENTENCE_ENDS,
    SEQUEL_ADVERBS,
    SETTING_PREPOSITIONS,
    STATE_VOICES,
    SIMULTANEITY_MARKS,
    SOURCE_VERBS,
    STANCE_PREPOSITIONS,
    STANCE_VERBS,
    TAIL_MARKS,
)

C_CLAIM = CONFIDENCE.table("claim")



def find_claims(ctx: Context) -> None:
    """Find attributed statements and add them in text order (dates carry over in order)."""
    doc = ctx.doc
    sources: dict[int, str] = {}  # sentence start -> source organisation
    # "…, reports Politico": an outlet named after the statement is its source.
    for tok in ctx.with_lemma(SOURCE_VERBS):
        if tok.pos_ == "VERB":
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            key = ctx.entity(subj)
            if subj is not None and subj.i > tok.i and key and ctx.cls(key) == "Organization":
                sources[tok.sent.start] = key
    according: dict[int, tuple[Token, str | None]] = {}  # head verb -> (cue token, key)
    for tokens in ctx.matches.get("ACCORDING_TO", []) + ctx.matches.get("IN_WORDS", []):
        acc, src = doc[tokens[0]], doc[tokens[2]]
        according[acc.head.i] = (acc, speaker_key(ctx, src))
    for acc, src in _orphan_according(ctx):
        according.setdefault(acc.head.i, (acc, speaker_key(ctx, src)))
    items: list[tuple[int, int, tuple]] = []
    taken: set[tuple[int, int]] = set()
    verb_contents: list[tuple[int, int]] = []
    for tok in ctx.with_lemma(CUE_LEMMAS):
        if tok.pos_ not in {"VERB", "AUX"}:
            continue
        lemma = tok.lemma_.lower()
        if lemma in PREPOSITIONAL_CUES and lemma not in REPORT_VERBS and not _has_cue_preposition(tok, PREPOSITIONAL_CUES[lemma]):
            continue  # "call" a meeting, but "call for" a ceasefire
        figure = lemma in FIGURE_VERBS and lemma not in REPORT_VERBS
        if figure and not any(o.lemma_.lower() in FIGURE_NOUNS for o in ctx.parse.objects(tok)):
            continue  # "gave a speech", but "gave a higher figure"
        if ctx.in_quote(tok.i) is not None:
            continue  # the speaker's own words, not an attribution
        if tok.dep_ in {"amod", "acl"} and tok.tag_ == "VBN":
            continue  # "as specified by law": a participle modifying a noun
        subj = _report_subject(ctx, tok)
        if subj is not None and subj.lower_ in FIRST_PERSON and not ctx.entity(subj):
            continue  # inside an unmarked quotation: the speaker's own words
        if tok.sent.start in sources and sources[tok.sent.start] == ctx.entity(subj) and _other_report(ctx, tok):
            continue  # "reports Politico" is the source of the sentence's claim
        content = _stance_content(ctx, tok) if lemma in STANCE_VERBS else _content(ctx, tok)
        if content is None:
            continue
        if figure:  # "gave a higher figure four days later: around 1,100": the figure after the colon too
            colon = next((t.i for t in doc[content[1]: tok.sent.end] if t.text == ":"), None)
            if colon is not None:
                content = (content[0], tok.sent.end - (1 if doc[tok.sent.end - 1].is_punct else 0))
        if content in ctx.quotes:
            taken.add(content)
        verb_contents.append(content)
        items.append((min(tok.i, content[0]), 0, ("verb", tok, subj, content)))
    for tok in ctx.with_lemma(REPORTING_NOUNS):  # "Syria's denials that it was involved"
        if tok.pos_ != "NOUN" or ctx.in_quote(tok.i) is not None:
            continue
        found = _noun_claim(ctx, tok)
        if found is not None:
            owner, content = found
            verb_contents.append(content)
            items.append((tok.i, 0, ("noun", tok, owner, content)))
    verb_heads = {item[2][1].i for item in items if item[2][0] == "verb"}
    for head_i, (acc, key) in according.items():
        if head_i in verb_heads:
            continue
        nested = any(s <= acc.i < e for s, e in verb_contents)
        if nested and key is None:
            continue  # "he said that, according to intelligence, …": part of his claim
        items.append((acc.i, 1, ("according", acc, key, head_i)))
    for tokens in ctx.matches.get("QUOTE_FROM", []):
        quote_tok, src = doc[tokens[0]], doc[tokens[2]]
        region = next(((s, e) for s, e in ctx.quotes if s > src.i and (s, e) not in taken), None)
        if region is not None and region[0] - src.i <= 3:
            taken.add(region)
            items.append((quote_tok.i, 2, ("quote_from", quote_tok, src, region)))
    for region in ctx.quotes:
        if region not in taken and _stands_alone(ctx, region):
            items.append((region[0], 3, ("continued", region)))
    for _, _, item in sorted(items, key=lambda x: (x[0], x[1])):
        kind = item[0]
        if kind == "verb":
            _, tok, subj, content = item
            speaker = speaker_key(ctx, subj) or _adjacent_speaker(ctx, tok)
            also = tuple(dict.fromkeys(k for c in (subj.conjuncts if subj is not None else ())
                                       if (k := speaker_key(ctx, c)) is not None and k != speaker))
            source = sources.get(tok.sent.start)
            if tok.i in according:
                acc_key = according[tok.i][1]
                if speaker is None:
                    speaker = acc_key
                elif acc_key and acc_key != speaker:
                    source = acc_key
            _add_claim(ctx, tok, tok.text.lower(), content, speaker, source, subj, also=also)
        elif kind == "noun":
            _, tok, owner, content = item
            _add_claim(ctx, tok, tok.text.lower(), content, speaker_key(ctx, owner), sources.get(tok.sent.start), None)
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
            _add_claim(ctx, head, cue, (start, end), key, sources.get(head.sent.start), acc, claim_root=head)
        elif kind == "quote_from":
            _, quote_tok, src, region = item
            _add_claim(ctx, quote_tok, "quote from", region, speaker_key(ctx, src), None, src)
        else:
            region = item[1]
            if not ctx.claims:
                continue
            claim, cue_tok, start, end = ctx.claims[-1]
            if (start, end) not in ctx.quotes or region[0] - end > REACH.integer("quote_continuation_tokens") or claim.speaker is None:
                continue  # only a quotation right after an attributed one continues it
            _add_claim(ctx, doc[region[0]], claim.cue, region, claim.speaker, claim.source, None, inherit=claim)
    _date_the_headline(ctx)


def _date_the_headline(ctx: Context) -> None:
    """A headline's statement ("Putin says missile hit Dnipro") is the one its speaker's first
    dated statement in the body tells: it takes that date, not the article's."""
    first = ctx.sentences[0] if ctx.sentences else None
    if first is None:
        return
    for n, (claim, cue_tok, start, end) in enumerate(ctx.claims):
        if cue_tok.i >= first.end or claim.speaker is None or claim.date is None or claim.date.text:
            continue  # not in the headline, or dated by its own words
        later = next((c.date for c, tok, _, _ in ctx.claims[n + 1:]
                      if tok.i >= first.end and c.speaker == claim.speaker and c.date is not None and c.date.text), None)
        if later is not None:
            ctx.claims[n] = (dataclasses.replace(claim, date=later), cue_tok, start, end)


def _quote_tail(ctx: Context, end: int, verb: Token) -> bool:
    """``…," he said``: the quotation closes on a comma or dash and the cue follows at once."""
    doc = ctx.doc
    gap = doc[end : verb.i]
    if any("\n" in t.text or "\n" in t.whitespace_ for t in gap):
        return False
    marks = TAIL_MARKS
    closing = doc[end - 1].text in marks or (end + 1 < len(doc) and doc[end + 1].text in marks)
    return closing or doc[end - 1].sent.start == verb.sent.start


def _stands_alone(ctx: Context, region: tuple[int, int]) -> bool:
    """A quotation of its own (starts a sentence, several words), not a quoted term."""
    start, end = region
    if end - start < 5:
        return False
    mark = ctx.doc[start - 1]
    if mark.i == 0 or mark.is_sent_start:
        return True
    before = ctx.doc[mark.i - 1]
    return before.text in SENTENCE_ENDS or "\n" in before.text or "\n" in before.whitespace_


def _noun_claim(ctx: Context, noun: Token) -> tuple[Token, tuple[int, int]] | None:
    """A statement noun's owner and the that-clause it states: "Syria's denials that it was
    involved", "a warning from NATO that ...", "the claim by Moscow that ..."; None without
    either (a bare "the claim that ..." is nobody's)."""
    marks = [(c, m) for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl")
             for m in c.children if m.dep_ == "mark" and m.lower_ == "that"]
    if not marks:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
    if owner is None:
        owner = next(iter(ctx.parse.oblique(noun, frozenset({"by", "from"}))), None)
    if owner is None or speaker_key(ctx, owner) is None:
        return None
    clause, mark = marks[0]
    return owner, (mark.i + 1, clause.right_edge.i + 1)


def _report_subject(ctx: Context, verb: Token) -> Token | None:
    """Who speaks: the subject as the normalised parse reads it (a passive's "by" agent, a
    relative pronoun's antecedent: "Allawi, who criticised ..."), or the subject of the clause
    the cue hangs off; the holder of a stance stated as a state ("X is opposed to")."""
    if verb.lemma_.lower() in STANCE_VERBS and _stative_stance(verb):
        words = [*verb.children, *(g for c in verb.children if c.dep_ == "auxpass" for g in c.children)]
        holder = next((c for c in words if c.dep_ in {"nsubj", "nsubjpass"}), None)  # or on "is"
        if holder is not None and holder.tag_ in {"WDT", "WP"} and verb.dep_ == "relcl":
            return verb.head  # "Peru, which is opposed to ..."
        return holder
    t = verb
    for _ in range(3):
        subjects = ctx.parse.subjects(t)
        if subjects:
            return subjects[0]
        if t.dep_ in {"advcl", "conj", "xcomp"} and t.head != t:
            t = t.head
            continue
        return None
    return None


def _stative_stance(verb: Token) -> bool:
    """A stance held, not an act suffered: the participle of a stance verb with a stance
    preposition and no agent ("Chile is opposed to the plan"); its subject holds the stance."""
    children = list(verb.children)
    return (any(c.dep_ == "auxpass" for c in children) and not any(c.dep_ == "agent" for c in children)
            and any(c.dep_ == "prep" and c.lower_ in STANCE_PREPOSITIONS for c in children))


def _other_report(ctx: Context, tok: Token) -> bool:
    return any(
        t != tok and t.lemma_.lower() in REPORT_VERBS and t.pos_ == "VERB" and t.i < tok.i
        for t in tok.sent
    ) or any(m for m in ctx.matches.get("ACCORDING_TO", []) if ctx.doc[m[0]].sent.start == tok.sent.start)


def _has_cue_preposition(verb: Token, prepositions: frozenset[str]) -> bool:
    """``called for a ceasefire`` (a preposition) or ``called for the embargo to be lifted`` (the
    preposition marks a clause under the verb)."""
    return any(
        (c.dep_ == "prep" and c.lower_ in prepositions)
        or (c.dep_ in {"advcl", "ccomp", "xcomp"} and any(m.dep_ == "mark" and m.lower_ in prepositions for m in c.children))
        for c in verb.children
    )


def _stance_content(ctx: Context, verb: Token) -> tuple[int, int] | None:
    """What a stance verb judges: its object ("condemned the move"), the subject of its passive
    ("the move was condemned by ..."), or the object of its preposition ("objected to the
    plan"); not a bare name ("welcomed Mr Putin" greets him)."""
    doc = ctx.doc
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    wanted = [c for c in verb.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
    wanted += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in STANCE_PREPOSITIONS
               for g in c.children if g.dep_ in {"pobj", "pcomp"}]  # "opposed to ending the ban"
    for target in wanted:
        if target.lower_ in PRONOUN_CONTENTS or target.pos_ == "PRON":
            continue
        start, end = target.left_edge.i, target.right_edge.i + 1
        while end > start and doc[end - 1].is_punct:
            end -= 1
        if ctx.entity(target) is not None and not any(t.pos_ in {"VERB", "AUX"} for t in doc[start:end]):
            continue  # a name alone: "welcomed Mr Putin"
        return start, end
    return None


def _content(ctx: Context, verb: Token) -> tuple[int, int] | None:
    doc = ctx.doc
    # Quotation right before the verb's clause ("…," the president said) or after a colon.
    left = verb.left_edge.i
    for start, end in ctx.quotes:
        if 0 <= left - end <= 2 and verb.i - end <= REACH.integer("quote_tail_tokens") and start < verb.i and _quote_tail(ctx, end, verb):
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
            region = ctx.in_quote(child.i)
            if region is not None:
                return region
            while start < end and (doc[start].is_punct or doc[start].dep_ == "mark" and doc[start].lower_ == "that"):
                start += 1
            while end > start and doc[end - 1].is_punct:
                end -= 1
            if start < end:
                return start, end
    for child in verb.children:
        if child.dep_ in {"dobj", "xcomp"} and child.lower_ not in PRONOUN_CONTENTS:
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
        if child.dep_ == "dobj" and child.lower_ in PRONOUN_CONTENTS:
            return child.i, child.i + 1
    return None


def speaker_key(ctx: Context, tok: Token | None) -> str | None:
    """Who a speaker phrase names: its entity, one qualifying it ("NATO spokesman", "the
    ministry's press office") or beside it ("the lobby group X"), a demonym ("the Russians"), a surname known from elsewhere, or
    what a pronoun or a definite description refers to ("he", "the ministry", "the president").
    Places do not speak: a "place" saying something is a mistyped name."""
    if tok is None:
        return None
    key = ctx.entity(tok)
    if key is None:
        # "the lobby group X", "the charity, X,": the name beside the noun; one in apposition
        # before an owner ("Ukraine's Foreign Minister X": X speaks, not Ukraine)
        beside = sorted((c for c in tok.children if c.dep_ in _BESIDE_RANK and ctx.entity(c)),
                        key=lambda c: _BESIDE_RANK[c.dep_])
        key = ctx.entity(beside[0]) if beside else None
    if key is None and tok.pos_ == "NOUN" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].pos_ == "PROPN":
        key = ctx.entity(tok.doc[tok.i + 1])  # "the lobby group X", however the parser hung X
    if key is None and tok.pos_ == "PROPN":
        key = ctx.demonym(tok) or _person_by_name(ctx, tok.text)
    if key is None and tok.lower_ in PRONOUNS:
        key = _last_speaker(ctx, tok)
    if key is None:
        key = ctx.refs.resolve(tok)
    if key is None and tok.pos_ in {"NOUN", "PROPN"}:
        key = ctx.demonym(tok)
    if key is None and tok.pos_ == "NOUN":  # "Its foreign ministry said": the state or body "its" is
        owner = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("its", "their")), None)
        key = ctx.refs.resolve(owner) if owner is not None else None
        key = key if key is not None and ctx.cls(key) in (EntityClass.STATE, EntityClass.ORGANIZATION) else None
    if key is None and (tok.pos_ == "NOUN" or tok.is_lower):  # the parser may tag "ministry" a name
        key = _setting_body(ctx, tok)
    if key is None and tok.pos_ == "NOUN" and tok.lemma_.lower() in STATE_VOICES:
        # "Ukrainian commanders described …", "US officials said": their state speaks
        key = next((s for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i
                    for s in [ctx.demonym(c) or ctx.entity(c)] if s is not None and ctx.cls(s) == EntityClass.STATE), None)
    return None if key is None or ctx.cls(key) == EntityClass.PLACE else key


def _setting_body(ctx: Context, tok: Token) -> str | None:
    """"In Seoul, the foreign ministry said …": a state's body named by a definite description
    without its owner, in a clause opened by the place it speaks from, is that place's state's
    (the place's own state speaks for it)."""
    if tok.lemma_.lower() not in DESCRIPTIONS or DESCRIPTIONS[tok.lemma_.lower()][0] not in (
            EntityClass.STATE, EntityClass.ORGANIZATION):
        return None
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) or any(
            c.dep_ == "poss" or (c.dep_ in ("compound", "nmod") and ctx.entity(c)) for c in tok.children):
        return None
    verb = tok.head
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in SETTING_PREPOSITIONS and prep.i < tok.i:
            place = next((ctx.entity(c) for c in prep.children if c.dep_ == "pobj"), None)
            state = ctx.state_of_place(place) if ctx.cls(place) in (EntityClass.PLACE, EntityClass.STATE) else None
            if state is not None:
                return state
    return None


_BESIDE_RANK = {"appos": 0, "compound": 1, "nmod": 2, "poss": 3}
"""Which mention beside a speaker noun speaks, first to last: its apposition, a name compounded
with it, a modifier, its owner."""


def _last_speaker(ctx: Context, tok: Token) -> str | None:
    """For "he said": the person who spoke last, if the pronoun's gender allows — in news a
    pronoun speaker most often goes on quoting the same person."""
    wanted = ctx.refs.pronoun_gender(tok)
    for claim, _, start, _ in reversed(ctx.claims):
        if start < tok.i and claim.speaker and ctx.cls(claim.speaker) == EntityClass.PERSON:
            known = ctx.refs.gender.get(claim.speaker)
            return claim.speaker if known in (None, wanted) else None
    return None


def _adjacent_speaker(ctx: Context, verb: Token) -> str | None:
    """``… the Ministry of Defence said``: a mention ending right before the cue speaks,
    even when the parse picked another subject."""
    i = verb.i - 1
    while i >= 0 and ctx.doc[i].dep_ in {"aux", "neg", "advmod"} and ctx.doc[i].head == verb:
        i -= 1
    key = ctx.entity(ctx.doc[i]) if i >= 0 else None
    if key and ctx.cls(key) in ACTOR_CLASSES | {"Person"} and ctx.doc[i].sent.start == verb.sent.start:
        return key
    return None


def _person_by_name(ctx: Context, name: str) -> str | None:
    """A name the entity layer missed here but knows elsewhere (``Zelensky`` as a surname)."""
    low = name.lower()
    hits = {
        ent.key for ent in ctx.entities.values() if ent.cls == EntityClass.PERSON
        and any(low == n.lower().split()[-1] for n in (ent.label, *ent.aliases) if n)
    }
    return hits.pop() if len(hits) == 1 else None


def _add_claim(
    ctx: Context,
    cue_tok: Token,
    cue: str,
    content: tuple[int, int],
    speaker: str | None,
    source: str | None,
    subj: Token | None,
    *,
    claim_root: Token | None = None,
    inherit: Claim | None = None,
    also: tuple[str, ...] = (),
) -> None:
    start, end = content
    root = claim_root or cue_tok
    denial = cue_tok.lemma_.lower() in DENIAL_VERBS or cue_tok.lemma_.lower() in DENIAL_NOUNS
    cue_negated = ctx.clause_negated(cue_tok)
    if cue_negated and ctx.in_quote(start) is None and not any(
            t.dep_ in ("nsubj", "nsubjpass", "expl") or t.tag_ in _FINITE and not (t.dep_ == "conj" and t.head == cue_tok)
            for t in ctx.doc[start:end]):
        return  # "did not confirm the deployment", "neither confirmed nor denied it": nothing was said
    negated = denial != cue_negated  # "did not deny" is no denial, and no assertion either
    content_root = root_of(ctx.doc[start:end])
    if content_root is not None and content_root != root and ctx.in_quote(content_root.i) is None:
        negated = negated or ctx.clause_negated(content_root) or any(
            c.lower_ in NEGATIVE_DETERMINERS and c.dep_ == "det" for t in content_root.children if t.dep_ in {"dobj", "attr", "nsubj"} for c in t.children
        )
    modality = "asserted"
    if content_root is not None and ctx.in_quote(content_root.i) is None:
        modality = ctx.modality(content_root)
    if denial and cue_negated:
        modality = "possible"
    date = inherit.date if inherit else _claim_date(ctx, root, speaker, sourced=cue in SOURCE_CUES)
    conf = C_CLAIM.number("with_speaker") if speaker else C_CLAIM.number("without_speaker")
    if subj is not None and subj.lower_ in PRONOUNS and not ctx.entity(subj):
        conf = C_CLAIM.number("pronoun_speaker")
    claim = Claim(
        content=ctx.span(start, end),
        sentence=ctx.sentence(cue_tok),
        cue=cue,
        confidence=conf,
        speaker=speaker,
        source=source if source != speaker else None,
        also=also,
        date=date,
        modality=modality,  # type: ignore[arg-type]
        negated=negated,
    )
    ctx.claims.append((claim, cue_tok, start, end))


SOURCE_CUES = frozenset({"according to", "in the words of"})
"""Cues that name who relays a statement rather than who makes it."""


def _claim_date(ctx: Context, verb: Token, speaker: str | None, *, sourced: bool = False) -> DateValue | None:
    """The date the reporting verb governs ("said on Monday"), else the day its paragraph is
    telling, else (for a statement a source relays, ``sourced``) the date its sentence's other
    statement gives itself, else the date of the speaker's last dated claim before it, else the
    article's date (the day it reports)."""
    own = (ctx.date_for(verb) or _adjacent_date(ctx, verb) or _circumstance_date(ctx, verb) or _simultaneous_date(ctx, verb)
           or _scene_date(ctx, verb)
           or _coordinated_date(ctx, verb) or _afterwards_date(ctx, verb) or _after_event_date(ctx, verb)
           or _narrative_date(ctx, verb))
    if own is not None:
        return own
    # "Briefing lawmakers on 13 November, X said …, according to Y" (``sourced``): the statement a
    # source relays, dated by its own words, was made then
    for prev, prev_tok, _, _ in ctx.claims if sourced else ():
        if prev_tok.sent.start == verb.sent.start and prev_tok.i != verb.i and prev.date is not None and prev.date.text:
            return prev.date
    if speaker is not None:
        for prev, prev_tok, _, _ in reversed(ctx.claims):
            if prev.speaker == speaker and prev.date is not None and prev_tok.i < verb.i:
                return prev.date
    if ctx.anchor is not None:
        return DateValue(iso=ctx.anchor.isoformat(), precision="day", text="")
    return None


def _coordinated_date(ctx: Context, verb: Token) -> DateValue | None:
    """The date of the reporting verb a coordinated one follows ("X said on Thursday that ...,
    and Y called on partners to respond"): the two were said then."""
    if verb.dep_ != "conj" or verb.head.pos_ not in ("VERB", "AUX"):
        return None
    head = verb.head
    # the parser may hang the second report on the first one's reported clause
    return ctx.date_for(head) or (ctx.date_for(head.head) if head.dep_ == "ccomp" else None)


def _narrative_date(ctx: Context, verb: Token) -> DateValue | None:
    """The day a paragraph is telling, for a statement in it without a date of its own: the
    last date that opened a sentence of the paragraph before the statement, on that sentence's
    main verb, from the paragraph's first sentence on ("On 19 December it was Seoul's turn. The
    agency told lawmakers that …"; "A day later the ministry put a figure on them. … the ministry
    said"). A paragraph that does not open on a date tells no day."""
    found = None
    for n, earlier in enumerate(ctx.paragraph_before(verb)):
        groups = ctx.dates_in(earlier)
        opening = groups[0] if groups and groups[0].start - earlier.start <= 1 else None
        if opening is None or governor(opening.root) != earlier.root:
            if n == 0:
                return None
            continue
        found = ctx.resolve(opening) or found
    return found


def _adjacent_date(ctx: Context, verb: Token) -> DateValue | None:
    """A date right after the reporting verb (and its object) is the verb's, whatever clause the
    parser hung it on: "X said on Friday he expected …", "told reporters on Monday that …"."""
    words = {t.i for c in verb.children if c.dep_ in {"dobj", "dative"} for t in c.subtree}
    for group in ctx.dates_in(verb.sent):
        if group.start <= verb.i:
            continue
        between = range(verb.i + 1, group.start)
        if all(i in words or ctx.doc[i].pos_ in {"ADP", "ADV"} for i in between):
            return ctx.resolve(group)
        break
    return None


def find_figures(ctx: Context) -> None:
    """Troop figures the article states itself, that no event and no claim carries ("A company of
    100-120 UK troops has been put on standby"): a statement of the article's, no one's claim,
    holding the sentence, so that every figure stated stands in the graph with what it counts."""
    carried = {e.count.text for e, _ in ctx.events if e.count is not None}
    covered = [(start, end) for _, _, start, end in ctx.claims]
    seen: set[int] = set()
    for i in numpy.flatnonzero(ctx.doc.to_array(LIKE_NUM)).tolist() if len(ctx.doc) else ():
        tok = ctx.doc[i]
        if any(start <= i < end for start, end in covered):
            continue
        figure = ctx.troop_figure(tok, _STATED_FIGURE_DEPS)
        sent = tok.sent
        if figure is None or figure[1].text in carried or sent.start in seen:
            continue
        seen.add(sent.start)
        statement = Claim(content=ctx.span(sent.start, sent.end), sentence=ctx.sentence(tok), cue="",
                          confidence=C_CLAIM.number("figure"), date=None, modality=ctx.modality(sent.root))
        ctx.claims.append((statement, tok, sent.start, sent.end))


_STATED_FIGURE_DEPS = FIGURE_DEPS | {"pobj"}
"""A figure the article states may also hang in a phrase ("a company of 100-120 troops")."""
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _orphan_according(ctx: Context) -> list[tuple[Token, Token]]:
    """``according to X`` whose "to" the parser left without its object (it hung "the HUR" on
    the next noun): the cue and the name right after "to", when it is a mention."""
    doc = ctx.doc
    found = []
    for i in (i for i, low in enumerate(ctx.lowers[:-2]) if low == "according"):  # the words, not the tokens
        acc, to = doc[i], doc[i + 1]
        if to.lower_ != "to" or any(c.dep_ in ("pobj", "pcomp") for c in to.children):
            continue
        k = i + 2
        while k < len(doc) and doc[k].pos_ == "DET":
            k += 1
        if k < len(doc) and ctx.entity(doc[k]) is not None:
            found.append((acc, doc[k]))
    return found


def _afterwards_date(ctx: Context, verb: Token) -> DateValue | None:
    """"Leaders met on Tuesday; the alliance said afterwards that …": a statement made after what
    its own sentence told, on the day that sentence named (``SEQUEL_ADVERBS``); across sentences
    "later" may be another day, and the statement keeps the other rules' date."""
    if not any(c.dep_ == "advmod" and c.lower_ in SEQUEL_ADVERBS for c in verb.children):
        return None
    if not any(g.end <= verb.i for g in ctx.dates_in(verb.sent)):
        return None
    day = ctx.day_before(verb.i)
    return DateValue(iso=day.isoformat(), precision="day", text="") if day is not None else None


def _after_event_date(ctx: Context, verb: Token) -> DateValue | None:
    """"The agency briefed lawmakers on 30 April. X told reporters after the briefing that …": a
    statement made after an event the text told just before ("after"/"following" a definite noun),
    dated on the last day its paragraph named."""
    if not any(p.dep_ == "prep" and p.lower_ in AFTER_EVENT_PREPOSITIONS and any(
            o.dep_ == "pobj" and ctx.is_definite(o) for o in p.children) for p in verb.children):
        return None
    words = [s for s in ctx.paragraph_before(verb)] + [verb.sent]
    for group in reversed([g for sent in words for g in ctx.dates_in(sent) if g.end <= verb.i]):
        value = ctx.resolve(group)
        if value is not None and value.precision == "day":
            return value
    return None


def _scene_date(ctx: Context, verb: Token) -> DateValue | None:
    """The date of the clause a statement hangs in, for one told in a relative or adjoined clause
    without a date of its own: "X held talks in Moscow on 1 November with Y, who spoke of …";
    "A met B on 30 October, after which B said …". Not through a content clause: what someone
    said that another told is not dated by the saying."""
    tok = verb
    for _ in range(4):
        if tok.dep_ not in _SCENE_LINKS:
            return None
        tok = tok.head
        while tok.pos_ not in ("VERB", "AUX") and tok.head is not tok and tok.dep_ not in ("ccomp", "ROOT"):
            tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            found = ctx.date_for(tok)
            if found is not None:
                return found
    return None


_SCENE_LINKS = frozenset({"relcl", "advcl", "conj", "pobj", "prep", "appos", "dobj", "nsubj", "attr", "npadvmod"})
"""Dependencies a clause climbs to reach the clause it is told in (a relative clause's noun and
that noun's own place in its clause)."""


def _circumstance_date(ctx: Context, verb: Token) -> DateValue | None:
    """The date of a participle clause before the reporting verb that sets the scene of the
    statement: "Speaking in Kazan last Thursday, X said …", "Asked about it on Monday, X said …",
    or one on the speaker: "X, speaking at a summit on Tuesday, said …"."""
    clauses = [c for c in verb.children if c.dep_ == "advcl" and c.i < verb.i]
    clauses += [c for s in verb.children if s.dep_ in SUBJECT_DEPS for c in s.children if c.dep_ == "acl"]
    for clause in clauses:
        if clause.tag_ in {"VBG", "VBN"}:
            dates = [ctx.resolve(g)
                     for g in ctx.dates_in(verb.sent) if clause.left_edge.i <= g.start and g.end <= clause.right_edge.i + 1]
            found = most_precise([d for d in dates if d is not None])
            if found is not None:
                return found
    return None


def _simultaneous_date(ctx: Context, verb: Token) -> DateValue | None:
    """The date of a clause the statement was made during ("X told reporters as he opened the
    meeting on Tuesday", "when she visited Kyiv on 3 May, she said"): a finite adverbial clause
    of the reporting verb opened by a word of simultaneity (``SIMULTANEITY_MARKS``)."""
    for clause in verb.children:
        if clause.dep_ != "advcl" or not any(
                c.dep_ == "mark" and c.lower_ in SIMULTANEITY_MARKS for c in clause.children):
            continue
        found = ctx.date_for(clause)
        if found is not None:
            return found
    return None


def _presupposed(ctx: Context, cue_tok: Token, start: int, end: int) -> bool:
    """Whether a negated claim's content is still the writer's: a factive cue negated, its content
    not ("has never admitted that its soldiers are fighting": they are)."""
    if cue_tok.lemma_.lower() not in FACTIVE_VERBS or not ctx.clause_negated(cue_tok):
        return False
    content_root = root_of(ctx.doc[start:end])
    return content_root is not None and not ctx.clause_negated(content_root)


def mark_negations(ctx: Context) -> None:
    """Spans whose content == denied or negated; no positive facts come from them."""
    for claim, cue_tok, start, end in ctx.claims:
        if claim.negated and not _presupposed(ctx, cue_tok, start, end):
            ctx.negated.append((start, end))
    for tok in ctx.with_lemma(NEGATION_NOUNS):
        if any(c.lower_ in NEGATIVE_DETERMINERS for c in tok.children) or ctx.clause_negated(tok.head):
            for child in tok.children:
                if child.dep_ in {"acl", "ccomp", "relcl"} or child.dep_ == "prep":
                    ctx.negated.append((child.left_edge.i, child.right_edge.i + 1))
