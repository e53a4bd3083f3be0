"""Document metadata: titles, issuer, 发文字号, dates, year, jurisdiction, draft, and the notice's fields.

Reads the part of a normalised text before the numbered outline (the notice,
the site's metadata block in any of its layouts: label and value on one line,
several fields on one line, value on the next line, or tab-separated cells),
and the 抄送 block after it. Every field read records its original span in
``Metadata.spans``.
"""

from __future__ import annotations

import re
from datetime import date

from extractors.layout.places import Place, find_places
from extractors.layout.structure import Outline
from extractors.reading.normalize import MappedText
from extractors.records import Metadata, Span

__all__ = ["find_dates", "parse_date", "read_metadata", "valid_credit_code"]

_WS = " \t\u00a0\u2002\u2003\u3000"
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
_DATE_DIGITS = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_CN = re.compile(
    r"([〇零○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
_LABELS = (
    "索引号|主题分类|成文日期|发布日期|发布时间|生成日期|发文日期|印发日期|发布机关|发文机关|发文机构|发布机构|发文单位|信息来源|来源"
    "|统一编号|标题|文件名称|名称|发文字号|文号|有效性|主题词|公开方式|公开范围|生效日期|废止日期|所属机构|时间|日期"
)
# a bare label word (名称, 时间, 日期) counts only where no other word runs into it (not 完成时间:)
_BARE_LABELS = frozenset({"名称", "时间", "日期"})
_FIELD = re.compile(
    "(?P<label>"
    + "|".join(
        ("(?<![\u4e00-\u9fff])" if x in _BARE_LABELS else "") + "[ \u00a0\u2002\u2003]*".join(x)
        for x in _LABELS.split("|")
    )
    + r")\s*[:：]\s*"
)
_LABEL_SET = frozenset(_LABELS.split("|"))
# a label cell of a pipe or slash table: "[ 成文日期 ] | 2021-06-02 |", "发布机构 / 某某局 /"
_CELL_LABEL = re.compile(
    r"(?:(?<=^)|(?<=[\s|/]))(?P<pre>[\[【]?)(?P<s1>\s*)(?P<label>"
    + "|".join(_LABELS.split("|"))
    + r")(?P<s2>\s*)(?P<post>[\]】]?)(?P<s3>\s*)(?:\||/(?=\s|$))"
)
_SLASH_SEP = re.compile(r"(?<=\s)/(?=\s|$)")
# 发文字号 with any brackets a page prints: 〔〕 [] () （） 【】 ﹝﹞ ［］ 〖〗, spaces inside
_DOC_NO = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[(（【﹝［〖]\s*(\d{4})\s*[〕\])）】﹞］〗]\s*(\d{1,4})\s*号"
)
# 关于…通知, or an organ's 印发…的通知 without 关于
_NOTICE = re.compile(r"关于(?:印发|转发|下发)?.{2,80}?的?通知|^[^《]{2,40}?印发.{2,80}?的通知")
_PRINTED = re.compile(r"(?P<x>(?:(?!关于).)+?)(?:关于|印发)")
# a reposting site's prefix before a notice title: "贵州:关于印发…", "转载|关于…"
_SITE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,8}[:|]\s*(?=关于)")
_GENRE = re.compile(
    r"(工作要点|要点|实施方案|工作方案|任务分工|分工方案|工作安排|工作计划|任务清单|工作清单|分解表|分工表|明细表"
    r"|任务分解|公开工作年度报告|公开年度报告)$"
)
_REPORT = re.compile(r"(?:政府|政务)?信息公开(?:工作)?年度报告$")
_TIME_OF_DAY = re.compile(r"\s*\d{1,2}:\d{2}")  # used with .match(text, pos)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2,4})")
_DOTTED_DATE = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})")  # 2021.6.2 or 2021/6/2 under a signature
_COMPILED_BY = re.compile(r"由(?P<x>[\u4e00-\u9fff]{4,40}?)(?:负责)?编制")
# a place named after 落实 in a title is the superior whose document is carried out
_CARRIED_OUT = re.compile(r"落实")
# a central organ at the start of a name: 国务院…, 国家…, or a ministry (交通运输部, 海关总署) that is no
# level's own department (区委宣传部, 市…局 begin with a level word or hold 委)
_MINISTRY = re.compile(
    r"^(?:国务院|中共中央|国家|中央|全国|(?![省市区县州盟旗乡镇])(?:(?!委)[\u4e00-\u9fff]){2,10}?(?:部(?!门)|总署|总局))"
)
_DRAFT = re.compile(r"征求意见稿|讨论稿|送审稿|草案稿")
_ORGAN_TAIL = re.compile(r"(人民政府|政府|办公厅|办公室|局|委员会|委|厅|部|署|院|中心|办)$")
_ADDRESSEE_HINT = re.compile(r"各|部门|政府|单位|处室|委|局|办")
_CITED = re.compile(r"《[^《》\n]{2,80}》")
_ORDER = re.compile(r"(?:国务院|[\u4e00-\u9fff]{1,6}?(?:政府|部|委|局|总署))令第\s*\d+\s*号")
_CONTACT = re.compile(r"联系人|联系电话|联系方式")
_CONTACT_MAX = 120  # a contact line, not a paragraph that gives a telephone number
# a page line ending in a colon that is no addressee line: a site line with a URL, a time, a button
_NOT_ADDRESSEE = re.compile(r"www\.|https?:|\d{1,2}:\d{2}|[【\[]|\d{4}-\d{1,2}-\d{1,2}")
_CENTRAL = re.compile(r"^(国务院|中共中央|国家|中央|全国)")
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT = re.compile(rf"[{_CREDIT_CHARS}]{{18}}")
NATION = "中华人民共和国"


