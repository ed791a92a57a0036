"""Resolve date expressions ("On 25 October", "Saturday", "earlier this month") to ISO values.

Dates in news are mostly relative to the article's own date, the *anchor*. A resolved date keeps
the precision the words allow (``day``, ``month`` or ``year``) and the words themselves, so the
graph can say ``kg:date "2024-06"^^xsd:gYearMonth ; kg:dateText "in June"``.

Conventions, chosen once and applied everywhere:

* A day and month without a year (``25 October``) takes the year that puts the date closest
  to the anchor, so a December article's ``5 January`` is the next January; with ``past=True``
  (the clause tells what happened: ``met on 3 May``) it is the most recent such day not after
  the anchor.
* A month alone (``in June``) is the most recent such month not after the anchor (the anchor's
  own month counts); with ``future=True`` it is the next one not before the anchor.
* A weekday (``Saturday``) is the most recent such day on or before the anchor; with
  ``future=True`` (the clause speaks of the future: ``will meet on Monday``) it is the next one
  on or after the anchor.
* A week (``this week``, ``next week``, ``last week``) cannot be written as ``xsd:date``,
  ``xsd:gYearMonth`` or ``xsd:gYear``; it is represented by its Monday (ISO week start) at
  ``day`` precision. The wording in :attr:`DateValue.text` shows it was a week.
* A range (``27-28 October``) resolves to its first day.
* Vague spans (``in recent days``, ``soon``) resolve to nothing.
* Without an anchor only dates that carry their own year resolve.

What kg's own patterns do not read ("a fortnight ago", "twenty days ago", a date in numbers
such as "5/11/2024", read day first) is asked of dateparser, with the anchor as its base; kg's
reading wins where both read a phrase ("mid-October", "earlier this month" are kg's alone).

>>> from datetime import date
>>> resolve_date("On 25 October", date(2024, 11, 7))
DateValue(iso='2024-10-25', precision='day', text='On 25 October')
>>> resolve_date("in June", date(2024, 10, 13)).iso
'2024-06'
>>> resolve_date("Saturday", date(2024, 10, 27)).iso
'2024-10-26'
>>> resolve_date("a fortnight ago", date(2024, 11, 7)).iso
'2024-10-24'
"""

from __future__ import annotations

import functools
import re
from calendar import monthrange
from collections.abc import Mapping
from datetime import date, datetime, timedelta

import dateparser
import numpy
from spacy.attrs import IDX, LOWER, ORTH
from spacy.matcher import Matcher
from spacy.strings import hash_string
from spacy.util import filter_spans

from kg.lexicon import section
from kg.model import DateValue
from kg.pipeline.doc import doc_text

__all__ = ["resolve_date", "parse_anchor", "is_week", "MONTHS", "WEEKDAYS", "DATELINE_DASHES", "DATELINE_REACH"]

_TIME = section("lexicon/time")
MONTHS: dict[str, int] = _TIME.mapping("months")
"""Month names and abbreviations -> month number."""
WEEKDAYS: dict[str, int] = _TIME.mapping("weekdays")
"""Weekdays -> Monday = 0 … Sunday = 6."""
_NUMBER_WORDS: dict[str, int] = _TIME.mapping("number_words")
_DATELINE = section("rules/dates").table("dateline")
DATELINE_DASHES = _DATELINE.words("dashes")
"""Dashes that close a wire dateline ("MOSCOW, Nov 22 - Russia struck ...")."""
DATELINE_REACH = _DATELINE.integer("reach")
"""How many tokens into its sentence a dateline's date may stand ("MOSCOW/KYIV, Nov 22 -")."""
_FALLBACK = _TIME.table("fallback")
_FALLBACK_WORDS = re.compile(
    r"\d|\b(?:" + "|".join([*_FALLBACK.sequence("words"), *MONTHS, *WEEKDAYS]) + r")\b"
)
_SPAN_AHEAD = re.compile(r"\b(?:in|within|for)\s+(?:\S+\s+){1,2}(?:day|week|fortnight|month|year)s?\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})\b")

