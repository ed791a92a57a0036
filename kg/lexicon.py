"""Domain word lists the entity layer needs beyond the gazetteer: demonyms, unit nouns,
leaders and capitals used for their states, and the shapes of boilerplate lines.

Kept as plain data so a reviewer can read and extend them without touching the logic.
Names of states are the canonical names the gazetteer knows them by.
"""

from __future__ import annotations

import re

DEMONYMS: dict[str, str] = {
    "North Korean": "North Korea",
    "DPRK": "North Korea",
    "South Korean": "South Korea",
    "Korean": "South Korea",
    "Russian": "Russia",
    "Ukrainian": "Ukraine",
    "American": "United States",
    "US": "United States",
    "U.S.": "United States",
    "British": "United Kingdom",
    "UK": "United Kingdom",
    "French": "France",
    "German": "Germany",
    "Polish": "Poland",
    "Hungarian": "Hungary",
    "Chinese": "China",
    "Iranian": "Iran",
    "Belarusian": "Belarus",
    "Japanese": "Japan",
    "Turkish": "Turkey",
    "Israeli": "Israel",
    "Georgian": "Georgia",
    "Moldovan": "Moldova",
    "Lithuanian": "Lithuania",
    "Latvian": "Latvia",
    "Estonian": "Estonia",
    "Finnish": "Finland",
    "Swedish": "Sweden",
    "Norwegian": "Norway",
    "Danish": "Denmark",
    "Dutch": "Netherlands",
    "Belgian": "Belgium",
    "Italian": "Italy",
    "Spanish": "Spain",
    "Romanian": "Romania",
    "Slovak": "Slovakia",
    "Czech": "Czech Republic",
    "Canadian": "Canada",
    "Indian": "India",
    "Syrian": "Syria",
    "Cuban": "Cuba",
    "Serbian": "Serbia",
    "Bulgarian": "Bulgaria",
    "Kazakh": "Kazakhstan",
    "Chechen": "Russia",
}
"""Adjectival demonym (as written) -> state. "Korean" alone is ambiguous and only used with
"South"/"North" in practice; it is kept for "Korean People's Army"-like names via patterns."""

PLURAL_DEMONYMS: dict[str, str] = {
    "North Koreans": "North Korea",
    "South Koreans": "South Korea",
    "Russians": "Russia",
    "Ukrainians": "Ukraine",
    "Americans": "United States",
    "Chinese": "China",
    "Iranians": "Iran",
    "Belarusians": "Belarus",
}
"""People of a state spoken of as an actor ("the Russians use …") -> that state."""

UNIT_NOUNS = (
    "troops soldiers units unit forces force military army armies infantrymen infantry "
    "servicemen personnel fighters contingent contingents battalion battalions brigade "
    "brigades regiment regiments division divisions special-forces servicemembers "
    "conscripts recruits mercenaries officers marines paratroopers navy fleet"
).split()
"""Nouns that, after a demonym ("North Korean soldiers"), denote a state's armed forces."""

ARMED_FORCES_NAMES: dict[str, str] = {
    "Defense Forces of Ukraine": "Ukraine",
    "Ukrainian Defense Forces": "Ukraine",
    "Ukrainian Defence Forces": "Ukraine",
    "Armed Forces of Ukraine": "Ukraine",
    "Ukrainian Armed Forces": "Ukraine",
    "Russian Armed Forces": "Russia",
    "Armed Forces of the Russian Federation": "Russia",
    "Korean People's Army": "North Korea",
    "North Korean People's Army": "North Korea",
}
"""Proper names of armed forces -> state."""

LEADERS: dict[str, str] = {
    "Kim": "North Korea",
    "Kim Jong Un": "North Korea",
    "Kim Jong-un": "North Korea",
    "Putin": "Russia",
    "Zelensky": "Ukraine",
    "Zelenskyy": "Ukraine",
}
"""Leaders whose possessive names a state's forces ("Kim's troops", "Putin's army")."""

CAPITALS: dict[str, str] = {
    "Moscow": "Russia",
    "Kremlin": "Russia",
    "Pyongyang": "North Korea",
    "Kyiv": "Ukraine",
    "Kiev": "Ukraine",
    "Seoul": "South Korea",
    "Washington": "United States",
    "Beijing": "China",
    "Budapest": "Hungary",
    "Tehran": "Iran",
    "Minsk": "Belarus",
    "London": "United Kingdom",
    "Paris": "France",
    "Berlin": "Germany",
    "Warsaw": "Poland",
    "Tokyo": "Japan",
    "Ankara": "Turkey",
}
"""Seats of government that stand for their state when used as an actor (metonymy)."""

UNIT_LABEL = "{demonym} troops"
"""Canonical label of a state's armed forces entity, e.g. "North Korean troops"."""

CANONICAL_DEMONYM: dict[str, str] = {}
for _adj, _state in DEMONYMS.items():
    if _adj[0].isupper() and not _adj.isupper() and "." not in _adj and _adj != "Korean":
        CANONICAL_DEMONYM.setdefault(_state, _adj)

LOCATIVE_PREPOSITIONS = frozenset(
    "in at to from near into inside outside around towards toward across via through "
    "within".split()
)
"""A capital governed by one of these is a place ("a summit in Budapest"), not an actor."""