def valid_credit_code(code: str) -> bool:
    """Check an 18-character unified social credit code (GB 32100-2015 check character).

    Example: ``valid_credit_code("113701000041890072")``.
    """
    if len(code) != 18 or any(c not in _CREDIT_CHARS for c in code):
        return False
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(code[:17], _CREDIT_WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    return _CREDIT_CHARS[check] == code[17]


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def parse_date(match: re.Match[str]) -> date | None:
    """The date a :func:`find_dates` match stands for, or None when it is not a valid date."""
    groups = match.groups()
    try:
        if len(groups) == 3:  # Chinese numerals
            year = int("".join(str(_CN_DIGITS[c]) for c in groups[0]))
            return date(year, _cn_number(groups[1]), _cn_number(groups[2]))
        y, m, d = groups[0:3] if groups[0] else groups[3:6]
        return date(int(y), int(m), int(d))
    except (ValueError, KeyError):
        return None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, date]]:
    """Every full date in ``text``: 2025年6月5日, 2025-06-05, 二〇二五年六月五日."""
    end = len(text) if end is None else end
    out = []
    for rx in (_DATE_DIGITS, _DATE_CN):
        for m in rx.finditer(text, start, end):
            value = parse_date(m)
            if value is not None:
                out.append((m.start(), m.end(), value))
    return sorted(out)


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank lines in ``[start, end)`` as (start, end) with blanks trimmed."""
    out, pos = [], start
    for part in text[start:end].split("\n"):
        a, b = pos, pos + len(part)
        while a < b and text[a] in _WS:
            a += 1
        while b > a and text[b - 1] in _WS + "\r":
            b -= 1
        if b > a:
            out.append((a, b))
        pos += len(part) + 1
    return out


def _squash(text: str) -> str:
    return re.sub(rf"[{_WS}]+", "", text)


class _Reader:
    """Collects fields with spans over one document's normalised text."""

    def __init__(self, text: MappedText, head_end: int) -> None:
        self.text = text
        self.s = text.text
        self.head_end = head_end
        self.lines = _lines(self.s, 0, head_end)
        self.meta = Metadata()
        self.notice_numbers: list[tuple[int, int]] = []  # 发文字号 printed on a notice title line
        self.place_cited = False  # the jurisdiction is only that of the rules the text cites
        self.fields = self._fields()

    def put(self, name: str, a: int, b: int) -> None:
        self.meta.spans[name] = self.text.span(a, b)

    def _fields(self) -> dict[str, tuple[int, int]]:
        """Labelled fields: inline (several per line), value on the next line, or tab cells."""
        found: dict[str, tuple[int, int]] = {}
        for k, (a, b) in enumerate(self.lines):
            line = _cells(self.s[a:b].replace("\t", ":"))  # a tab separates label and value cells
            marks = list(_FIELD.finditer(line))
            bare = _squash(line)
            if not marks and bare in _LABEL_SET and k + 1 < len(self.lines):  # label alone, value below
                nxt = self.lines[k + 1]
                if _squash(self.s[nxt[0] : nxt[1]]) not in _LABEL_SET and not _FIELD.match(
                    self.s[nxt[0] : nxt[1]]
                ):
                    found.setdefault(bare, _trim(self.s, *nxt))
            for i, m in enumerate(marks):
                v_end = marks[i + 1].start() if i + 1 < len(marks) else b - a
                va, vb = _trim(line, m.end(), v_end)  # on the cell-cleaned line: no | or / edges
                va, vb = a + va, a + vb
                if va == vb and i + 1 == len(marks) and k + 1 < len(self.lines):
                    nxt = self.lines[k + 1]
                    if not _FIELD.match(self.s[nxt[0] : nxt[1]]):
                        va, vb = nxt
                found.setdefault(_squash(m.group("label")), (va, vb))
        return {k: v for k, v in found.items() if v[1] > v[0]}

    def field(self, *labels: str) -> tuple[int, int] | None:
        for label in labels:
            if label in self.fields:
                return self.fields[label]
        return None


