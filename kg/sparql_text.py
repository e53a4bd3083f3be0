"""The text of a SPARQL query as the grammar reads it: one normalisation for the guard and the engine.

SPARQL 1.1 (§19.2) decodes ``\\uXXXX`` / ``\\UXXXXXXXX`` codepoint escapes before
parsing, and Oxigraph does so on the raw text; Oxigraph ends a comment at CR
or LF, rdflib only at LF. :func:`engine_text` decodes the escapes, makes every
line end LF, and refuses what could still be read two ways, so that the text a
checker parses is the text the engine parses. Kept free of the SPARQL parser so
that :mod:`kg.store` can use it without loading rdflib's grammar.

Examples:
    >>> engine_text('ASK { FILTER("\\\\u653F" = "政") }\\r\\n')
    'ASK { FILTER("政" = "政") }\\n'
"""

from __future__ import annotations

import re

__all__ = ["GuardError", "MalformedQuery", "engine_text"]


class GuardError(ValueError):
    """A query refused before it runs; ``str(e)`` is the one-line reason."""


class MalformedQuery(GuardError):
    """The text is not a SPARQL 1.1 query (HTTP 400)."""


# A codepoint escape, or a backslash and the character it escapes (kept as a pair, as Oxigraph does:
# in ``\\u0041`` the first backslash escapes the second, and ``u0041`` is plain text).
_CODEPOINT = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|.)", re.DOTALL)
_LEFT_ESCAPE = re.compile(r"\\[uU]")


def _decode(match: re.Match[str]) -> str:
    digits = match.group(1) or match.group(2)
    if digits is None:
        return match.group(0)
    point = int(digits, 16)
    if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
        return match.group(0)  # not a character: left as it is, and refused below
    char = chr(point)
    if point < 0x80 and not char.isalnum():
        raise MalformedQuery(
            f"malformed query: the escape {match.group(0)} stands for {char!r}, a character of the "
            "SPARQL syntax; write it directly (codepoint escapes are for other characters)"
        )
    return char


def engine_text(text: str) -> str:
    """The query as the SPARQL grammar reads it, and as the engine is given it.

    Codepoint escapes are decoded (SPARQL 1.1 §19.2) and every line end becomes
    LF. The result is a fixed point of the engine's own escape pass: a text
    that would still hold ``\\u`` or ``\\U`` is refused. An escape of an ASCII
    character other than a letter or digit (a quote, ``>``, ``#``, a brace,
    a line end …) is refused too: it can only serve to hide syntax.

    Raises:
        MalformedQuery: an escape of a syntax character, an escape that is no
            character, an escape that decodes to another escape, or a lone surrogate.
    """
    decoded = _CODEPOINT.sub(_decode, text) if "\\" in text else text
    normal = decoded.replace("\r\n", "\n").replace("\r", "\n")
    left = _LEFT_ESCAPE.search(normal)
    if left:
        raise MalformedQuery(
            f"malformed query: {normal[left.start():left.start() + 10]!r} at character {left.start()} "
            "is still an escape after codepoint escapes are decoded; write the character itself"
        )
    try:
        normal.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedQuery("malformed query: the text holds a lone surrogate, not UTF-8") from None
    return normal
