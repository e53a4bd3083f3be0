"""Links from the graph to open data: GB/T 2260 places, collectives, Wikidata, credit codes.

Plain functions over rdflib graphs, plus a Typer ``app`` (``kg link places``,
``kg link wikidata``). Place nodes come from the GB/T 2260 gazetteer in
:mod:`extractors.layout.places`; Wikidata links come from ``data/linkset_wikidata.csv``
(hand-verified pairs, and pairs found by the P442 code, never by a label).

Example:
    >>> from extractors.layout.places import resolve
    >>> len(place_triples(resolve("济南市济阳区", 2025))) > 0
    True
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import httpx
import typer
from rdflib import OWL, PROV, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG
from rdflib.term import Identifier, Node

from extractors.layout import places as gaz
from extractors.layout.places import Place
from kg.iris import BASE, ONTOLOGY, agency_iri
from kg.ntriples import term_nt

if TYPE_CHECKING:
    from kg.store import GraphStore

__all__ = [
    "CENTRAL",
    "INFERRED_GRAPH",
    "LINKSET",
    "LINK_GRAPH",
    "WIKIDATA_ENDPOINT",
    "LinkRow",
    "WikidataUnavailableError",
    "app",
    "attach_credit_codes",
    "credit_code_valid",
    "expand_collectives",
    "link_places",
    "link_store",
    "place_iri",
    "place_triples",
    "read_linkset",
    "resolve_place_nodes",
    "resolve_wikidata",
    "sameas_triples",
    "store_links",
    "write_linkset",
]

ZWGK = Namespace(ONTOLOGY)
WD = Namespace("http://www.wikidata.org/entity/")
CENTRAL = URIRef(BASE + "place/CN")
CENTRAL_LABEL = "中华人民共和国"
LINK_GRAPH = URIRef(BASE + "graph/links")
INFERRED_GRAPH = URIRef(BASE + "graph/inferred")
COLLECTIVE_RULE = URIRef(BASE + "rule/collective-gbt2260")
AREACODES_SOURCE = URIRef("https://github.com/yescallop/areacodes")
LINKSET = Path(__file__).parent / "data" / "linkset_wikidata.csv"
WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = "zwgk-kg/0.1 (https://w3id.org/zwgk; kg link wikidata) httpx"

Triple = tuple[Node, Node, Node]


def place_iri(code: str) -> URIRef:
    """IRI of a place by its GB/T 2260 code (``CN`` for the whole country)."""
    return URIRef(f"{BASE}place/{code}")


def _year(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.gYear)


def _code_node(place: Place) -> list[Triple]:
    """Type, label, code, P442 form and validity of one code."""
    return list(_code_node_cached(place))


@lru_cache(maxsize=8192)
def _code_node_cached(place: Place) -> tuple[Triple, ...]:
    node = place_iri(place.code)
    rows = gaz.gazetteer().by_code.get(place.code, [place])
    out: list[Triple] = [
        (node, RDF.type, ZWGK.Place),
        (node, RDFS.label, Literal(place.label, lang="zh")),
        (node, ZWGK.divisionCode, Literal(place.code)),
        (node, ZWGK.p442, Literal(gaz.p442(place.code))),
        (node, ZWGK.validFrom, _year(min(r.valid_from for r in rows))),
    ]
    if all(r.valid_to is not None for r in rows):
        out.append((node, ZWGK.validTo, _year(max(r.valid_to or 0 for r in rows))))
    names = sorted({r.name for r in rows} - {place.label})
    out += [(node, SKOS.altLabel, Literal(n, lang="zh")) for n in names]
    return tuple(out)


def _central() -> list[Triple]:
    return [(CENTRAL, RDF.type, ZWGK.Place), (CENTRAL, RDFS.label, Literal(CENTRAL_LABEL, lang="zh"))]


def _parents(place: Place) -> list[Triple]:
    """The parentPlace chain up to the province, and the province to the whole country."""
    out: list[Triple] = []
    current: Place | None = place
    while current is not None:
        up = gaz.parent(current)
        target = place_iri(up.code) if up is not None else CENTRAL
        out.append((place_iri(current.code), ZWGK.parentPlace, target))
        if up is not None and up.code != place.code:
            out += _code_node(up)
        current = up
    return out + _central()


def _successors(place: Place) -> tuple[str, ...]:
    """Codes that took over a retired code (a code still in use only gave parts away)."""
    return place.successors if place.valid_to is not None else ()


@lru_cache(maxsize=1)
def _predecessor_index() -> dict[str, list[Place]]:
    """Retired places by each code that took them over (one pass over the gazetteer)."""
    index: dict[str, list[Place]] = {}
    for p in gaz.gazetteer().places:
        for code in _successors(p):
            index.setdefault(code, []).append(p)
    return index


def _predecessors(code: str) -> list[Place]:
    return [p for p in _predecessor_index().get(code, []) if p.code != code]


def _succession(old: Place, new_code: str, one_to_one: bool) -> list[Triple]:
    new, before = place_iri(new_code), place_iri(old.code)
    out: list[Triple] = [(new, DCTERMS.replaces, before), (before, DCTERMS.isReplacedBy, new)]
    if one_to_one:
        out.append((new, PROV.wasRevisionOf, before))
    return out


def _history(place: Place) -> list[Triple]:
    """Succession links around a code, followed through one-to-one renames and recodings."""
    out: list[Triple] = []
    seen = {place.code}
    todo = [place]
    while todo:
        current = todo.pop()
        links = [(current, s) for s in _successors(current)]
        links += [(p, current.code) for p in _predecessors(current.code)]
        for old, new_code in links:
            one_to_one = len(_successors(old)) == 1
            out += _succession(old, new_code, one_to_one)
            for code in (old.code, new_code):
                other = old if code == old.code else gaz.gazetteer().at(code, None)
                if code in seen or other is None:
                    continue
                seen.add(code)
                out += _code_node(other)
                if one_to_one:
                    todo.append(other)
    return out


def place_triples(place: Place) -> list[Triple]:
    """Triples describing a GB/T 2260 place: label, codes, parent chain and history.

    Args:
        place: a place from :func:`extractors.layout.places.resolve`.

    Returns:
        ``zwgk:Place`` nodes with ``rdfs:label``, ``zwgk:divisionCode``, ``zwgk:p442``,
        ``zwgk:validFrom``/``zwgk:validTo`` (``xsd:gYear``), ``zwgk:parentPlace`` up to
        the province and on to 中华人民共和国, and ``dcterms:replaces``/``isReplacedBy``
        (``prov:wasRevisionOf`` for one-to-one successions) between codes.
    """
    return list(_place_triples(place))


@lru_cache(maxsize=4096)
def _place_triples(place: Place) -> tuple[Triple, ...]:
    return tuple(dict.fromkeys(_code_node(place) + _parents(place) + _history(place)))


# --- graphs -----------------------------------------------------------------------------------


def _quads(data: Graph, s: Node | None, p: Node | None, o: Node | None) -> Iterator[Triple]:
    """Triples matching a pattern in every graph of a dataset (or in a plain graph)."""
    if isinstance(data, Dataset):
        for q in data.quads((s, p, o, None)):
            yield q[0], q[1], q[2]
    else:
        yield from data.triples((s, p, o))


def _add(data: Graph, graph: URIRef, triples: Iterable[Triple]) -> None:
    target = data.graph(graph) if isinstance(data, Dataset) else data
    for triple in triples:
        target.add(triple)


def _place_of(node: Node) -> Place | None:
    text = str(node)
    if not text.startswith(BASE + "place/"):
        return None
    return gaz.gazetteer().at(text.rsplit("/", 1)[-1], None)


def link_places(data: Graph) -> Graph:
    """Add place triples (into ``graph/links``) for every place node the graph refers to.

    Args:
        data: a dataset (or graph) with ``zwgk:jurisdiction`` links to place IRIs.

    Returns:
        The same object, with the places described.
    """
    nodes = {o for _, _, o in _quads(data, None, ZWGK.jurisdiction, None)}
    nodes |= {s for s, _, _ in _quads(data, None, RDF.type, ZWGK.Place)}
    for node in sorted(nodes, key=str):
        if node == CENTRAL:
            _add(data, LINK_GRAPH, _central())
        elif (place := _place_of(node)) is not None:
            _add(data, LINK_GRAPH, place_triples(place))
    return data


_PLACE_YEAR = 2024  # the gazetteer's latest year, for a place named where no document gives a year


def resolve_place_nodes(data: Graph) -> Graph:
    """Give place nodes minted from a name alone (``place/<slug>``) their GB/T 2260 code.

    An agency's jurisdiction is often written without a code; when its label names exactly
    one division (in the latest year of the documents that name it, else the gazetteer's
    latest), the node gets ``zwgk:divisionCode`` and ``owl:sameAs`` the code's node, which is
    described as :func:`place_triples` describes it (all in ``graph/links``).

    Args:
        data: a dataset (or graph) with ``zwgk:Place`` nodes labelled by name.

    Returns:
        The same object, with the codes added.
    """
    years: dict[Node, int] = {}
    for doc, _, where in list(_quads(data, None, ZWGK.jurisdiction, None)):
        for _, _, y in _quads(data, doc, ZWGK.year, None):
            if str(y)[:4].isdigit():
                years[where] = max(years.get(where, 0), int(str(y)[:4]))
    named = {s for s, _, _ in _quads(data, None, RDF.type, ZWGK.Place)
             if s != CENTRAL and str(s).startswith(BASE + "place/") and _place_of(s) is None}
    for node in sorted(named, key=str):
        labels = sorted({str(o) for _, _, o in _quads(data, node, RDFS.label, None)})
        place = gaz.resolve(labels[0], years.get(node, _PLACE_YEAR)) if labels else None
        if place is None:
            continue
        code = place_iri(place.code)
        _add(data, LINK_GRAPH, [(node, ZWGK.divisionCode, Literal(place.code)), (node, OWL.sameAs, code),
                                *place_triples(place)])
    return data


# --- collectives ------------------------------------------------------------------------------

_COLLECTIVE = re.compile(r"^(?P<jur>.*?)各(?P<units>[区县市旗、]+(?:[（(][区县市旗、]+[）)])?)(?:人民)?政府$")
_RULE_LABEL = (
    "members of 各区县人民政府 (各县（市、区）人民政府, 各区县政府 …) = 人民政府 of each county-level "
    "division under the prefecture in the document's year, GB/T 2260"
)


def _group_place(data: Graph, group: Node, jur: str, year: int) -> Place | None:
    for _, _, node in _quads(data, group, ZWGK.jurisdiction, None):
        if (place := _place_of(node)) is not None:
            return place
    return gaz.resolve(jur, year) if jur else None


def _counties(place: Place, year: int, units: str) -> list[Place]:
    """County-level divisions under a prefecture (or a municipality/province) in ``year``.

    ``各市`` alone under a province stands for its prefecture-level cities.
    """
    if not any(u in units for u in "区县旗"):
        level = "prefecture" if place.level == "province" else ""
        return sorted((p for p in gaz.gazetteer().places if p.level == level
                       and p.code[:2] == place.code[:2] and p.valid_in(year)), key=lambda p: p.code)
    if place.level == "prefecture":
        return gaz.children(place.code, year)
    if place.level == "province":
        return sorted(
            (p for p in gaz.gazetteer().places
             if p.level == "county" and p.code[:2] == place.code[:2] and p.valid_in(year)),
            key=lambda p: p.code,
        )
    return []


def _documents_year(data: Graph, group: Node) -> int | None:
    years = [
        int(str(y))
        for doc, _, _ in _quads(data, None, ZWGK.mentions, group)
        for _, _, y in _quads(data, doc, ZWGK.year, None)
        if str(y)[:4].isdigit()
    ]
    return max(years) if years else None


def _member_triples(group: Node, county: Place) -> list[Triple]:
    name = f"{county.label}人民政府"
    member = URIRef(agency_iri(name))
    return [
        (group, ORG.hasMember, member),
        (member, RDF.type, ZWGK.Agency),
        (member, RDFS.label, Literal(name, lang="zh")),
        (member, ZWGK.jurisdiction, place_iri(county.code)),
        *_code_node(county),
    ]


def _rule_triples() -> list[Triple]:
    return [
        (COLLECTIVE_RULE, RDF.type, PROV.Activity),
        (COLLECTIVE_RULE, RDF.type, ZWGK.InferenceRule),
        (COLLECTIVE_RULE, RDFS.label, Literal(_RULE_LABEL, lang="en")),
        (COLLECTIVE_RULE, PROV.used, AREACODES_SOURCE),
        (INFERRED_GRAPH, PROV.wasGeneratedBy, COLLECTIVE_RULE),
    ]


def expand_collectives(data: Graph, year: int | None = None) -> Graph:
    """Expand 各区县人民政府-style collectives into the county governments they stand for.

    A collective labelled ``<jurisdiction>各区县人民政府`` (各县（市、区）人民政府, 各区县政府 …)
    gets ``org:hasMember`` the 人民政府 of every county-level division under its
    jurisdiction valid in the document's year. The triples go to the named graph
    ``graph/inferred`` with the rule described there. Townships (各街道办事处,
    各镇人民政府) have no GB/T 2260 codes and are left alone.

    Args:
        data: a dataset (or graph) with agency nodes labelled by canonical name.
        year: the documents' year; when None, the latest ``zwgk:year`` of the documents
            mentioning each collective.

    Returns:
        The same object, with the memberships added.
    """
    added = False
    for group, _, label in list(_quads(data, None, RDFS.label, None)):
        match = _COLLECTIVE.match(str(label))
        when = year or _documents_year(data, group)
        if match is None or when is None:
            continue
        place = _group_place(data, group, match["jur"], when)
        counties = _counties(place, when, match["units"]) if place is not None else []
        for county in counties:
            _add(data, INFERRED_GRAPH, _member_triples(group, county))
        added = added or bool(counties)
    if added:
        _add(data, INFERRED_GRAPH, _rule_triples())
    return data


# --- unified social credit codes (GB 32100-2015) ---------------------------------------------

_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{18}(?![0-9A-Z])")


def credit_code_valid(code: str) -> bool:
    """True when an 18-character unified social credit code has the right check character.

    Example: ``credit_code_valid("113701000041890072")`` is True.
    """
    code = code.strip().upper()
    if len(code) != 18 or any(c not in _CHARSET for c in code):
        return False
    total = sum(_CHARSET.index(c) * w for c, w in zip(code[:17], _WEIGHTS, strict=True))
    return _CHARSET[(31 - total % 31) % 31] == code[17]


def attach_credit_codes(data: Graph) -> Graph:
    """Attach the credit code found in each document's 索引号 to its issuing agency.

    Reads ``zwgk:indexNumber`` of documents, keeps the 18-character codes whose GB 32100
    check character validates, and adds ``zwgk:creditCode`` and ``org:identifier`` to the
    ``zwgk:issuedBy`` agency (in ``graph/links``).

    Args:
        data: a dataset (or graph) of documents.

    Returns:
        The same object, with the codes attached.
    """
    for doc, _, index in list(_quads(data, None, ZWGK.indexNumber, None)):
        codes = [c for c in _CREDIT.findall(str(index)) if credit_code_valid(c)]
        for _, _, agency in list(_quads(data, doc, ZWGK.issuedBy, None)):
            for code in codes:
                _add(data, LINK_GRAPH, [(agency, ZWGK.creditCode, Literal(code)),
                                        (agency, ORG.identifier, Literal(code))])
    return data


# --- Wikidata ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRow:
    """One row of the Wikidata linkset."""

    iri: str
    label: str
    qid: str
    source: str
    retrieved: str


_COLUMNS = ["place_or_agency_iri", "label", "wikidata_qid", "source", "retrieved"]


def read_linkset(path: Path = LINKSET) -> list[LinkRow]:
    """Read the linkset CSV (``place_or_agency_iri,label,wikidata_qid,source,retrieved``)."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as err:
        raise RuntimeError(f"{path}: cannot read the linkset ({err.strerror})") from err
    if rows and set(_COLUMNS) - set(rows[0]):
        raise RuntimeError(f"{path}: a linkset needs the columns {','.join(_COLUMNS)}")
    return [LinkRow(*(r[c] for c in _COLUMNS)) for r in rows]


