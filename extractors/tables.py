"""Task tables (任务分工/任务分解表): detection in the layouts met in practice, and one item per row.

Layouts: (a) one row per line, cells separated by tabs; (b) cells separated
by ``|`` (with or without outer pipes and ``---`` rows); (c) every cell on its
own line starting with a tab, rows opened by a line holding only the 序号,
and stray rows opened by a line starting with a space. Empty, merged or
missing cells take the value above (``Cell.inherited``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from extractors.normalize import MappedText
from extractors.records import Cell, ItemRecord, TableRecord

__all__ = ["find_tables", "header_roles"]

_KEYS = re.compile(
    r"工作任务|具体要求|主要任务|任务内容|重点任务|具体任务|责任单位|牵头单位|配合单位|责任部门|完成时限|时间节点|完成时间|工作措施"
)
_NUMBER = re.compile(r"\d{1,3}")
_TEXT_COL = re.compile(r"具体要求|任务内容|工作内容|具体措施|工作措施|主要内容|要求|内容|措施")
_RESP_COL = re.compile(r"责任|牵头|配合|主责|负责")
_TIME_COL = re.compile(r"时限|时间|节点|期限")
_TASK_COL = re.compile(r"任务|事项|工作|项目|目标")
_SEPARATOR_ROW = re.compile(r"^[\s|:\-]+$")


@dataclass
class _RawRow:
    cells: list[tuple[int, int]]  # offsets of each cell's text in the normalised text
    numbered: bool
    pipe_layout: bool = False


@dataclass
class _Raw:
    header: list[tuple[int, int]]
    rows: list[_RawRow] = field(default_factory=list)
    start: int = 0
    end: int = 0


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for part in text.split("\n"):
        out.append((pos, pos + len(part)))
        pos += len(part) + 1
    return out


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _split(text: str, a: int, b: int, sep: str) -> list[tuple[int, int]]:
    cells, pos = [], a
    line = text[a:b]
    if sep == "|":
        inner = line.strip()
        lead = line.index(inner[0]) if inner else 0
        pos = a + lead + (1 if inner.startswith("|") else 0)
        b = a + lead + len(inner) - (1 if inner.endswith("|") and len(inner) > 1 else 0)
    while True:
        nxt = text.find(sep, pos, b)
        stop = b if nxt == -1 else nxt
        cells.append(_strip(text, pos, stop))
        if nxt == -1:
            return cells
        pos = nxt + 1


def _is_header(cells: list[str]) -> bool:
    return "序号" in cells and sum(bool(_KEYS.search(c)) for c in cells) >= 1


def _parse_inline(text: str, lines: list[tuple[int, int]], i: int, sep: str) -> _Raw | None:
    a, b = lines[i]
    if text.count(sep, a, b) < 1:
        return None
    header = _split(text, a, b, sep)
    if not _is_header([text[x:y] for x, y in header]):
        return None
    if sep == "\t" and header and header[0][0] == header[0][1]:
        header = header[1:]  # a leading tab
    raw = _Raw(header, start=a, end=b)
    for a2, b2 in lines[i + 1 :]:
        line = text[a2:b2]
        if not line.strip():
            continue
        if sep not in line:
            break
        if sep == "|" and _SEPARATOR_ROW.match(line):
            continue
        cells = _split(text, a2, b2, sep)
        if sep == "\t" and cells and cells[0][0] == cells[0][1] and len(cells) > len(header):
            cells = cells[1:]
        first = text[cells[0][0] : cells[0][1]] if cells else ""
        raw.rows.append(_RawRow(cells, bool(_NUMBER.fullmatch(first)), pipe_layout=True))
        raw.end = b2
    return raw if raw.rows else None


def _parse_stacked(text: str, lines: list[tuple[int, int]], i: int) -> _Raw | None:
    """Layout (c): ``\\t序号`` then one header cell per line."""
    header: list[tuple[int, int]] = []
    j = i
    while j < len(lines) and text[lines[j][0] : lines[j][1]].startswith("\t"):
        header.append(_strip(text, *lines[j]))
        j += 1
    if len(header) < 3 or not _is_header([text[x:y] for x, y in header]):
        return None
    raw = _Raw(header, start=lines[i][0], end=lines[j - 1][1])
    row: _RawRow | None = None
    for a, b in lines[j:]:
        line = text[a:b]
        if "\t" not in line and not line.strip():
            continue
        cell = _strip(text, a, b)
        value = text[cell[0] : cell[1]]
        if line.startswith("\t") and _NUMBER.fullmatch(value):
            row = _RawRow([cell], True)
            raw.rows.append(row)
        elif row is not None and _opens_row(text, row, value, stray=line[0] in " \u00a0\u3000"):
            row = _RawRow([cell], False)
            raw.rows.append(row)
        elif row is not None and line.startswith("\t"):
            row.cells.append(cell if cell[0] < cell[1] else (a + 1, a + 1))
        elif row is not None:
            break
        raw.end = b
    return raw if raw.rows else None


_ORGAN_END = re.compile(r"(局|办|委|政府|部门|单位|办事处|处|中心|室|科|所|院|站|队|公司)(\(单位\))?$")
_DEADLINE = re.compile(r"前|底|长期|持续|常态|年内|季度|\d+月")


def _is_resp(cell: str) -> bool:
    parts = [p for p in re.split(r"[、,，;；]", cell) if p]
    return bool(parts) and all(_ORGAN_END.search(p.strip()) for p in parts)


def _opens_row(text: str, row: _RawRow, value: str, stray: bool) -> bool:
    """Whether a cell line without a 序号 starts a new row rather than continuing ``row``.

    A line indented with a space always does (the exported layout marks stray rows
    so); otherwise a task title, or a second long requirement, after the row's
    requirement cell does.
    """
    if stray:
        return True
    if not value or _is_resp(value):
        return False
    seen_long = any(_is_long(text[a:b]) for a, b in row.cells)
    if not seen_long:
        return False
    if _is_long(value):
        return True
    return not (_DEADLINE.search(value) and len(value) <= 15)


def _raw_tables(text: str) -> list[_Raw]:
    lines = _lines(text)
    found: list[_Raw] = []
    i = 0
    while i < len(lines):
        a, b = lines[i]
        line = text[a:b]
        raw = None
        if "序号" in line:
            if line.strip() == "序号" and line.startswith("\t"):
                raw = _parse_stacked(text, lines, i)
            elif "|" in line:
                raw = _parse_inline(text, lines, i, "|")
            elif "\t" in line:
                raw = _parse_inline(text, lines, i, "\t")
        if raw is not None:
            found.append(raw)
            while i < len(lines) and lines[i][0] < raw.end:
                i += 1
            continue
        i += 1
    return found


def header_roles(header: list[str]) -> dict[str, list[int]]:
    """Columns by role: ``number``, ``task`` (general → specific), ``text``, ``resp``, ``time``."""
    roles: dict[str, list[int]] = {"number": [], "task": [], "text": [], "resp": [], "time": []}
    for k, name in enumerate(header):
        if name == "序号":
            roles["number"].append(k)
        elif _RESP_COL.search(name):
            roles["resp"].append(k)
        elif _TIME_COL.search(name):
            roles["time"].append(k)
        elif _TEXT_COL.search(name) and not roles["text"]:
            roles["text"].append(k)
        elif _TASK_COL.search(name):
            roles["task"].append(k)
    if not roles["text"]:
        rest = [k for k in range(len(header)) if k not in roles["number"] + roles["resp"] + roles["time"]]
        if rest:
            roles["text"].append(rest[-1])
            roles["task"] = [k for k in roles["task"] if k != rest[-1]]
    return roles


def _expand_header(names: list[str], rows: list[_RawRow]) -> list[str]:
    """When numbered rows have one cell more than the header, the task column spans two."""
    widths = Counter(len(r.cells) for r in rows if r.numbered)
    if not widths:
        return names
    width = widths.most_common(1)[0][0]
    if width != len(names) + 1:
        return names
    roles = header_roles(names)
    k = roles["task"][0] if roles["task"] else 1
    sub = "具体任务" if "具体任务" not in names else names[k] + "2"
    return [*names[: k + 1], sub, *names[k + 1 :]]


def _is_long(cell: str) -> bool:
    return len(cell) > 30 or "。" in cell


def _start_column(texts: list[str], roles: dict[str, list[int]]) -> int:
    """Where an unnumbered stacked row begins: at a task column or at the text column."""
    text_col = roles["text"][0] if roles["text"] else 1
    if not texts or _is_long(texts[0]) or not roles["task"]:
        return text_col
    if len(texts) > 1 and not _is_long(texts[1]) and len(roles["task"]) > 1:
        return roles["task"][0]
    return roles["task"][-1]


def _align(text: str, raw: _Raw, header: list[str]) -> list[list[tuple[int, int] | None]]:
    roles = header_roles(header)
    out: list[list[tuple[int, int] | None]] = []
    for row in raw.rows:
        cells: list[tuple[int, int] | None] = [None] * len(header)
        start = 0
        if not row.numbered and not row.pipe_layout:
            start = _start_column([text[a:b] for a, b in row.cells], roles)
        for k, cell in enumerate(row.cells):
            if start + k < len(header):
                cells[start + k] = cell
        out.append(cells)
    return out


def _fill(
    text: MappedText, aligned: list[list[tuple[int, int] | None]], header: list[str]
) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    above: list[Cell] = [Cell("", None) for _ in header]
    roles = header_roles(header)
    for cells in aligned:
        row: list[Cell] = []
        for k, pos in enumerate(cells):
            value = text.text[pos[0] : pos[1]] if pos else ""
            if value or k in roles["number"]:
                row.append(Cell(value, text.span(*pos) if pos else None))
            else:
                row.append(Cell(above[k].text, above[k].span, inherited=bool(above[k].text)))
        rows.append(row)
        above = row
    return rows


def _refs(rows: list[list[Cell]], number_col: int | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    last, letter = "0", 0
    for row in rows:
        value = row[number_col].text if number_col is not None else ""
        if _NUMBER.fullmatch(value):
            last, letter = value, 0
            out.append((f"table/{value}", value))
        else:
            letter += 1
            number = f"{last}{chr(ord('a') + letter)}"
            out.append((f"table/{number}", number))
    return out


def _row_item(text: MappedText, header: list[str], row: list[Cell], ref: str, number: str) -> ItemRecord:
    from extractors.structure import split_sentences

    roles = header_roles(header)
    text_cell = row[roles["text"][0]] if roles["text"] else Cell("", None)
    tasks = [row[k].text for k in roles["task"] if row[k].text]
    title = tasks[-1] if tasks else re.split(r"[。；]", text_cell.text)[0]
    resp = "、".join(row[k].text for k in roles["resp"] if row[k].text) or None
    own = [c.span for c in row if c.span is not None and not c.inherited]
    span = own[0].__class__(min(s.start for s in own), max(s.end for s in own)) if own else text_cell.span
    sentences = []
    if text_cell.span is not None and not text_cell.inherited:
        a = text.position(text_cell.span.start)
        sentences = split_sentences(text, a, a + len(text_cell.text))
    assert span is not None
    return ItemRecord(
        ref=ref,
        title=re.sub(r"\s+", "", title),
        span=span,
        level=0,
        number=number,
        text=text_cell.text,
        sentences=sentences,
        responsibility_note=resp,
        cells=dict(zip(header, row, strict=True)),
    )


def _caption(text: str, start: int) -> str | None:
    before = text[:start].rstrip().rsplit("\n", 1)[-1].strip()
    return before if 0 < len(before) <= 60 and not before.startswith("附件") else None


def find_tables(text: MappedText) -> list[tuple[TableRecord, list[ItemRecord]]]:
    """Every task table in a normalised text, with one ``table/N`` item per row.

    Example: a header ``序号\\t工作任务\\t责任单位`` and rows ``1\\t…`` give items
    ``table/1``, …; a row without a 序号 after row 12 is ``table/12b``.
    """
    out = []
    for raw in _raw_tables(text.text):
        names = [re.sub(r"\s+", "", text.text[a:b]) for a, b in raw.header]
        header = _expand_header(names, raw.rows)
        rows = _fill(text, _align(text.text, raw, header), header)
        number_col = header.index("序号") if "序号" in header else None
        table = TableRecord(header, rows, text.span(raw.start, raw.end), _caption(text.text, raw.start))
        items = [
            _row_item(text, header, row, ref, num)
            for row, (ref, num) in zip(rows, _refs(rows, number_col), strict=True)
        ]
        out.append((table, items))
    return out
