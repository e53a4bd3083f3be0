"""Limits: decompression and entity bombs are refused quickly with bounded memory (promise 4, reader side).

Each bomb is built on disk in a streamed way (the test itself stays small in
memory) and read by :func:`extractors.reading.readers.read_bytes` in a fresh process
that reports the error, the time taken and its peak memory growth.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from variants import docx_bytes

ROOT = Path(__file__).resolve().parents[1]
MAX_RSS_GROWTH_MB = 300
MAX_SECONDS = 30.0
CHUNK = 1 << 20

PROBE = """
import json, resource, sys, time
sys.path[:0] = [{root!r}]
from extractors.errors import InputError
from extractors.reading.readers import read_bytes
import docx, lxml.html, pypdf  # imports are not part of the measured growth
data = open({path!r}, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
try:
    raw = read_bytes(data, {name!r})
    out = {{"error": None, "message": "", "chars": len(raw.original)}}
except InputError as exc:
    out = {{"error": type(exc).__name__, "message": str(exc), "chars": 0}}
out["seconds"] = time.monotonic() - started
out["growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps(out, ensure_ascii=False))
"""


def _probe(path: Path, name: str) -> dict[str, object]:
    code = PROBE.format(root=str(ROOT), path=str(path), name=name)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def _zip_bomb(path: Path) -> None:
    """A .docx whose extra member inflates to 300 MB of zeros (written in 1 MiB chunks)."""
    text = "杭州市西湖区政务公开工作要点\n区政府办公室要公开政策文件。"
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(text)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        with out.open("word/media/image1.bin", "w", force_zip64=True) as member:
            zeros = bytes(CHUNK)
            for _ in range(300):
                member.write(zeros)


def _xml_bomb(depth: int = 9) -> str:
    """Internal-subset entities: ten references per level, about 10**depth characters if expanded."""
    ents = '<!ENTITY a0 "政务公开政务公开政务公开">' + "".join(
        f'<!ENTITY a{n} "{("&a" + str(n - 1) + ";") * 10}">' for n in range(1, depth + 1)
    )
    return ents


def _docx_entity_bomb(path: Path) -> None:
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [{_xml_bomb()}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&a9; 正文</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    source = zipfile.ZipFile(io.BytesIO(docx_bytes("正文")))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, xml if info.filename == "word/document.xml" else source.read(info))


def _html_entity_bomb(path: Path) -> None:
    page = (f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html [{_xml_bomb()}]>'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>政务公开</title></head>'
            "<body><p>&a9;</p><p>杭州市西湖区2025年政务公开工作要点</p></body></html>")
    path.write_text(page, "utf-8")


def _pdf_bomb(path: Path) -> None:
    """A one-page PDF whose content stream (FlateDecode) inflates to 150 MB, compressed chunk by chunk."""
    compressor = zlib.compressobj(9)
    packed = bytearray(compressor.compress(b"BT /F1 12 Tf 72 712 Td (Xihu work priorities) Tj ET\n"))
    filler = b"%" + b"0" * (CHUNK - 2) + b"\n"  # PDF comments: valid content, pure padding
    for _ in range(150):
        packed += compressor.compress(filler)
    packed += compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), bytes(packed)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


BOMBS: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "docx-zip-300MB": (_zip_bomb, "bomb.docx", r"unzips to|compression ratio"),
    "docx-xml-entities": (_docx_entity_bomb, "entities.docx", r"entit|amplification"),
    "pdf-flate-150MB": (_pdf_bomb, "bomb.pdf", r"[Ll]imit|too large"),
}


@pytest.mark.slow
@pytest.mark.parametrize("bomb", BOMBS)
def test_robustness_limits_bomb_refused_bounded(tmp_path: Path, bomb: str) -> None:
    """Each bomb raises an InputError naming the file, within 30 s and under 300 MB of memory growth."""
    build, name, reason = BOMBS[bomb]
    path = tmp_path / name
    build(path)
    assert path.stat().st_size < 2_000_000
    report = _probe(path, name)
    assert float(str(report["growth_mb"])) < MAX_RSS_GROWTH_MB, report
    assert float(str(report["seconds"])) < MAX_SECONDS, report
    assert report["error"] is not None, f"{name} was read ({report['chars']} chars) instead of refused"
    assert str(report["message"]).startswith(f"{name}: "), report
    assert re.search(reason, str(report["message"])), report


def test_robustness_limits_html_entities_not_expanded(tmp_path: Path) -> None:
    """An HTML page declaring an entity bomb is read without expanding it, in bounded time and memory."""
    path = tmp_path / "entities.html"
    _html_entity_bomb(path)
    report = _probe(path, path.name)
    assert float(str(report["growth_mb"])) < 50 and float(str(report["seconds"])) < 5, report
    if report["error"] is None:  # libxml2's HTML parser reads no DTD: the page is read, unexpanded
        assert int(str(report["chars"])) < 200, report
    else:
        assert str(report["message"]).startswith("entities.html: "), report


def test_robustness_limits_upload_size_checked_first() -> None:
    """read_bytes refuses data over max_bytes before looking at it (the API maps it to 413)."""
    from api.settings import Settings
    from extractors.errors import TooLargeError
    from extractors.reading.readers import MAX_BYTES, read_bytes

    assert MAX_BYTES == Settings().max_upload_bytes == 20 * 1024 * 1024  # one limit, reader and API
    with pytest.raises(TooLargeError, match=r"^big\.docx: file too large"):
        read_bytes(b"PK\x03\x04" + bytes(1001), "big.docx", max_bytes=1000)