def _cells(line: str) -> str:
    """A pipe or slash table line as label: value text of the same length.

    ``[ 文号 ] | X |`` → ``  文号   : X  ``; ``发布机构 / X /`` → ``发布机构 : X  ``.
    """
    if "|" not in line and not _SLASH_SEP.search(line):
        return line

    def label(m: re.Match[str]) -> str:
        pre, post = " " * len(m.group("pre")), " " * len(m.group("post"))
        return f"{pre}{m.group('s1')}{m.group('label')}{m.group('s2')}{post}{m.group('s3')}:"

    line = _CELL_LABEL.sub(label, line)
    return _SLASH_SEP.sub(" ", line.replace("|", " "))


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a] in _WS:
        a += 1
    while b > a and s[b - 1] in _WS:
        b -= 1
    return a, b


def _notice(r: _Reader) -> None:
    """Notice title: a 标题 field, or the first 关于…通知 line (joined to an organ line above).

    A reposting site's prefix (贵州:关于…) is dropped; where the head has the notice twice (a
    metadata block, then the document), the one that names its organ wins.
    """
    s = r.s
    spot = r.field("标题", "文件名称", "名称")
    if spot:
        flat = _SITE_PREFIX.sub("", _squash(s[spot[0] : spot[1]]))
        if _NOTICE.search(flat) and flat.endswith("通知"):
            r.meta.notice_title = flat
            r.put("notice_title", *spot)
            return
    first: tuple[str, int, int] | None = None
    for k, (a, b) in enumerate(r.lines):
        flat = _notice_core(r, a, b)
        if "关于" in flat and not flat.endswith("通知"):
            for na, nb in r.lines[k + 1 : k + 3]:
                flat, b = flat + _notice_core(r, na, nb), nb
                if flat.endswith("通知"):
                    break
        if not (_NOTICE.search(flat) and flat.endswith("通知")) or _FIELD.match(flat):
            continue
        if flat.startswith("关于") and k > 0:
            pa, pb = r.lines[k - 1]
            above = _squash(s[pa:pb])
            if len(above) <= 30 and _ORGAN_TAIL.search(above) and not _FIELD.match(above):
                flat, a = above + flat, pa
        if not flat.startswith("关于"):
            first = (flat, a, b)
            break
        first = first or (flat, a, b)
    if first is not None:
        r.meta.notice_title = first[0]
        r.put("notice_title", first[1], first[2])


# a notice title line that carries its 发文字号 before or after it, or sits in a table row or 《》:
# "X〔2017〕50号 X关于印发…的通知", "关于印发…的通知(X[2019]8号)", "X关于…的通知 | ||||"
_NO_CORE = r"[\u4e00-\u9fff]{1,12}\s*[〔\[(（【﹝［〖]\s*\d{4}\s*[〕\])）】﹞］〗]\s*\d{1,4}\s*号"
_NOTICE_LEAD_NO = re.compile(rf"^{_NO_CORE}\s*(?=《?[\u4e00-\u9fff])")
_NOTICE_TAIL_NO = re.compile(rf"(?<=通知)\s*[(（]\s*{_NO_CORE}\s*[)）]$")
_TABLE_TAIL = re.compile(r"[\s|/]+$")


def _notice_core(r: _Reader, a: int, b: int) -> str:
    """A head line squashed, without a site prefix, table pipes, a wrapping 《》 or its own 发文字号."""
    flat = _TABLE_TAIL.sub("", _SITE_PREFIX.sub("", _squash(r.s[a:b])))
    for rx in (_NOTICE_LEAD_NO, _NOTICE_TAIL_NO):
        m = rx.search(flat)
        if m and "通知" in flat:
            no = _DOC_NO.search(r.s, a, b)
            if no is not None:
                r.notice_numbers.append((no.start(), no.end()))
            flat = flat[: m.start()] + flat[m.end() :]
    if flat.startswith("《") and flat.endswith("通知》") and flat.count("《") == 1:
        flat = flat[1:-1]
    return flat


