"""Checks a SPARQL query before it runs: read-only, nothing fetched from elsewhere.

One text is checked and the same text is executed: :func:`kg.sparql_text.engine_text`
first brings the query to what the SPARQL grammar parses (codepoint escapes
decoded, line ends made LF, anything still ambiguous refused); that text's tokens
(:mod:`kg.sparql_lexer`, the grammar's token rules) accept an everyday query with no
SERVICE, FROM or update keyword in ~0.1 ms, and rdflib's SPARQL parser checks every
other text (10–20 ms for an everyday query, which every new text used to pay). What the
tokens accept but the engine cannot parse, the engine refuses (400). :attr:`CheckedQuery.text`
is that same text, on which the engine's own escape pass changes nothing.

An update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) is
refused as :class:`UpdateForbidden`; a ``SERVICE`` anywhere in the query, or a
``FROM``/``FROM NAMED`` IRI outside the allowed prefixes, as
:class:`ForbiddenQuery`; a text that does not parse, or nests too deeply for
the parser, as :class:`MalformedQuery` with a one-line reason.

Each accepted query carries a :attr:`CheckedQuery.shape`: a digest of its parse tree
with prefixed names written out and variables and blank nodes renamed in order of
appearance, the same for texts that differ only in comments, layout, prefixes or
variable names (what the API's runaway guard keys on). Verdicts are remembered for texts up to
:data:`CACHE_ENTRY_BYTES`, in at most :data:`CACHE_BYTES` of text in all.

Examples:
    >>> check_query("SELECT * WHERE { ?s ?p ?o }").form
    'SELECT'
    >>> check_query("ASK { ?s ?p ?o }", allowed_prefixes=("https://w3id.org/zwgk/",)).form
    'ASK'
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import BNode, Node, Variable

from kg.sparql_lexer import fast_check
from kg.sparql_text import GuardError, MalformedQuery, engine_text

__all__ = [
    "CheckedQuery",
    "ForbiddenQuery",
    "GuardError",
    "MalformedQuery",
    "UpdateForbidden",
    "Verdict",
    "cached_verdict",
    "check_graph_iris",
    "check_query",
    "engine_text",
    "fresh_verdict",
    "query_shape",
    "remember_verdict",
]

_FORMS = {
    "SelectQuery": "SELECT",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
    "AskQuery": "ASK",
}
_SERVICE_NODES = frozenset({"ServiceGraphPattern"})


class ForbiddenQuery(GuardError):
    """The query would reach outside this graph: SERVICE or a foreign FROM (HTTP 400)."""


class UpdateForbidden(GuardError):
    """The text is a SPARQL Update; queries are read-only (HTTP 403)."""


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the guard."""

    text: str  # the normalised text that was checked: the one to execute
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK
    default_graphs: tuple[str, ...] = field(default=())
    named_graphs: tuple[str, ...] = field(default=())
    shape: str = field(default="", compare=False)  # digest of the parse tree, variable names aside

    @property
    def is_graph(self) -> bool:
        """True for CONSTRUCT and DESCRIBE, which answer with triples."""
        return self.form in {"CONSTRUCT", "DESCRIBE"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _is_update(text: str) -> bool:
    try:
        parsed = parseUpdate(text)
    except ParseBaseException:
        return False
    operations = parsed.get("request")  # the bare name "request" when there is none (an empty text)
    return not isinstance(operations, str) and any(isinstance(op, CompValue) for op in operations or ())


def _walk(node: object) -> Iterator[CompValue]:
    """Yield every CompValue in a parse tree or algebra, depth first."""
    stack: list[object] = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, CompValue):
            yield current
            stack.extend(current.values())
        elif isinstance(current, ParseResults | list | tuple):
            stack.extend(current)
        elif isinstance(current, dict):
            stack.extend(current.values())


def _check_prefixes(parsed: ParseResults) -> None:
    """Refuse prefixed names whose prefix is not declared (rdflib raises a bare Exception later)."""
    declared = {_prefix(decl) for decl in _walk(parsed[0]) if decl.name == "PrefixDecl"}
    for node in _walk(parsed[1]):
        if node.name == "pname" and _prefix(node) not in declared:
            raise MalformedQuery(f"malformed query: unknown prefix {_prefix(node)}:")


