"""Errors a user can meet when feeding documents in.

Every error names the file and the reason on one line: ``str(e)`` is
``"{path}: {reason}"``. The API maps them to HTTP statuses; the CLI prints them.
"""

from __future__ import annotations

__all__ = [
    "CorruptDocumentError",
    "EmptyDocumentError",
    "InputError",
    "NoTextLayerError",
    "TooLargeError",
    "UnsupportedTypeError",
]


class InputError(Exception):
    """A document that cannot be read, with the file it came from and why.

    Args:
        path: The file name (or upload name) the document came from.
        reason: A short human-readable reason, without the path.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # always one line
        super().__init__(f"{self.path}: {self.reason}")

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return (type(self), (self.path, self.reason))


class EmptyDocumentError(InputError):
    """The document holds no text (empty, whitespace only, BOM only)."""


class UnsupportedTypeError(InputError):
    """The file type (extension / content) is not one we read."""


class TooLargeError(InputError):
    """The file is larger than the configured limit."""


class CorruptDocumentError(InputError):
    """The container is broken or suspicious (bad zip, zip bomb, unreadable PDF)."""


class NoTextLayerError(InputError):
    """A PDF without a text layer (a scan); OCR is out of scope."""