def _doc_number(r: _Reader) -> None:
    s = r.s
    spot = r.field("发文字号", "文号")
    places = [spot] if spot else []
    places += [(a, b) for a, b in r.lines if _DOC_NO.fullmatch(_squash(s[a:b]))]
    places += r.notice_numbers + _cited_notice_numbers(r)
    for a, b in places:
        m = _DOC_NO.search(s, a, b)
        if m:
            r.meta.doc_number = f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
            r.put("doc_number", m.start(), m.end())
            return


def _cited_notice_numbers(r: _Reader) -> list[tuple[int, int]]:
    """The number given where a forwarding text cites the notice itself: 《<notice title>》(X〔2021〕26号)."""
    notice = r.meta.notice_title
    if not notice:
        return []
    out = []
    for m in _DOC_NO.finditer(r.s, 0, r.head_end):
        before = re.sub(r"\s+", "", r.s[max(0, m.start() - len(notice) - 40) : m.start()])
        if before.endswith((f"{notice}》(", f"{notice}》（")):
            out.append((m.start(), m.end()))
    return out


def compact_date(digits: str) -> date | None:
    """A date printed without 年月日 (2021531 → 2021-05-31), or None when not one or ambiguous.

    Example: ``compact_date("2018615") == date(2018, 6, 15)``; ``compact_date("2021111")`` is None.
    """
    m = _COMPACT_DATE.fullmatch(digits)
    if not m:
        return None
    year, rest = int(m.group(1)), m.group(2)
    found = set()
    for cut in (1, 2):
        month, day = rest[:cut], rest[cut:]
        if not 1 <= len(day) <= 2:
            continue
        try:
            found.add(date(year, int(month), int(day)))
        except ValueError:
            continue
    return found.pop() if len(found) == 1 and 1949 <= year <= 2100 else None


def _organ_text(flat: str) -> bool:
    """Whether a squashed text is a short organ name (a signature)."""
    return 2 <= len(flat) <= 30 and bool(_ORGAN_TAIL.search(flat)) and not _FIELD.match(flat)


def _organ_line(r: _Reader, k: int) -> bool:
    """Whether line ``k`` is a short organ name (a signature line)."""
    if k < 0:
        return False
    a, b = r.lines[k]
    return _organ_text(_squash(r.s[a:b]))


def _signed_line_date(r: _Reader, k: int) -> tuple[int, int, date] | None:
    """The date of a line that is a signature and its date: 某某市人民政府办公厅 2021年6月17日."""
    a, b = r.lines[k]
    found = find_dates(r.s, a, b)
    if found and found[-1][1] == b and _organ_text(_squash(r.s[a : found[-1][0]])):
        return found[-1]
    return None


def _line_date(r: _Reader, k: int) -> tuple[int, int, date] | None:
    """The date a whole line is: 2021年6月2日, 2021-06-02; under a signature also 2021531, 2021.6.2."""
    s = r.s
    a, b = r.lines[k]
    found = find_dates(s, a, b)
    if found and _squash(s[found[0][0] : found[0][1]]) == _squash(s[a:b]):
        return found[0]
    flat = _squash(s[a:b])
    if not _organ_line(r, k - 1):
        return None
    if flat.isdigit():
        value = compact_date(flat)
        return (a, b, value) if value is not None else None
    dotted = _DOTTED_DATE.fullmatch(flat)
    if dotted:
        try:
            return a, b, date(*map(int, dotted.groups()))
        except ValueError:
            return None
    return None


def _stamps(s: str, a: int, b: int) -> list[tuple[int, int, date]]:
    """Dates of a line, also as a page's time stamp prints them (2022/1/29 14:59:38, 2022.1.29)."""
    out = find_dates(s, a, b)
    for m in _DOTTED_DATE.finditer(s, a, b):
        try:
            out.append((m.start(), m.end(), date(*map(int, m.groups()))))
        except ValueError:
            continue
    return sorted(out)


def _dates(r: _Reader) -> None:
    """成文日期, else the date under the signature; the page's 发布日期 is kept apart (see _fallback_date).

    A 发文日期 printed with a time of day (2020-10-21 09:55:57) is the page's publication time.
    """
    s = r.s
    published: list[tuple[int, int, date]] = []
    # the last two: a source line with its date (来源:某某 2021-03-15)
    for label in ("发布日期", "发布时间", "生成日期", "时间", "日期", "发文日期", "来源", "信息来源"):
        spot = r.field(label)
        found = find_dates(s, *spot) if spot else []
        if found and (label != "发文日期" or _TIME_OF_DAY.match(s, found[0][1])):
            published = found
            break
    if not published:  # a source line's time stamp: 来源:某某 2021-03-15 16:28:04
        published = [d for a, b in r.lines for d in _stamps(s, a, b) if _TIME_OF_DAY.match(s, d[1])][:1]
    if published:
        r.meta.published = published[0][2]
        r.put("published", published[0][0], published[0][1])
    candidates: list[tuple[int, int, date]] = []
    for label in ("成文日期", "发文日期", "印发日期"):
        spot = r.field(label)
        found = find_dates(s, *spot) if spot else []
        if found and not _TIME_OF_DAY.match(s, found[0][1]):
            candidates.append(found[0])
            break
    candidates += [d for k in range(len(r.lines)) if (d := _line_date(r, k)) is not None]
    # a signature with its date on one line last: a page's 发布机构-and-date line looks the same
    candidates += [d for k in range(len(r.lines)) if (d := _signed_line_date(r, k)) is not None]
    if candidates:
        r.meta.date = candidates[0][2]
        r.put("date", candidates[0][0], candidates[0][1])