NOISE_LINE = re.compile(
    r"(©|\bcopyright\b|all rights reserved|\bimages? source\b|\bphoto(?:graph)?s?\s*(?:by|:|credit)"
    r"|\bcredit:|\bread more\b|\bsubscribe\b|\bfollow us\b|\bpublished by\b|\bwritten by\b"
    r"|^\s*by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*$|^\s*Source:|provided by"
    r"|\breproduction\b|\bprior (?:and explicit )?(?:written )?consent\b|\bthis (?:web)?site\b"
    r"|\bterms of (?:use|service)\b|\bcookies\b|\bnewsletter\b"
    r"|^\s*(?:read also|see also|related|also read|watch)\s*:|pic\.twitter\.com|\(@\w+\)"
    r"|\bgetty images\b|\bshutterstock\b)",
    re.IGNORECASE | re.MULTILINE,
)
"""Lines that are bylines, credits or publisher boilerplate: their names are not entities."""

NOISE_LINE_KEYS = (
    "©", "copyright", "all rights reserved", "source", "photo", "credit:", "read more", "subscribe",
    "follow us", "published by", "written by", "provided by", "reproduction", "consent", "site",
    "terms of", "cookies", "newsletter", "read also", "see also", "related", "also read", "watch",
    "pic.twitter.com", "(@", "getty images", "shutterstock",
)
"""Lower-case text that every match of :data:`NOISE_LINE` but the "By <Name>" byline contains:
a line with none of them is not boilerplate (tests/test_entities.py checks the two agree)."""


def is_noise_line(line: str) -> bool:
    """``NOISE_LINE.search(line)``, faster on the ASCII lines of most articles: the regex's ~25
    case-insensitive alternatives are tried at every character (~0.1 ms per paragraph), so it
    only runs on lines that hold one of :data:`NOISE_LINE_KEYS` or start with "by". Text with
    other characters (Unicode case folding is wider) or with several lines (``^`` matches at
    each) always runs it."""
    if line.isascii() and "\n" not in line:
        lower = line.lower()
        if not lower.lstrip().startswith("by") and not any(key in lower for key in NOISE_LINE_KEYS):
            return False
    return NOISE_LINE.search(line) is not None

INLINE_CREDIT = re.compile(r"\((?:MENAFN|AFP|AP|Reuters|UNN|Ukrinform)\s*[-–—:]\s*[^)]*\)")
"""An inline syndication credit such as ``(MENAFN- UkrinForm)``: its names are the publisher."""

TITLE_WORDS = frozenset(
    "president minister spokesman spokeswoman spokesperson secretary general chancellor "
    "premier prime leader chief commander director head ambassador envoy king queen "
    "senator chairman adviser advisor official officials representative".split()
)
"""Words that make a span a title rather than a name ("the president")."""

HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof sir dame lord lady rev fr "
    "gen col maj lt capt sgt adm cmdr brig gov sen rep pres "
    "general colonel major lieutenant captain sergeant admiral marshal governor".split()
)
"""Honorifics and ranks before a surname, which leave it a bare surname ("Mr Blair",
"Gen Pinochet", "Dr. Smith")."""

PERSONAL_HONORIFICS = frozenset("mr mrs ms miss mx sir dame".split())
"""Honorifics that only ever stand before a person's name, so a name they start is a person's
whatever the NER says ("Mr Blair" tagged ORG); ranks and "Dr" also start names of firms and
places ("General Motors", "Dr Reddy's")."""

NEWS_OUTLETS = (
    "Reuters", "Associated Press", "AP", "AFP", "Agence France-Presse", "BBC", "CNN", "Politico",
    "The New York Times", "New York Times", "The Washington Post", "Washington Post",
    "The Guardian", "Bloomberg", "Yonhap", "Ukrinform", "UkrinForm", "Ukrainska Pravda",
    "Ukrainian Pravda", "Kyiv Independent", "The Kyiv Independent", "Censor.NET", "Interfax",
    "TASS", "RIA Novosti", "KCNA", "Korean Central News Agency", "Al Jazeera", "Euronews",
    "Deutsche Welle", "DW", "PAP", "MENAFN", "Radio Free Europe", "RFE/RL", "Financial Times",
    "The Wall Street Journal", "Wall Street Journal", "NBC News", "CBS News", "ABC News", "Fox News",
    "Sky News", "The Economist", "Le Monde", "Der Spiegel", "Axios", "NHK", "Kyodo",
)
"""News outlets: organizations, often misread by NER as people ("reports Politico")."""

NOT_A_NAME = frozenset(
    "defense defence state foreign interior security intelligence navy army justice finance "
    "health ministry department office council".split()
)
"""Single words NER takes for organizations in titles ("Defense Secretary", "State Department")."""

ORGANIZATION_ANAPHORS = frozenset("agency alliance bloc ministry department service organisation organization".split())
"""Nouns that, as "the agency", refer back to the organization named just before."""

ANAPHOR_BLOCKERS = frozenset("of between with for 's ’s and".split())
"""Words after the noun that make it a new description ("the alliance between …")."""

ANAPHOR_REACH = 1200
"""How far back (characters) a definite description looks for its organization."""

SETTLEMENT_NOUNS = frozenset(
    "village town city settlement hamlet region province oblast district port island".split()
)
""""the village of X": X is a place whatever NER thought it was."""
