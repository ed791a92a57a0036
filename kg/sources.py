"""Reading sources into articles: ``.txt`` files, ``.jsonl`` records, folders, globs and stdin.

Each article gets a stable id (file stem, record id, or content hash), a publication date
(leading `` date YYYY-MM-DD `` marker, else a date found in the first lines), a title and
a content hash, so an unchanged article can be skipped on re-runs. Bad inputs are yielded as
:class:`SourceFailure` with a one-line reason instead of stopping the run.
"""

from __future__ import annotations

import codecs
import datetime as dt
import glob
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator

from kg.lexicon import INLINE_CREDIT, section
from kg.model import Article, SourceFailure

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
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
        return None, "binary file (contains NUL bytes), not text"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t\f")
    if controls > len(text) // 100 or text.count("\ufffd") > len(text) // 100:
        return None, "not a text file (undecodable bytes)"
    return text, None


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


def _iso_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    m = _ISO.match(text)
    if m and _valid(int(m[1]), int(m[2]), int(m[3])):
        return m.group(0)
    return None


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
        date = _iso_or_none(record.get("date"))
        yield article_from_text(
            text,
            article_id=str(record_id) if record_id not in (None, "") else None,
            path=place,
            date=date,
            title=record.get("title") if isinstance(record.get("title"), str) else None,
            url=record.get("url") if isinstance(record.get("url"), str) else None,
            source=record.get("source") if isinstance(record.get("source"), str) else None,
        )


def read_file(path: Path) -> Iterator[Article | SourceFailure]:
    """Articles of one file: a JSONL file yields many, any other file one."""
    where = _utf8_name(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield SourceFailure(where, f"cannot read file ({exc.strerror})")
        return
    text, reason = decode(data, where)
    if text is None:
        yield SourceFailure(where, reason or "unreadable")
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
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
            and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        ]
        return files, None if files else f"no .txt or .jsonl files in folder {spec}"
    if path.is_file():
        return [path], None
    if glob.has_magic(spec):
        files = [Path(p) for p in sorted(glob.glob(spec, recursive=True)) if Path(p).is_file()]
        return files, None if files else f"no files match {spec}"
    return [], f"no such file or folder: {spec}"


def read_sources(
    specs: Iterable[str], stdin: IO[str] | None = None
) -> Iterator[Article | SourceFailure]:
    """Stream the articles of every source spec, in order, with failures in line.

    Article ids are unique within one run: a repeated id gets the content hash appended.
    """
    seen: set[str] = set()
    for spec in specs:
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin
            data = stream.read()
            if data.lstrip().startswith("{"):
                items: Iterable[Article | SourceFailure] = read_jsonl(_jsonl_lines(data), "<stdin>")
            elif data.strip():
                items = [article_from_text(data, path="-")]
            else:
                items = [SourceFailure("<stdin>", "empty input")]
        else:
            files, error = expand(spec)
            if error:
                yield SourceFailure(spec, error)
                continue
            items = (item for file in files for item in read_file(file))
        for item in items:
            if isinstance(item, Article) and not item.text[item.body_start:].strip():
                item = SourceFailure(item.path or item.id, "no text after the date marker")
            if isinstance(item, Article):
                if item.id in seen:
                    item = Article(**{**item.__dict__, "id": f"{item.id}-{item.content_hash[7:15]}"})
                seen.add(item.id)
            yield item