def _fallback_date(r: _Reader) -> None:
    """Where the text gives no date of its own, the page's 发布日期, unless a later repost's."""
    meta = r.meta
    late = meta.published is not None and meta.year is not None and meta.published.year > meta.year + 1
    if meta.date is None and meta.published is not None and not late:
        meta.date = meta.published
        meta.spans["date"] = meta.spans["published"]


_SENTENCE = re.compile(r"[，,。；;：:]")
# a 年度报告's title at the start of a line, spaces inside as printed (the body may run on after it)
_REPORT_TITLE = re.compile(
    r"[^\s。，,；;：:《》]{0,40}?\d{4}\s*年\s*(?:度\s*)?(?:政\s*[府务]\s*)?信\s*息\s*公\s*开\s*(?:工\s*作\s*)?年\s*度\s*报\s*告"
)


def _report_title(r: _Reader) -> bool:
    """A 政府信息公开工作年度报告's own title, kept as printed (2019年 政府信息… stays so).

    A title line that starts with its year and names no place is joined to a short organ line above
    it (昆明市人民政府 / 2020年政府信息公开工作年度报告).
    """
    s = r.s
    for k, (a, b) in enumerate(r.lines):
        m = _REPORT_TITLE.match(s, a, b)
        if not m:
            continue
        title = s[a : m.end()]
        if re.match(r"\d{4}", title) and not find_places(title) and _organ_line(r, k - 1):
            pa, pb = r.lines[k - 1]
            title, a = s[pa:pb] + title, pa
        r.meta.title = title
        r.put("title", a, m.end())
        return True
    return False


_HANDED_OVER = re.compile(r"将《(?P<x>[^《》\n]{2,80})》[^。\n]{0,30}?印发")


def _title(r: _Reader) -> None:
    """The document's own title.

    In order: the last short genre line of the head (a title line starting with its year under a
    short organ line is joined to it: 昆明市人民政府 / 2020年政府信息公开工作年度报告); the
    object of 现将《…》印发 in the notice; the notice's 印发 object; a cited genre title.
    """
    s = r.s
    if _report_title(r):
        return
    for k in range(len(r.lines) - 1, -1, -1):
        a, b = r.lines[k]
        flat = _squash(s[a:b])
        if re.fullmatch(r"[【\[][^【】\[\]]+[】\]]", flat):  # a page title in brackets: 【…要点】
            a, b, flat = a + 1, b - 1, flat[1:-1]
        short = (
            len(flat) <= 60
            and "关于" not in flat
            and not flat.startswith("《")
            and not _SENTENCE.search(flat)
        )
        if short and _GENRE.search(flat) and not _FIELD.match(flat):
            if flat.count("》") > flat.count("《") and k > 0:  # a title broken inside its 《》
                above = _squash(s[r.lines[k - 1][0] : r.lines[k - 1][1]])
                if above.count("《") > above.count("》") and len(above) <= 40:
                    a, flat = r.lines[k - 1][0], above + flat
            if re.match(r"\d{4}年", flat) and not find_places(flat) and _organ_line(r, k - 1):
                a = r.lines[k - 1][0]
                flat = _squash(s[a:b]).replace("\n", "")
            r.meta.title = flat
            r.put("title", a, b)
            return
    for a, b in r.lines:
        m = _HANDED_OVER.search(s, a, b)
        if m:
            r.meta.title = _squash(m.group("x"))
            r.put("title", m.start("x"), m.end("x"))
            return
    notice = r.meta.notice_title or ""
    m = re.search(r"(?:印发|转发|下发)《?(.+?)》?的?通知", notice)
    if m:
        r.meta.title = m.group(1)
        return
    for a, b in r.lines:
        for q in _CITED.finditer(s, a, b):
            if _GENRE.search(q.group(0)[1:-1]):
                r.meta.title = q.group(0)[1:-1]
                r.put("title", q.start() + 1, q.end() - 1)
                return


