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

from extractors.normalize import MappedText
from extractors.places import Place, find_places
from extractors.records import Metadata, Span
from extractors.structure import Outline

__all__ = ["find_dates", "parse_date", "read_metadata", "valid_credit_code"]

_WS = " \t\u00a0\u2002\u2003\u3000"
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
_DATE_DIGITS = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_CN = re.compile(
    r"([〇零○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
_LABELS = (
    "索引号|主题分类|成文日期|发布日期|发文日期|印发日期|发布机关|发文机关|发文机构|发布机构|发文单位|信息来源|来源|统一编号"
    "|标题|文件名称|发文字号|文号|有效性|主题词|公开方式|公开范围|生效日期|废止日期|所属机构"
)
_FIELD = re.compile(
    "(?P<label>" + "|".join("[ \u00a0\u2002\u2003]*".join(x) for x in _LABELS.split("|")) + r")\s*[:：]\s*"
)
_LABEL_SET = frozenset(_LABELS.split("|"))
_DOC_NO = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[(（【]\s*(\d{4})\s*[〕\])）】]\s*(\d{1,4})\s*号")
_NOTICE = re.compile(r"关于(?:印发|转发|下发)?.{2,80}?的?通知")
_PRINTED = re.compile(r"(?P<x>.+?)关于(?:印发|转发|下发)")
_GENRE = re.compile(r"(工作要点|要点|实施方案|工作方案|任务分工|分工方案|工作安排|工作计划|任务清单|分解表)$")
_DRAFT = re.compile(r"征求意见稿|讨论稿|送审稿|草案稿")
_ORGAN_TAIL = re.compile(r"(人民政府|政府|办公厅|办公室|局|委员会|委|厅|部|署|院|中心|办)$")
_ADDRESSEE_HINT = re.compile(r"各|部门|政府|单位|处室|委|局|办")
_CITED = re.compile(r"《[^《》\n]{2,80}》")
_ORDER = re.compile(r"(?:国务院|[\u4e00-\u9fff]{1,6}?(?:政府|部|委|局|总署))令第\s*\d+\s*号")
_CONTACT = re.compile(r"联系人|联系电话|联系方式")
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
        self.fields = self._fields()

    def put(self, name: str, a: int, b: int) -> None:
        self.meta.spans[name] = self.text.span(a, b)

    def _fields(self) -> dict[str, tuple[int, int]]:
        """Labelled fields: inline (several per line), value on the next line, or tab cells."""
        found: dict[str, tuple[int, int]] = {}
        for k, (a, b) in enumerate(self.lines):
            line = self.s[a:b].replace("\t", ":")  # a tab separates label and value cells
            marks = list(_FIELD.finditer(line))
            bare = _squash(line)
            if not marks and bare in _LABEL_SET and k + 1 < len(self.lines):  # label alone, value below
                nxt = self.lines[k + 1]
                if _squash(self.s[nxt[0] : nxt[1]]) not in _LABEL_SET and not _FIELD.match(
                    self.s[nxt[0] : nxt[1]]
                ):
                    found.setdefault(bare, _trim(self.s, *nxt))
            for i, m in enumerate(marks):
                v_start = a + m.end()
                v_end = a + marks[i + 1].start() if i + 1 < len(marks) else b
                va, vb = _trim(self.s, v_start, v_end)
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


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a] in _WS:
        a += 1
    while b > a and s[b - 1] in _WS:
        b -= 1
    return a, b


def _notice(r: _Reader) -> None:
    """Notice title: a 标题 field, or the first 关于…通知 line (joined to an organ line above)."""
    s = r.s
    spot = r.field("标题", "文件名称")
    if spot and _NOTICE.search(_squash(s[spot[0] : spot[1]])):
        r.meta.notice_title = _squash(s[spot[0] : spot[1]])
        r.put("notice_title", *spot)
        return
    for k, (a, b) in enumerate(r.lines):
        flat = _squash(s[a:b])
        if "关于" in flat and not flat.endswith("通知"):
            for na, nb in r.lines[k + 1 : k + 3]:
                flat, b = flat + _squash(s[na:nb]), nb
                if flat.endswith("通知"):
                    break
        if not (_NOTICE.search(flat) and flat.endswith("通知")) or _FIELD.match(flat):
            continue
        if flat.startswith("关于") and k > 0:
            pa, pb = r.lines[k - 1]
            above = _squash(s[pa:pb])
            if len(above) <= 30 and _ORGAN_TAIL.search(above):
                flat, a = above + flat, pa
        r.meta.notice_title = flat
        r.put("notice_title", a, b)
        return


def _doc_number(r: _Reader) -> None:
    s = r.s
    spot = r.field("发文字号", "文号")
    places = [spot] if spot else []
    places += [(a, b) for a, b in r.lines if _DOC_NO.fullmatch(_squash(s[a:b]))]
    for a, b in places:
        m = _DOC_NO.search(s, a, b)
        if m:
            r.meta.doc_number = f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
            r.put("doc_number", m.start(), m.end())
            return


