"""Read documents (.txt, .html, .docx, .pdf) into their original text.

:func:`read_document` reads a file, :func:`read_bytes` an upload. Both return a
:class:`RawDocument` whose ``original`` is the text every later span points
into. Bad input raises an :class:`~extractors.errors.InputError` naming the
file and the reason.

Encodings (text and HTML): a BOM wins (UTF-8, UTF-16, UTF-32); then strict
UTF-8; then, for HTML, a non-GB ``<meta charset>`` if it decodes; then GB18030
(which also covers GBK/GB2312-labelled content); then charset-normalizer. Line
ends are read as Python's universal newlines do (``\\r\\n``/``\\r`` → ``\\n``).
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    InputError,
    NoTextLayerError,
    TooLargeError,
    UnsupportedTypeError,
)

__all__ = ["MEDIA_TYPES", "RawDocument", "read_bytes", "read_document"]

MAX_BYTES = 20 * 1024 * 1024  # 20 MiB, the same as the API's upload limit
MAX_UNZIPPED = 200_000_000  # total uncompressed size of a .docx
MAX_ZIP_RATIO = 100  # uncompressed / compressed, over the whole archive
MAX_ZIP_MEMBERS = 10_000
MAX_PDF_PAGES = 2_000
MAX_PDF_SECONDS = 120.0
MIN_PDF_CHARS = 20  # fewer non-space characters than this: no text layer

MEDIA_TYPES = {
    "txt": "text/plain",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
_LEGACY = {".doc", ".wps", ".xls", ".ppt", ".rtf"}
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_GB_LABELS = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "csgb2312", "chinese"}
_UTF8_LABELS = {"utf-8", "utf8", "unicode-1-1-utf-8"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_HTML_SNIFF = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class RawDocument:
    """A document as read, before cleaning.

    Attributes:
        source_file: Base name of the file (or upload).
        sha256: Hex digest of the original bytes.
        original: The text as read: decoded text (.txt), rendered text (.html),
            paragraphs and table rows in body order (.docx), text layer (.pdf).
        media_type: The media type the document was read as.
        encoding: The character encoding used to decode it (text and HTML only).
    """

    source_file: str
    sha256: str
    original: str
    media_type: str
    encoding: str | None


def read_document(path: Path, *, max_bytes: int = MAX_BYTES) -> RawDocument:
    """Read a document file.

    Args:
        path: The file to read (.txt, .html/.htm, .docx or .pdf).
        max_bytes: Refuse files larger than this (checked before reading).

    Returns:
        The document with its original text.

    Raises:
        InputError: (or a subclass) if the file is missing, empty, too large,
            of an unsupported type, corrupt or binary.
    """
    path = Path(path)
    shown = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(shown, "file not found") from None
    except OSError as err:
        raise InputError(shown, f"cannot read file ({err.strerror or err})") from None
    if not path.is_file():
        raise InputError(shown, "not a regular file")
    _check_size(shown, size, max_bytes)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(shown, f"cannot read file ({err.strerror or err})") from None
    return _read(data, shown, path.name, max_bytes)


def read_bytes(data: bytes, name: str, *, max_bytes: int = MAX_BYTES) -> RawDocument:
    """Read an uploaded document held in memory.

    Args:
        data: The file's bytes.
        name: The upload's file name; its extension picks the reader, and the
            content is sniffed when there is none.
        max_bytes: Refuse uploads larger than this.

    Returns:
        The document with its original text.

    Raises:
        InputError: (or a subclass) as for :func:`read_document`.
    """
    base = re.split(r"[\\/]", name)[-1] or "upload"
    return _read(data, base, base, max_bytes)


def _check_size(shown: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise TooLargeError(shown, f"file too large ({size:,} bytes; limit {max_bytes:,})")


def _read(data: bytes, shown: str, base: str, max_bytes: int) -> RawDocument:
    _check_size(shown, len(data), max_bytes)
    if not data:
        raise EmptyDocumentError(shown, "empty file")
    kind = _kind(data, shown, Path(base).suffix.lower())
    encoding: str | None = None
    if kind == "txt":
        text, encoding = _decode(data, shown)
    elif kind == "html":
        text, encoding = _read_html(data, shown)
    elif kind == "docx":
        text = _read_docx(data, shown)
    else:
        text = _read_pdf(data, shown)
    if not text.strip():
        raise EmptyDocumentError(shown, "no text in document")
    return RawDocument(base, hashlib.sha256(data).hexdigest(), text, MEDIA_TYPES[kind], encoding)


def _kind(data: bytes, shown: str, ext: str) -> str:
    """Pick the reader: definite binary signatures win over the extension."""
    head = data[:1024]
    if ext in _LEGACY or head.startswith(_OLE_MAGIC):
        raise UnsupportedTypeError(shown, "legacy Office/WPS format; save it as .docx, .pdf or .txt")
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if ext == ".pdf":
        raise CorruptDocumentError(shown, "not a PDF (no %PDF header)")
    if ext == ".docx":
        raise CorruptDocumentError(shown, "not a .docx (not a zip archive)")
    if ext and ext not in _EXTENSIONS:
        raise UnsupportedTypeError(shown, f"unsupported file type {ext!r} (use .txt, .html, .docx or .pdf)")
    if _HTML_SNIFF.match(_strip_bom(head)):
        return "html"
    return _EXTENSIONS.get(ext, "txt")


def _strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


# --- text decoding ------------------------------------------------------------


def _decode(data: bytes, shown: str, hint: str | None = None) -> tuple[str, str]:
    """Decode text bytes; return the text (universal newlines) and the encoding used."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(shown, f"binary file (invalid {codec} after its byte-order mark)") from None
            return _finish(text.removeprefix("\ufeff"), codec, shown)
    if b"\x00" in data:
        raise InputError(shown, "binary file (contains NUL bytes)")
    for codec in _candidates(hint):
        try:
            text = data.decode(codec)
        except (UnicodeError, LookupError):  # not this codec (or a label naming no text codec)
            continue
        if codec == "gb18030" and _PRIVATE_USE.search(text):
            return _finish(*_guess(data, shown, fallback=text), shown)  # likely Big5 or similar
        return _finish(text, codec, shown)
    return _finish(*_guess(data, shown), shown)