def write_linkset(rows: Iterable[LinkRow], path: Path = LINKSET) -> None:
    """Write the linkset CSV, one row per IRI (the first row of an IRI wins)."""
    unique: dict[str, LinkRow] = {}
    for row in rows:
        unique.setdefault(row.iri, row)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(_COLUMNS)
        out.writerows([r.iri, r.label, r.qid, r.source, r.retrieved] for r in unique.values())


def sameas_triples(rows: Iterable[LinkRow]) -> list[Triple]:
    """``owl:sameAs`` from each IRI to its Wikidata item."""
    return [(URIRef(r.iri), OWL.sameAs, WD[r.qid]) for r in rows if re.fullmatch(r"Q\d+", r.qid)]


class WikidataUnavailableError(Exception):
    """The query service could not be reached or answered with an error."""


def p442_query(code: str) -> str:
    """The SPARQL query for the items whose P442 is this GB/T 2260 code."""
    return f'SELECT DISTINCT ?item WHERE {{ ?item wdt:P442 "{gaz.p442(code)}" . }}'


def _qids(payload: object) -> list[str]:
    bindings = payload.get("results", {}).get("bindings", []) if isinstance(payload, dict) else []
    items = {b.get("item", {}).get("value", "") for b in bindings}
    return sorted(i.rsplit("/", 1)[-1] for i in items if re.search(r"/entity/Q\d+$", i))