def _prefix(node: CompValue) -> str:
    return str(dict.get(node, "prefix") or "")


def check_graph_iris(iris: Iterable[str], allowed_prefixes: Sequence[str], what: str) -> None:
    """Refuse any graph IRI that this graph did not mint.

    Args:
        iris: graph IRIs from FROM / FROM NAMED or the protocol's graph parameters.
        allowed_prefixes: IRI prefixes this service owns; empty allows any IRI.
        what: how to name the IRIs in the error (``FROM``, ``default-graph-uri`` …).

    Raises:
        ForbiddenQuery: when an IRI falls outside the allowed prefixes.
    """
    if not allowed_prefixes:
        return
    for iri in iris:
        if not any(str(iri).startswith(prefix) for prefix in allowed_prefixes):
            raise ForbiddenQuery(
                f"{what} <{iri}> is not a graph of this service; remote graphs are not fetched"
            )


# rdflib's pyparsing grammar keeps state while it parses: two threads parsing at
# once fail with errors such as "postParse2() missing … 'tokenList'" (found under load).
_PARSER_LOCK = threading.Lock()


def check_query(text: str, allowed_prefixes: Sequence[str] = ()) -> CheckedQuery:
    """Parse a SPARQL query and refuse what the public endpoint must not run.

    Safe to call from many threads: parsing is serialised, and the verdict on a
    text already seen (accepted or refused) is remembered. Run
    :attr:`CheckedQuery.text` (the text as normalised by :func:`engine_text`),
    never ``text`` itself.

    Args:
        text: the query text.
        allowed_prefixes: IRI prefixes allowed in FROM / FROM NAMED; empty allows any.

    Returns:
        The query with its form and dataset.

    Raises:
        UpdateForbidden: the text is a SPARQL Update.
        ForbiddenQuery: SERVICE, or a FROM / FROM NAMED outside the allowed prefixes.
        MalformedQuery: the text does not parse (the message is the parser's), nests
            too deeply, or has escapes that cannot be made unambiguous.
    """
    return _outcome(_verdict(text, tuple(allowed_prefixes)))


Verdict = CheckedQuery | tuple[type[GuardError], str]
"""The checked query, or the kind of refusal and its reason (picklable: it crosses processes)."""
_Verdict = Verdict


def _outcome(verdict: Verdict) -> CheckedQuery:
    if isinstance(verdict, CheckedQuery):
        return verdict
    kind, reason = verdict
    raise kind(reason)


def cached_verdict(text: str, allowed_prefixes: Sequence[str] = ()) -> CheckedQuery | None:
    """The remembered verdict on ``text``, without parsing: the checked query, or None when not known.

    Raises:
        GuardError: the remembered refusal (as :func:`check_query` raises it).
    """
    verdict = _CACHE.get((text, tuple(allowed_prefixes)))
    if verdict is None:
        return None
    if isinstance(verdict, CheckedQuery):
        _remember_shape(verdict)  # so that query_shape on its text does not parse again
    return _outcome(verdict)


def fresh_verdict(text: str, allowed_prefixes: Sequence[str] = ()) -> Verdict:
    """Check ``text`` now (parsing it, without the cache): what a checker process answers."""
    return _fresh_verdict(text, tuple(allowed_prefixes))


def remember_verdict(text: str, allowed_prefixes: Sequence[str], verdict: Verdict) -> CheckedQuery:
    """Remember a verdict made elsewhere (:func:`fresh_verdict` in another process) and apply it.

    Raises:
        GuardError: the verdict is a refusal.
    """
    prefixes = tuple(allowed_prefixes)
    if isinstance(verdict, CheckedQuery):
        if verdict.text == text:
            verdict = CheckedQuery(  # the asked string itself, not an equal copy, for the cache to keep
                text, verdict.form, verdict.default_graphs, verdict.named_graphs, verdict.shape
            )
        _remember_shape(verdict)
    _CACHE.put((text, prefixes), verdict)
    return _outcome(verdict)