_JOINT_CUT = re.compile(r"办公室|办公厅|委员会|人民政府|局")
_OWN_BODY = re.compile(r"管委会|管理委员会|人民政府|委员会|党委|工委|[局厅]")


def _first_organ(surface: str, year: int | None) -> str:
    """The first organ of a jointly issued notice (X市人民政府办公室Y管委会办公室 → X市人民政府办公室).

    A name is cut after an 办公室/办公厅 when what follows is itself an organ, or after any organ
    word when what follows starts with a place name.
    """
    for m in _JOINT_CUT.finditer(surface):
        rest = surface[m.end() :]
        if len(rest) < 4 or not _ORGAN_TAIL.search(rest):
            continue
        starts_organ = rest.startswith("中共") or bool(
            (found := find_places(rest, year)) and found[0][0] == 0
        )
        # 管委会办公室 after 办公室 is a second organ's office; 政务公开办公室 is a unit of the first
        own_body = m.group() in ("办公室", "办公厅") and _OWN_BODY.search(rest[:-2])
        if starts_organ or own_body:
            return surface[: m.end()]
    return surface


def _report_issuer(r: _Reader) -> str | None:
    """A 年度报告's organ: the organ its title names, else the one that compiled it (由X编制)."""
    title = r.meta.title or ""
    if not _REPORT.search(_squash(title)):
        return None
    m = re.match(r"(?P<x>.+?)\d{4}\s*年", title)
    if m and _ORGAN_TAIL.search(_squash(m.group("x"))):
        return _squash(m.group("x"))
    for a, b in r.lines:
        c = _COMPILED_BY.search(_squash(r.s[a:b]))
        if c and _ORGAN_TAIL.search(c.group("x")):
            return c.group("x")
    return None


def _issuer(r: _Reader) -> None:
    """The issuing organ as written.

    In order: the organ before 关于 in the notice title, a report's own organ, a 发文机关 field,
    the signature, then the page's 发布机构 / 来源.
    """
    m = _PRINTED.match(r.meta.notice_title or "")
    if m and _ORGAN_TAIL.search(m.group("x")):
        r.meta.issuer_surface = _first_organ(m.group("x"), r.meta.year)
        if "notice_title" in r.meta.spans:
            r.meta.spans["issuer"] = r.meta.spans["notice_title"]
        return
    report = _report_issuer(r)
    if report:
        r.meta.issuer_surface = report
        return
    if _issuer_field(r, ("发文机关", "发文单位", "发文机构", "发布机关")) or _signature(r):
        return
    titled = re.match(r"(?P<x>.+?)\d{4}\s*年", r.meta.title or "")
    if titled and _organ_text(_squash(titled.group("x"))):  # 某市某局2022年政务公开工作要点
        r.meta.issuer_surface = _squash(titled.group("x"))
        if "title" in r.meta.spans:
            r.meta.spans["issuer"] = r.meta.spans["title"]
        return
    # the page's publisher (a repost's may be another), else the organ column of the breadcrumb
    if not _issuer_field(r, ("发布机构", "信息来源", "来源")):
        _breadcrumb_issuer(r)


_CRUMB = re.compile(r"\s*(?:>>|[>›»→])\s*")


def _breadcrumb_issuer(r: _Reader) -> None:
    """The organ whose column a page sits in: 专栏 >> 某市人民政府办公室 >> 制度."""
    for a, b in r.lines:
        parts = _CRUMB.split(r.s[a:b])
        if len(parts) < 3:
            continue
        for part in reversed(parts):
            flat = _squash(part)
            if _organ_text(flat) and _place_of(flat, r.meta.year, r.s) is not None:
                r.meta.issuer_surface = flat
                r.put("issuer", a, b)
                return


def _issuer_field(r: _Reader, labels: tuple[str, ...]) -> bool:
    for label in labels:
        spot = r.field(label)
        if spot:
            value = _squash(r.s[spot[0] : spot[1]])
            if _ORGAN_TAIL.search(value) and "网" not in value:
                r.meta.issuer_surface = value
                r.put("issuer", *spot)
                return True
    return False


def _date_start(r: _Reader, a: int, b: int) -> int:
    """Where the last date of a line starts (the line's start when it has none)."""
    found = find_dates(r.s, a, b)
    return found[-1][0] if found else a