def query_p442(code: str, client: httpx.Client, endpoint: str = WIKIDATA_ENDPOINT) -> list[str]:
    """QIDs of the Wikidata items carrying this code as P442.

    Raises:
        WikidataUnavailableError: on a connection failure, an HTTP error or a non-JSON answer.
    """
    params = {"query": p442_query(code), "format": "json"}
    try:
        response = client.get(endpoint, params=params)
        response.raise_for_status()
        return _qids(response.json())
    except httpx.HTTPError as err:
        raise WikidataUnavailableError(f"{endpoint}: {type(err).__name__}: {err}".splitlines()[0]) from err
    except ValueError as err:
        raise WikidataUnavailableError(f"{endpoint}: the answer is not SPARQL JSON ({err})") from err


def wikidata_client(timeout: float = 20.0) -> httpx.Client:
    """An HTTP client with the User-Agent the Wikidata query service asks for."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/sparql-results+json"}
    return httpx.Client(headers=headers, timeout=timeout)


def resolve_wikidata(
    places: Iterable[Place], client: httpx.Client, endpoint: str = WIKIDATA_ENDPOINT,
    today: dt.date | None = None,
) -> list[LinkRow]:
    """Find the Wikidata item of each place by its P442 code; no match or several gives no row.

    Args:
        places: the places to look up.
        client: an HTTP client (see :func:`wikidata_client`).
        endpoint: the SPARQL endpoint URL.
        today: the retrieval date written into each row.

    Returns:
        One row per place with exactly one item, its source the query sent.
    """
    date = (today or dt.date.today()).isoformat()
    rows = []
    for place in places:
        qids = query_p442(place.code, client, endpoint)
        if len(qids) == 1:
            source = f"{endpoint} {p442_query(place.code)}"
            rows.append(LinkRow(str(place_iri(place.code)), place.label, qids[0], source, date))
    return rows


# --- the store ---------------------------------------------------------------------------------

_SNAPSHOT = URIRef(BASE + "graph/link-input")
_NOT_LINKS = f"FILTER(?g NOT IN (<{LINK_GRAPH}>, <{INFERRED_GRAPH}>))"
# one document is enough to know the store holds any (a count of every quad is not: it runs after each write)
_ANY_DOCUMENT = f"SELECT ?d WHERE {{ GRAPH ?g {{ ?d <{ZWGK.sourceFile}> ?f }} }} LIMIT 1"
_READS = {  # what linking reads, from every graph but the ones it writes
    "jurisdiction": f"""SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{ZWGK.jurisdiction}> ?o }}
        {_NOT_LINKS} }}""",
    "places": f"""SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s a <{ZWGK.Place}> ; <{RDFS.label}> ?o }}
        {_NOT_LINKS} }}""",
    # collectives are named 各…: their labels, and the documents (with years) that mention them
    "collectives": f"""SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{RDFS.label}> ?o }}
        FILTER(CONTAINS(STR(?o), "各")) {_NOT_LINKS} }}""",
    "mentions": f"""SELECT DISTINCT ?s ?o ?y WHERE {{
        GRAPH ?g {{ ?s <{ZWGK.mentions}> ?o ; <{ZWGK.year}> ?y }}
        ?o <{RDFS.label}> ?l FILTER(CONTAINS(STR(?l), "各")) {_NOT_LINKS} }}""",
    "years": f"""SELECT DISTINCT ?s ?y WHERE {{ GRAPH ?g {{ ?s <{ZWGK.year}> ?y ; <{ZWGK.jurisdiction}> ?o }}
        {_NOT_LINKS} }}""",
    "index": f"""SELECT DISTINCT ?s ?o ?a WHERE {{ GRAPH ?g {{ ?s <{ZWGK.indexNumber}> ?o ;
        <{ZWGK.issuedBy}> ?a }} {_NOT_LINKS} }}""",
    "nodes": f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?s {{ {{nodes}} }} {_NOT_LINKS} }}",
}


def _snapshot(store: GraphStore) -> Dataset:
    """The triples linking reads, copied out of the store into a small dataset."""
    data = Dataset()
    into = data.graph(_SNAPSHOT)

    def iri(value: object) -> URIRef:
        return URIRef(str(value))

    def year(value: object) -> Literal:
        return Literal(str(value)[:4], datatype=XSD.gYear)

    for r in store.select(_READS["jurisdiction"]):
        into.add((iri(r["s"]), ZWGK.jurisdiction, iri(r["o"])))
    for r in store.select(_READS["places"]):
        into.add((iri(r["s"]), RDF.type, ZWGK.Place))
        into.add((iri(r["s"]), RDFS.label, Literal(str(r["o"]), lang="zh")))
    for r in store.select(_READS["collectives"]):
        into.add((iri(r["s"]), RDFS.label, Literal(str(r["o"]), lang="zh")))
    for r in store.select(_READS["mentions"]):
        into.add((iri(r["s"]), ZWGK.mentions, iri(r["o"])))
        into.add((iri(r["s"]), ZWGK.year, year(r["y"])))
    for r in store.select(_READS["years"]):
        into.add((iri(r["s"]), ZWGK.year, year(r["y"])))
    for r in store.select(_READS["index"]):
        into.add((iri(r["s"]), ZWGK.indexNumber, Literal(str(r["o"]))))
        into.add((iri(r["s"]), ZWGK.issuedBy, iri(r["a"])))
    return data


def _known(store: GraphStore, data: Dataset, rows: list[LinkRow]) -> list[LinkRow]:
    """The linkset rows whose IRI is in the store or in the links just made."""
    made = {str(s) for g in (LINK_GRAPH, INFERRED_GRAPH) for s in data.graph(g).subjects()}
    rest = [r for r in rows if r.iri not in made and re.fullmatch(r"[^\s<>\"{}|^`\\]+", r.iri)]
    found: set[str] = set()
    for start in range(0, len(rest), 200):
        values = " ".join(f"<{r.iri}>" for r in rest[start:start + 200])
        found |= {str(x["s"]) for x in store.select(_READS["nodes"].replace("{nodes}", values))}
    return [r for r in rows if r.iri in made or r.iri in found]


def _graph_label(graph: URIRef) -> list[Triple]:
    text = ("链接：GB/T 2260 行政区划代码、信用代码、维基数据" if graph == LINK_GRAPH
            else "推断：集合单位（各区县人民政府等）的成员")
    return [(graph, RDFS.label, Literal(text, lang="zh"))]


def store_links(
    store: GraphStore, linkset: Path = LINKSET, year: int | None = None,
) -> dict[URIRef, list[Triple]]:
    """The link graphs of what the store holds now: ``graph/links`` and ``graph/inferred``.

    Places get their GB/T 2260 description (and codes when named without one), collectives
    their members, issuers the credit code of their documents' 索引号, and nodes of the
    linkset their ``owl:sameAs`` Wikidata item. Only the documents' and entities' graphs are
    read, never the link graphs themselves, so the answer depends on the documents alone.

    Args:
        store: any graph store.
        linkset: the Wikidata linkset CSV.
        year: the year for collectives (None: each collective's documents' latest).

    Returns:
        Triples by graph IRI, sorted, each graph with its label.
    """
    data = _snapshot(store)
    link_places(expand_collectives(attach_credit_codes(resolve_place_nodes(data)), year))
    _add(data, LINK_GRAPH, sameas_triples(_known(store, data, read_linkset(linkset))))
    out: dict[URIRef, list[Triple]] = {}
    for graph in (LINK_GRAPH, INFERRED_GRAPH):
        triples = {(s, p, o) for s, p, o in data.graph(graph)} | set(_graph_label(graph))
        out[graph] = sorted(triples, key=_line)
    return out


def _line(triple: Triple) -> str:
    return " ".join(term_nt(cast("Identifier", x)) for x in triple)


def link_store(store: GraphStore, linkset: Path = LINKSET, year: int | None = None) -> dict[str, int]:
    """Rebuild the link graphs of a store from the documents it holds (after every write).

    Each graph is replaced all-or-nothing, and left alone when its content is unchanged.

    Args:
        store: a writable graph store.
        linkset: the Wikidata linkset CSV.
        year: the year for collectives (None: each collective's documents' latest).

    Returns:
        Triples in each link graph, by graph IRI.
    """
    written: dict[str, int] = {}
    if not store.select(_ANY_DOCUMENT):  # no documents, nothing to describe: an empty store stays empty
        read_linkset(linkset)  # a bad linkset is still said
        for graph in (LINK_GRAPH, INFERRED_GRAPH):
            store.drop_graph(str(graph))  # derived graphs: no source file to find them by
        return written
    for graph, triples in store_links(store, linkset, year).items():
        digest = hashlib.sha256("\n".join(map(_line, triples)).encode("utf-8")).hexdigest()
        store.replace_document(str(graph), cast("list[tuple[Identifier, ...]]", triples), [], digest)
        written[str(graph)] = len(triples)
    return written


# --- CLI --------------------------------------------------------------------------------------

app = typer.Typer(help="Link the graph (a store or a file) to GB/T 2260 places, Wikidata and credit codes.",
                  no_args_is_help=True)


def _load(path: Path) -> Dataset:
    data = Dataset()
    try:
        with warnings.catch_warnings():  # rdflib 7.6's parser calls its own deprecated Dataset API
            warnings.simplefilter("ignore", DeprecationWarning)
            data.parse(path, format="trig" if path.suffix == ".trig" else None)
    except (OSError, SyntaxError, ValueError) as err:
        typer.echo(f"{path}: cannot read the graph ({err})".splitlines()[0], err=True)
        raise typer.Exit(1) from err
    return data


@app.command("places")
def places_command(
    graph: Annotated[Path, typer.Argument(help="input graph (TriG)")],
    out: Annotated[Path, typer.Argument(help="output graph (TriG)")],
    linkset: Annotated[Path, typer.Option(help="Wikidata linkset CSV")] = LINKSET,
) -> None:
    """Describe places, expand collectives, attach credit codes and Wikidata links."""
    data = _load(graph)
    link_places(expand_collectives(attach_credit_codes(data)))
    _add(data, LINK_GRAPH, sameas_triples(read_linkset(linkset)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        data.serialize(out, format="trig")
    typer.echo(f"{out}: {sum(1 for _ in data.quads())} quads")


@app.command("store")
def store_command(
    store: Annotated[Path | None, typer.Option("--store", help="Store directory (as kg build's).")] = None,
    endpoint: Annotated[str | None, typer.Option("--endpoint", help="SPARQL query URL of a server.")] = None,
    linkset: Annotated[Path, typer.Option(help="Wikidata linkset CSV")] = LINKSET,
) -> None:
    """Rebuild the link graphs and the summary graph of a store (kg build and every update do it too)."""
    from kg.settings import default_store_dir
    from kg.store import QueryError, StoreError, open_store
    from kg.summary import SUMMARY_GRAPH, summarize_store

    try:
        graph_store = open_store(None if endpoint else (store or default_store_dir()), endpoint)
    except StoreError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    try:
        written = link_store(graph_store, linkset)
        written[SUMMARY_GRAPH] = int(summarize_store(graph_store)["triples"])  # e.g. a store built before it
    except (StoreError, QueryError, RuntimeError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    finally:
        graph_store.close()
    for graph, count in written.items():
        typer.echo(f"{graph}: {count} triples")


@app.command("wikidata")
def wikidata_command(
    codes: Annotated[list[str] | None, typer.Argument(help="GB/T 2260 codes")] = None,
    graph: Annotated[Path | None, typer.Option(help="take the codes of the places in this graph")] = None,
    endpoint: Annotated[str, typer.Option(help="SPARQL endpoint")] = WIKIDATA_ENDPOINT,
    linkset: Annotated[Path, typer.Option(help="linkset CSV to extend")] = LINKSET,
    timeout: Annotated[float, typer.Option(help="seconds per request")] = 20.0,
) -> None:
    """Find Wikidata items of places by their P442 code and cache them in the linkset."""
    wanted = list(codes or [])
    if graph is not None:
        data = link_places(_load(graph))
        wanted += [str(c) for _, _, c in _quads(data, None, ZWGK.divisionCode, None)]
    rows = read_linkset(linkset)
    known = {r.iri for r in rows}
    todo = [p for c in dict.fromkeys(wanted) if str(place_iri(c)) not in known
            and (p := gaz.gazetteer().at(c, None)) is not None]
    try:
        with wikidata_client(timeout) as client:
            found = resolve_wikidata(todo, client, endpoint)
    except WikidataUnavailableError as err:
        typer.echo(f"kg link wikidata: cannot query Wikidata ({err})", err=True)
        raise typer.Exit(1) from err
    write_linkset(rows + found, linkset)
    typer.echo(f"{linkset}: {len(found)} new links for {len(todo)} places")
