"""Deadlines: explicit time limits normalised to ISO dates, and relative limits.

Absolute forms: 2023年12月底前 → 2023-12-31, 2021年年底前 → 2021-12-31,
年底前 (no year: the document's year) → 12-31, 于8月31日前 → 08-31,
6月底前 → 06-30, 第三季度末 → 09-30, 上半年 → 06-30, Chinese numerals too
(十二月底前); a month standing alone as a 完成时间 cell or before 完成
(2023年6月 → 2023-06-30); 年内完成 → 12-31, while 年内 before anything
else (年内邀请…不少于5次) is a limit without a date. Relative forms:
政策出台后10个工作日内, 收到申请之日起15个工作日内.

Example:
    >>> [(d[2].isoformat(), d[4]) for d in find_deadlines("2023年12月底前完成", None) if d[2]]
    [('2023-12-31', '2023年12月底前')]
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date

from extractors.records import RelativeDeadline

__all__ = ["Deadline", "cn_number", "find_deadlines"]

Deadline = tuple[int, int, date | None, RelativeDeadline | None, str]

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
NUM = r"[0-9]{1,4}|[零〇○一二两三四五六七八九十]{1,4}"
_YEAR = r"(?:(?P<y>[0-9]{4}|[零〇○一二三四五六七八九]{4})年)"
_BEFORE = r"(?:之前|以前|前)"
_DONE = r"(?:全面完成|完成|建成|办结|出台|上线)"
# a table cell's edges: after | or a tab (and one blank), before a blank run then | a tab or a line end
_CELL_START = r"(?:(?<![^|\t])|(?<=[|\t] ))"
_CELL_END = r"(?=\s*(?:[\t\n|]|$))"

_ABSOLUTE = [
    # 2023年8月31日前, 于8月31日前
    ("day", re.compile(rf"{_YEAR}?(?P<m>{NUM})月(?P<d>{NUM})[日号]{_BEFORE}")),
    # 2023年12月底前, 6月底前, 十二月底前, 6月份前, 6月前
    ("month", re.compile(rf"{_YEAR}?(?P<m>{NUM})月(?:底|末|份)?{_BEFORE}")),
    # 2023年底前 (年 doubles as the unit)
    ("year_end", re.compile(rf"(?P<y>[0-9]{{4}})年(?:底|末){_BEFORE}?")),
    # 2023年年底前, 年底前, 年底, 年末前
    ("year_end", re.compile(rf"{_YEAR}?(?:年底|年末){_BEFORE}?")),
    # 第三季度末, 三季度前, 第3季度底前; not the rhythm of 一季度一通报
    ("quarter", re.compile(rf"{_YEAR}?第?(?P<q>[1-4一二三四])季度(?:末|底)?{_BEFORE}?(?!一)")),
    # 上半年, 2023年上半年前
    ("half", re.compile(rf"{_YEAR}?上半年(?:底|末)?{_BEFORE}?")),
    # a completion-time cell or a completion verb: 2023年6月 | 6月底 | 2023年6月完成
    ("month", re.compile(rf"(?<![^\t\n|]){_YEAR}?(?P<m>{NUM})月(?:底|末|份)?(?=[\t\n|]|$)")),
    ("month", re.compile(rf"(?<![0-9年]){_YEAR}?(?P<m>{NUM})月(?:底|末|份)?(?={_DONE})")),
    # 年内完成, 年内 as a whole cell: the year's end
    ("year_end", re.compile(rf"(?:本年度内|年度内|年内)(?={_DONE}|[\t\n|]|$)")),
    # 年内, 年度内 otherwise (a limit without a date: 年内邀请…不少于5次)
    ("within_year", re.compile(r"(?:年内|年度内|本年度内)")),
    # a full date as a completion-time cell or before a completion verb: | 2023年6月30日 |, 6月30日完成
    # (a cell between | or tabs: a date alone on a line is a signature's)
    ("day", re.compile(rf"{_CELL_START}{_YEAR}?(?P<m>{NUM})月(?P<d>{NUM})[日号]{_CELL_END}")),
    ("day", re.compile(rf"(?<![0-9年]){_YEAR}?(?P<m>{NUM})月(?P<d>{NUM})[日号](?={_DONE})")),
    # a month cell after a blank: | 2023年6月 |
    ("month", re.compile(rf"(?<=[|\t] ){_YEAR}?(?P<m>{NUM})月(?:底|末|份)?{_CELL_END}")),
    # a dotted cell: | 2023.6 |, | 2023.6.30 |
    (
        "dotted",
        re.compile(
            rf"{_CELL_START}(?P<y>20[0-9]{{2}})\.(?P<m>[0-9]{{1,2}})(?:\.(?P<d>[0-9]{{1,2}}))?{_CELL_END}"
        ),
    ),
    # 下半年 (the year's end), 2023年下半年前
    ("year_end", re.compile(rf"{_YEAR}?下半年(?:底|末)?{_BEFORE}?")),
    # 11月中旬前, 10月上旬前: the end of that ten-day period
    ("xun", re.compile(rf"{_YEAR}?(?P<m>{NUM})月(?P<x>[上中下])旬(?:末)?{_BEFORE}?")),
]

_UNITS = {
    "工作日": "working_day",
    "个工作日": "working_day",
    "日": "day",
    "天": "day",
    "个月": "month",
    "月": "month",
    "年": "year",
    "周": "week",
    "个周": "week",
}
_RELATIVE = re.compile(
    rf"(?P<event>[\u4e00-\u9fff]{{2,14}}?)(?:后|之日起|之日后|起)(?P<n>{NUM})(?P<u>个工作日|工作日|个月|日|天|周|年)(?:内|以内|之内)"
)
_EVENT_STOPS = re.compile(r"^.*(?:[在于自从由应要须需并即]|应当|必须|原则上)")


def cn_number(text: str) -> int | None:
    """Parse 12, 十二, 三十一, 二〇二三 (year, digit by digit) into an int.

    Example:
        >>> cn_number("三十一"), cn_number("二〇二三"), cn_number("15")
        (31, 2023, 15)
    """
    if text.isdigit():
        return int(text)
    if "十" not in text:
        digits = [_DIGITS.get(ch) for ch in text]
        if any(d is None for d in digits) or not digits:
            return None
        return int("".join(str(d) for d in digits))
    tens, _, ones = text.partition("十")
    t = _DIGITS.get(tens, -1) if tens else 1
    o = _DIGITS.get(ones, -1) if ones else 0
    return None if t < 0 or o < 0 else t * 10 + o


def _last_day(y: int, m: int) -> date | None:
    if not 1 <= m <= 12:
        return None
    return date(y, m, calendar.monthrange(y, m)[1])


def _resolve(form: str, m: re.Match[str], year: int | None) -> date | None:
    gd = m.groupdict()
    y = cn_number(gd["y"]) if gd.get("y") else year
    if y is None or form == "within_year":
        return None
    if form == "day":
        mo, d = cn_number(m.group("m")), cn_number(m.group("d"))
        if mo is None or d is None or not 1 <= mo <= 12 or not 1 <= d <= calendar.monthrange(y, mo)[1]:
            return None
        return date(y, mo, d)
    if form == "month":
        mo = cn_number(m.group("m"))
        return _last_day(y, mo) if mo is not None else None
    if form == "year_end":
        return date(y, 12, 31)
    if form == "quarter":
        q = cn_number(m.group("q"))
        return _last_day(y, 3 * q) if q else None
    if form == "half":
        return date(y, 6, 30)
    if form == "dotted":
        month, day = int(m.group("m")), m.group("d")
        if day is None:
            return _last_day(y, month)
        valid = 1 <= month <= 12 and 1 <= int(day) <= calendar.monthrange(y, month)[1]
        return date(y, month, int(day)) if valid else None
    if form == "xun":
        mo = cn_number(m.group("m"))
        last = _last_day(y, mo) if mo is not None else None
        if last is None:
            return None
        return last if m.group("x") == "下" else last.replace(day=10 if m.group("x") == "上" else 20)
    return None


# each absolute form holds a word at most so many characters after its start (a 4-digit year, 年,
# a 4-character number: 2023年12月 has 月 at 7): the regexes are tried only near that word
_ANCHORS = [("月", 9), ("月", 9), ("年", 4), ("年", 5), ("季度", 7), ("上半年", 5), ("月", 9), ("月", 9)]
_ANCHORS += [("年", 1), ("年", 1), ("月", 9), ("月", 9), ("月", 9), (".", 4), ("下半年", 5), ("旬", 12)]


def _near(regex: re.Pattern[str], text: str, anchor: str, before: int) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)`` for a regex whose matches hold ``anchor`` within ``before`` of the start."""
    pos = 0  # where the next match may start
    at = text.find(anchor)
    while at >= 0:
        start = max(pos, at - before)
        while start <= at:
            m = regex.match(text, start)
            if m is None:
                start += 1
                continue
            if m.end() == m.start():  # an empty match: let finditer step on
                yield from (x for x in regex.finditer(text) if x.start() >= start)
                return
            yield m
            start = pos = m.end()
        pos = max(pos, at + 1)
        at = text.find(anchor, at + 1)


