"""Evidence a person can check: a document rendered by displaCy (span style) with what was found.

Agencies, platforms, mechanisms and deadlines of ``doc.spans["zwgk"]`` are underlined with their
kind; hovering a highlighted name shows its canonical name (``kb_id_``, or for a term its label),
a link when the caller gives one. ``python -m extractors.display FILE`` prints the page (the web
service runs this in a separate process so that it never imports spaCy); ``kg parse FILE --html
OUT`` writes it.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from spacy import displacy
from spacy.tokens import Doc, Span

from extractors.components.factories import SPANS_KEY

__all__ = ["DISPLAY_LABELS", "render_document", "render_file"]

DISPLAY_LABELS = {
    "agency": ("机构", "#a6d8ff"),
    "agency_group": ("机构集合", "#c9e5ff"),
    "platform": ("平台", "#ffd59e"),
    "mechanism": ("机制", "#bdf0c0"),
    "deadline": ("时限", "#ffb3b3"),
}

_SPAN = (
    '<span class="zwgk-tok" style="font-weight: bold; display: inline-block; position: relative; '
    'height: {total_height}px;">{text}{span_slices}{span_starts}</span>'
)
_SLICE = (
    '<span style="background: {bg}; top: {top_offset}px; height: 4px; left: -1px; '
    'width: calc(100% + 2px); position: absolute;"></span>'
)
_START = (
    '<span style="background: {bg}; top: {top_offset}px; height: 4px; border-top-left-radius: 3px; '
    'border-bottom-left-radius: 3px; left: -1px; width: calc(100% + 2px); position: absolute;">'
    '<span class="zwgk-chip" style="background: {bg}; z-index: 10; color: #000; top: -0.5em; '
    "padding: 2px 3px; position: absolute; font-size: 0.6em; font-weight: bold; line-height: 1; "
    "border-radius: 3px; "
    'white-space: nowrap">{label}<span class="zwgk-kb">{kb_link}</span></span></span>'
)
_STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.6; }
.zwgk-line { margin: 0 0 0.2rem; }
.zwgk-line .spans { line-height: 2.6 !important; }
.zwgk-kb { display: none; }
.zwgk-tok:hover .zwgk-kb, .zwgk-chip:hover .zwgk-kb { display: inline; }
.zwgk-tok:hover { outline: 1px dotted #555; }
.zwgk-legend span { display: inline-block; padding: 0 0.4rem; margin-right: 0.4rem; border-radius: 3px; }
"""


def _spans(doc: Doc) -> list[Span]:
    return [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ in DISPLAY_LABELS]


def _hover(span: Span) -> str:
    """What hovering shows: the canonical name (a term's key is its IRI path; its label is in ``id_``)."""
    name = span.id_ or span.kb_id_
    return f" {name}" if name else ""


def render_document(
    doc: Doc, title: str | None = None, kb_url: Callable[[Span], str | None] | None = None
) -> str:
    """A whole HTML page: the doc's text line by line, found names highlighted by displaCy."""
    text = doc.text
    spans = sorted(_spans(doc), key=lambda s: (s.start_char, -s.end_char))
    options = {
        "colors": {zh.upper(): color for zh, color in DISPLAY_LABELS.values()},
        "template": {"span": _SPAN, "slice": _SLICE, "start": _START},
    }
    body: list[str] = []
    pos, k = 0, 0
    for line in text.split("\n"):
        lo, hi = pos, pos + len(line)
        pos = hi + 1
        while k < len(spans) and spans[k].start_char < lo:
            k += 1
        here = [s for s in spans[k:] if s.start_char < hi and s.end_char <= hi]
        if not line.strip():
            continue
        if not here:
            body.append(f'<p class="zwgk-line">{html.escape(line)}</p>')
            continue
        cuts = sorted({0, len(line)} | {s.start_char - lo for s in here} | {s.end_char - lo for s in here})
        pieces = [line[a:b] for a, b in pairwise(cuts)]
        index = {c: i for i, c in enumerate(cuts)}
        manual = {
            "text": line,
            "tokens": pieces,
            "spans": [
                {
                    "start_token": index[s.start_char - lo],
                    "end_token": index[s.end_char - lo],
                    "label": DISPLAY_LABELS[s.label_][0],
                    "kb_id": _hover(s),
                    "kb_url": (kb_url(s) if kb_url else None) or "#",
                }
                for s in here
            ],
        }
        markup = displacy.render(manual, style="span", manual=True, page=False, options=options)
        body.append(f'<div class="zwgk-line">{markup}</div>')
    legend = "".join(
        f'<span style="background: {color}">{zh}</span>' for zh, color in DISPLAY_LABELS.values()
    )
    head = html.escape(title or "文件")
    return (
        f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>{head} · displaCy</title>'
        f"<style>{_STYLE}</style></head><body><h1>{head}</h1>"
        f'<p class="zwgk-legend">{legend}<small>悬停高亮处查看规范名称</small></p>'
        f'<div id="zwgk-displacy">{"".join(body)}</div></body></html>\n'
    )


def render_file(path: Path, kb_url: Callable[[Span], str | None] | None = None) -> str:
    """Read, extract and render one document (the record's title as the page title).

    Raises:
        InputError: the file cannot be read.
    """
    from extractors.pipeline import extract_doc

    record, doc = extract_doc(path)
    return render_document(doc, record.metadata.title or record.source_file, kb_url)


def main(argv: list[str]) -> int:
    """``python -m extractors.display FILE``: the page on stdout; a bad document exits 2 with the reason."""
    from extractors.errors import InputError

    try:
        page = render_file(Path(argv[1]))
    except InputError as err:
        print(str(err), file=sys.stderr)
        return 2
    sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
