"""Grow kg's trigger, title and demonym word lists from WordNet 3.0, into data/lexicon/wordnet.toml.

The rules match words by lemma; a list written by hand holds only the words its author thought
of. This script starts from WordNet senses chosen by hand (``data/lexicon/wordnet-seeds.toml``:
for each list, the senses, how deep their hyponyms are followed, which words to add that WordNet
lacks and which to drop, each with its reason) and writes every single-word lemma they reach:

    python scripts/build_lexicon.py                      # reads /usr/share/wordnet
    python scripts/build_lexicon.py --wordnet DIR --check

A list of a topic (a seed entry with ``domain``, as the nouns of sport) takes the words whose
usual (first) WordNet sense is of the topic: a hyponym of the topic's senses, or a sense WordNet
labels with the topic (its topic domains: "(sports) the chief official": referee); a word whose
sense in the topic is a rare one ("run", "home") stays out.

Demonyms come from WordNet's pertainyms: an adjective that pertains to a country ("French" →
France) names that country, written as the gazetteer's canonical name of the state
(``data/gazetteer``); nouns of a country's people ("Iraqis") come from the nouns spelt like the
adjective whose gloss says they are its natives or inhabitants. Offices bound to one state come
from the usual (first) WordNet sense of a title whose gloss names that state ("the British cabinet
minister responsible for finance": Chancellor). Political parties and their members' nouns
("Tory" -> Conservative Party) come from the parties WordNet lists and its member relations.

Source: Princeton WordNet 3.0 (WordNet licence, https://wordnet.princeton.edu/license-and-commercial-use),
as Debian's ``wordnet-base`` package installs it in /usr/share/wordnet; read with NLTK's WordNet
reader (``pip install nltk``; only this script needs it). ``--check`` fails if the file on disk
differs from what the script would write.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import tomllib
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.linking.gazetteer import load_gazetteer  # noqa: E402
from kg.text import name_key  # noqa: E402

SEEDS = ROOT / "data" / "lexicon" / "wordnet-seeds.toml"
OUTPUT = ROOT / "data" / "lexicon" / "wordnet.toml"

# The lexicographer file names of WordNet 3.0 (its ``lexnames`` file, which Debian's package
# leaves out and NLTK's reader needs), in their standard order.
LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
    "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
    "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
    "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
    "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
_LEXNAME_POS = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}
COUNTRY_SENSES = ("country.n.02", "state.n.04", "nation.n.02")
"""A pertainym whose sense is an instance of one of these names a state."""


def open_wordnet(directory: Path):
    """NLTK's WordNet reader over a WordNet 3.0 ``dict`` folder, staged in a temporary
    ``nltk_data`` layout (NLTK reads corpora only from there)."""
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class Reader(WordNetCorpusReader):
        def map_wn(self, version="wordnet"):  # no mapping between WordNet versions is needed
            return None

    stage = Path(tempfile.mkdtemp(prefix="kg-wordnet-"))
    target = stage / "corpora" / "wordnet"
    target.mkdir(parents=True)
    for path in directory.iterdir():
        if path.is_file() and (path.name.startswith(("data.", "index.")) or path.suffix == ".exc"):
            shutil.copy(path, target / path.name)
    (target / "lexnames").write_text(
        "".join(f"{i:02d}\t{name}\t{_LEXNAME_POS[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES)),
        encoding="utf-8",
    )
    nltk.data.path.insert(0, str(stage))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Reader(nltk.data.find("corpora/wordnet"), None)


def is_single_word(word: str) -> bool:
    """Whether a WordNet lemma name is one lower-case word (letters, or a hyphenated word): the
    lists hold no phrases and no names."""
    return "_" not in word and word.islower() and word.replace("-", "").isalpha()


def sense(wn, name: str, pos: str):
    """The WordNet sense ``name``, which must be of part of speech ``pos``."""
    synset = wn.synset(name)
    if synset.pos().replace("s", "a") != pos:
        raise SystemExit(f"{name} is not a {pos} sense")
    return synset


def words_of(wn, names: list[str], depth: int, pos: str) -> set[str]:
    """Single-word, lower-case lemmas of the senses ``names`` and their hyponyms ``depth`` levels
    down (instances, which are names of individuals, excluded)."""
    found: set[str] = set()

    def visit(synset, level: int) -> None:
        found.update(lemma.name() for lemma in synset.lemmas() if is_single_word(lemma.name()))
        if level < depth:
            for hyponym in synset.hyponyms():
                visit(hyponym, level + 1)

    for name in names:
        visit(sense(wn, name, pos), 0)
    return found


def hierarchy(wn, names: list[str], pos: str) -> set:
    """The senses ``names`` (of part of speech ``pos``) and all their hyponyms, however deep
    (instances excluded)."""
    found: set = set()
    for name in names:
        synset = sense(wn, name, pos)
        found |= {synset, *synset.closure(lambda s: s.hyponyms())}
    return found


def domain_words(wn, domain: list[str], deep: list[str], pos: str) -> set[str]:
    """The words of part of speech ``pos`` of a topic: those whose usual (first) WordNet sense
    of ``pos`` lies in the topic's hierarchy -- the noun senses ``domain`` and the senses
    ``deep`` with all their hyponyms -- or belongs to the topic domain (WordNet's "(sports)",
    "(rugby)" labels, ``topic_domains``) of a sense of ``domain`` or of one of its hyponyms.
    Only the first sense counts, so a word whose sense in the topic is a rare one ("run",
    "home", "decision" in sport) is not taken. The candidates are the lemmas of ``pos`` of the
    hierarchy and of the topic domains' members."""
    topics = hierarchy(wn, domain, "n")
    senses = topics | hierarchy(wn, deep, pos)
    members = {m for topic in topics for m in topic.in_topic_domains()}
    candidates = {lemma.name() for synset in senses | members if synset.pos().replace("s", "a") == pos
                  for lemma in synset.lemmas()}
    found: set[str] = set()
    for word in filter(is_single_word, candidates):
        usual = wn.synsets(word, pos)[0]
        if usual in senses or set(usual.topic_domains()) & topics:
            found.add(word)
    return found