def _absolute(text: str, year: int | None) -> list[Deadline]:
    out: list[Deadline] = []
    taken: list[tuple[int, int]] = []
    for (form, regex), (anchor, before) in zip(_ABSOLUTE, _ANCHORS, strict=True):
        for m in _near(regex, text, anchor, before):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if form == "month" and _is_day_count(text, m):
                continue
            taken.append((m.start(), m.end()))
            if _AS_OF.search(text, max(0, m.start() - 3), m.start()):
                continue  # 截至2019年底 dates a figure, it sets no limit
            out.append((m.start(), m.end(), _resolve(form, m, year), None, m.group(0)))
    return _same_year(text, sorted(out), year)


_AS_OF = re.compile(r"截至\s*$")
_EXPLICIT_YEAR = re.compile(r"^(?:[0-9]{4}|[零〇○一二三四五六七八九]{4})年")
_CARRY = 120  # how far back a limit's year carries to a later one of the same paragraph


def _same_year(text: str, found: list[Deadline], year: int | None) -> list[Deadline]:
    """A limit without a year takes the year of a limit before it in its paragraph.

    ``2020年8月底前完成编制；12月底前指导完成`` → 2020-12-31 also when the document's year is
    unknown or another.
    """
    out: list[Deadline] = []
    last: tuple[int, int] | None = None  # (end, year) of the last limit that wrote its year
    for d in found:
        start, end, when, rel, surface = d
        own = _EXPLICIT_YEAR.match(surface)
        if own and when is not None:
            last = (end, when.year)
        elif (
            not own
            and last is not None
            and last[1] != year
            and start - last[0] <= _CARRY
            and "\n" not in text[last[0] : start]
        ):
            again = _resolve_in(surface, last[1])
            if again is not None:
                d = (start, end, again, rel, surface)
        out.append(d)
    return out


