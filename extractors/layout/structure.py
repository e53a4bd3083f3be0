"""Document structure: the numbered outline (一、 （一） 1. （1） ①) and body sentences.

Input is a normalised :class:`~extractors.reading.normalize.MappedText` (NFKC, so
（一） arrives as (一)); every span in the output is a span of the original.
Refs follow spec/ANNOTATION.md: numbers joined by ``/`` with full-width
brackets and no trailing 、 or . (一/（五）, 二/（一）/1, table/12b).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.layout.lines import (
    BLANKS,
    CN_DIGITS,
    HEADINGS,
    Heading,
    find_heading,
    line_spans,
    split_sentences,
)
from extractors.layout.tables import find_tables, heading_units
from extractors.reading.normalize import MappedText
from extractors.records import ItemRecord, Sentence, TableRecord

__all__ = [
    "Outline",
    "find_notes",
    "join_broken_lines",
    "outline",
]

_TERMINAL = "。！？；!?;)）】〕"
_END_MARKERS = re.compile(rf"[{BLANKS}]*(附件|附表|抄送|主送)\s*[:：\d]?")
_NOTE = re.compile(r"[(（〔【\[]\s*(?:责任|牵头|配合|主责|协办|参与)(?:单位|部门|处室|科室)\s*[:：]")
# an unlabelled note closing a paragraph: (省发展改革委、省财政厅牵头,各州、市人民政府按职责分工负责)
# (also before the paragraph's last 。: …做好解读（X司牵头落实）。 at a line end)
_ROLE_NOTE = re.compile(
    r"(?:(?<=[。；;!！])\s*|(?=[(（][^\n]{2,130}?[)）]\s*[。；;]?\s*(?:\n|$)))"
    r"[(（](?P<inner>(?:[^()（）。\n〔〕]|[(（〔][^()（）〔〕\n]{1,12}[)）〕]){2,120}?"
    r"(?:牵头|负责|配合|参与|协助|落实|承办|办理))\s*[)）]"
)
# a bare list of units closing a task: …做好备案工作。（办公室、法规处） or …工作（市场处）。
_UNIT_NOTE = re.compile(
    r"(?:(?<=[。；;!！])\s*|(?<=[^\s局办委府门位处室科所院站队司厅部心会组])(?=[(（][^\n]{2,80}?[)）]\s*[。；;]?\s*(?:\n|$)))"
    r"[(（](?P<inner>[^()（）\n:：]{2,80}?)[)）]"
)
_UNIT_PART = re.compile(
    r"[^、,，;；]{2,20}?(?:局|办|委|政府|部门|单位|办事处|处|室|科|所|院|站|队|司|厅|部|中心|组)"
)
# a note the excerpt cuts off: …做好解读。（市发改委牵头，各区
_CUT_NOTE = re.compile(r"(?<=[。；;!！])\s*[(（](?P<inner>[^()（）\n]{2,120})\s*$")
_NOT_UNITS = re.compile(r"^(?:以下|简称|下同|含|不含|见|包括|如|即|详见|参见)")
# a label without brackets: …做好公开。责任单位：区发改局、区财政局 (to the line's end or 。)
_BARE_NOTE = re.compile(
    r"(?:(?<=[。；;!！\s])|^)(?:责任|牵头|配合|主责|协办|参与)(?:单位|部门|处室|科室)\s*[:：]\s*(?P<inner>[^\n。]{2,200})",
    re.M,
)
_NOTE_LINE = re.compile(
    r"\n\s*[(（〔【\[]?\s*(?:责任|牵头|配合|主责|协办|参与)(?:单位|部门|处室|科室)\s*[:：]"
)
_OPENERS = "(（〔【["
_CLOSERS = ")）〕】]"


@dataclass
class Outline:
    """The outline of a document: items (numbered and table rows), tables and sentences."""

    items: list[ItemRecord] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tables: list[TableRecord] = field(default_factory=list)
    start: int = 0  # offsets in the normalised text where the numbered outline begins/ends
    end: int = 0


def join_broken_lines(text: MappedText, start: int = 0, end: int | None = None) -> MappedText:
    """Join lines a page break split mid-sentence, within ``[start, end)``.

    A line is joined to the previous non-blank line when that one does not end
    in sentence punctuation and this one does not start a heading. Lines that
    are headings of rank 1 (一、…) are never continued.
    """
    end = len(text) if end is None else end
    cuts: list[tuple[int, int]] = []
    prev: tuple[int, int] | None = None
    prev_rank = 0
    for a, b in line_spans(text.text):
        line = text.text[a:b]
        if a < start or b > end or not line.strip(BLANKS):
            continue
        head = find_heading(line)
        if prev is not None and head is None and prev_rank != 1:
            tail = text.text[prev[0] : prev[1]].rstrip(BLANKS)
            if tail and tail[-1] not in _TERMINAL:
                lead = len(line) - len(line.lstrip(BLANKS))
                cuts.append((prev[0] + len(tail), a + lead))
        prev = (a, b)
        prev_rank = head.rank if head else 0
    return text.delete(cuts)


def _end_of_outline(text: str, start: int) -> int:
    for a, b in line_spans(text):
        if a > start and _END_MARKERS.match(text[a:b]):
            return a
    return len(text)


def _first_heading(text: str) -> int | None:
    found: dict[int, int] = {}
    for a, b in line_spans(text):
        head = find_heading(text[a:b])
        if head and head.number in ("一", "1", "①") and head.rank not in found:
            found[head.rank] = a
    return found[min(found)] if found else None


def find_notes(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Responsibility notes in ``text[start:end]``: (start, end, list text).

    A labelled note (（责任单位：…）, 〔牵头单位：…；责任单位：…〕, （牵头处室：…）) with nested
    brackets balanced; an unlabelled one closing a sentence, or the paragraph before its last
    。, whose list ends with a role (（省发展改革委、省财政厅牵头，各州、市人民政府按职责分工负责）,
    （市府办〔市数据局〕牵头落实）); a bare list of units there (（办公室、法规处）); or a label
    without brackets after a sentence, to the line's end (。责任单位：区发改局、区财政局).
    """
    out = []
    for m in _NOTE.finditer(text, start, end):
        depth, i = 0, m.start()
        while i < end:
            if text[i] in _OPENERS:
                depth += 1
            elif text[i] in _CLOSERS:
                depth -= 1
                if depth == 0:
                    break
            i += 1
        close = min(i + 1, end)
        inner = text[m.end() : close - 1 if i < end else close]
        out.append((m.start(), close, re.sub(r"\s+", "", inner)))
    for m in _ROLE_NOTE.finditer(text, start, end):
        if not any(a <= m.start("inner") < b for a, b, _ in out):
            out.append((m.start(), m.end(), re.sub(r"\s+", "", m.group("inner"))))
    for m in _BARE_NOTE.finditer(text, start, end):
        if not any(a <= m.start() < b for a, b, _ in out):
            out.append((m.start(), m.end(), re.sub(r"\s+", "", m.group("inner")).rstrip(";；,，")))
    cut = _CUT_NOTE.search(text, start, end)
    if cut is not None and not text[cut.end() :].strip() and not any(a <= cut.start() < b for a, b, _ in out):
        inner = re.sub(r"\s+", "", cut.group("inner"))
        first = re.split(r"[、,，;；]", inner)[0]
        if _UNIT_PART.fullmatch(re.sub(r"(?:牵头|负责|配合|落实)+$", "", first)) and not _NOT_UNITS.match(
            inner
        ):
            out.append((cut.start(), cut.end(), inner))
    for m in _UNIT_NOTE.finditer(text, start, end):
        inner = re.sub(r"\s+", "", m.group("inner"))
        parts = re.split(r"[、,，;；]", inner)
        if _NOT_UNITS.match(inner) or not all(_UNIT_PART.fullmatch(p) for p in parts):
            continue
        if not any(a <= m.start("inner") < b for a, b, _ in out):
            out.append((m.start(), m.end(), inner))
    return sorted(out)