def _signature(r: _Reader) -> bool:
    """The organ line directly above the document's date."""
    if "date" not in r.meta.spans:
        return False
    for k, (a, b) in enumerate(r.lines):
        if r.text.span(a, b).start <= r.meta.spans["date"].start < r.text.span(a, b).end:
            same = _squash(r.s[a : _date_start(r, a, b)])
            if _organ_text(same):
                r.meta.issuer_surface = same
                r.put("issuer", a, _date_start(r, a, b))
                return True
            if _organ_line(r, k - 1):
                pa, pb = r.lines[k - 1]
                r.meta.issuer_surface = _squash(r.s[pa:pb])
                r.put("issuer", pa, pb)
                return True
            return False
    return False


def _place_of(name: str, year: int | None, hint: str | None = None) -> Place | None:
    found = find_places(name, year, hint=hint)
    if not found or found[0][0] != 0:
        return None
    chain = [found[0]]
    for item in found[1:]:
        if item[0] != chain[-1][1]:
            break
        chain.append(item)
    return chain[-1][2]


def _title_place(title: str, year: int | None, hint: str | None = None) -> Place | None:
    """The place a title is about; a place after 落实 names the superior whose document is carried out."""
    found = find_places(title, year, hint=hint)
    carried = _CARRIED_OUT.search(title)
    if carried:
        found = [f for f in found if f[0] < carried.start()]
    if not found:
        return None
    chain = [found[0]]
    chain += [f for f, prev in zip(found[1:], found, strict=False) if f[0] == prev[1]]
    return chain[-1][2]


_SITE_LINE = re.compile(r"(?P<x>[\u4e00-\u9fff]{2,20}?政府)\s*(?:www\.|https?:|[\w.-]+\.gov\.cn)")


def _source_place(r: _Reader, year: int | None) -> Place | None:
    """The place of the page's source: a 发布机构/来源 field, or a site line (X人民政府 www.x.gov.cn)."""
    for label in ("发布机构", "发布机关", "发文单位", "信息来源", "来源"):
        spot = r.field(label)
        if spot and (place := _place_of(_squash(r.s[spot[0] : spot[1]]), year, r.s)) is not None:
            return place
    for a, b in r.lines:
        m = _SITE_LINE.match(r.s, a, b)
        if m and (place := _place_of(m.group("x"), year, r.s)) is not None:
            return place
    return None


def _cited_place(r: _Reader, year: int | None) -> Place | None:
    """An excerpt without title or organ: the place whose own rules it cites (按照《某省…办法》).

    The deepest where the cited places nest (a province and one of its cities), else the most cited.
    """
    counts: dict[str, tuple[int, Place]] = {}
    for m in _CITED.finditer(r.s):
        place = _place_of(m.group(0)[1:], year, r.s)
        if place is not None:
            n, _ = counts.get(place.label, (0, place))
            counts[place.label] = (n + 1, place)
    ranked = sorted(counts.values(), key=lambda x: -x[0])
    places = [p for _, p in ranked]
    for deepest in places:  # a province's and its city's rules: the city's text
        if all(p is deepest or p.name in (deepest.province, deepest.prefecture) for p in places):
            return deepest
    if ranked and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
        return ranked[0][1]
    return None


def _jurisdiction(r: _Reader) -> None:
    meta = r.meta
    place = _title_place(meta.title, meta.year, r.s) if meta.title else None
    surface = meta.issuer_surface or ""
    if place is None and surface:
        place = _place_of(surface, meta.year, r.s)
    if place is None and (_MINISTRY.match(meta.title or "") or _MINISTRY.match(surface)):
        meta.jurisdiction = NATION
        return
    if place is None:
        place = _source_place(r, meta.year)
    if place is None and not surface and not meta.title:
        place = _cited_place(r, meta.year)
        r.place_cited = place is not None
    if place is not None:
        meta.jurisdiction = place.label
        meta.division_code = place.code
        meta.province = place.province


_RELATIVE = re.compile(r"^(?:省|市|区|县|州|盟|旗|镇|乡|自治区)")


def _issuer_name(r: _Reader) -> None:
    meta = r.meta
    surface = meta.issuer_surface
    if surface is None:
        own_place = meta.jurisdiction != NATION and not r.place_cited
        if r.meta.notice_title is None and meta.jurisdiction and own_place:
            meta.issuer_surface = meta.issuer = meta.jurisdiction + "人民政府"
        return
    named = _CENTRAL.match(surface) or _place_of(surface, meta.year, r.s) is not None
    central = meta.jurisdiction == NATION and _MINISTRY.match(surface)
    relative = meta.jurisdiction and _RELATIVE.match(surface)  # 省人民政府办公厅: in its jurisdiction
    if named or central or relative:
        meta.issuer = surface