def _resolve_in(surface: str, year: int) -> date | None:
    """The date a limit's surface stands for in ``year``."""
    for form, regex in _ABSOLUTE:
        m = regex.fullmatch(surface)
        if m:
            return _resolve(form, m, year)
    return None


def _is_day_count(text: str, m: re.Match[str]) -> bool:
    """3个月前 is a duration, not a month."""
    return text[max(0, m.start("m") - 1) : m.start("m")] == "个" or text[m.end("m") : m.end("m") + 1] == "个"


def _relative(text: str) -> list[Deadline]:
    out: list[Deadline] = []
    for m in _RELATIVE.finditer(text):
        n = cn_number(m.group("n"))
        if n is None:
            continue
        event = _EVENT_STOPS.sub("", m.group("event"))
        if len(event) < 2:
            continue
        start = m.start("event") + len(m.group("event")) - len(event)
        surface = text[start : m.end()]
        rel = RelativeDeadline(text=surface, amount=n, unit=_UNITS[m.group("u")], event=event)
        out.append((start, m.end(), None, rel, surface))
    return out


def find_deadlines(text: str, year: int | None) -> list[Deadline]:
    """Find deadlines in normalised text.

    Args:
        text: normalised text (NFKC, simplified).
        year: the document's year, for forms without one (年底前, 6月底前).

    Returns:
        ``(start, end, date | None, RelativeDeadline | None, surface)`` tuples
        in text order; ``date`` is None for 年内 and for relative limits, and
        when no year is known.
    """
    found = _absolute(text, year)
    rel = _relative(text)
    found += [r for r in rel if all(r[1] <= a[0] or r[0] >= a[1] for a in found)]
    return sorted(found, key=lambda d: d[0])
