"""Intake, reader side: a document the readers can read is read; a bomb is refused with bounded memory.

- an HTML ``<meta charset>`` naming no usable text codec falls back to detection;
- a .docx whose zip entries under-declare a member's inflated size is refused without
  inflating it whole (zipfile inflates a member in one piece before cutting it to its
  declared size, so a guard that trusts the declared sizes let 1.5 MB reach 2.2 GB).
"""

from __future__ import annotations

import io
import json
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractors.errors import CorruptDocumentError
from extractors.reading.readers import read_bytes

from variants import docx_bytes

ROOT = Path(__file__).resolve().parents[1]
BODY = "<p>滨江市人民政府办公室关于印发2025年政务公开工作要点的通知</p><p>各区县人民政府要推进政务公开。</p>"
# labels Python knows but cannot decode text with, and labels it does not know at all
BAD_LABELS = ["x-unknown-42", "undefined", "hex", "base64", "rot13", "zip", "bz2", "uu"]


@pytest.mark.parametrize("label", BAD_LABELS)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_intake_readers_unusable_meta_charset_falls_back(label: str, encoding: str) -> None:
    """A page whose ``<meta charset>`` names no text codec is decoded by detection, not refused."""
    page = f'<html><head><meta charset="{label}"></head><body>{BODY}</body></html>'
    raw = read_bytes(page.encode(encoding), "page.html")
    assert "政务公开工作要点" in raw.original
    assert raw.encoding in {"utf-8", "gb18030"}


def test_intake_readers_http_equiv_unknown_charset() -> None:
    """The same through ``http-equiv`` Content-Type."""
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=undefined">'
            f"</head><body>{BODY}</body></html>")
    assert "政务公开" in read_bytes(page.encode("gb18030"), "page.htm").original


CHUNK = 1 << 20
PROBE = """
import json, resource, sys
sys.path[:0] = [{root!r}]
from extractors.errors import InputError
from extractors.reading.readers import read_bytes
import docx, lxml.etree  # imports are not part of the measured growth
data = open({path!r}, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    read_bytes(data, "under.docx")
    out = {{"error": None, "message": ""}}
except InputError as exc:
    out = {{"error": type(exc).__name__, "message": str(exc)}}
out["growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps(out, ensure_ascii=False))
"""


def _patch_sizes(data: bytearray, name: bytes, size: int) -> None:
    """Set the uncompressed size of ``name`` in its local header and its central directory entry."""
    for match in re.finditer(rb"PK\x03\x04", data):
        at = match.start()
        length = struct.unpack_from("<H", data, at + 26)[0]
        if data[at + 30 : at + 30 + length] == name:
            struct.pack_into("<I", data, at + 22, size)
    for match in re.finditer(rb"PK\x01\x02", data):
        at = match.start()
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, size)


def _under_declared_docx(path: Path, inflated_mb: int) -> None:
    """A .docx whose document.xml is followed by ``inflated_mb`` MiB of spaces, declared at its XML size."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes("滨江市政务公开工作要点\n区政府办公室要公开政策文件。")))
    xml = source.read("word/document.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, source.read(info))
                continue
            with out.open("word/document.xml", "w") as member:  # streamed: the test stays small
                member.write(xml)
                spaces = b" " * CHUNK
                for _ in range(inflated_mb):
                    member.write(spaces)
    data = bytearray(buffer.getvalue())
    _patch_sizes(data, b"word/document.xml", len(xml))
    path.write_bytes(bytes(data))


@pytest.mark.slow
def test_intake_readers_under_declared_docx_bounded(tmp_path: Path) -> None:
    """~0.4 MB whose member really inflates to 400 MiB: refused without inflating it whole."""
    path = tmp_path / "under.docx"
    _under_declared_docx(path, 400)
    assert path.stat().st_size < 1_000_000
    code = PROBE.format(root=str(ROOT), path=str(path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["error"] == "CorruptDocumentError", report
    assert re.search(r"compression ratio|unzips to|declares", report["message"]), report
    assert report["growth_mb"] < 100, report


def test_intake_readers_under_declared_small_member() -> None:
    """A member inflating to a little more than declared (under every ratio limit) is refused too."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes("滨江市政务公开工作要点")))
    xml = source.read("word/document.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, xml + b" " * 5000 if info.filename == "word/document.xml"
                         else source.read(info))
    data = bytearray(buffer.getvalue())
    _patch_sizes(data, b"word/document.xml", len(xml))
    with pytest.raises(CorruptDocumentError, match="declares"):
        read_bytes(bytes(data), "small.docx")


def test_intake_readers_real_docx_still_read() -> None:
    """An ordinary .docx is read as before (the inflation check reads every member once more)."""
    raw = read_bytes(docx_bytes("滨江市政务公开工作要点\n区政府办公室要公开政策文件。"), "ok.docx")
    assert "区政府办公室要公开政策文件" in raw.original