# The phrase is normalised first (lower case, typographic dashes to "-"), so these small
# patterns parse one already-isolated date phrase; they never search running text.
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_RANGE_TAIL = r"(?:\s*(?:-|to|and)\s*\d{1,2}(?:st|nd|rd|th)?)?"
_YEAR = r"(?:,?\s*(?P<year>(?:19|20)\d\d))?"
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)(?:-(?P<day>\d\d))?\b")
_DAY_MONTH = re.compile(rf"\b{_DAY}{_RANGE_TAIL}\s*(?:of\s+)?{_MONTH}\b{_YEAR}")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b{_RANGE_TAIL}{_YEAR}(?![\d,]\d)")
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\b{_YEAR}")
_YEAR_ONLY = re.compile(r"\b(?P<year>(?:19|20)\d\d)\b")
_WEEKDAY = re.compile(
    r"\b(?:(?P<rel>last|this|next|coming|past|previous)\s+)?(?P<wd>"
    + "|".join(WEEKDAYS)
    + r")\b"
)
_AGO = re.compile(r"\b(?P<n>\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(?P<unit>day|week|month|year)s?\s+ago\b")
_RELATIVE = re.compile(
    r"\b(?P<rel>this|last|next|previous|past|coming|upcoming|current)\s+(?P<unit>week|month|year)\b"
)