def _remember_shape(checked: CheckedQuery) -> None:
    with _SHAPES_LOCK:
        _SHAPES[_digest(checked.text)] = checked.shape
        if len(_SHAPES) > SHAPES_REMEMBERED:
            _SHAPES.popitem(last=False)


CACHE_ENTRY_BYTES = 64 * 1024
"""Larger query texts (Python's size of the string) are checked every time, not remembered:
300 distinct 1 MiB queries grew the API by 390 MB when every text was kept."""
CACHE_BYTES = 16 * 1024 * 1024
"""Memory of query texts (asked and normalised) remembered in all."""
CACHE_ENTRIES = 1024
SHAPES_REMEMBERED = 4096
"""Shapes remembered by the digest of their checked text (for :func:`query_shape`)."""


class _VerdictCache:
    """An LRU of verdicts bounded by entries and by the characters of the texts it keeps."""

    def __init__(self, max_bytes: int, max_entry_bytes: int, max_entries: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.max_entries = max_entries
        self.bytes = 0
        self._entries: OrderedDict[tuple[str, tuple[str, ...]], tuple[_Verdict, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, tuple[str, ...]]) -> _Verdict | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: tuple[str, tuple[str, ...]], verdict: _Verdict) -> None:
        cost = sys.getsizeof(key[0])
        if isinstance(verdict, CheckedQuery) and verdict.text is not key[0]:
            cost += sys.getsizeof(verdict.text)
        if cost > self.max_entry_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._entries[key] = (verdict, cost)
            self.bytes += cost
            while self.bytes > self.max_bytes or len(self._entries) > self.max_entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.bytes -= dropped

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0


_CACHE = _VerdictCache(CACHE_BYTES, CACHE_ENTRY_BYTES, CACHE_ENTRIES)
_SHAPES: OrderedDict[bytes, str] = OrderedDict()
_SHAPES_LOCK = threading.Lock()


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _verdict(text: str, allowed_prefixes: tuple[str, ...]) -> _Verdict:
    """The checked query, or the kind of refusal and its reason (refusals are remembered too)."""
    key = (text, allowed_prefixes)
    verdict = _CACHE.get(key)
    if verdict is None:
        verdict = _fresh_verdict(text, allowed_prefixes)
        _CACHE.put(key, verdict)
    return verdict


def _fresh_verdict(text: str, allowed_prefixes: tuple[str, ...]) -> _Verdict:
    try:
        normal = engine_text(text)
        if normal == text:
            normal = text  # one string, not an equal copy, for the cache to keep
        fast = fast_check(normal)  # tokens suffice for most queries (kg.sparql_lexer): no parse tree
        if fast is not None:
            checked = CheckedQuery(normal, fast.form, (), (), fast.shape)
            _remember_shape(checked)
            return checked
        with _PARSER_LOCK:
            checked = _check(normal, allowed_prefixes)
        _remember_shape(checked)
        return checked
    except GuardError as err:
        return type(err), str(err)
    except RecursionError:
        return MalformedQuery, (  # rdflib's grammar recurses per nesting level and per triple pattern
            "malformed query: too deep for the parser (brackets or groups nested too deeply, "
            "or more than about 80 triple patterns in one group)"
        )


def query_shape(text: str) -> str:
    """The :attr:`CheckedQuery.shape` of a query text; for a text the guard refuses, a digest of the text.

    The API's runaway guard keys on it, so that a runaway query varied by a comment, its
    layout or its variable names is held like the original.
    """
    digest = _digest(text)
    with _SHAPES_LOCK:
        shape = _SHAPES.get(digest)
    if shape is not None:
        return shape
    verdict = _verdict(text, ())
    return verdict.shape if isinstance(verdict, CheckedQuery) else "text:" + digest.hex()


