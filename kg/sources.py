"""Reading sources into articles: ``.txt`` files, ``.jsonl`` records, HTML pages, RSS and Atom
feeds, folders, globs and stdin.

Each article gets a stable id (file stem, record id, or content hash), a publication date
(leading `` date YYYY-MM-DD `` marker, a feed's or page's own date, else a date found in the
first lines), a title and a content hash, so an unchanged article can be skipped on re-runs.
Bad inputs are yielded as :class:`SourceFailure` with a one-line reason instead of stopping the
run.

* An HTML page's main text, title, date and URL are extracted by trafilatura (boilerplate,
  menus and footers left out); its id is the file name without extension, as for ``.txt``.
* Each entry of an RSS or Atom feed (read by feedparser) is an article: its title, its date,
  its link as URL, its content (else its summary) as text; its id is the content hash, as for a
  JSONL record without an ``id``.
* A feed or JSONL date is read as the date it was written in (``2024-10-29T10:00:00Z``,
  ``Tue, 29 Oct 2024 10:00:00 GMT`` and ``2024-10-29`` all give ``2024-10-29``); one that cannot
  be read is a warning, never dropped silently.

Ids have one form (:func:`kg.iri.canonical_id`, Unicode NFC), hold no control characters, and
are unique within a run: a second input with an id already read is refused, naming the first
(two files ``a/x.txt`` and ``b/x.txt``, two records with one id), unless it is the same article
again (same text), which is read once.
"""

from __future__ import annotations

import calendar
import codecs
import dataclasses
import datetime as dt
import email.utils
import glob
import hashlib
import json
import os
import re
import stat
import sys
import unicodedata
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import feedparser
import lxml.etree
import lxml.html
import trafilatura

from kg.iri import canonical_id
from kg.lexicon import INLINE_CREDIT, section
from kg.model import Article, SourceFailure

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
"""The file kinds a folder is searched for."""
HEAD_LINES = 15
"""How many leading lines are searched for a publication date."""

_MARKER = re.compile(r"\A\s*date[ \t]+(\d\S*)[ \t]*")
"""A leading ``date 2024-10-27`` line; only a value starting with a digit makes it a marker,
so prose that starts with the word "date" ("date palms grow…") is left alone."""
_TIME = section("lexicon/time")
_MONTHS: dict[str, int] = _TIME.mapping("months")
_MONTH_RE = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAYS = list(_TIME.mapping("weekdays"))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE},?\s+(\d{{4}})\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY_DAY_MONTH = re.compile(
    rf"\b({'|'.join(_WEEKDAYS)}),?\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}",
    re.I,
)


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """A publication date in the first lines of ``text``, if one is written there.

    Full dates ("27 October 2024 09:01", "October 27, 2024", "2024-10-27") win; a weekday with
    day and month but no year ("Sunday, the 13th of October") gets the most recent year, up to
    ``today``, in which that day fell on that weekday.
    """
    head = "\n".join(text.splitlines()[:HEAD_LINES])
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        for m in pattern.finditer(head):
            if order == "dmy":
                day, month, year = int(m[1]), _MONTHS[m[2].lower()], int(m[3])
            else:
                month, day, year = _MONTHS[m[1].lower()], int(m[2]), int(m[3])
            found = _valid(year, month, day)
            if found:
                return found
    for m in _ISO.finditer(head):
        found = _valid(int(m[1]), int(m[2]), int(m[3]))
        if found:
            return found
    today = today or dt.date.today()
    for m in _WEEKDAY_DAY_MONTH.finditer(head):
        weekday = _WEEKDAYS.index(m[1].lower())
        day, month = int(m[2]), _MONTHS[m[3].lower()]
        for year in range(today.year, today.year - 12, -1):
            found = _valid(year, month, day)
            if found and found <= today and found.weekday() == weekday:
                return found
    return None


