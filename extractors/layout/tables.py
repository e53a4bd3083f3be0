"""Task tables (任务分工/任务分解表): detection in the layouts met in practice, and one item per row.

Layouts: (a) one row per line, cells separated by tabs; (b) cells separated
by ``|`` (with or without outer pipes and ``---`` rows); (c) every cell on its
own line starting with a tab, rows opened by a line holding only the 序号,
and stray rows opened by a line starting with a space; (d) cells separated by
runs of spaces; (e) one cell per line, per block between blank lines, or per
run of lines closed by `` |`` / `` /``. The header may lack 序号 when it holds
only column names (工作任务 | 具体要求 | 责任单位). Empty, merged or missing
cells take the value above (``Cell.inherited``), except section cells and the
cells an excerpt cut off. Section cells (一、…, （一）…) with rows numbered
within them give outline refs (``（一）/1``), as in the document's outline.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from extractors.layout.lines import find_heading, line_spans, split_sentences
from extractors.reading.normalize import MappedText
from extractors.records import Cell, ItemRecord, TableRecord

__all__ = ["find_tables", "header_roles", "heading_units"]

_KEYS = re.compile(
    r"工作任务|具体要求|主要任务|任务内容|重点任务|具体任务|责任单位|牵头单位|配合单位|责任部门|完成时限|时间节点|完成时间|工作措施"
    r"|责任科室|责任处室|牵头部门|配合部门|时限要求|工作要求|有关要求|具体措施|工作内容|落实科室|落实单位|落实部门|主办单位|协办单位"
)
# a short cell that can only be a column name: a header without 序号 must consist of these
_HEADER_WORD = re.compile(
    r"(?:序号|编号|目标|任务|要求|内容|措施|举措|备注|类别|项目|事项"
    r"|(?:工作|重点|主要|具体|有关|任务)?(?:任务|要求|内容|措施|举措|目标|事项)(?:名称|分解)?"
    r"|(?:具体)?工作要求|(?:责任|牵头|配合|协办|主办|主责|参与|落实|承办)(?:单位|部门|科室|处室|股室|主体|领导|司局)"
    r"|(?:公开)?(?:载体|渠道|方式)"
    r"|(?:完成)?时限(?:要求)?|完成(?:时间|标准)|时间(?:节点|要求)?|(?:进度|时间)安排)"
    r"(?:\([^()]{1,6}\))?"  # 责任单位(部门)
)
_NUMBER = re.compile(r"\d{1,3}")
_TEXT_COL = re.compile(r"具体要求|任务内容|工作内容|具体措施|工作措施|主要内容|要求|内容|措施")
_RESP_COL = re.compile(r"责任|牵头|配合|主责|负责|(?:落实|承办|主办|协办)(?:单位|部门|科室|处室|股室)")
_TIME_COL = re.compile(r"时限|时间|节点|期限")
_TASK_COL = re.compile(r"任务|事项|工作|项目|目标")
_SEPARATOR_ROW = re.compile(r"^[\s|:\-]+$")


@dataclass
class _RawRow:
    cells: list[tuple[int, int]]  # offsets of each cell's text in the normalised text
    numbered: bool
    pipe_layout: bool = False
    number_at: int | None = None  # which of ``cells`` holds the 序号, where it is not the first
    lead: bool = False  # opened by a task cell, the text cell (1.…) follows: starts left of the text column
    shares_next: bool = False  # its cells after the text are those of the next row (one cell, several 1. 2.)


@dataclass
class _Raw:
    header: list[tuple[int, int]]
    rows: list[_RawRow] = field(default_factory=list)
    start: int = 0
    end: int = 0
    has_number: bool = True  # the header has a 序号 column
    names: list[str] = field(default_factory=list)  # column names where the header was cut off


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
    """A 序号 column and a known column name, or (without 序号) only column names, one of them 责任….

    Example: ``工作任务 | 具体要求 | 责任单位 | 时限要求`` is a header; ``名称 | 责任单位`` is not.
    """
    cells = [re.sub(r"\s+", "", c) for c in cells]  # 工 作 要 求: a column name spaced out
    if "序号" in cells:
        return sum(bool(_KEYS.search(c)) for c in cells) >= 1
    named = [c for c in cells if c]
    return (
        len(named) >= 3
        and all(_HEADER_WORD.fullmatch(c) for c in named)
        and any(_RESP_COL.search(c) for c in named)
        and sum(bool(_KEYS.search(c)) for c in named) >= 2
    )


_SPACES = re.compile(r"[ \u00a0\u3000]+")


def _header_word(cell: str) -> bool:
    """A column name, also spaced out as printed (工   作   要   求)."""
    return bool(_HEADER_WORD.fullmatch(re.sub(r"\s+", "", cell)))


def _split_spaces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cells of a line whose cells are separated by runs of spaces (text copied from a PDF or a web table)."""
    a, b = _strip(text, a, b)
    cells, pos = [], a
    for m in _SPACES.finditer(text, a, b):
        cells.append((pos, m.start()))
        pos = m.end()
    cells.append((pos, b))
    return cells