def _dates(r: _Reader) -> None:
    s = r.s
    published = r.field("发布日期")
    if published:
        found = find_dates(s, *published)
        if found:
            r.meta.published = found[0][2]
            r.put("published", found[0][0], found[0][1])
    written = r.field("成文日期", "发文日期", "印发日期")
    candidates = [find_dates(s, *written)] if written else []
    candidates += [
        found
        for a, b in r.lines
        if (found := find_dates(s, a, b)) and _squash(s[found[0][0] : found[0][1]]) == _squash(s[a:b])
    ]
    for found in candidates:
        if found:
            r.meta.date = found[0][2]
            r.put("date", found[0][0], found[0][1])
            return
    if r.meta.published:
        r.meta.date = r.meta.published
        r.meta.spans["date"] = r.meta.spans["published"]


def _title(r: _Reader) -> None:
    """The work-priorities title: the last short genre line of the head, else the notice's 印发 object."""
    s = r.s
    for a, b in reversed(r.lines):
        flat = _squash(s[a:b])
        short = len(flat) <= 60 and "关于" not in flat and "《" not in flat
        if short and _GENRE.search(flat) and not _FIELD.match(flat):
            r.meta.title = flat
            r.put("title", a, b)
            return
    notice = r.meta.notice_title or ""
    m = re.search(r"关于(?:印发|转发|下发)《?(.+?)》?的?通知", notice)
    if m:
        r.meta.title = m.group(1)
        return
    for a, b in r.lines:
        q = _CITED.search(s, a, b)
        if q and _GENRE.search(q.group(0)[1:-1]):
            r.meta.title = q.group(0)[1:-1]
            r.put("title", q.start() + 1, q.end() - 1)
            return


def _issuer(r: _Reader) -> None:
    """The issuing organ as written: before 关于印发, in a 发布机关 field, or the signature line."""
    s = r.s
    m = _PRINTED.match(r.meta.notice_title or "")
    if m and _ORGAN_TAIL.search(m.group("x")):
        r.meta.issuer_surface = m.group("x")
        if "notice_title" in r.meta.spans:
            r.meta.spans["issuer"] = r.meta.spans["notice_title"]
        return
    for label in ("发布机关", "发文机关", "发文机构", "发布机构", "发文单位", "信息来源", "来源"):
        spot = r.field(label)
        if spot:
            value = _squash(s[spot[0] : spot[1]])
            if _ORGAN_TAIL.search(value) and "网" not in value:
                r.meta.issuer_surface = value
                r.put("issuer", *spot)
                return
    if "date" in r.meta.spans:
        for k, (a, b) in enumerate(r.lines):
            if r.text.span(a, b).start <= r.meta.spans["date"].start < r.text.span(a, b).end and k > 0:
                pa, pb = r.lines[k - 1]
                above = _squash(s[pa:pb])
                if len(above) <= 30 and _ORGAN_TAIL.search(above):
                    r.meta.issuer_surface = above
                    r.put("issuer", pa, pb)
                return


def _place_of(name: str, year: int | None) -> Place | None:
    found = find_places(name, year)
    if not found or found[0][0] != 0:
        return None
    chain = [found[0]]
    for item in found[1:]:
        if item[0] != chain[-1][1]:
            break
        chain.append(item)
    return chain[-1][2]


def _jurisdiction(r: _Reader) -> None:
    meta = r.meta
    place = None
    if meta.title:
        found = find_places(meta.title, meta.year)
        if found:
            chain = [found[0]]
            chain += [f for f, prev in zip(found[1:], found, strict=False) if f[0] == prev[1]]
            place = chain[-1][2]
    surface = meta.issuer_surface or ""
    if place is None and surface:
        if _CENTRAL.match(surface):
            meta.jurisdiction = NATION
            return
        place = _place_of(surface, meta.year)
    if place is not None:
        meta.jurisdiction = place.label
        meta.division_code = place.code
        meta.province = place.province


def _issuer_name(r: _Reader) -> None:
    meta = r.meta
    surface = meta.issuer_surface
    if surface is None:
        if r.meta.notice_title is None and meta.jurisdiction and meta.jurisdiction != NATION:
            meta.issuer_surface = meta.issuer = meta.jurisdiction + "人民政府"
        return
    if _CENTRAL.match(surface) or _place_of(surface, meta.year) is not None:
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
            if _FIELD.match(line):
                continue
            parts = _join_shared(_split_outside_brackets(_squash(line[:-1])))
            r.meta.addressees = [p for p in parts if p]
            r.put("addressees", a, b - 1)
            return


def _contact(r: _Reader) -> None:
    for a, b in r.lines:
        if _CONTACT.search(r.s, a, b):
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
    year = re.search(r"(?<!\d)(\d{4})(?!\d)", meta.title or "")
    meta.year = int(year.group(1)) if year else (meta.date.year if meta.date else None)
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