def make_title(text: str, limit: int = 120) -> str | None:
    """The first line when it reads like a headline, else the start of the first sentence."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
        if len(sentence) <= limit:
            return sentence
        cut = sentence[:limit].rsplit(" ", 1)[0]
        return cut + "…"
    return None


def decode(data: bytes, where: str) -> tuple[str | None, str | None]:
    """Decode bytes as text: ``(text, None)`` or ``(None, reason)``; never raises.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as such; other bytes that are
    not UTF-8 are read as Windows-1252/Latin-1 when they look like text.
    """
    if not data.strip():
        return None, "empty file"
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                return None, f"invalid {codec} text ({exc.reason} at byte {exc.start})"
            return (text, None) if text.strip() else (None, "empty file (only a byte order mark)")
    if b"\x00" in data[:8192]:
        text = _utf16_without_bom(data)
        if text is None:
            return None, "binary file (contains NUL bytes), not text"
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            if _looks_binary(text):
                return None, "not a text file (undecodable bytes)"
    if not text.strip():
        return None, "empty file (only white space)"
    return text, None


def _looks_binary(text: str) -> bool:
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t\f")
    return controls > len(text) // 100 or text.count("\ufffd") > len(text) // 100


def _utf16_without_bom(data: bytes) -> str | None:
    """Text written as UTF-16 without a byte order mark, told from binary data by where its NUL
    bytes fall: mostly the high byte of each pair, as in text of the Latin scripts."""
    head = data[:8192] if len(data) % 2 == 0 else None
    if not head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2
    for codec, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 0.3 * pairs and others <= 0.01 * pairs:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return None if _looks_binary(text) else text
    return None


def article_from_text(
    text: str,
    *,
    article_id: str | None = None,
    path: str | None = None,
    date: str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
) -> Article:
    """Build an article from raw text, reading a leading date marker and guessing the rest."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    body_start = 0
    warnings: list[str] = []
    marker = _MARKER.match(text)
    if marker:
        body_start = marker.end()
        parsed = _ISO.fullmatch(marker[1])
        if not (parsed and _valid(int(parsed[1]), int(parsed[2]), int(parsed[3]))):
            warnings.append(
                f"invalid date marker 'date {marker[1]}' (write 'date YYYY-MM-DD'); "
                "the date is taken from the text if it gives one"
            )
        elif date is None:
            date = marker[1]
    if date is None:
        found = find_date(text[body_start:])
        date = found.isoformat() if found else None
    if source is None:
        credit = INLINE_CREDIT.search(text[body_start: body_start + 400])
        if credit:
            source = credit.group(0).strip("()").split("-", 1)[-1].strip(" -–—:") or None
    digest = content_hash(text)
    return Article(
        id=article_id or digest.split(":")[1][:16],
        text=text,
        content_hash=digest,
        date=date,
        title=title or make_title(text[body_start:]),
        url=url,
        source=source,
        path=path,
        body_start=body_start,
        warnings=tuple(warnings),
    )


_DATE_PART = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?=$|[T\s_]|\d{2}:)")