def _cells(text: str, a: int, b: int, sep: str) -> list[tuple[int, int]]:
    return _split_spaces(text, a, b) if sep == " " else _split(text, a, b, sep)


def _heading_rank(value: str) -> int:
    """Rank of the outline number opening a cell (1 一、 2 （一） 3 1. 4 （1）), 0 for none."""
    head = find_heading(value)
    return head.rank if head is not None and not _NUMBER.fullmatch(value) else 0


def _body_line(text: str, a: int, b: int, sep: str, raw: _Raw) -> bool:
    """A line without separators inside a table: a section row (一、…) or a numbered requirement (1.…)."""
    line = text[a:b].strip()
    if sep == " " or not line:
        return False
    return _heading_rank(line) in (1, 2) or (_heading_rank(line) == 3 and not raw.has_number)


def _parse_inline(text: str, lines: list[tuple[int, int]], i: int, sep: str) -> _Raw | None:
    """Layouts (a), (b) and (d): the header and each row on one line, cells split by ``sep``.

    A row ends at the line's end; lines without ``sep`` inside the table are section rows
    (一、…) or numbered requirements (1.…) of one cell; any other such line ends the table.
    With spaces as separators a line of one cell is a row of its own (an unnumbered row).
    """
    a, b = lines[i]
    if sep != " " and text.count(sep, a, b) < 1:
        return None
    header = _cells(text, a, b, sep)
    if sep == "|" and header and header[-1][0] == header[-1][1]:
        header = header[:-1]  # ``工作任务 | 责任单位 |``: a closing pipe without an outer one
    first_row = i + 1
    if sep == "|" and i + 1 < len(lines) and (more := _header_rest(text, *lines[i + 1])):
        header, first_row = header + more, i + 2  # ``工作任务 | 具体要求`` + ``| 责任单位 |``
    if not _is_header([text[x:y] for x, y in header]):
        return None
    if sep == "\t" and header and header[0][0] == header[0][1]:
        header = header[1:]  # a leading tab
    raw = _Raw(header, start=a, end=b, has_number="序号" in [text[x:y] for x, y in header])
    blank = 0
    for a2, b2 in lines[first_row:]:
        line = text[a2:b2]
        if not line.strip():
            blank += 1
            if sep == " " and blank > 1:
                break
            continue
        blank = 0
        if sep == " " and _ends_space_table(text, a2, b2):
            break
        if _continues(text, a2, b2, sep, raw, lines):
            raw.end = b2
            continue
        if sep != " " and sep not in line:
            if not _body_line(text, a2, b2, sep, raw):
                break
            cells = [_strip(text, a2, b2)]
        elif sep == "|" and _SEPARATOR_ROW.match(line):
            continue
        else:
            cells = _cells(text, a2, b2, sep)
        if sep == "\t" and cells and cells[0][0] == cells[0][1] and len(cells) > len(header):
            cells = cells[1:]
        values = [text[x:y] for x, y in cells]
        at: int | None = None
        if raw.has_number:
            window = values[:2] if sep == " " else values[:1]  # spaces: a merged first column may be missing
            at = next((k for k, v in enumerate(window) if _NUMBER.fullmatch(v)), None)
        raw.rows.append(_RawRow(cells, at is not None, pipe_layout=sep != " ", number_at=at))
        raw.end = b2
    return raw if raw.rows else None