def _candidates(hint: str | None) -> list[str]:
    codecs = ["utf-8"]
    label = (hint or "").lower()
    if label and label not in _GB_LABELS and label not in _UTF8_LABELS and _known_codec(label):
        codecs.append(label)
    codecs.append("gb18030")
    return codecs


def _known_codec(label: str) -> bool:
    """A label Python decodes text with (not ``hex``, ``rot13``, ``zip``… nor ``undefined``)."""
    import codecs

    try:
        info = codecs.lookup(label)
    except LookupError:
        return False
    return bool(getattr(info, "_is_text_encoding", True)) and info.name != "undefined"


def _guess(data: bytes, shown: str, fallback: str | None = None) -> tuple[str, str]:
    """Ask charset-normalizer; ``fallback`` is a GB18030 reading to keep if it has no answer."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        if fallback is not None:
            return fallback, "gb18030"
        raise InputError(shown, "binary file (undecodable text)")
    return str(best), best.encoding


def _finish(text: str, codec: str, shown: str) -> tuple[str, str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        raise InputError(shown, "binary file (control characters in text)")
    if not text.strip():
        raise EmptyDocumentError(shown, "empty file (only whitespace)")
    return text, codec


# the control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) but \t \n \v \f
_CONTROL = re.compile("[\x00-\x08\x0d-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    controls = len(_CONTROL.findall(text))
    return controls > max(2, len(text) // 200)


# --- HTML ---------------------------------------------------------------------

_DROP_TAGS = {
    "script", "style", "nav", "header", "footer", "noscript", "template", "iframe",
    "svg", "head", "object", "embed", "select", "button", "canvas", "map", "audio", "video",
}  # fmt: skip
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary", "ul", "tbody", "thead",
    "tfoot", "title",
}  # fmt: skip
_CELL_BLOCKS = _BLOCK_TAGS - {"center"} | {"table", "br"}
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def _read_html(data: bytes, shown: str) -> tuple[str, str]:
    from lxml import etree, html

    match = _META_CHARSET.search(data[:4096])
    hint = match.group(1).decode("ascii", "replace") if match else None
    markup, encoding = _decode(data, shown, hint)
    # libxml2's HTML parser reads no DTD, so it expands no custom entities (no entity
    # bombs); huge_tree=False keeps its depth and size limits on.
    parser = html.HTMLParser(huge_tree=False, no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = html.document_fromstring(_drop_xml_decl(markup), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        raise CorruptDocumentError(shown, f"unreadable HTML ({err})") from None
    lines = _Lines()
    _render(root, lines)
    return lines.text(), encoding


def _drop_xml_decl(markup: str) -> str:
    """lxml refuses str input that declares an encoding; the text is already decoded."""
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", markup, count=1)


class _Lines:
    """Accumulates rendered text as lines; blocks start new lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def add(self, text: str) -> None:
        self.current.append(text)

    def block(self) -> None:
        line = _SPACES.sub(" ", "".join(self.current)).strip(" ")
        if line:
            self.lines.append(line)
        self.current = []

    def row(self, cells: list[str]) -> None:
        self.block()
        if any(cells):
            self.lines.append("\t".join(cells))

    def text(self) -> str:
        self.block()
        return "\n".join(self.lines)