@dataclass
class _Node:
    head: Heading
    ref: str
    level: int
    start: int  # line start
    own_end: int = 0  # end of its own text (before the first child)
    end: int = 0  # end of the whole subtree
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)


def _parse_nodes(text: str, start: int, end: int) -> list[_Node]:
    nodes: list[_Node] = []
    stack: list[_Node] = []
    for a, b in line_spans(text):
        if a < start or a >= end:
            continue
        head = find_heading(text[a:b], a)
        if head is None and not text[b:end].strip():
            head = _cut_heading(text[a:b], a, nodes)
        if head is None:
            continue
        while stack and stack[-1].head.rank >= head.rank:
            stack.pop()
        parent = stack[-1] if stack else None
        ref = f"{parent.ref}/{head.label}" if parent else head.label
        node = _Node(head, ref, len(stack) + 1, a, parent=parent)
        if parent:
            parent.children.append(node)
        nodes.append(node)
        stack.append(node)
    for i, node in enumerate(nodes):
        nxt = nodes[i + 1].start if i + 1 < len(nodes) else end
        node.own_end = nxt
        following = [n.start for n in nodes[i + 1 :] if n.head.rank <= node.head.rank]
        node.end = following[0] if following else end
    return nodes


def _cut_heading(line: str, offset: int, nodes: list[_Node]) -> Heading | None:
    """A 一、 or （二） the excerpt cuts off after its number (last line): the next of its rank."""
    for rank, rx in HEADINGS[:2]:
        m = rx.fullmatch(line.strip(BLANKS))
        if m:
            head = Heading(rank, m.group(1), offset + len(line))
            same = [n for n in nodes if n.head.rank == rank]
            if same and _value(head) == _value(same[-1].head) + 1:
                return head
    return None


