"""The guard's fast path: a SPARQL query checked from its tokens, without building a parse tree.

rdflib's parser takes 10–20 ms for an everyday aggregate, more than the engine takes to answer
it on a thousand documents, so every new query text paid it twice over. Most queries need no
parse tree to be judged: a query is read-only and local when no keyword token among its words
is SERVICE, FROM or an update operation. :func:`fast_check` scans the (already normalised) text
into the tokens of the SPARQL grammar — IRIs by the grammar's IRIREF rule, strings, comments,
variables, prefixed names, numbers, words and punctuation — and accepts it only when:

- every character belongs to a token (anything the scanner does not know goes to the parser);
- no word is SERVICE, FROM, BASE or an update keyword, and no comment holds "service";
- no string has a backslash or is a long (triple-quoted) string, where lexers have disagreed
  about where it ends;
- brackets balance and nest at most :data:`MAX_DEPTH` deep, the text has at most
  :data:`MAX_TOKENS` tokens, and every prefixed name's prefix is declared;
- a query form (SELECT, CONSTRUCT, ASK, DESCRIBE) is its first keyword after the prologue;
- (what is malformed beyond that, the engine refuses in its worker: 400 with its reason).

Anything else returns None and the caller parses the text with rdflib, which gives the
refusal or the accepted query exactly as before. A keyword can hide from the scanner only in
a string, a comment or an IRI token; those are scanned by the rules the engine uses, and an IRI
token cannot hold the ``{`` that a SERVICE clause needs, so a text accepted here has no
SERVICE the engine would run. The shape (for the runaway guard) is a digest of the tokens with
variables and blank nodes numbered in order of appearance and prefixed names written out.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

__all__ = ["MAX_DEPTH", "MAX_TOKENS", "FastVerdict", "fast_check"]

MAX_DEPTH = 32
"""Deeper nesting goes to the parser, which refuses what it cannot read."""
MAX_TOKENS = 2000
"""Longer texts go to the parser too: the engine's own parser recurses along an operator chain
and overflows its stack between 5,000 and 10,000 terms (``FILTER(1 + 1 + …)``), where rdflib's
check is bounded in time (issue #17) and refuses; everyday queries have a few hundred tokens."""

_PN_CHARS_BASE = (  # the grammar's PN_CHARS_BASE below the astral planes
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_PN_CHARS = _PN_CHARS_BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040-"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>"[^"\\\n\r]*"|'[^'\\\n\r]*')
  | (?P<var>[?$][{_PN_CHARS_BASE}_0-9][{_PN_CHARS_BASE}_0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<bnode>_:[{_PN_CHARS_BASE}_0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)
  | (?P<pname>(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?
             :(?:[{_PN_CHARS_BASE}_:0-9](?:[{_PN_CHARS}.:]*[{_PN_CHARS}:])?)?)
  | (?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<number>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\^\^|&&|\|\||<=|>=|!=|[{{}}()\[\].,;*=!<>+\-/|^?])
    """,
    re.VERBOSE,
)
_FORBIDDEN = frozenset(
    {"SERVICE", "FROM", "BASE", "INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
     "COPY", "WITH", "USING", "DATA", "SILENT"}
)
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_OPEN, _CLOSE = "{([", "})]"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass(frozen=True)
class FastVerdict:
    """A query the scanner accepted: its form and its shape."""

    form: str
    shape: str


def fast_check(text: str) -> FastVerdict | None:
    """The verdict from the tokens of ``text`` (normalised by ``engine_text``), or None: parse it."""
    if '"""' in text or "'''" in text:
        return None  # long strings: where they end is where lexers have disagreed
    prefixes: dict[str, str] = {}
    out: list[str] = []
    names: dict[str, str] = {}
    stack: list[str] = []
    form = None
    previous = ""
    position, end = 0, len(text)
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None:
            return None  # a character the scanner does not know: the parser decides
        kind, token = match.lastgroup, match.group()
        position = match.end()
        if kind == "ws":
            continue
        if len(out) > MAX_TOKENS:
            return None
        if kind == "comment":
            if "service" in token.lower():
                return None
            continue
        if kind == "word":
            word = token.upper()
            if word in _FORBIDDEN:
                return None
            if form is None and word in _FORMS:
                form = word
            if word == "PREFIX":
                previous = "PREFIX"
                continue
            out.append(_RDF_TYPE if token == "a" else word)
        elif kind == "pname":
            if previous == "PREFIX":  # PREFIX p: <iri>
                iri = _TOKEN.match(text, _skip_space(text, position))
                if iri is None or iri.lastgroup != "iri":
                    return None
                prefixes[token[:-1]] = iri.group()[1:-1]
                position = iri.end()
                previous = ""
                continue
            prefix, _, local = token.partition(":")
            if prefix not in prefixes:
                return None  # undeclared: the parser gives the message
            out.append(f"<{prefixes[prefix]}{local}>")
        elif kind in ("var", "bnode"):
            key = token[1:] if kind == "var" else token
            sigil = "?" if kind == "var" else "_:"
            out.append(names.setdefault(sigil + key, f"{sigil}{len(names)}"))
        elif token == "[" and text[(after := _skip_space(text, position)) : after + 1] == "]":
            position = after + 1  # [] is a blank node, as _:b is
            out.append(f"_:{len(names)}")
            names[f"_:[]{len(names)}"] = out[-1]
        elif kind == "punct" and token in _OPEN:
            stack.append(token)
            if len(stack) > MAX_DEPTH:
                return None
            out.append(token)
        elif kind == "punct" and token in _CLOSE:
            if not stack or _OPEN.index(stack.pop()) != _CLOSE.index(token):
                return None
            out.append(token)
        else:
            out.append(token)
        if previous == "PREFIX":
            return None  # PREFIX not followed by a prefixed name
    if form is None or stack or previous or "{" not in out:  # every query form read here has a group
        return None
    shape = hashlib.sha256("\x1f".join(out).encode("utf-8", "surrogatepass")).hexdigest()
    return FastVerdict(form, "tokens:" + shape)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position