def parse_anchor(value: str | date | None) -> date | None:
    """Turn an article's ISO date string (``2024-10-26``) into a :class:`date`, or ``None``."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def resolve_date(text: str, anchor: date | None, *, future: bool = False, past: bool = False) -> DateValue | None:
    """Resolve the date phrase ``text`` against ``anchor`` (the article's date).

    Args:
        text: an isolated date phrase, e.g. ``"late on Sunday, the 13th of October"``.
        anchor: the article's date; relative phrases need it, absolute ones do not.
        future: the phrase belongs to a future-tense clause, so weekdays and bare months
            point forward from the anchor instead of back.
        past: the phrase belongs to a past-tense clause, so a day and month without a year
            is not after the anchor.

    Returns:
        A :class:`DateValue` with the ISO value, its precision and ``text`` unchanged, or
        ``None`` when the phrase names no resolvable date.
    """
    norm = " " + re.sub(r"[\u2010-\u2015\u2212]", "-", text.lower()) + " "
    if "May" not in text and "MAY" not in text:
        norm = re.sub(r"\bmay\b", " ", norm)  # the modal verb, not the month
    resolved = None if _NUMERIC_DATE.search(norm) else _resolve(norm, anchor, future, past and not future)
    if resolved is None:
        resolved = _fallback(norm, anchor, future)
    if resolved is None:
        return None
    iso, precision = resolved
    return DateValue(iso=iso, precision=precision, text=text)


_SEQUEL = re.compile(
    r"\b(?:(?:(?P<n>\d+|" + "|".join(_NUMBER_WORDS) + r"|several|few)\s+)?(?P<unit>day|week|month|year)s?\s+"
    r"(?P<dir>later|earlier)|(?P<rel>next|following|previous)\s+(?:day|morning|evening|night)"
    r"|(?P<that>that|the\s+same)\s+(?:(?P<wd>" + "|".join(WEEKDAYS) + r")|day|morning|afternoon|evening|night))\b"
)


def is_week(value: DateValue) -> bool:
    """Whether a resolved date stands for a week ("last week", held as its Monday).

    >>> is_week(resolve_date("last week", date(2025, 1, 13))), is_week(resolve_date("Monday", date(2025, 1, 13)))
    (True, False)
    """
    m = _RELATIVE.search(value.text.lower())
    return value.precision == "day" and m is not None and m["unit"] == "week"


def is_sequel(text: str) -> bool:
    """Whether a date phrase counts from the last date the text gave, not from the article's
    ("the next day", "two days later", "a week earlier", "that day", "that Sunday")."""
    return _SEQUEL.search(text.lower()) is not None


def resolve_sequel(text: str, since: date | None) -> DateValue | None:
    """A sequel phrase (:func:`is_sequel`) counted from ``since``, the last day the text named
    before it: ``resolve_sequel("two days later", date(2024, 11, 4))`` is 2024-11-06. "That day"
    ("the same day") is that day itself, "that Saturday" the first Saturday from it on (the week the text is
    telling). A vague count ("days later") or no day to count from gives nothing.

    >>> resolve_sequel("the next day", date(2024, 11, 4)).iso
    '2024-11-05'
    >>> resolve_sequel("that Saturday evening", date(2024, 11, 4)).iso
    '2024-11-09'
    """
    m = _SEQUEL.search(text.lower())
    if m is None or since is None:
        return None
    if m["that"]:
        ahead = (WEEKDAYS[m["wd"]] - since.weekday()) % 7 if m["wd"] else 0
        iso, precision = _iso_day(since + timedelta(days=ahead))
    elif m["rel"]:
        iso, precision = _iso_day(since + timedelta(days=-1 if m["rel"] == "previous" else 1))
    elif m["n"] in (None, "several", "few"):
        return None
    else:
        n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
        n = n if m["dir"] == "later" else -n
        if m["unit"] in ("day", "week"):
            iso, precision = _iso_day(since + timedelta(days=n * (7 if m["unit"] == "week" else 1)))
        elif m["unit"] == "month":
            y, mo = divmod(since.year * 12 + since.month - 1 + n, 12)
            iso, precision = _month(y, mo + 1)
        else:
            iso, precision = f"{since.year + n:04d}", "year"
    return DateValue(iso=iso, precision=precision, text=text)


_HOLIDAYS = {name: tuple(int(x) for x in day.split("-"))
             for name, day in section("rules/dates").mapping("holidays").items()}
"""Holidays on a fixed day ("christmas eve" -> (12, 24)), longest names first."""
_HOLIDAY = re.compile(r"\b(?P<name>" + "|".join(re.escape(n) for n in sorted(_HOLIDAYS, key=len, reverse=True)) + r")\b" + _YEAR)


def _day_of_year(month: int, day: int, year: str | None, anchor: date | None,
                 past: bool = False) -> tuple[str, str] | None:
    """A day and month in the year written, else in the year that puts it nearest ``anchor``
    (``past``: the last such day not after ``anchor``)."""
    if year:
        return _day(int(year), month, day)
    if anchor is None:
        return None
    if past:
        return _day(anchor.year if _safe_date(anchor.year, month, day) <= anchor else anchor.year - 1, month, day)
    nearest = min((anchor.year - 1, anchor.year, anchor.year + 1), key=lambda y: abs((_safe_date(y, month, day) - anchor).days))
    return _day(nearest, month, day)


def _resolve(norm: str, anchor: date | None, future: bool, past: bool = False) -> tuple[str, str] | None:
    m = _HOLIDAY.search(norm.replace("’", "'"))
    if m:  # "Christmas Eve": its day in the year nearest the article's date
        return _day_of_year(*_HOLIDAYS[m["name"]], m["year"], anchor)
    m = _ISO.search(norm)
    if m:
        if m["day"]:
            return _day(int(m["year"]), int(m["month"]), int(m["day"]))
        return _month(int(m["year"]), int(m["month"]))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        m = pattern.search(norm)
        if m and not (m["month"] == "may" and pattern is _MONTH_DAY and not m["year"]):
            return _day_of_year(MONTHS[m["month"]], int(m["day"]), m["year"], anchor, past)
    m = _WEEKDAY.search(norm)
    if m and anchor is not None:
        return _weekday(WEEKDAYS[m["wd"]], m["rel"], anchor, future)
    m = _MONTH_YEAR.search(norm)
    if m and _is_month_word(norm, m):
        month = MONTHS[m["month"]]
        if m["year"]:
            return _month(int(m["year"]), month)
        if anchor is None:
            return None
        if future:
            year = anchor.year if month >= anchor.month else anchor.year + 1
        else:
            year = anchor.year if month <= anchor.month else anchor.year - 1
        return _month(year, month)
    m = _YEAR_ONLY.search(norm)
    if m:
        return (m["year"], "year")
    if anchor is None:
        return None
    return _relative(norm, anchor)


def _fallback(norm: str, anchor: date | None, future: bool) -> tuple[str, str] | None:
    """dateparser's reading of a phrase kg's patterns do not read, relative to ``anchor``;
    without an anchor, only a phrase that writes its year."""
    if not _FALLBACK_WORDS.search(norm) or (anchor is None and not re.search(r"\b\d{4}\b", norm)):
        return None
    if _SPAN_AHEAD.search(norm):  # "in 25 years", "within two weeks": a time span, not a date
        return None
    try:
        found = _date_parser(anchor or date.today(), future).get_date_data(norm.strip())
    except (ValueError, OverflowError):
        return None
    if found is None or found.date_obj is None:
        return None
    value = found.date_obj.date()
    if found.period == "year":
        return (f"{value.year:04d}", "year")
    if found.period == "month":
        return _month(value.year, value.month)
    return _iso_day(value)


@functools.lru_cache(maxsize=64)
def _date_parser(anchor: date, future: bool) -> dateparser.DateDataParser:
    """A dateparser reading relative to ``anchor`` (one per anchor: an article's dates share it)."""
    return dateparser.DateDataParser(
        languages=list(_FALLBACK.sequence("languages")),
        settings={"DATE_ORDER": _FALLBACK.text("date_order"), "PREFER_DATES_FROM": "future" if future else "past",
                  "RELATIVE_BASE": datetime.combine(anchor, datetime.min.time())},
    )


def _is_month_word(norm: str, m: re.Match[str]) -> bool:
    """``may`` and ``march`` are also a modal and a verb: only count them next to date words."""
    if m["month"] not in {"may", "march", "mar"}:
        return True
    if m["month"] == "may" and len(norm.split()) <= 3 and "may" in norm and norm.strip().split()[-1] == "may":
        return True  # an isolated "May" handed over as a date phrase
    if norm.split() == [m["month"]]:
        return True  # a month alone, handed over as a date phrase (its "in" trimmed off)
    if m["year"]:
        return True
    return re.search(r"\b(?:in|since|until|early|late|mid|of|by|last|next|this)\s*-?\s*" + m["month"], norm) is not None


def _relative(norm: str, anchor: date) -> tuple[str, str] | None:
    if re.search(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", norm):
        return _iso_day(anchor)
    if re.search(r"\b(?:end|course|rest) of (?:the|this) year\b", norm):
        return (f"{anchor.year:04d}", "year")
    if re.search(r"\bday before yesterday\b", norm):
        return _iso_day(anchor - timedelta(days=2))
    if re.search(r"\bday after tomorrow\b", norm):
        return _iso_day(anchor + timedelta(days=2))
    if re.search(r"\b(?:yesterday|last night)\b", norm):
        return _iso_day(anchor - timedelta(days=1))
    if re.search(r"\btomorrow\b", norm):
        return _iso_day(anchor + timedelta(days=1))
    m = _AGO.search(norm)
    if m:
        n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
        unit = m["unit"]
        if unit == "day":
            return _iso_day(anchor - timedelta(days=n))
        if unit == "week":
            return _iso_day(anchor - timedelta(weeks=n))
        if unit == "month":
            y, mo = divmod(anchor.year * 12 + anchor.month - 1 - n, 12)
            return _month(y, mo + 1)
        return (f"{anchor.year - n:04d}", "year")
    m = _RELATIVE.search(norm)
    if m:
        step = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1, "upcoming": 1}.get(m["rel"], 0)
        if m["unit"] == "year":
            return (f"{anchor.year + step:04d}", "year")
        if m["unit"] == "month":
            y, mo = divmod(anchor.year * 12 + anchor.month - 1 + step, 12)
            return _month(y, mo + 1)
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
        return _iso_day(monday)
    return None


def _weekday(wd: int, rel: str | None, anchor: date, future: bool) -> tuple[str, str]:
    if rel in {"next", "coming"}:
        delta = (wd - anchor.weekday()) % 7 or 7
        return _iso_day(anchor + timedelta(days=delta))
    if rel in {"last", "past", "previous"}:
        delta = (anchor.weekday() - wd) % 7 or 7
        return _iso_day(anchor - timedelta(days=delta))
    if future:
        return _iso_day(anchor + timedelta(days=(wd - anchor.weekday()) % 7))
    return _iso_day(anchor - timedelta(days=(anchor.weekday() - wd) % 7))


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, monthrange(year, month)[1]))