def _trim_closing(text: str, nodes: list[_Node]) -> None:
    """Drop a closing paragraph after the last item when no other item runs over several paragraphs."""
    if len(nodes) < 2:
        return
    multi = any("\n" in text[n.start : n.own_end].strip() for n in nodes[:-1])
    if multi:
        return
    last = nodes[-1]
    first_break = text.find("\n", last.start, last.own_end)
    while first_break != -1 and _NOTE_LINE.match(text, first_break):  # its 责任单位 line stays
        first_break = text.find("\n", first_break + 1, last.own_end)
    if first_break != -1:
        for n in (last, *_ancestors(last)):
            n.own_end = min(n.own_end, first_break)
            n.end = min(n.end, first_break)


def _ancestors(node: _Node) -> list[_Node]:
    out = []
    while node.parent is not None:
        node = node.parent
        out.append(node)
    return out


def _title(text: str, start: int, end: int) -> str:
    line_end = text.find("\n", start, end)
    head = text[start : line_end if line_end != -1 else end]
    m = re.search(rf"[。！？；!?;:：]|(?<=\S)[{BLANKS}]+(?=\S)", head)  # a blank run: the body follows
    title = head[: m.start()] if m else head
    return re.sub(rf"[{BLANKS}]+", "", title)


def _item(text: MappedText, node: _Node) -> ItemRecord:
    s = text.text
    body = node.head.body_start
    notes = find_notes(s, body, node.own_end)
    # a heading above that names units (一、市发改委负责落实的工作任务) makes them responsible
    named = [heading_units(_first_line(s, n.head.body_start, n.own_end)) for n in reversed(_ancestors(node))]
    listed = [*(u for u in named if u), *(n for _, _, n in notes)]
    end = node.end
    while end > node.start and s[end - 1] in "\n" + BLANKS:
        end -= 1
    return ItemRecord(
        ref=node.ref,
        title=_title(s, body, node.own_end),
        span=text.span(node.start, end),
        level=node.level,
        number=node.head.label,
        text=s[node.start : end],
        parent_ref=node.parent.ref if node.parent else None,
        sentences=split_sentences(text, body, node.own_end, [(a, b) for a, b, _ in notes]),
        responsibility_note="、".join(listed) or None,
    )