class _Shaper:
    """Lays out a parse tree with variables and blank nodes numbered in order of appearance.

    The parse tree, not the algebra: rdflib's algebra orders a group's triple patterns
    and ``SELECT *``'s projection by variable name. Prefixed names are written out as
    full IRIs, so ``x:p`` and ``<urn:x:p>`` are the same; keys starting with ``_`` (rdflib's
    caches) are skipped.
    """

    def __init__(self, prologue: object) -> None:
        self.names: dict[Node, str] = {}
        self.prefixes = {
            _prefix(decl): str(decl["iri"]) for decl in _walk(prologue) if decl.name == "PrefixDecl"
        }
        self.out: list[str] = [f"BASE {decl['iri']}" for decl in _walk(prologue) if decl.name == "Base"]

    def lay_out(self, node: object) -> None:
        out = self.out
        if isinstance(node, CompValue) and node.name == "pname":
            iri = self.prefixes.get(_prefix(node), "") + str(dict.get(node, "localname") or "")
            out.append(f"<{iri}>")
        elif isinstance(node, CompValue):
            out.append(f"{node.name}(")
            for key in sorted(k for k in node if not str(k).startswith("_")):
                out.append(f"{key}=")
                self.lay_out(node[key])
                out.append(",")
            out.append(")")
        elif isinstance(node, Variable | BNode):
            sigil = "?" if isinstance(node, Variable) else "_:"
            out.append(self.names.setdefault(node, f"{sigil}{len(self.names)}"))
        elif isinstance(node, Node):
            out.append(node.n3())
        elif isinstance(node, list | tuple | ParseResults):
            out.append("[")
            for item in node:
                self.lay_out(item)
                out.append(",")
            out.append("]")
        elif isinstance(node, dict):
            out.append("{")
            for key, value in node.items():
                self.lay_out(key)
                out.append("=")
                self.lay_out(value)
                out.append(",")
            out.append("}")
        else:
            out.append(repr(node))


def _shape(parsed: ParseResults) -> str:
    """A digest of the parsed query that comments, layout, prefixes and variable names do not change."""
    shaper = _Shaper(parsed[0])
    try:
        shaper.lay_out(parsed[1])
    except RecursionError:
        return ""
    return hashlib.sha256("".join(shaper.out).encode("utf-8", "surrogatepass")).hexdigest()


# Strings and IRIs (skipped) and comments, in the normalised text: a comment starts at a `#`
# outside them and ends at LF.
_LEXEMES = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*'
)
_SERVICE_WORD = re.compile(r"service", re.IGNORECASE)


def _refuse_service_in_comments(text: str) -> None:
    """Refuse a comment that holds SERVICE: where a comment ends is where parsers have disagreed
    (CR, escaped line ends), and a commented-out SERVICE is one such disagreement from running."""
    for lexeme in _LEXEMES.finditer(text):
        if lexeme.group().startswith("#") and _SERVICE_WORD.search(lexeme.group()):
            raise ForbiddenQuery(
                "SERVICE is not allowed, not even in a comment: this endpoint does not query other endpoints"
            )


def _check(text: str, allowed_prefixes: tuple[str, ...]) -> CheckedQuery:
    _refuse_service_in_comments(text)
    try:
        parsed = parseQuery(text)
    except ParseBaseException as err:
        if _is_update(text):
            raise UpdateForbidden("SPARQL Update is not allowed: queries are read-only") from None
        raise MalformedQuery(f"malformed query: {_one_line(str(err))}") from None
    if any(node.name in _SERVICE_NODES for node in _walk(parsed)):
        raise ForbiddenQuery("SERVICE is not allowed: this endpoint does not query other endpoints")
    _check_prefixes(parsed)
    shape = _shape(parsed) or "text:" + _digest(text).hex()  # before translateQuery, which rewrites the tree
    try:
        algebra = translateQuery(parsed).algebra
    except (ParseBaseException, ValueError, KeyError, TypeError) as err:
        raise MalformedQuery(f"malformed query: {_one_line(str(err))}") from None
    default: list[str] = []
    named: list[str] = []
    for clause in algebra.get("datasetClause") or ():
        if "default" in clause:
            default.append(str(clause["default"]))
        if "named" in clause:
            named.append(str(clause["named"]))
    check_graph_iris(default, allowed_prefixes, "FROM")
    check_graph_iris(named, allowed_prefixes, "FROM NAMED")
    form = _FORMS.get(algebra.name)
    if form is None:
        raise MalformedQuery(f"malformed query: unknown query form {algebra.name}")
    return CheckedQuery(text, form, tuple(default), tuple(named), shape)