def derived(wn, names: list[str], pos: str) -> set[str]:
    """Words of part of speech ``pos`` derivationally related to the senses ``names``."""
    found: set[str] = set()
    for name in names:
        for lemma in wn.synset(name).lemmas():
            for related in lemma.derivationally_related_forms():
                word = related.name()
                if related.synset().pos() == pos and "_" not in word and word.islower():
                    found.add(word)
    return found


def removals(name: str, spec: dict, found) -> set[str]:
    """The words a seed entry removes, each of which WordNet must have given (else the seed is
    stale: the script stops and names them)."""
    remove = set(spec.get("remove", {}))
    unknown = remove - set(found)
    if unknown:
        raise SystemExit(f"{name}: removals that WordNet does not give: {sorted(unknown)}")
    return remove


def build_lists(wn, seeds: dict) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {}
    for name, spec in seeds["lists"].items():
        words = words_of(wn, spec.get("synsets", []), 0, spec["pos"])
        if spec.get("domain"):
            words |= domain_words(wn, spec["domain"], spec.get("deep", []), spec["pos"])
        else:
            words |= words_of(wn, spec.get("deep", []), spec.get("depth", 1), spec["pos"])
        if spec.get("derive_from"):
            words |= derived(wn, spec["derive_from"], spec["pos"])
        words -= removals(name, spec, words)
        words |= set(spec.get("add", {}))
        lists[name] = sorted(words)
    return lists