def _tag(el: Any) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _render(el: Any, out: _Lines) -> None:
    tag = _tag(el)
    if tag in _DROP_TAGS or not tag:
        return
    if tag == "table" and _is_data_table(el):
        for row in _rows(el):
            out.row([_inline(cell) for cell in row])
        return
    block = tag in _BLOCK_TAGS or tag in {"table", "tr", "td", "th"}
    if block:
        out.block()
    if tag == "br":
        out.block()
    if el.text:
        out.add(el.text)
    for child in el:
        _render(child, out)
        if child.tail:
            out.add(child.tail)
    if block:
        out.block()


def _rows(table: Any) -> Iterator[list[Any]]:
    for row in table.iter("tr"):
        if _owner_table(row) is table:
            yield [c for c in row if _tag(c) in {"td", "th"}]


def _owner_table(el: Any) -> Any:
    parent = el.getparent()
    while parent is not None and _tag(parent) != "table":
        parent = parent.getparent()
    return parent


def _is_data_table(table: Any) -> bool:
    """A table whose cells hold only inline text (not a layout table)."""
    for row in _rows(table):
        for cell in row:
            if any(_tag(d) in _CELL_BLOCKS - {"br"} for d in cell.iterdescendants()):
                return False
    return True


def _inline(cell: Any) -> str:
    parts: list[str] = []
    for piece in cell.itertext():
        parts.append(piece)
    text = _SPACES.sub(" ", "".join(parts)).strip(" ")
    return text.replace("\t", " ")


# --- DOCX ---------------------------------------------------------------------