def _day(year: int, month: int, day: int) -> tuple[str, str] | None:
    if not 1 <= month <= 12 or not 1 <= day <= monthrange(year, month)[1]:
        return None
    return (f"{year:04d}-{month:02d}-{day:02d}", "day")


def _month(year: int, month: int) -> tuple[str, str] | None:
    if not 1 <= month <= 12:
        return None
    return (f"{year:04d}-{month:02d}", "month")


def _iso_day(value: date) -> tuple[str, str]:
    return (value.isoformat(), "day")


# --- finding date phrases in a parsed text ----------------------------------------------------

_PATTERNS = section("rules/dates")


def _token_spec(name: str, tokens: Mapping[str, dict]) -> dict:
    """A Matcher token spec from a pattern's shorthand (``data/rules/dates.toml``)."""
    optional = name.endswith("?") and len(name) > 1
    word = name[:-1] if optional else name
    spec = dict(tokens[word]) if word in tokens else {"LOWER": word}
    return {**spec, "OP": "?"} if optional else spec


def _date_patterns() -> list[tuple[str, list[dict]]]:
    tokens = _PATTERNS.mapping("token")
    return [("DATE", [_token_spec(name, tokens) for name in entry["tokens"]])
            for entry in _PATTERNS.entries["pattern"]]