def build_demonyms(wn, seeds: dict) -> tuple[dict[str, str], dict[str, str]]:
    """Adjective -> state and people noun -> state, both as the gazetteer names the state."""
    gazetteer = load_gazetteer()
    countries = {wn.synset(name) for name in COUNTRY_SENSES}
    spec = seeds["demonyms"]

    def state_name(synset) -> str | None:
        for lemma in synset.lemmas():
            states = [e for e in gazetteer.lookup(lemma.name().replace("_", " ")) if e.cls == "State"]
            if states:
                return states[0].name
        return None

    adjectives: dict[str, str] = {}
    for synset in wn.all_synsets("a"):
        for lemma in synset.lemmas():
            word = lemma.name().replace("_", " ")
            if not word[0].isupper():
                continue
            for pertainym in lemma.pertainyms():
                noun = pertainym.synset()
                kinds = {h for kind in noun.instance_hypernyms() for h in (kind, *kind.closure(lambda k: k.hypernyms()))}
                state = state_name(noun)
                if state and (kinds & countries or word not in adjectives):
                    adjectives[word] = state
    for word in removals("demonyms", spec, adjectives):
        adjectives.pop(word)
    gazetteer_states = {e.name for e in gazetteer.entries if e.cls == "State"}
    for word, state in {**spec.get("set", {}), **spec.get("set_people", {})}.items():
        if state not in gazetteer_states:
            raise SystemExit(f"demonyms: {state!r} ({word}) is not a state the gazetteer knows")
    for word, state in spec.get("set", {}).items():
        adjectives[word] = state
    people: dict[str, str] = {}
    for word, state in adjectives.items():
        for synset in wn.synsets(word.replace(" ", "_"), pos="n"):
            gloss = synset.definition()
            if any(key in gloss for key in ("native or inhabitant", "inhabitant of", "native of", "citizen of")):
                plural = word if word.endswith(("ese", "ss", "sh", "ch")) else word + "s"
                people.setdefault(plural, state)
    for word in spec.get("remove_people", {}):
        people.pop(word, None)
    people.update(spec.get("set_people", {}))
    return dict(sorted(adjectives.items())), dict(sorted(people.items()))


def state_in(gloss: str, adjectives: dict[str, str]) -> str | None:
    """The one state a gloss names, by a demonym or a name the gazetteer knows as a state
    ("the airforce of Great Britain" -> United Kingdom); none if it names none or several."""
    gazetteer = load_gazetteer()
    found = {adjectives[w] for w in adjectives if f" {w} " in f" {gloss} "}
    words = gloss.replace(",", " ").replace(";", " ").split()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i:i + n])
            if phrase[0].isupper():
                found |= {e.name for e in gazetteer.lookup(phrase) if e.cls == "State"}
    return found.pop() if len(found) == 1 else None


def build_offices(wn, seeds: dict, adjectives: dict[str, str], heads: set[str]) -> dict[str, str]:
    """Office title -> the state English usage binds it to when no state is named ("Prime
    Minister", "Chancellor", "Home Secretary" -> the United Kingdom): the titles whose first
    WordNet sense (the usual one) is a position whose gloss names one state."""
    gazetteer = load_gazetteer()
    spec = seeds["offices"]
    excluded = spec.get("exclude_glosses", [])
    states = {e.name for e in gazetteer.entries if e.cls == "State"}

    offices: dict[str, str] = {}
    for synset in wn.all_synsets("n"):
        if synset.lexname() != "noun.person" or synset.instance_hypernyms():
            continue  # positions, not named individuals
        gloss = synset.definition()
        if any(text in gloss for text in excluded):
            continue
        for lemma in synset.lemmas():
            title = lemma.name().replace("_", " ").lower()
            if title.split()[-1] not in heads or wn.synsets(lemma.name(), "n")[0] != synset:
                continue  # not a title, or not the title's usual sense
            state = state_in(gloss, adjectives)
            if state is not None:
                offices[title] = state
    for title in removals("offices", spec, offices):
        offices.pop(title)
    for title, entry in spec.get("add", {}).items():
        if entry["state"] not in states:
            raise SystemExit(f"offices: {entry['state']!r} ({title}) is not a state the gazetteer knows")
        offices[title] = entry["state"]
    return dict(sorted(offices.items()))