def _header_rest(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The header cells of a line that continues a header broken over two lines (``| 责任单位 |``)."""
    if not text[a:b].strip().startswith("|"):
        return []
    cells = [c for c in _split(text, a, b, "|") if c[0] < c[1]]
    return cells if cells and all(_header_word(text[x:y]) for x, y in cells) else []


def _continues(text: str, a: int, b: int, sep: str, raw: _Raw, lines: list[tuple[int, int]]) -> bool:
    """Join a line to the last row when that row's last cell ran over the line's end.

    The row must lack cells (and, with pipes, its line must not end in a closing ``|``) and
    this line must not open a row (序号, 一、, 1.): ``1 | 做好政策解读，`` + ``加强回应。 | 区政府办公室``.
    """
    if sep == " " or not raw.rows:
        return False
    row = raw.rows[-1]
    if len(row.cells) >= len(raw.header):
        return False
    if sep == "|":
        prev_end = row.cells[-1][1]
        line_end = text.find("\n", prev_end)
        if text[prev_end : len(text) if line_end < 0 else line_end].strip().endswith("|"):
            return False
    cells = _cells(text, a, b, sep) if sep in text[a:b] else [_strip(text, a, b)]
    first = text[cells[0][0] : cells[0][1]]
    opens = (raw.has_number and _NUMBER.fullmatch(first)) or _heading_rank(first)
    if opens or _SEPARATOR_ROW.match(text[a:b]):
        return False
    if len(row.cells) + len(cells) - 1 > len(raw.header):
        return False
    row.cells[-1] = (row.cells[-1][0], cells[0][1])
    row.cells.extend(cells[1:])
    return True


def _ends_space_table(text: str, a: int, b: int) -> bool:
    return bool(_END.match(text, a, b)) or _is_header([text[x:y] for x, y in _split_spaces(text, a, b)])


_END = re.compile(r"\s*(附件|附表|抄送|主送|联系人|联系电话)")


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


_TERMINATOR = re.compile(r"\s+[|/｜]\s*$|\s*[|｜]\s*$")


def _cell_word(text: str, a: int, b: int) -> str:
    """A line's text without its indent and a closing `` |`` or `` /``."""
    line = text[a:b].strip()
    return _TERMINATOR.sub("", line).strip() if _TERMINATOR.search(line) else line


def _tokens(text: str, lines: list[tuple[int, int]], i: int, mode: str) -> list[tuple[int, int]]:
    """The cells from line ``i`` on, one per line (``line``), per block of lines between blank
    lines (``block``) or per run of lines closed by `` |`` / `` /`` (``term``); up to a 附件 line."""
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    prev = lines[i][1]
    for a, b in lines[i:]:
        line = text[a:b]
        if _END.match(line) and open_at is None:
            break
        if not line.strip():
            if mode == "block" and open_at is not None:
                out.append(_strip(text, open_at, prev))
                open_at = None
            continue
        prev = b
        if mode == "line":
            out.append(_strip(text, a, b))
        elif mode == "block":
            open_at = a if open_at is None else open_at
        else:
            open_at = a if open_at is None else open_at
            m = _TERMINATOR.search(line)
            if m:
                out.append(_strip(text, open_at, a + m.start()))
                open_at = None
    if open_at is not None:
        out.append(_strip(text, open_at, prev))
    return out


def _parse_cells(text: str, lines: list[tuple[int, int]], i: int) -> _Raw | None:
    """Layout (e): one cell per line, per block of lines or per run closed by `` |``, header first.

    The header is the run of column names; with a 序号 column a bare number opens a row, without
    one a cell opening with 1. does; a section cell (一、…, （一）…) is a row of its own; any other
    cell joins the open row, or opens an unnumbered row when that one is full.
    """
    first = text[lines[i][0] : lines[i][1]]
    ahead = range(i + 1, min(i + 3, len(lines)))
    nxt = next((k for k in ahead if text[lines[k][0] : lines[k][1]].strip()), None)
    if _TERMINATOR.search(first.strip()):
        mode = "term"
    elif nxt is not None and nxt > i + 1:
        mode = "block"
    else:
        mode = "line"
    cells = _tokens(text, lines, i, mode)
    k = 0
    while k < len(cells) and _header_word(text[cells[k][0] : cells[k][1]]):
        k += 1
    header = cells[:k]
    names = [text[a:b] for a, b in header]
    if len(header) < 3 or not _is_header(names):
        return None
    names = [re.sub(r"\s+", "", n) for n in names]
    raw = _Raw(header, start=lines[i][0], end=header[-1][1], has_number="序号" in names)
    return _cell_rows(text, raw, cells[k:], names)


def _cell_rows(text: str, raw: _Raw, body: list[tuple[int, int]], names: list[str]) -> _Raw | None:
    """The rows of a table of one cell per line or block (layout (e)), after its header."""
    header = names
    row: _RawRow | None = None
    roles = header_roles(names)
    width = len(header) - (roles["text"][0] if roles["text"] else 1)  # cells of a row opened by 1.
    grouped = False  # the rows since the last task or section cell have a cell after their text
    for n, (a, b) in enumerate(body):
        value = text[a:b]
        rank = _heading_rank(value)
        raw.end = b
        if raw.has_number and _NUMBER.fullmatch(value):
            row = _RawRow([(a, b)], True, pipe_layout=True, number_at=0)
            raw.rows.append(row)
        elif rank in (1, 2) and len(value) <= 40:
            raw.rows.append(_RawRow([(a, b)], False, pipe_layout=True))
            row, grouped = None, False
        elif not raw.has_number and rank >= 3:
            if row is not None and row.lead and len(row.cells) == 1:
                row.cells.append((a, b))  # the task cell's first requirement
                continue
            if row is not None and len(row.cells) == (2 if row.lead else 1) and not grouped:
                row.shares_next = True  # 3. 4. 5. in one cell, the units after the last
            row = _RawRow([(a, b)], False)
            raw.rows.append(row)
        elif (
            not raw.has_number
            and rank == 0
            and n + 1 < len(body)
            and _heading_rank(text[body[n + 1][0] : body[n + 1][1]]) >= 3
            and (row is None or len(row.cells) >= (width + 1 if row.lead else width))
        ):
            row, grouped = _RawRow([(a, b)], False, lead=True), False  # a task cell heading the rows below
            raw.rows.append(row)
        elif row is None or len(row.cells) >= len(header):
            row = _RawRow([(a, b)], False)
            raw.rows.append(row)
        else:
            row.cells.append((a, b))
            grouped = grouped or not raw.has_number
    return raw if raw.rows else None


_ROLE_WORDS = re.compile(r"(?:牵头|配合|统筹|负责|落实|参照落实|按职责分工落实|按职责落实)[。.]?$")
_MIN_HEADERLESS = 6  # cells closed by `` |`` before a table without its header counts as one


def _looks_resp(cell: str) -> bool:
    """A 责任单位 cell: units joined by 、，；, each perhaps with its role (法规科牵头，相关科(室)配合)."""
    parts = [re.sub(r"[(（][^()（）]{1,10}[)）]", "", p) for p in re.split(r"[、,，;；]", cell.rstrip("。."))]
    parts = [_ROLE_WORDS.sub("", p.strip()) for p in parts if p.strip()]
    return bool(parts) and all(_ORGAN_END.search(p) for p in parts if p)


def _headerless(text: str, lines: list[tuple[int, int]], i: int) -> _Raw | None:
    """Layout (e) closed by `` |`` whose header an excerpt cut off: rows open with 一、 or 1., the
    cells after the requirement are named by what they hold (units → 责任单位, a time → 完成时限)."""
    if i > 0 and _TERMINATOR.search(text[lines[i - 1][0] : lines[i - 1][1]].strip()):
        return None  # not the first line of the run
    cells = _tokens(text, lines, i, "term")
    values = [text[a:b] for a, b in cells]
    ranks = [_heading_rank(v) for v in values]
    if len(cells) < _MIN_HEADERLESS or sum(r >= 3 for r in ranks) < 2:
        return None
    first = next((k for k, r in enumerate(ranks) if r), None)
    if first is None:
        return None
    tails: list[list[str]] = []  # per row opened by 1., the cells after the requirement
    for v, r in zip(values[first:], ranks[first:], strict=True):
        if r >= 3:
            tails.append([])
        elif r == 0 and tails:
            tails[-1].append(v)
    width = max((len(t) for t in tails), default=0)
    names = ["工作任务", "具体要求"]
    for col in range(width):
        column = [t[col] for t in tails if len(t) > col]
        if sum(_looks_resp(v) for v in column) * 2 > max(len(column), len(tails)):
            names.append("责任单位")
        elif sum(bool(_DEADLINE.search(v)) and len(v) <= 15 for v in column) * 2 > len(column):
            names.append("完成时限")
        else:
            names.append("备注")
    if "责任单位" not in names:
        return None
    raw = _Raw([], start=cells[first][0], end=cells[first][1], has_number=False, names=names)
    return _cell_rows(text, raw, cells[first:], names)


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


def _parse_one_line(text: str, lines: list[tuple[int, int]], i: int) -> _Raw | None:
    line = text[lines[i][0] : lines[i][1]]
    if "|" in line:
        return _parse_inline(text, lines, i, "|")
    if "\t" in line:
        return _parse_inline(text, lines, i, "\t")
    if _SPACES.search(line.strip()):
        return _parse_inline(text, lines, i, " ")
    return None


def _raw_tables(text: str) -> list[_Raw]:
    lines = line_spans(text)
    found: list[_Raw] = []
    i = 0
    while i < len(lines):
        a, b = lines[i]
        line = text[a:b]
        raw = None
        if ("序号" in line or _KEYS.search(line)) and len(line) <= 100:
            if line.strip() == "序号" and line.startswith("\t"):
                raw = _parse_stacked(text, lines, i)
            if raw is None and _header_word(_cell_word(text, a, b)):
                raw = _parse_cells(text, lines, i)
            if raw is None:
                raw = _parse_one_line(text, lines, i)
        elif _TERMINATOR.search(line.strip()) and _heading_rank(_cell_word(text, a, b)):
            raw = _headerless(text, lines, i)
        if raw is not None:
            _take_lead(text, lines, i, raw, found[-1].end if found else 0)
            found.append(raw)
            while i < len(lines) and lines[i][0] < raw.end:
                i += 1
            continue
        i += 1
    return found


def _take_lead(text: str, lines: list[tuple[int, int]], i: int, raw: _Raw, floor: int) -> None:
    """A section heading just above the header that names units (一、区发改局负责落实的工作任务)
    heads the table's first rows: it becomes the table's first (section) row."""
    j = i - 1
    while j >= 0 and not text[lines[j][0] : lines[j][1]].strip():
        j -= 1
    if j < 0 or lines[j][0] < floor:
        return
    a, b = _strip(text, *lines[j])
    if _is_section(text[a:b]) and len(text[a:b]) <= 80 and _units(text[a:b]):
        raw.rows.insert(0, _RawRow([(a, b)], False, pipe_layout=True))
        raw.start = lines[j][0]


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
    """Each row's cells under the header's columns.

    A 序号 goes under 序号 (cells before it to its left); in a table without 序号 a cell opening
    with 1. goes under the text column and a section cell (一、, （一）) under the first column;
    other unnumbered rows of the stacked and space layouts begin where their content says.
    """
    roles = header_roles(header)
    text_col = roles["text"][0] if roles["text"] else min(1, len(header) - 1)
    number_col = roles["number"][0] if roles["number"] else 0
    out: list[list[tuple[int, int] | None]] = []
    for row in raw.rows:
        cells: list[tuple[int, int] | None] = [None] * len(header)
        values = [text[a:b] for a, b in row.cells]
        first = _heading_rank(values[0]) if values else 0
        start = 0
        if row.number_at is not None:
            start = number_col - row.number_at
        elif row.lead:
            start = max(0, text_col - 1)
        elif not raw.has_number and first >= 3:
            start = text_col
        elif not raw.has_number and first in (1, 2):
            start = 0
        elif not row.numbered and not row.pipe_layout:
            start = _start_column(values, roles)
        for k, cell in enumerate(row.cells):
            if 0 <= start + k < len(header):
                cells[start + k] = cell
        out.append(cells)
    return out


def _fill(
    text: MappedText, aligned: list[list[tuple[int, int] | None]], header: list[str], cut: bool = False
) -> list[list[Cell]]:
    """Cells with their values; an empty or missing cell takes the one above (merged cells).

    Section cells (一、…, （一）…) are not carried down; with ``cut`` (the table runs to the end
    of an excerpt) the last row's missing cells after its last one stay empty: they were cut off.
    """
    rows: list[list[Cell]] = []
    above: list[Cell] = [Cell("", None) for _ in header]
    roles = header_roles(header)
    for n, cells in enumerate(aligned):
        row: list[Cell] = []
        present = [k for k, pos in enumerate(cells) if pos is not None]
        tail = present[-1] if cut and n == len(aligned) - 1 and present else len(cells)
        for k, pos in enumerate(cells):
            value = text.text[pos[0] : pos[1]] if pos else ""
            if value or k in roles["number"] or k > tail:
                row.append(Cell(value, text.span(*pos) if pos else None))
            else:
                row.append(Cell(above[k].text, above[k].span, inherited=bool(above[k].text)))
        rows.append(row)
        above = [Cell("", None) if _is_section(c.text) else c for c in row]
    return rows


def _share_next(raw: _Raw, rows: list[list[Cell]], header: list[str]) -> list[list[Cell]]:
    """Rows whose requirement shares one cell with the next ones take the cells after it from below."""
    roles = header_roles(header)
    after = (roles["text"][0] if roles["text"] else 0) + 1
    for k in range(len(rows) - 2, -1, -1):
        if not raw.rows[k].shares_next:
            continue
        for c in range(after, len(header)):
            below = rows[k + 1][c]
            if below.text and (not rows[k][c].text or rows[k][c].inherited):
                rows[k][c] = Cell(below.text, below.span, inherited=True)
    return rows


def _is_section(value: str) -> bool:
    return _heading_rank(value) in (1, 2)


def _refs(rows: list[list[Cell]], number_col: int | None) -> list[tuple[str, str]]:
    """``table/N`` by the 序号, lettered after the last one for rows without; by position without 序号."""
    if number_col is None:
        return [(f"table/{k}", str(k)) for k in range(1, len(rows) + 1)]
    out: list[tuple[str, str]] = []
    last, letter = "0", 0
    for row in rows:
        value = row[number_col].text
        if _NUMBER.fullmatch(value):
            last, letter = value, 0
            out.append((f"table/{value}", value))
        else:
            letter += 1
            number = f"{last}{chr(ord('a') + letter)}"
            out.append((f"table/{number}", number))
    return out


def _row_item(text: MappedText, header: list[str], row: list[Cell], ref: str, number: str) -> ItemRecord:
    roles = header_roles(header)
    text_cell = row[roles["text"][0]] if roles["text"] else Cell("", None)
    tasks = [row[k].text for k in roles["task"] if row[k].text and not _is_section(row[k].text)]
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


_REQUIREMENT = re.compile(r"(?:^|(?<=[；;。\n]))\s*(\d{1,2})[.．、](?!\d)")


def _requirements(text: MappedText, header: list[str], item: ItemRecord) -> list[ItemRecord]:
    """Sub-items of a numbered row whose requirement cell lists 1.…；2.…；3.… (``table/2/1``, …).

    They name no units of their own: the row's stay with the row, which keeps all it mentions.
    """
    roles = header_roles(header)
    cell = item.cells.get(header[roles["text"][0]]) if roles["text"] else None
    if cell is None or cell.span is None or cell.inherited:
        return []
    marks = list(_REQUIREMENT.finditer(cell.text))
    if len(marks) < 2 or [m.group(1) for m in marks] != [str(k) for k in range(1, len(marks) + 1)]:
        return []
    base = text.position(cell.span.start)
    out = []
    for k, m in enumerate(marks):
        a = m.start(1)
        b = marks[k + 1].start() if k + 1 < len(marks) else len(cell.text)
        body = cell.text[m.end() : b].strip()
        out.append(
            ItemRecord(
                ref=f"{item.ref}/{m.group(1)}",
                title=re.sub(r"\s+", "", re.split(r"[。；;]", body)[0]),
                span=text.span(base + a, base + b),
                level=1,
                number=m.group(1),
                text=cell.text[a:b],
                parent_ref=item.ref,
                sentences=split_sentences(text, base + a, base + b),
            )
        )
    return out


def _caption(text: str, start: int) -> str | None:
    before = text[:start].rstrip().rsplit("\n", 1)[-1].strip()
    return before if 0 < len(before) <= 60 and not before.startswith("附件") else None


_UNITS_HEADING = re.compile(
    r"(?P<units>[^，。；,;：:]{2,80}?)(?:牵头|共同|分别)?(?:负责|承担)(?:落实|推进|实施|完成|办理)?的(?:重点|主要|具体)?(?:工作)?任务"
)


# a heading whose subject is a list of units: 各区县人民政府、市政府各部门要…
_UNITS_SUBJECT = re.compile(r"要|应当|应|须|必须|负责")


@dataclass
class _Section:
    """A section cell of a table (一、…, （一）…): its ref, cell and the units it names."""

    rank: int
    ref: str
    number: str
    cell: Cell
    units: str | None
    rows: int = 0


def _units(value: str) -> str | None:
    """The units a section cell makes responsible: 一、区发改局负责落实的工作任务 → 区发改局."""
    head = find_heading(value)
    return heading_units(value[head.body_start :] if head is not None else value.lstrip())


def heading_units(title: str) -> str | None:
    """The units a heading's title names as responsible for what follows it, or None.

    Example: ``heading_units("区发改局、区财政局负责落实的工作任务") == "区发改局、区财政局"``.
    """
    m = _UNITS_HEADING.match(title.strip())
    if m:
        return m.group("units")
    title = title.strip()
    for m in _UNITS_SUBJECT.finditer(title):  # 各县（区）人民政府要加强基层政务公开; 市应急管理局要…
        units = title[: m.start()]
        if re.search(r"[，。；,;：:]", units):
            break
        if _unit_list(units):
            return units
    return None


def _unit_list(text: str) -> bool:
    """Whether ``text`` is a list of units only: 各区县人民政府、市政府各部门; 各县（市、区）政府."""
    bare = re.sub(r"[(（〔][^()（）〔〕]{1,12}[)）〕]", "", text)
    parts = [p for p in re.split(r"[、,，和及与]", bare) if p]
    return bool(parts) and all(
        len(p) >= 2 and (_ORGAN_END.search(p) is not None or (p.startswith("各") and len(p) <= 5))
        for p in parts
    )


def _outline_refs(
    header: list[str], rows: list[list[Cell]], number_col: int | None
) -> tuple[list[tuple[str, str, _Section | None, list[str]]], list[_Section]] | None:
    """Refs that follow section cells inside the table, or None where plain ``table/N`` refs apply.

    They apply where section cells (一、, （一）) head the rows and the rows are numbered within each
    section (by a restarting 序号 or by 1. opening the text cell), or where a table without 序号
    numbers its rows in the text cell. Per row: (ref, number, its section, units of its sections).
    """
    roles = header_roles(header)
    text_col = roles["text"][0] if roles["text"] else 0
    sectioned = any(_row_section(row, number_col) is not None for row in rows)
    if number_col is not None:
        numbers = [row[number_col].text for row in rows if _NUMBER.fullmatch(row[number_col].text)]
        if not (sectioned and len(numbers) != len(set(numbers))):
            return None
    elif not sectioned:  # rows numbered 1. in the text cell, unless the numbers restart (unnamed groups)
        heads = [find_heading(row[text_col].text) for row in rows if _heading_rank(row[text_col].text) >= 3]
        labels = [h.label for h in heads if h is not None]
        if not labels or len(labels) != len(set(labels)):
            return None
    stack: list[_Section] = []
    sections: list[_Section] = []
    out: list[tuple[str, str, _Section | None, list[str]]] = []
    last, letter = "", 0
    for row in rows:
        found = _row_section(row, number_col)
        own: _Section | None = None
        sec_k = None
        if found is not None:
            rank, label, sec_k = found
            while stack and stack[-1].rank >= rank:
                stack.pop()
            ref = f"{stack[-1].ref}/{label}" if stack else label
            own = _Section(rank, ref, label, row[sec_k], _units(row[sec_k].text))
            stack.append(own)
            sections.append(own)
            last, letter = "", 0
        content = [
            k for k, c in enumerate(row) if c.text and not c.inherited and k != sec_k and k != number_col
        ]
        if not content:
            out.append(("", "", own, []))  # a section row and nothing else
            continue
        parent = stack[-1].ref if stack else ""
        number = ""
        if number_col is not None and _NUMBER.fullmatch(row[number_col].text):
            number = row[number_col].text
        elif _heading_rank(row[text_col].text) >= 3:
            head = find_heading(row[text_col].text)
            number = head.label if head is not None else ""
        if number:
            plain = f"table/{number}" if number_col is not None else number
            ref = f"{parent}/{number}" if parent else plain
            last, letter = ref, 0
        else:
            letter += 1
            ref = f"{last or parent or 'table/0'}{chr(ord('a') + letter)}"
            number = ref.rsplit("/", 1)[-1]
        for sec in stack:
            sec.rows += 1
        out.append((ref, number, own, [s.units for s in stack if s.units]))
    return out, sections


_CN_NUMERAL = re.compile(r"[一二三四五六七八九十]{1,3}")


def _row_section(row: list[Cell], number_col: int | None) -> tuple[int, str, int] | None:
    """The section a row opens: (rank, label, column of its title cell), or None.

    A cell opening with 一、 or （一）, or a 序号 cell holding a Chinese numeral (一, 二) with its
    title in the next cell.
    """
    for k, c in enumerate(row):
        if not c.inherited and _is_section(c.text):
            head = find_heading(c.text)
            assert head is not None
            return head.rank, head.label, k
    if (
        number_col is not None
        and not row[number_col].inherited
        and _CN_NUMERAL.fullmatch(row[number_col].text)
    ):
        title = next(
            (k for k, c in enumerate(row) if k != number_col and c.text and not c.inherited), number_col
        )
        return 1, row[number_col].text, title
    return None


def _section_units(rows: list[list[Cell]], number_col: int | None) -> list[list[str]]:
    """Per row, the units its section cells above name (一、区财政局负责落实的工作任务 → 区财政局)."""
    stack: list[tuple[int, str | None]] = []
    out: list[list[str]] = []
    for row in rows:
        found = _row_section(row, number_col)
        if found is not None:
            rank, _label, k = found
            while stack and stack[-1][0] >= rank:
                stack.pop()
            stack.append((rank, _units(row[k].text)))
        out.append([u for _, u in stack if u])
    return out


def _section_only(row: list[Cell], number_col: int | None) -> bool:
    found = _row_section(row, number_col)
    own = [k for k, c in enumerate(row) if c.text and not c.inherited and k != number_col]
    return found is not None and own in ([], [found[2]])


def _section_item(text: MappedText, sec: _Section) -> ItemRecord:
    value = sec.cell.text
    head = find_heading(value)
    body = value[head.body_start :] if head is not None else value
    sentences = []
    if sec.cell.span is not None:
        a = text.position(sec.cell.span.start)
        sentences = split_sentences(text, a, a + len(value))
    assert sec.cell.span is not None
    return ItemRecord(
        ref=sec.ref,
        title=re.sub(r"\s+", "", re.split(r"[。；]", body)[0]),
        span=sec.cell.span,
        level=0,
        number=sec.number,
        text=value,
        sentences=sentences,
        responsibility_note=sec.units,
    )


def _outline_items(
    text: MappedText,
    header: list[str],
    rows: list[list[Cell]],
    refs: list[tuple[str, str, _Section | None, list[str]]],
    sections: list[_Section],
) -> list[ItemRecord]:
    """Row items with outline refs, each section that is an item before its first row.

    A 一、 section is an item only where no row falls under it (as in the outline); its cell then
    belongs to the row beside it. A （一） section is an item and keeps its cell to itself.
    """
    items: list[ItemRecord] = []
    for row, (ref, number, own, units) in zip(rows, refs, strict=True):
        if own is not None and (own.rank != 1 or own.rows == 0) and own.cell.span is not None:
            items.append(_section_item(text, own))
            row = [Cell("", None) if c is own.cell else c for c in row]
        if ref:
            item = _row_item(text, header, row, ref, number)
            notes = [n for n in (*units, item.responsibility_note) if n]
            item.responsibility_note = "、".join(dict.fromkeys(notes)) or None
            items.append(item)
    return items


def find_tables(text: MappedText) -> list[tuple[TableRecord, list[ItemRecord]]]:
    """Every task table in a normalised text, with one item per row.

    Example: a header ``序号\\t工作任务\\t责任单位`` and rows ``1\\t…`` give items
    ``table/1``, …; a row without a 序号 after row 12 is ``table/12b``. Where section cells
    (一、…, （一）…) head rows numbered within them, refs follow the outline: ``（一）/1``.
    """
    out = []
    for raw in _raw_tables(text.text):
        names = raw.names or [re.sub(r"\s+", "", text.text[a:b]) for a, b in raw.header]
        header = _expand_header(names, raw.rows)
        cut = not text.text[raw.end :].strip()
        rows = _share_next(raw, _fill(text, _align(text.text, raw, header), header, cut), header)
        number_col = header.index("序号") if "序号" in header else None
        table = TableRecord(header, rows, text.span(raw.start, raw.end), _caption(text.text, raw.start))
        outline_refs = _outline_refs(header, rows, number_col)
        if outline_refs is not None:
            items = _outline_items(text, header, rows, *outline_refs)
        else:  # a row holding only a section heading (一、…) is no row of its own here
            units = _section_units(rows, number_col)
            keep = [k for k, r in enumerate(rows) if number_col is None or not _section_only(r, number_col)]
            rows = [rows[k] for k in keep]
            items = [
                _row_item(text, header, row, ref, num)
                for row, (ref, num) in zip(rows, _refs(rows, number_col), strict=True)
            ]
            for item, k in zip(items, keep, strict=True):
                notes = [n for n in (*units[k], item.responsibility_note) if n]
                item.responsibility_note = "、".join(dict.fromkeys(notes)) or None
            if number_col is not None:
                items = [sub for item in items for sub in (item, *_requirements(text, header, item))]
        out.append((table, items))
    return out