def feed_date(value: object) -> str | None:
    """The ISO date (``YYYY-MM-DD``) a feed or record writes, as written (a time and its zone
    are dropped, not converted: an article dated 00:30 in Seoul is of that day in Seoul).

    >>> feed_date("2024-10-29T10:00:00Z"), feed_date("Tue, 29 Oct 2024 10:00:00 GMT")
    ('2024-10-29', '2024-10-29')
    >>> feed_date("2024-10-29"), feed_date("29 October 2024"), feed_date("soon")
    ('2024-10-29', '2024-10-29', None)
    """
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # a Unix time
        try:
            return dt.datetime.fromtimestamp(value, dt.timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    m = _DATE_PART.match(text)
    if m and _valid(int(m[1]), int(m[2]), int(m[3])):
        return m.group(0)[:10]
    parsed = email.utils.parsedate_tz(text)  # RFC 2822, as RSS writes dates
    if parsed and _valid(parsed[0], parsed[1], parsed[2]):
        return dt.date(parsed[0], parsed[1], parsed[2]).isoformat()
    found = find_date(text) if re.search(r"\d{4}", text) else None
    return found.isoformat() if found else None


def _lone_surrogate(record: dict) -> str | None:
    """Why a record's strings cannot be stored: JSON escapes such as ``\\ud800`` decode to
    lone surrogates, which are not Unicode text (they cannot be written as UTF-8)."""
    for key in ("id", "text", "title", "url", "source"):
        value = record.get(key)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"field {key!r} holds a lone surrogate escape at character {exc.start}, not text"
    return None


def _jsonl_lines(text: str) -> list[str]:
    """Records split at ``\\n`` only: ``str.splitlines`` would also split inside JSON strings
    at U+2028, U+2029 and U+0085, which JSON allows unescaped."""
    return text.split("\n")


def id_problem(article_id: str) -> str | None:
    """Why ``article_id`` cannot be an article's id (None if it can): ids are shown, listed and
    typed as one line, so they hold no control characters (line breaks, tabs…).

    >>> id_problem("2024-10-25-kursk") is None, id_problem("two\\nlines") is None
    (True, False)
    """
    if any(unicodedata.category(c) == "Cc" or c in "\u2028\u2029" for c in article_id):
        return (f"article id {article_id!r} holds a control character (line break, tab…); "
                "give it an id without one")
    return None


def _utf8_name(name: str) -> str:
    """A file name whose bytes are not UTF-8 (kept by Python as surrogate escapes) made into
    text, each undecodable byte shown as U+FFFD, so ids, IRIs and messages can use it."""
    return os.fsencode(name).decode("utf-8", "replace")


def read_jsonl(lines: Iterable[str], where: str) -> Iterator[Article | SourceFailure]:
    """One article per JSON line: ``text`` required; ``id date title url source`` optional."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        place = f"{where}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield SourceFailure(place, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield SourceFailure(place, "a JSONL record must be an object")
            continue
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            yield SourceFailure(place, "record has no non-empty 'text' string")
            continue
        invalid = _lone_surrogate(record)
        if invalid:
            yield SourceFailure(place, invalid)
            continue
        record_id = record.get("id")
        date = feed_date(record.get("date"))
        article = article_from_text(
            text,
            article_id=str(record_id) if record_id not in (None, "") else None,
            path=place,
            date=date,
            title=record.get("title") if isinstance(record.get("title"), str) else None,
            url=record.get("url") if isinstance(record.get("url"), str) else None,
            source=record.get("source") if isinstance(record.get("source"), str) else None,
        )
        if record.get("date") not in (None, "") and date is None:
            article = _with_warning(article, f"unreadable date {record.get('date')!r} (write an ISO or RFC 2822 "
                                             "date); the date is taken from the text if it gives one")
        yield article


def _with_warning(article: Article, warning: str) -> Article:
    return Article(**{**article.__dict__, "warnings": (*article.warnings, warning)})


def html_text(fragment: str) -> str:
    r"""The text of an HTML fragment (a feed entry's content), a line per block element.

    >>> html_text("<p>One &amp; two.</p><p>Three.</p>")
    'One & two.\nThree.'
    """
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return fragment.strip()
    for element in root.iter("p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def read_html(text: str, where: str, article_id: str) -> Article | SourceFailure:
    """One HTML page: its main text, title, date and URL, extracted by trafilatura."""
    document = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    body = getattr(document, "text", None) if document is not None else None
    if not body or not body.strip():
        return SourceFailure(where, "no article text found in the HTML page")
    title = getattr(document, "title", None) or None
    if title and body.startswith(title):  # trafilatura repeats the headline as the first line
        rest = body[len(title):].lstrip("\n")
        body = f"{title}\n\n{rest}" if rest else body
    return article_from_text(
        body, article_id=article_id, path=where, date=feed_date(getattr(document, "date", None)),
        title=title, url=getattr(document, "url", None) or None,
        source=getattr(document, "sitename", None) or None,
    )


def _entry_date(entry: Any) -> str | None:
    for key in ("published", "updated", "created"):
        found = feed_date(entry.get(key))
        if found:
            return found
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc).date().isoformat()
    return None


def looks_like_feed(data: bytes) -> bool:
    """Whether bytes are an RSS or Atom document (an ``.xml`` file may be anything)."""
    head = data[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def read_feed(data: bytes, where: str) -> Iterator[Article | SourceFailure]:
    """One article per entry of an RSS or Atom feed (feedparser): content, else summary, as
    text; title, date and link kept."""
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = f"not an RSS or Atom feed ({feed.bozo_exception})" if feed.bozo else "a feed without entries"
        yield SourceFailure(where, reason)
        return
    outlet = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, start=1):
        place = f"{where}#{number}"
        contents = [c.get("value", "") for c in entry.get("content", [])]
        text = html_text(max(contents, key=len) if contents else entry.get("summary", "") or "")
        if not text.strip():
            yield SourceFailure(place, "feed entry has no content or summary")
            continue
        title = html_text(entry.get("title", "")) or None
        body = f"{title}\n\n{text}" if title and not text.startswith(title) else text
        article = article_from_text(body, path=place, date=_entry_date(entry), title=title,
                                    url=entry.get("link") or None, source=outlet)
        raw = entry.get("published") or entry.get("updated")
        if raw and article.date is None:
            article = _with_warning(article, f"unreadable date {raw!r}; the date is taken from the text if it gives one")
        yield article


def read_file(path: Path) -> Iterator[Article | SourceFailure]:
    """Articles of one file: a JSONL file yields many, any other file one."""
    where = _utf8_name(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield SourceFailure(where, f"cannot read file ({exc.strerror})")
        return
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES and (suffix != ".xml" or looks_like_feed(data)):
        yield from read_feed(data, where)
        return
    text, reason = decode(data, where)
    if text is None:
        yield SourceFailure(where, reason or "unreadable")
        return
    if suffix in HTML_SUFFIXES:
        yield read_html(text, where, _utf8_name(path.stem))
        return
    if suffix in JSONL_SUFFIXES:
        records = 0
        for item in read_jsonl(_jsonl_lines(text), where):
            records += 1
            yield item
        if not records:
            yield SourceFailure(where, "empty file (no JSONL records)")
        return
    yield article_from_text(text, article_id=_utf8_name(path.stem), path=where)


def expand(spec: str) -> tuple[list[Path], str | None]:
    """Files named by a path, folder (recursive) or glob; ``(files, error)``."""
    path = Path(spec)
    if path.is_dir():
        files = [
            p
            for p in sorted(path.rglob("*"))
            if p.is_file()
            and p.suffix.lower() in SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        ]
        return files, None if files else f"no .txt, .jsonl, .html or feed files in folder {spec}"
    if path.is_file():
        return [path], None
    if glob.has_magic(spec):
        files = [Path(p) for p in sorted(glob.glob(spec, recursive=True)) if Path(p).is_file()]
        return files, None if files else f"no files match {spec}"
    return [], _not_a_file(path, spec)


def _not_a_file(path: Path, spec: str) -> str:
    """Why a path that is neither a file nor a folder cannot be read."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return f"no such file or folder: {spec}"
    if stat.S_ISLNK(mode):
        try:
            path.resolve(strict=True)
        except RuntimeError:  # raised for a loop before Python 3.13
            return f"symbolic link loop: {spec}"
        except OSError as exc:
            if "loop" in str(exc).lower() or exc.errno == 40:
                return f"symbolic link loop: {spec}"
            return f"broken symbolic link (its target does not exist): {spec}"
        try:
            mode = path.stat().st_mode
        except OSError:
            return f"symbolic link loop: {spec}"
    kinds = {stat.S_ISFIFO: "a named pipe (FIFO)", stat.S_ISSOCK: "a socket",
             stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device"}
    kind = next((name for test, name in kinds.items() if test(mode)), "not a regular file")
    return f"not a file or folder ({kind}): {spec}; pass a file, a folder or - for stdin"


def read_stdin(stream: IO[str] | IO[bytes]) -> Iterable[Article | SourceFailure]:
    """The articles of standard input: JSONL if it starts with ``{``, a feed or an HTML page if
    it is one, else one text. Its bytes are decoded as a file's are (:func:`decode`), so binary
    or UTF-16 input is told apart."""
    raw = getattr(stream, "buffer", stream).read()
    if not raw.strip():
        return [SourceFailure("<stdin>", "empty input")]
    if isinstance(raw, bytes):
        data, reason = decode(raw, "<stdin>")
        if data is None:
            return [SourceFailure("<stdin>", reason or "unreadable")]
    else:
        data = raw
    head = data.lstrip()[:200].lower()
    if head.startswith("{"):
        return read_jsonl(_jsonl_lines(data), "<stdin>")
    if head.startswith("<") and looks_like_feed(data.encode("utf-8", "replace")):
        return read_feed(data.encode("utf-8", "replace"), "<stdin>")
    if head.startswith(("<!doctype html", "<html")):
        return [read_html(data, "<stdin>", content_hash(data).split(":")[1][:16])]
    if data.strip():
        return [article_from_text(data, path="-")]
    return [SourceFailure("<stdin>", "empty input")]


def count_articles(specs: Iterable[str]) -> int | None:
    """About how many articles ``specs`` hold, read quickly for a progress total: a file is one,
    a JSONL file one per non-blank line, a feed one per entry; None when one spec is stdin.

    Inputs that cannot be read count as one (they are reported as one failure each).
    """
    total = 0
    for spec in specs:
        if spec == "-":
            return None
        files, error = expand(spec)
        if error:
            total += 1
            continue
        for file in files:
            suffix = file.suffix.lower()
            if suffix not in JSONL_SUFFIXES | FEED_SUFFIXES:
                total += 1
                continue
            try:
                data = file.read_bytes()
            except OSError:
                total += 1
                continue
            if suffix in JSONL_SUFFIXES:
                total += max(1, sum(1 for line in data.split(b"\n") if line.strip()))
            else:
                total += max(1, len(re.findall(rb"<(?:item|entry)[\s>]", data)))
    return total


def read_sources(
    specs: Iterable[str], stdin: IO[str] | IO[bytes] | None = None
) -> Iterator[Article | SourceFailure]:
    """Stream the articles of every source spec, in order, with failures in line.

    Article ids are canonical (:func:`kg.iri.canonical_id`) and unique within one run: an
    article whose id was already read is refused with a failure that names the first input,
    or, if it is the same article (same text), reported as a repeat (``repeat_of``) and read once.
    """
    seen: dict[str, tuple[str, str]] = {}  # id -> (content hash, where it was read)
    for spec in specs:
        if spec == "-":
            items: Iterable[Article | SourceFailure] = read_stdin(stdin if stdin is not None else sys.stdin)
        else:
            files, error = expand(spec)
            if error:
                yield SourceFailure(spec, error)
                continue
            items = (item for file in files for item in read_file(file))
        for item in items:
            if isinstance(item, Article):
                item = _checked(item, seen)
            yield item


def _checked(article: Article, seen: dict[str, tuple[str, str]]) -> Article | SourceFailure:
    """The article with its canonical id, or why it is not built (no text, a bad id, an id
    already read in this run)."""
    where = article.path or article.id
    if not article.text[article.body_start:].strip():
        reason = "no text after the date marker" if article.body_start else "empty (only white space)"
        return SourceFailure(where, reason)
    article_id = canonical_id(article.id)
    if article_id != article.id:
        article = dataclasses.replace(article, id=article_id)
    problem = id_problem(article_id)
    if problem:
        return SourceFailure(where, problem, article_id=article_id)
    if article_id in seen:
        first_hash, first = seen[article_id]
        if first_hash == article.content_hash:
            return SourceFailure(where, f"the same article as {first} (id {article_id!r}); read once",
                                 article_id=article_id, repeat_of=first)
        return SourceFailure(
            where,
            f"article id {article_id!r} is already taken in this run by {first}, with another "
            "text; give the files distinct names (or the records distinct ids)",
            article_id=article_id,
        )
    seen[article_id] = (article.content_hash, where)
    return article