def build_bodies(wn, seeds: dict, adjectives: dict[str, str]) -> dict[str, str]:
    """A state body's proper name -> the state it belongs to ("Royal Air Force", "RAF" -> the
    United Kingdom; "Shin Bet" -> Israel): the capitalised names whose usual (first) WordNet
    sense is a group under one of the seeds' kinds of state body (an agency, an armed service,
    a legislature, a police force …) and whose gloss names one state. Names that are also a
    place's, abbreviations of fewer than ``min_abbreviation`` letters and glosses of bodies that
    no longer exist are left out."""
    gazetteer = load_gazetteer()
    spec = seeds["bodies"]
    kinds = {wn.synset(name) for name in spec["kinds"]}
    excluded = spec.get("exclude_glosses", [])
    bodies: dict[str, str] = {}
    for synset in wn.all_synsets("n"):
        if synset.lexname() != "noun.group":
            continue
        gloss = synset.definition()
        if any(text in gloss for text in excluded):
            continue
        if not kinds & set(synset.closure(lambda k: k.hypernyms() + k.instance_hypernyms())):
            continue
        state = state_in(gloss, adjectives)
        if state is None:
            continue
        for lemma in synset.lemmas():
            name = lemma.name().replace("_", " ")
            if (not name[0].isupper() or wn.synsets(lemma.name(), "n")[0] != synset
                    or name in adjectives or gazetteer.lookup(name)
                    or name.replace(".", "").isupper() and len(name.replace(".", "")) < spec["min_abbreviation"]):
                continue
            bodies[name] = state
    for name in removals("bodies", spec, bodies):
        bodies.pop(name)
    return dict(sorted(bodies.items()))


def build_demonym_compounds(wn, seeds: dict, adjectives: dict[str, str]) -> dict[str, list[str]]:
    """Nouns WordNet writes as a demonym and a word ("American football", "French horn", "Dutch
    courage"): in them the demonym names no state. Only the senses of the ``lexnames`` the seeds
    list (things, acts, foods…, not people, places or currencies)."""
    lexnames = set(seeds["demonym_compounds"]["lexnames"])
    removed = set(seeds["demonym_compounds"].get("remove", {}))
    found: dict[str, set[str]] = {}
    for synset in wn.all_synsets("n"):
        if synset.lexname() not in lexnames:
            continue
        for lemma in synset.lemma_names():
            words = lemma.split("_")
            if (len(words) == 2 and words[0] in adjectives and words[1].isalpha() and words[1].islower()
                    and words[1] not in removed):
                found.setdefault(words[0], set()).add(words[1])
    return {adjective: sorted(words) for adjective, words in sorted(found.items())}


def build_parties(wn, seeds: dict) -> dict[str, str]:
    """A political party's names and its members' nouns, as written -> the party's name: the
    parties WordNet lists under "political party" (their capitalised names; the first with
    "Party" in it is the name) and the nouns of their members (a member holonym, or a
    gloss "a member of the X Party"), with their plurals ("Tories", "Republicans")."""
    spec = seeds["parties"]
    root = wn.synset(spec["root"])
    parties: dict[object, list[str]] = {}

    def visit(synset, level: int) -> None:
        for hyponym in synset.hyponyms() + synset.instance_hyponyms():
            names = [lemma.name().replace("_", " ") for lemma in hyponym.lemmas()]
            names = [n for n in names if n[0].isupper()]
            if names:
                parties[hyponym] = names
            if level < 2:
                visit(hyponym, level + 1)

    visit(root, 0)
    canonical = {
        synset: spec.get("names", {}).get(synset.name(), {}).get("name")
        or next((n for n in names if "Party" in n), names[0])
        for synset, names in parties.items()
    }
    by_name = {n: canonical[s] for s, names in parties.items() for n in names}
    surfaces: dict[str, str] = dict(by_name)
    for synset in wn.all_synsets("n"):
        if synset.lexname() != "noun.person" or synset.instance_hypernyms():
            continue
        holders = [canonical[h] for h in synset.member_holonyms() if h in canonical]
        gloss = synset.definition()
        if not holders and gloss.startswith("a member of"):
            holders = [party for name, party in by_name.items() if name in gloss and "Party" in name]
        if len(set(holders)) != 1:
            continue
        for lemma in synset.lemmas():
            word = lemma.name()
            if word[0].isupper() and "_" not in word:
                surfaces.setdefault(word, holders[0])
                plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
                surfaces.setdefault(plural, holders[0])
    for word in removals("parties", spec, surfaces):
        surfaces.pop(word)
    for word, entry in spec.get("add", {}).items():
        surfaces[word] = entry["party"]
    return dict(sorted(surfaces.items()))