# a bare level or body word that shares the suffix of what follows: 各市、区人民政府, 省直各委、办、厅、局
_SHARED_HEAD = re.compile(r"(?:各|[省市区县]直各)?[省市区县州盟旗乡镇委办厅局](?:\([^()]*\))?")


def _split_outside_brackets(text: str) -> list[str]:
    """Split at , ， 、 ; ； except inside brackets (县（市、区）人民政府 is one piece)."""
    pieces: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ",，、;；":
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


def _join_shared(pieces: list[str]) -> list[str]:
    """Join pieces of an addressee line cut inside one collective (各市 + 区人民政府)."""
    out: list[str] = []
    held = ""
    for piece in pieces:
        if not piece:
            continue
        held = f"{held}、{piece}" if held else piece
        if not _SHARED_HEAD.fullmatch(piece):
            out.append(held)
            held = ""
    if held:
        out.append(held)
    return out


def _addressees(r: _Reader) -> None:
    s = r.s
    after = r.meta.spans.get("notice_title")
    for a, b in r.lines:
        if after is not None and r.text.span(a, b).start < after.end:
            continue
        line = s[a:b]
        if line.endswith((":", "：")) and len(line) > 5 and _ADDRESSEE_HINT.search(line):
            if _FIELD.match(line) or _NOT_ADDRESSEE.search(line):
                continue
            parts = _join_shared(_split_outside_brackets(_squash(line[:-1])))
            r.meta.addressees = [p for p in parts if p]
            r.put("addressees", a, b - 1)
            return


def _contact(r: _Reader) -> None:
    for a, b in r.lines:
        if b - a <= _CONTACT_MAX and _CONTACT.search(r.s, a, b):
            r.meta.contact = r.s[a:b].strip("()（）")
            r.put("contact", a, b)
            return


def _index_number(r: _Reader) -> None:
    spot = r.field("索引号")
    if spot is None:
        return
    value = _squash(r.s[spot[0] : spot[1]]).split()[0] if r.s[spot[0] : spot[1]].strip() else ""
    value = re.split(r"[\u4e00-\u9fff]", value)[0]
    r.meta.index_number = value
    r.put("index_number", spot[0], spot[0] + len(value))
    for m in _CREDIT.finditer(value):
        if valid_credit_code(m.group(0)):
            r.meta.credit_code = m.group(0)
            return


def _cc(r: _Reader, start: int) -> None:
    s = r.s
    m = re.search(r"(?m)^[ \t\u00a0\u3000]*抄\s*送\s*[:：]", s[start:])
    if not m:
        return
    a = start + m.end()
    parts: list[str] = []
    b = a
    for line in s[a:].split("\n"):
        if (not line.strip() and parts) or find_dates(line) or "印发" in line:
            break
        parts.extend(p for p in re.split(r"[,，、;；。]", _squash(line)) if p)
        b += len(line) + 1
    r.meta.cc = parts
    r.put("cc", a, min(b, len(s)))


def _cited(r: _Reader) -> None:
    seen: dict[str, None] = {}
    for m in _CITED.finditer(r.s):
        seen.setdefault(m.group(0))
    for m in _ORDER.finditer(r.s):
        seen.setdefault(_squash(m.group(0)))
    r.meta.cited = list(seen)


def read_metadata(text: MappedText, outline: Outline) -> Metadata:
    """Read a document's metadata from its normalised text and outline.

    The head (notice and metadata block) is everything before the numbered
    outline; 抄送 is read after it.
    """
    head_end = outline.start if outline.items and outline.start else len(text)
    r = _Reader(text, head_end)
    _notice(r)
    _doc_number(r)
    _dates(r)
    _title(r)
    meta = r.meta
    # the year of the title (not of a title it cites), else of the notice title, else of the date
    year = re.search(r"(?<!\d)(\d{4})(?=\s*年)", _CITED.sub("", meta.title or ""))
    year = year or re.search(r"(?<!\d)(\d{4})(?=\s*年)", _CITED.sub("", meta.notice_title or ""))
    year = year or re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", _CITED.sub("", meta.title or ""))
    meta.year = int(year.group(1)) if year else (meta.date.year if meta.date else None)
    _fallback_date(r)
    if meta.year is None and meta.date is not None:
        meta.year = meta.date.year
    _issuer(r)
    _jurisdiction(r)
    _issuer_name(r)
    meta.draft = bool(_DRAFT.search(text.text, 0, head_end))
    _addressees(r)
    _contact(r)
    _index_number(r)
    _cc(r, outline.end or head_end)
    _cited(r)
    return meta


def span_of(meta: Metadata, name: str) -> Span | None:
    """Where ``name`` was read, if it was."""
    return meta.spans.get(name)
