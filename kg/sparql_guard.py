"""Checks a SPARQL query before it runs: read-only, nothing fetched from elsewhere.

One text is checked and the same text is executed: :func:`kg.sparql_text.engine_text`
first brings the query to what the SPARQL grammar parses (codepoint escapes
decoded, line ends made LF, anything still ambiguous refused); rdflib's SPARQL
parser (not regular expressions) checks that text, and :attr:`CheckedQuery.text`
is that same text, on which the engine's own escape pass changes nothing.

An update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) is
refused as :class:`UpdateForbidden`; a ``SERVICE`` anywhere in the query, or a
``FROM``/``FROM NAMED`` IRI outside the allowed prefixes, as
:class:`ForbiddenQuery`; a text that does not parse, or nests too deeply for
the parser, as :class:`MalformedQuery` with a one-line reason.

Examples:
    >>> check_query("SELECT * WHERE { ?s ?p ?o }").form
    'SELECT'
    >>> check_query("ASK { ?s ?p ?o }", allowed_prefixes=("https://w3id.org/zwgk/",)).form
    'ASK'
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kg.sparql_text import GuardError, MalformedQuery, engine_text

__all__ = [
    "CheckedQuery",
    "ForbiddenQuery",
    "GuardError",
    "MalformedQuery",
    "UpdateForbidden",
    "check_graph_iris",
    "check_query",
    "engine_text",
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
    verdict = _verdict(text, tuple(allowed_prefixes))
    if isinstance(verdict, CheckedQuery):
        return verdict
    kind, reason = verdict
    raise kind(reason)


@lru_cache(maxsize=1024)
def _verdict(text: str, allowed_prefixes: tuple[str, ...]) -> CheckedQuery | tuple[type[GuardError], str]:
    """The checked query, or the kind of refusal and its reason (refusals are remembered too)."""
    try:
        normal = engine_text(text)
        with _PARSER_LOCK:
            return _check(normal, allowed_prefixes)
    except GuardError as err:
        return type(err), str(err)
    except RecursionError:
        return MalformedQuery, (  # rdflib's grammar recurses per nesting level and per triple pattern
            "malformed query: too deep for the parser (brackets or groups nested too deeply, "
            "or more than about 80 triple patterns in one group)"
        )


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
    return CheckedQuery(text=text, form=form, default_graphs=tuple(default), named_graphs=tuple(named))