def toml_list(values: list[str], indent: str = "  ") -> str:
    lines, line = [], indent
    for value in values:
        item = f'"{value}", '
        if len(line) + len(item) > 100:
            lines.append(line.rstrip())
            line = indent
        line += item
    if line.strip():
        lines.append(line.rstrip())
    return "[\n" + "\n".join(lines) + "\n]"


def render(lists: dict[str, list[str]], adjectives: dict[str, str], people: dict[str, str],
           offices: dict[str, str], bodies: dict[str, str], parties: dict[str, str], seeds: dict,
           compounds: dict[str, list[str]]) -> str:
    out = [
        "# GENERATED by scripts/build_lexicon.py from Princeton WordNet 3.0 and the senses chosen in",
        "# data/lexicon/wordnet-seeds.toml: edit that file and run the script, not this one.",
        "# Each list is what its entry in the seeds file says (the reason for it is written there).",
        "",
        "[lists]",
    ]
    for name, words in lists.items():
        out.append(f"# {seeds['lists'][name]['why']}")
        out.append(f"{name} = {toml_list(words)}")
    out += ["", "# Adjective (as written) -> the state it pertains to, by the gazetteer's name.", "[demonyms]"]
    out += [f'"{word}" = "{state}"' for word, state in adjectives.items()]
    out += ["", "# The people of a state, as a plural noun (\"the Iraqis\") -> the state.", "[people]"]
    out += [f'"{word}" = "{state}"' for word, state in people.items()]
    out += ["", "# An office title (lower case) -> the state it belongs to when the text names none.", "[offices]"]
    out += [f'"{title}" = "{state}"' for title, state in offices.items()]
    out += ["", "# A state body's name, as written -> the state it belongs to when the text names it.", "[bodies]"]
    out += [f'"{name}" = "{state}"' for name, state in bodies.items()]
    out += ["", "# A party's name or its members' noun, as written -> the party's name.", "[parties]"]
    out += [f'"{word}" = "{party}"' for word, party in parties.items()]
    out += ["", "# A demonym -> the words that make a noun of it in which it names no state (\"American",
            "# football\", \"French horn\").", "[demonym_compounds]"]
    out += [f'"{adjective}" = {toml_list(words)}' for adjective, words in compounds.items()]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"),
                        help="a WordNet 3.0 dict folder (data.noun, index.noun, …)")
    parser.add_argument("--check", action="store_true", help="fail if the output on disk is not current")
    args = parser.parse_args(argv)
    if not (args.wordnet / "data.noun").is_file():
        print(f"no WordNet 3.0 data in {args.wordnet}; install Debian's wordnet-base or pass --wordnet",
              file=sys.stderr)
        return 2
    seeds = tomllib.loads(SEEDS.read_text(encoding="utf-8"))
    wn = open_wordnet(args.wordnet)
    lists = build_lists(wn, seeds)
    adjectives, people = build_demonyms(wn, seeds)
    offices = build_offices(wn, seeds, adjectives, set(lists["title_nouns"]))
    bodies = build_bodies(wn, seeds, adjectives)
    parties = build_parties(wn, seeds)
    compounds = build_demonym_compounds(wn, seeds, adjectives)
    text = render(lists, adjectives, people, offices, bodies, parties, seeds, compounds)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is not current: run scripts/build_lexicon.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}: {sum(map(len, lists.values()))} words in {len(lists)} lists, "
          f"{len(adjectives)} demonyms, {len(people)} people nouns, {len(offices)} offices, {len(bodies)} bodies, "
          f"{len(parties)} party names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