def _first_line(s: str, start: int, end: int) -> str:
    stop = s.find("\n", start, end)
    return s[start : stop if stop != -1 else end]


def outline(text: MappedText) -> Outline:
    """The outline of a normalised document: numbered items, task-table rows, sentences.

    Only headings at a line start count (or run together after a sentence, see
    :func:`split_run_together`); the outline begins at the first 一、 (or （一）, 1.) and
    ends at the 附件/抄送 line or the end of the text. Task tables anywhere in the text are
    added as ``table/N`` items, and the outline does not look inside them.
    """
    tables = find_tables(text)
    covered = [(text.position(t.span.start), text.position(t.span.end)) for t, _ in tables]
    plain = split_run_together(_blank(text, covered), covered)
    first = _first_heading(plain.text)
    result = Outline()
    if first is not None:
        end = _end_of_outline(plain.text, first)
        joined = join_broken_lines(plain, first, end)
        j_first = _to_joined(plain, joined, first)
        j_end = _to_joined(plain, joined, end)
        nodes = _parse_nodes(joined.text, j_first, j_end)
        _clip(nodes, [_to_joined(plain, joined, a) for a, _ in covered])
        _trim_closing(joined.text, nodes)
        result.items = [_item(joined, n) for n in nodes if n.head.rank != 1 or not n.children]
        result.start, result.end = first, end
    for table, rows in tables:
        result.tables.append(table)
        result.items.extend(rows)
    spans = [(t.span.start, t.span.end) for t in result.tables]
    result.sentences = [
        s for s in _all_sentences(plain, result) if not any(a <= s.span.start < b for a, b in spans)
    ]
    if result.end:  # offsets in ``text``, not in the text with run-together lines broken
        result.start, result.end = (text.position(plain.index[x]) for x in (result.start, result.end))
    return result


def _blank(text: MappedText, ranges: list[tuple[int, int]]) -> MappedText:
    """``text`` with the given ranges turned to spaces (line ends kept): the outline skips tables."""
    if not ranges:
        return text
    chars = list(text.text)
    for a, b in ranges:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return MappedText("".join(chars), text.index)


def _clip(nodes: list[_Node], starts: list[int]) -> None:
    """End every node before a table that starts inside it: the table's rows are items of their own."""
    for node in nodes:
        for a in starts:
            if node.start < a < node.end:
                node.end = a
                node.own_end = min(node.own_end, a)


_RUN_HEAD = re.compile(
    rf"(?:[{CN_DIGITS}]{{1,3}}\s*(?:、|\.(?![\d.]))|\(\s*[{CN_DIGITS}]{{1,3}}\s*\)|\d{{1,2}}\s*(?:\.(?!\d)|、)|\(\s*\d{{1,2}}\s*\)|[\u2460-\u2473])"
)
_RUN_END = "。！？；!?;.)）】]〕"


def _value(head: Heading) -> int:
    from extractors.layout.dates import cn_number

    if head.rank == 5:
        return ord(head.number) - 0x245F
    return cn_number(head.number) or 0


