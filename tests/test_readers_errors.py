"""Readers: bad input raises a one-line InputError naming the file (extractors.reading.readers)."""

from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path

import pytest

from extractors.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    InputError,
    NoTextLayerError,
    TooLargeError,
    UnsupportedTypeError,
)
from extractors.reading import readers
from extractors.reading.readers import read_bytes, read_document

from variants import docx_bytes, pdf_bytes

BAD_INPUTS = [
    (b"", "empty.txt", EmptyDocumentError, "empty"),
    (b" \n\t\r\n\xe3\x80\x80", "blank.txt", EmptyDocumentError, "whitespace"),
    (b"\xef\xbb\xbf", "bom_only.txt", EmptyDocumentError, "empty"),
    (b"\xef\xbb\xbf\n \n", "bom_blank.txt", EmptyDocumentError, "empty"),
    (b"<html><body><script>x()</script></body></html>", "blank.html", EmptyDocumentError, "no text"),
    ("正文\x00\x01内容".encode(), "nul.txt", InputError, "binary file"),
    (bytes(range(0x80, 0x100)) * 10, "noise.txt", InputError, "binary file"),
    (b"\x7fELF\x02\x01\x01" + bytes(range(1, 32)) * 40, "prog.txt", InputError, "binary file"),
    (b"name,value\n1,2\n", "table.xlsx", UnsupportedTypeError, ".xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old.doc", UnsupportedTypeError, "legacy"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "renamed.txt", UnsupportedTypeError, "legacy"),
    (b"PK\x03\x04garbage", "broken.docx", CorruptDocumentError, "zip"),
    ("只是文字".encode(), "fake.docx", CorruptDocumentError, "not a zip"),
    ("只是文字".encode(), "fake.pdf", CorruptDocumentError, "%PDF"),
    (b"%PDF-1.4 garbage", "broken.pdf", CorruptDocumentError, "unreadable PDF"),
    (pdf_bytes(""), "scan.pdf", NoTextLayerError, "no text layer"),
    (pdf_bytes("第1页"), "short.pdf", NoTextLayerError, "no text layer"),
]


@pytest.mark.parametrize(("data", "name", "error", "reason"), BAD_INPUTS, ids=[b[1] for b in BAD_INPUTS])
def test_readers_errors_bad_input(data: bytes, name: str, error: type[InputError], reason: str) -> None:
    """Each bad input raises its error type with a one-line message naming the file and the reason."""
    with pytest.raises(error) as caught:
        read_bytes(data, name)
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert reason in message
    assert "\n" not in message
    assert caught.value.path == name


def test_readers_errors_not_a_word_zip() -> None:
    """A zip without word/document.xml is rejected as not a Word document."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("hello.txt", "你好")
    with pytest.raises(CorruptDocumentError, match=r"no word/document\.xml"):
        read_bytes(buf.getvalue(), "x.docx")


def _rezip(source: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, data in replace.items():
            if name not in zin.namelist():
                zout.writestr(name, data)
    return out.getvalue()


def test_readers_errors_zip_bomb_ratio() -> None:
    """A .docx member with an extreme compression ratio is rejected before parsing."""
    bomb = _rezip(docx_bytes("正文"), {"word/media/pad.bin": bytes(30_000_000)})
    with pytest.raises(CorruptDocumentError, match="compression ratio"):
        read_bytes(bomb, "bomb.docx")


def test_readers_errors_zip_total_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """A .docx unzipping beyond the size limit is rejected before parsing."""
    monkeypatch.setattr(readers, "MAX_UNZIPPED", 1_000)
    with pytest.raises(CorruptDocumentError, match="unzips to"):
        read_bytes(docx_bytes("正文" * 1000), "big.docx")


def test_readers_errors_docx_entity_bomb() -> None:
    """A .docx whose XML defines an entity bomb is refused quickly, not expanded."""
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [{ents}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&i; 正文</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    with pytest.raises(CorruptDocumentError, match=r"bomb\.docx"):
        read_bytes(_rezip(docx_bytes("正文"), {"word/document.xml": xml}), "bomb.docx")


def test_readers_errors_too_large_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over max_bytes is refused from its size, without reading it."""
    path = tmp_path / "huge.txt"
    path.write_bytes("政务公开".encode() * 100)

    def refuse(self: Path) -> bytes:
        raise AssertionError("file was read")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(TooLargeError, match=r"huge\.txt: file too large"):
        read_document(path, max_bytes=100)


def test_readers_errors_upload_too_large() -> None:
    """An upload over max_bytes is refused."""
    with pytest.raises(TooLargeError, match=r"up\.txt"):
        read_bytes(b"x" * 101, "up.txt", max_bytes=100)


def test_readers_errors_missing_file(tmp_path: Path) -> None:
    """A missing file gives a file-not-found InputError naming the path."""
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError, match="file not found") as caught:
        read_document(missing)
    assert str(missing) in str(caught.value)


def test_readers_errors_directory(tmp_path: Path) -> None:
    """A directory is not a document."""
    with pytest.raises(InputError, match="not a regular file"):
        read_document(tmp_path)


def test_readers_errors_pickle_round_trip() -> None:
    """InputError subclasses survive pickling (worker processes) with path and reason."""
    err = pickle.loads(pickle.dumps(TooLargeError("a.txt", "too\nbig")))
    assert (type(err), err.path, err.reason, str(err)) == (
        TooLargeError,
        "a.txt",
        "too big",
        "a.txt: too big",
    )