def _check_zip(data: bytes, shown: str) -> None:
    """Refuse a zip bomb: first from the sizes the archive declares, then by inflating every member.

    The declared sizes cannot be trusted (zipfile inflates a member whole before cutting it to its
    declared size), so each member is also inflated in small chunks, counted and dropped, stopping
    at the limit: memory stays bounded whatever the archive says.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if len(infos) > MAX_ZIP_MEMBERS:
                raise CorruptDocumentError(shown, f"suspicious .docx ({len(infos)} zip members)")
            packed = max(sum(info.compress_size for info in infos), 1)
            _check_unzipped(shown, sum(info.file_size for info in infos), packed)
            limit = min(MAX_UNZIPPED, max(1_000_000, MAX_ZIP_RATIO * packed))
            unzipped = 0
            for info in infos:
                size = _inflated_size(archive, info, limit - unzipped)
                unzipped += size
                _check_unzipped(shown, unzipped, packed, "at least ")
                if size != info.file_size:
                    raise CorruptDocumentError(
                        shown, f"corrupt .docx ({info.filename} inflates to {size:,} bytes, "
                        f"not the {info.file_size:,} its zip entry declares)",
                    )
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError, RuntimeError) as err:
        raise CorruptDocumentError(shown, f"corrupt .docx (bad zip: {err})") from None
    if "word/document.xml" not in names:
        raise CorruptDocumentError(shown, "not a Word document (no word/document.xml in the zip)")


def _check_unzipped(shown: str, unzipped: int, packed: int, bound: str = "") -> None:
    if unzipped > MAX_UNZIPPED:
        raise CorruptDocumentError(shown, f"suspicious .docx (unzips to {bound}{unzipped:,} bytes)")
    if unzipped > 1_000_000 and unzipped / packed > MAX_ZIP_RATIO:
        ratio = unzipped // packed
        raise CorruptDocumentError(shown, f"suspicious .docx (compression ratio {bound}{ratio}:1)")


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """The bytes ``info`` really inflates to, counted in 64 KiB chunks, up to just over ``limit``."""
    if info.is_dir():
        return info.file_size
    chunk_size = 1 << 16
    probe = copy.copy(info)
    probe.file_size = max(limit, 0) + 2 * chunk_size  # zipfile stops at the declared size: go past the limit
    size = 0
    with archive.open(probe) as member:
        while size <= limit and (chunk := member.read(chunk_size)):
            size += len(chunk)
    return size


def _read_docx(data: bytes, shown: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    _check_zip(data, shown)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_blocks(document.element.body))
    except (PackageNotFoundError, KeyError, ValueError, TypeError, AttributeError, IndexError,
            zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError) as err:
        raise CorruptDocumentError(shown, f"corrupt .docx ({err})") from None
    return "\n".join(lines)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_blocks(container: Any) -> Iterator[str]:
    """Paragraph texts and table rows, in body order."""
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield _para_text(child)
        elif child.tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                yield "\t".join(_row_cells(row))
        elif child.tag in {f"{_W}sdt", f"{_W}customXml"}:
            yield from _docx_blocks(child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child)


def _para_text(p: Any) -> str:
    parts: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}delText"):
        if el.tag == f"{_W}t":
            parts.append(el.text or "")
        elif el.tag in {f"{_W}tab"}:
            parts.append("\t")
        elif el.tag in {f"{_W}br", f"{_W}cr"}:
            parts.append("\n")
    return "".join(parts)


def _row_cells(row: Any) -> list[str]:
    cells: list[str] = [""] * _grid_val(row, "gridBefore")
    for tc in row.iterchildren(f"{_W}tc"):
        span = max(_tc_val(tc, "gridSpan", 1), 1)
        merge = tc.find(f"{_W}tcPr/{_W}vMerge")
        continuation = merge is not None and merge.get(f"{_W}val", "continue") != "restart"
        text = "" if continuation else _cell_text(tc)
        cells.extend([text] + [""] * (span - 1))
    cells.extend([""] * _grid_val(row, "gridAfter"))
    return cells


def _cell_text(tc: Any) -> str:
    paragraphs = (_para_text(p) for p in tc.iter(f"{_W}p"))
    return " ".join(_SPACES.sub(" ", t).strip(" ") for t in paragraphs if t.strip())


def _tc_val(tc: Any, name: str, default: int) -> int:
    el = tc.find(f"{_W}tcPr/{_W}{name}")
    return _int_attr(el, default)


def _grid_val(row: Any, name: str) -> int:
    return max(_int_attr(row.find(f"{_W}trPr/{_W}{name}"), 0), 0)


def _int_attr(el: Any, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(f"{_W}val", default))
    except ValueError:
        return default


# --- PDF ----------------------------------------------------------------------


def _read_pdf(data: bytes, shown: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    started = time.monotonic()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(shown, "encrypted PDF (password required)")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise TooLargeError(shown, f"PDF has {len(reader.pages)} pages (limit {MAX_PDF_PAGES})")
        pages: list[str] = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            if time.monotonic() - started > MAX_PDF_SECONDS:
                raise TooLargeError(shown, f"PDF text extraction took over {MAX_PDF_SECONDS:.0f} s")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, zlib.error) as err:
        raise CorruptDocumentError(shown, f"unreadable PDF ({type(err).__name__}: {err})") from None
    text = "\n".join(page.replace("\r\n", "\n").replace("\r", "\n") for page in pages)
    if sum(1 for ch in text if not ch.isspace()) < MIN_PDF_CHARS:
        raise NoTextLayerError(shown, "PDF has no text layer (scanned image?); OCR it first")
    return text