def split_run_together(text: MappedText, skip: list[tuple[int, int]] | None = None) -> MappedText:
    """Break lines where the page ran numbered paragraphs together.

    A heading inside a line starts a new line when it is the next number of its rank (or a
    first one) and follows the end of a sentence (。 ；, a closing bracket, or '.' for 。 in
    PDF-style text) or, after blanks, a short heading title: ``…制定本要点。 一、总体要求 …
    （一）强化公开 1、数字经济领域。…（责任单位：…） 2、优化营商``. Lines in ``skip`` (tables) and
    lines with cell separators are left alone.
    """
    skip = skip or []
    last: dict[int, int] = {}
    breaks: list[tuple[int, bool]] = []  # (offset of the heading, a blank before it to replace)
    for a, b in line_spans(text.text):
        line = text.text[a:b]
        if any(x <= a < y for x, y in skip) or "\t" in line.strip(BLANKS):
            continue
        if "|" in line:
            breaks.extend(_child_cell(text.text, a, b))
            continue
        head = find_heading(line)
        seg = a if head is not None else -1  # start of the current heading's segment
        if head is not None:
            _seen(last, head)
        for m in _RUN_HEAD.finditer(text.text, a + 1, b):
            i = m.start()
            cand = find_heading(text.text[i:b])
            if cand is None or (_value(cand) != 1 and _value(cand) != last.get(cand.rank, 0) + 1):
                continue
            j = i
            while j > a and text.text[j - 1] in BLANKS:
                j -= 1
            before = text.text[j - 1] if j > a else ""
            title = text.text[seg:j] if seg >= 0 else ""
            # a heading's title may hold a comma (一、注重挖掘,强化公开 （一）…), not a sentence end
            short_title = j < i and seg >= 0 and len(title) <= 40 and not re.search(r"[。；;:：]", title)
            # the document's title run into its first section: …年度报告 一、总体情况 …
            first_after_title = (
                j < i
                and seg < 0
                and cand.rank == 1
                and _value(cand) == 1
                and len(text.text[a:j]) <= 60
                and not re.search(r"[。，；,;:：]", text.text[a:j])
            )
            opens_list = before in ":：" and _value(cand) == 1  # 具体要求:1.公开目录;2.…
            if before and (before in _RUN_END or short_title or first_after_title or opens_list):
                breaks.append((i, j < i))
                _seen(last, cand)
                seg = i
    if not breaks:
        return text
    chars: list[str] = []
    index: list[int] = []
    pos = 0
    for i, blank in breaks:
        stop = i - 1 if blank else i
        chars.append(text.text[pos:stop])
        index.extend(text.index[pos:stop])
        chars.append("\n")
        index.append(text.index[stop])
        pos = i
    chars.append(text.text[pos:])
    index.extend(text.index[pos:])
    return MappedText("".join(chars), (*index,))


_CELL = re.compile(r"\|[ \t\u3000]*")


def _child_cell(s: str, a: int, b: int) -> list[tuple[int, bool]]:
    """A task-table line whose group heading cell is followed by its first numbered task.

    ``一、做好规划公开。 | 1.主动公开规划纲要。 | 市直有关部门 |``: the task starts a line of its own.
    """
    head = find_heading(s[a:b])
    cell = _CELL.search(s, a, b)
    if head is None or cell is None:
        return []
    cand = find_heading(s[cell.end() : b])
    return [(cell.end(), False)] if cand is not None and cand.rank > head.rank else []


def _seen(last: dict[int, int], head: Heading) -> None:
    last[head.rank] = _value(head)
    for rank in list(last):
        if rank > head.rank:
            del last[rank]


def _to_joined(text: MappedText, joined: MappedText, pos: int) -> int:
    """Position in ``joined`` of the character at ``pos`` of ``text`` (or the next kept one)."""
    if pos >= len(text):
        return len(joined)
    return joined.position(text.index[pos])


def _all_sentences(text: MappedText, result: Outline) -> list[Sentence]:
    """Sentences outside the outline line by line; inside it with page breaks joined."""
    start, end = (result.start, result.end) if result.end else (len(text), len(text))
    joined = join_broken_lines(text, start, end)
    parts = [
        *split_sentences(text, 0, start),
        *split_sentences(joined, _to_joined(text, joined, start), _to_joined(text, joined, end)),
        *split_sentences(text, end, len(text)),
    ]
    return [s for s in parts if "<" not in s.text]