_TRIM = _PATTERNS.table("trim")
_TRIM_LEADING = _TRIM.words("leading")
_TRIM_TRAILING = _TRIM.words("trailing")
_TRIM_NOUNS = _TRIM.words("trailing_nouns")
_ANCHORS = tuple(_PATTERNS.mapping("token")[name] for name in _PATTERNS.sequence("anchors"))
"""Token specs of which every date pattern holds one, not optional (checked when the matcher
is built): the matcher only needs to look at tokens near them."""


class _DateMatcher:
    """The date patterns' :class:`~spacy.matcher.Matcher` for one vocabulary, run only on
    token windows around anchor tokens (:data:`_ANCHORS`).

    Most tokens of an article cannot be part of a date, and matching them all made the date
    search the costliest step after the parse. Every match holds the first anchor of its
    pattern and, as ``?`` is the patterns' only operator, no more tokens before and after it
    than the pattern has there; each token spec looks at its token alone. So windows that far
    around each anchor token give exactly the matches of the whole doc.
    """

    def __init__(self, vocab) -> None:  # type: ignore[no-untyped-def]
        self.matcher = Matcher(vocab)
        reach: dict[int, tuple[int, int]] = {}  # anchor spec -> tokens a match holds (before, after) it
        for name, pattern in _date_patterns():
            self.matcher.add(name, [pattern])
            k = next((i for i, spec in enumerate(pattern) if spec in _ANCHORS), None)  # its first anchor
            if k is None or any(spec.get("OP", "?") != "?" for spec in pattern):
                raise ValueError(f"a date pattern without an anchor or of unbounded length: {pattern}")
            anchor = _ANCHORS.index(pattern[k])
            before, after = reach.get(anchor, (0, 0))
            reach[anchor] = (max(before, k), max(after, len(pattern) - k - 1))

        def words_reach(attr: str) -> dict[int, tuple[int, int]]:
            """Word hash -> reach, for the anchor specs on ``attr`` (``LOWER`` or ``ORTH``)."""
            out: dict[int, tuple[int, int]] = {}
            for anchor, (before, after) in reach.items():
                value = _ANCHORS[anchor].get(attr)
                if value is None:
                    continue
                for word in [value] if isinstance(value, str) else value["IN"]:
                    b, a = out.get(hash_string(word), (0, 0))
                    out[hash_string(word)] = (max(b, before), max(a, after))
            return out

        self.lower_reach, self.orth_reach = words_reach("LOWER"), words_reach("ORTH")
        # a token matches "^R$" only where the text matches R: search the text, not each token
        regex_anchors = [a for a in reach if "TEXT" in _ANCHORS[a]]
        self.text_anchor = re.compile("|".join(
            f"(?:{_ANCHORS[a]['TEXT']['REGEX'].removeprefix('^').removesuffix('$')})" for a in regex_anchors
        ))
        self.text_reach = (max(reach[a][0] for a in regex_anchors), max(reach[a][1] for a in regex_anchors))

    def windows(self, doc, text: str) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
        """Token ranges ``(start, end)`` around the anchors, merged where they overlap."""
        columns = doc.to_array([LOWER, ORTH, IDX])
        around: list[tuple[int, int, int]] = []  # (anchor token, tokens before, tokens after)
        for i, (lower, orth) in enumerate(zip(columns[:, 0].tolist(), columns[:, 1].tolist())):
            if lower in self.lower_reach or orth in self.orth_reach:
                (b1, a1), (b2, a2) = self.lower_reach.get(lower, (0, 0)), self.orth_reach.get(orth, (0, 0))
                around.append((i, max(b1, b2), max(a1, a2)))
        offsets = []
        found_text = self.text_anchor.search(text)
        while found_text:  # every start, overlapping ones too (``finditer`` would skip them)
            offsets.append(found_text.start())
            found_text = self.text_anchor.search(text, found_text.start() + 1)
        if offsets:  # the token each offset falls in
            tokens = numpy.searchsorted(columns[:, 2], offsets, side="right") - 1
            around.extend((i, *self.text_reach) for i in tokens.tolist())
        windows: list[tuple[int, int]] = []
        for start, end in sorted((max(0, i - before), min(len(doc), i + after + 1)) for i, before, after in around):
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
            else:
                windows.append((start, end))
        return windows

    def __call__(self, doc, text: str) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
        """``(start, end)`` of every match in ``doc`` whose text is ``text``."""
        # on a Span, the Matcher gives token offsets within the span
        return [
            (start + s, start + e)
            for start, end in self.windows(doc, text)
            for _, s, e in self.matcher(doc[start:end])  # type: ignore[operator]
        ]


