"""Remove web-page chrome from an original text, keeping offsets.

:func:`clean` only ever *deletes* characters of the original (stray HTML tags,
chrome lines such as 字号 / 浏览次数 / 打印 / Produced By, list bullets, spaces
around lines, runs of blank lines), so every kept character maps to the same
character in the original. Chrome patterns live in ``data/chrome_patterns.txt``.
Tabs are kept: a leading tab marks a table cell in text exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from extractors.paths import DATA_DIR
from extractors.reading.normalize import MappedText, normalize, normalize_str
from extractors.reading.readers import RawDocument

__all__ = ["chrome_patterns", "clean", "is_chrome", "prepare"]

_PATTERNS_FILE = DATA_DIR / "chrome_patterns.txt"

_ATTR = r"""\s+[A-Za-z_:@][A-Za-z0-9_:.@-]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>]+))?"""
_TAG = re.compile(rf"<!--.*?-->|</?[A-Za-z][A-Za-z0-9:-]*(?:{_ATTR})*\s*/?>", re.DOTALL)
_SPACE = " \u3000\xa0\u2002\u2003\u2009\u200b\ufeff"
_BULLETS = "•●▪◦‣∙·■◆►▶"
# indentation a page's encoding lost: "??" or U+FFFD before a paragraph (??一、…)
_LOST_INDENT = r"(?:\?{2}|\ufffd{1,2})(?=[^\s?\ufffd])"
_LEAD = re.compile(rf"^[{_SPACE}]*(?:(?:[{_BULLETS}]|{_LOST_INDENT})[{_SPACE}]*)*")
_TRAIL = re.compile(rf"[{_SPACE}]+$")
_MARKER_ONLY = re.compile(rf"[\s{_BULLETS}]*(?:(?:\d{{1,3}}|[a-zA-Z]|[ivxIVX]{{1,4}})[.、)]?)?\s*")


@lru_cache(maxsize=1)
def chrome_patterns() -> tuple[re.Pattern[str], ...]:
    """The chrome patterns of ``data/chrome_patterns.txt``, compiled."""
    patterns = []
    for raw in _PATTERNS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            patterns.append(re.compile(line, re.IGNORECASE))
    return tuple(patterns)


def is_chrome(line: str) -> bool:
    """Whether a whole line is page chrome (e.g. ``字号：大 中 小``, ``【打印】【关闭】``).

    Args:
        line: One line of text, in any width/script form.

    Returns:
        True if a chrome pattern matches the entire (normalised, stripped) line.
    """
    probe = _LEAD.sub("", normalize_str(line)).strip()
    return bool(probe) and any(p.fullmatch(probe) for p in chrome_patterns())


def clean(original: str) -> MappedText:
    """Delete site chrome from ``original``, keeping each kept character's offset.

    Args:
        original: The document text as read.

    Returns:
        The cleaned text mapped onto ``original``.

    Example:
        >>> clean("字号：\\n大 中 小\\n  正文第一段。 \\n").text
        '正文第一段。'
    """
    text = MappedText.identity(original)
    text = text.delete(_line_deletions(original))
    return text.delete(_blank_run_deletions(text.text))


def prepare(raw: RawDocument) -> MappedText:
    """Clean and normalise a document's original text (the input of every later stage)."""
    return normalize(clean(raw.original))


def _lines(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, end including the newline) of each line."""
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        yield pos, end, (end if nl < 0 else end + 1)
        pos = end + 1


def _line_deletions(original: str) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for start, end, full in _lines(original):
        ranges.extend(_line_ranges(original[start:end], start, full))
    return ranges


def _line_ranges(line: str, start: int, full: int) -> list[tuple[int, int]]:
    """Ranges to delete from one line (absolute offsets)."""
    tags = [(m.start(), m.end()) for m in _TAG.finditer(line)]
    residue = _without(line, tags)
    if (tags and _MARKER_ONLY.fullmatch(residue)) or is_chrome(residue):
        return [(start, full)]
    ranges = [(start + a, start + b) for a, b in tags]
    ranges.extend(_edge_ranges(line, tags, start))
    return ranges


def _without(line: str, spans: list[tuple[int, int]]) -> str:
    parts, pos = [], 0
    for a, b in spans:
        parts.append(line[pos:a])
        pos = b
    parts.append(line[pos:])
    return "".join(parts)


def _edge_ranges(line: str, tags: list[tuple[int, int]], start: int) -> list[tuple[int, int]]:
    """Leading spaces/bullets and trailing spaces, looking through deleted tags."""
    visible: Sequence[int] = range(len(line))
    shown = line
    if tags:
        keep = [True] * len(line)
        for a, b in tags:
            keep[a:b] = [False] * (b - a)
        visible = [i for i in range(len(line)) if keep[i]]
        shown = "".join(line[i] for i in visible)
    ranges: list[tuple[int, int]] = []
    lead = _LEAD.match(shown)
    if lead and lead.end():
        ranges.extend((start + i, start + i + 1) for i in visible[: lead.end()])
    trail = _TRAIL.search(shown)
    if trail and trail.start() >= (lead.end() if lead else 0):
        ranges.extend((start + i, start + i + 1) for i in visible[trail.start() :])
    return ranges


def _blank_run_deletions(text: str) -> list[tuple[int, int]]:
    """Leading/trailing blank lines, and all but one blank line in each run."""
    ranges: list[tuple[int, int]] = []
    seen_content = False
    blank_run: list[tuple[int, int]] = []
    for start, end, full in _lines(text):
        if start == end:
            blank_run.append((start, full))
            continue
        if not seen_content:
            ranges.extend(blank_run)
        else:
            ranges.extend(blank_run[1:])
        blank_run = []
        seen_content = True
    ranges.extend(blank_run)
    return ranges