_DATE_MATCHERS: dict[int, _DateMatcher] = {}


def date_spans(doc):  # type: ignore[no-untyped-def]
    """Date phrases in a parsed ``Doc`` as spaCy spans, longest first-come, in text order.

    Found with a token :class:`spacy.matcher.Matcher` (months, weekdays, day-month forms,
    ``earlier this month``, ``yesterday``…), so they do not depend on the NER keeping
    ``DATE`` entities. Prepositions the patterns use as context (``in June``) are trimmed off;
    ``Sunday, the 13th of October`` comes back as one span.
    """
    matcher = _DATE_MATCHERS.get(id(doc.vocab))
    if matcher is None:
        matcher = _DATE_MATCHERS[id(doc.vocab)] = _DateMatcher(doc.vocab)
    spans = []
    for start, end in matcher(doc, doc_text(doc)):
        while start < end - 1 and doc[start].lower_ in _TRIM_LEADING:
            start += 1
        while end > start + 1 and doc[end - 1].text in _TRIM_TRAILING:
            end -= 1
        if doc[end - 1].lower_ in _TRIM_NOUNS:
            end -= 1
        spans.append(doc[start:end])
    spans = sorted(filter_spans(spans), key=lambda s: s.start)
    joined: list = []
    for span in spans:
        if joined:
            prev = joined[-1]
            # only a gap of one or two tokens can join: the others are not read
            gap = [t.lower_ for t in doc[prev.end : span.start]] if span.start - prev.end <= 2 else None
            weekday_then_date = any(t.lower_ in WEEKDAYS for t in prev) and any(
                t.lower_.rstrip(".") in MONTHS for t in span
            )
            if weekday_then_date and gap in ([","], [",", "the"], ["the"]) and prev.sent.start == span.sent.start:
                joined[-1] = doc[prev.start : span.end]
                continue
        joined.append(span)
    return joined
