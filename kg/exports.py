"""Exports for others: JSON-LD with the published context, a schema.org view, VoID/DCAT.

Nothing here touches the network: the JSON-LD context is passed inline and pyld
runs with a document loader that refuses every fetch (it only serves the project's
own context under its published URL).

Example:
    >>> from rdflib import Dataset
    >>> len(schema_org_view(Dataset()))
    0
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from pyld import jsonld
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, VOID
from rdflib.term import BNode, Identifier, Node

from kg.iris import BASE, ONTOLOGY
from kg.ntriples import term_nt
from kg.store import GraphStore, OxigraphStore

__all__ = [
    "CONTEXT_URL",
    "context_document",
    "export_jsonld",
    "no_network_loader",
    "schema_org_view",
    "schema_org_view_of_store",
    "to_jsonld",
    "validate_schema_org",
    "void_description",
    "void_of_store",
]

SDO = Namespace("https://schema.org/")
ZWGK = Namespace(ONTOLOGY)
WD = "http://www.wikidata.org/entity/"
CONTEXT_URL = "https://w3id.org/zwgk/context.jsonld"
_ROOT = Path(__file__).resolve().parent
CONTEXT_FILES = (_ROOT.parent / "ontology" / "context.jsonld", _ROOT / "data" / "context.jsonld")
SCHEMA_EXTRACT = _ROOT / "data" / "schemaorg_extract.ttl"
DATASET_INFO = _ROOT / "data" / "dataset.json"

Triple = tuple[Node, Node, Node]


# --- JSON-LD ----------------------------------------------------------------------------------


def context_document() -> dict[str, Any]:
    """The project's JSON-LD context (``ontology/context.jsonld``, else ``kg/data/context.jsonld``)."""
    for path in CONTEXT_FILES:
        if path.is_file():
            try:
                doc: dict[str, Any] = json.loads(path.read_text("utf-8"))
            except ValueError as err:
                raise RuntimeError(f"{path}: not a JSON-LD context ({err})") from err
            return doc
    raise RuntimeError(f"{CONTEXT_FILES[-1]}: no JSON-LD context file")


def no_network_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves the project's context and refuses any other URL.

    Raises:
        pyld.jsonld.JsonLdError: for every URL but :data:`CONTEXT_URL`.
    """
    if url == CONTEXT_URL:
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": context_document()}
    raise jsonld.JsonLdError(f"refusing to fetch {url}: exports never use the network",
                             "jsonld.LoadDocumentError", code="loading document failed")


def _rdf_term(term: Node) -> dict[str, str]:
    """A term as pyld's RDF dataset holds it (what its N-Quads reader makes of rdflib's N-Quads)."""
    if isinstance(term, BNode):
        return {"type": "blank node", "value": f"_:{term}"}
    if isinstance(term, Literal):
        if term.language:
            return {"type": "literal", "value": str(term), "datatype": str(RDF.langString),
                    "language": term.language}
        return {"type": "literal", "value": str(term), "datatype": str(term.datatype or XSD.string)}
    return {"type": "IRI", "value": str(term)}


def _rdf_dataset(dataset: Graph) -> dict[str, list[dict[str, dict[str, str]]]]:
    """The dataset in pyld's RDF dataset form, each triple once per graph.

    Handed to pyld directly: its N-Quads reader checks each triple against every triple
    read before it (140 s for the 12,500 triples of the schema.org view of 1,000 documents).
    """
    graphs: dict[str, dict[Triple, None]] = {}
    if isinstance(dataset, Dataset):
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = "@default" if g is None or g == DATASET_DEFAULT_GRAPH_ID else _rdf_term(g)["value"]
            graphs.setdefault(name, {})[(s, p, o)] = None
    else:
        graphs["@default"] = dict.fromkeys(dataset.triples((None, None, None)))
    return {name: [{"subject": _rdf_term(s), "predicate": _rdf_term(p), "object": _rdf_term(o)}
                   for s, p, o in triples]
            for name, triples in graphs.items()}


def to_jsonld(dataset: Graph, *, inline_context: bool = True) -> dict[str, Any]:
    """The dataset as compacted JSON-LD (named graphs as ``@graph`` objects with an ``@id``).

    Args:
        dataset: a dataset or graph.
        inline_context: embed the context (expandable offline); when False, refer to
            :data:`CONTEXT_URL` as published.
    """
    expanded = jsonld.from_rdf(_rdf_dataset(dataset), {})
    context = context_document()
    options = {"documentLoader": no_network_loader}
    compacted: dict[str, Any] = jsonld.compact(expanded, context, options)
    compacted["@context"] = context["@context"] if inline_context else CONTEXT_URL
    return compacted


def export_jsonld(dataset: Graph, path: Path | str, *, inline_context: bool = True) -> Path:
    """Write the dataset as compacted JSON-LD to ``path`` (see :func:`to_jsonld`).

    Returns:
        The path written.
    """
    out = Path(path)
    text = json.dumps(to_jsonld(dataset, inline_context=inline_context), ensure_ascii=False, indent=1)
    try:
        out.write_text(text + "\n", "utf-8")
    except OSError as err:
        raise RuntimeError(f"{out}: cannot write the JSON-LD export ({err.strerror})") from err
    return out


# --- schema.org view --------------------------------------------------------------------------

# zwgk property → schema.org property, per kind of entity
_AGENCY_PAIRS = (
    (RDFS.label, SDO.name), (SKOS.altLabel, SDO.alternateName), (ZWGK.jurisdiction, SDO.areaServed),
    (ZWGK.creditCode, SDO.identifier), (OWL.sameAs, SDO.sameAs),
)
_PLATFORM_PAIRS = ((RDFS.label, SDO.name), (SKOS.altLabel, SDO.alternateName))
_DOCUMENT_PAIRS = (
    (DCTERMS.title, SDO.name), (ZWGK.documentNumber, SDO.identifier), (ZWGK.issuedBy, SDO.publisher),
    (ZWGK.jurisdiction, SDO.spatialCoverage),
)
_PLACE_PAIRS = (
    (RDFS.label, SDO.name), (SKOS.altLabel, SDO.alternateName), (ZWGK.divisionCode, SDO.identifier),
    (OWL.sameAs, SDO.sameAs), (ZWGK.parentPlace, SDO.containedInPlace),
)
_AGENCY_SOURCE = (RDF.type, *(p for p, _ in _AGENCY_PAIRS), ORG.subOrganizationOf, ORG.hasMember)
# the triples the view is made of: for each class, the properties read from its members
_SOURCE_PROPERTIES: dict[URIRef, tuple[URIRef, ...]] = {
    ZWGK.Agency: _AGENCY_SOURCE,
    ZWGK.AgencyGroup: _AGENCY_SOURCE,
    ZWGK.Platform: (RDF.type, *(p for p, _ in _PLATFORM_PAIRS)),
    ZWGK.Document: (RDF.type, *(p for p, _ in _DOCUMENT_PAIRS), DCTERMS.issued),
    ZWGK.Place: (RDF.type, *(p for p, _ in _PLACE_PAIRS)),
}
# in the source graph, a platform's one responsible agency (wherever the platform is used, exactly one)
_PROVIDER = URIRef("urn:x-zwgk:provider")
_UNION_GRAPH = "urn:x-zwgk:union"
_RDFLIB_FORMATS = {"application/n-triples": "nt", "text/turtle": "turtle", "application/rdf+xml": "xml",
                   "application/n-quads": "nquads", "application/trig": "trig"}


def _source_query(max_entities: int | None) -> str:
    """CONSTRUCT of just the triples the view maps (entities, never evidence or items) and the providers."""
    classes = " ".join(f"<{c}>" for c in _SOURCE_PROPERTIES)
    pairs = " ".join(f"(<{c}> <{p}>)" for c, props in _SOURCE_PROPERTIES.items() for p in props)
    entities = (f"{{ SELECT DISTINCT ?s WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }} LIMIT {max_entities} }}"
                if max_entities is not None else "")
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ {entities} VALUES (?c ?p) {{ {pairs} }} ?s a ?c ; ?p ?o }}
  UNION
  {{ {{ SELECT ?s (SAMPLE(?a) AS ?o) WHERE {{
         ?s a <{ZWGK.Platform}> . ?u <{ZWGK.usesPlatform}> ?s ; <{ZWGK.responsibleAgency}> ?a
       }} GROUP BY ?s HAVING (COUNT(DISTINCT ?a) = 1) }}
     BIND(<{_PROVIDER}> AS ?p) }}
}}"""


def _triples(data: Graph) -> Iterator[Triple]:
    if isinstance(data, Dataset):
        for q in data.quads((None, None, None, None)):
            yield q[0], q[1], q[2]
    else:
        yield from data.triples((None, None, None))


def _memory_store(data: Graph) -> OxigraphStore:
    """The triples of every graph of ``data`` in one graph of an in-memory store."""
    store = OxigraphStore(None)
    store.add_triples(_UNION_GRAPH, cast("Iterator[tuple[Identifier, ...]]", _triples(data)))
    return store


def _copy(src: Graph, view: Graph, node: Node, pairs: tuple[tuple[URIRef, URIRef], ...]) -> None:
    for source, target in pairs:
        for value in src.objects(node, source):
            view.add((node, target, value))


def _agencies(src: Graph, view: Graph) -> None:
    agencies = set(src.subjects(RDF.type, ZWGK.Agency)) | set(src.subjects(RDF.type, ZWGK.AgencyGroup))
    for agency in agencies:
        view.add((agency, RDF.type, SDO.GovernmentOrganization))
        _copy(src, view, agency, _AGENCY_PAIRS)
        for parent in src.objects(agency, ORG.subOrganizationOf):
            if parent in agencies:
                view.add((agency, SDO.parentOrganization, parent))
        for member in src.objects(agency, ORG.hasMember):
            view.add((agency, SDO.member, member))


def _platforms(src: Graph, view: Graph) -> None:
    for platform in set(src.subjects(RDF.type, ZWGK.Platform)):
        view.add((platform, RDF.type, SDO.GovernmentService))
        _copy(src, view, platform, _PLATFORM_PAIRS)
        kinds = sorted(str(t)[len(ONTOLOGY):] for t in src.objects(platform, RDF.type)
                       if str(t).startswith(ONTOLOGY) and t != ZWGK.Platform)
        view.add((platform, SDO.serviceType, Literal(kinds[0] if kinds else "Platform")))
        for provider in src.objects(platform, _PROVIDER):
            view.add((platform, SDO.provider, provider))


def _documents(src: Graph, view: Graph) -> None:
    for doc in set(src.subjects(RDF.type, ZWGK.Document)):
        view.add((doc, RDF.type, SDO.DigitalDocument))
        view.add((doc, SDO.inLanguage, Literal("zh")))
        _copy(src, view, doc, _DOCUMENT_PAIRS)
        for issued in src.objects(doc, DCTERMS.issued):
            view.add((doc, SDO.datePublished, Literal(str(issued), datatype=XSD.date)))


def _places(src: Graph, view: Graph) -> None:
    for place in set(src.subjects(RDF.type, ZWGK.Place)):
        view.add((place, RDF.type, SDO.AdministrativeArea))
        _copy(src, view, place, _PLACE_PAIRS)


def _cut(src: Graph, max_entities: int) -> bool:
    """Keep the first ``max_entities`` mapped entities of ``src`` (by IRI); True when some were dropped."""
    entities = sorted({s for c in _SOURCE_PROPERTIES for s in src.subjects(RDF.type, c)}, key=str)
    for entity in entities[max_entities:]:
        src.remove((entity, None, None))
    return len(entities) > max_entities


def schema_org_view_of_store(store: GraphStore, max_entities: int | None = None) -> tuple[Graph, bool]:
    """The schema.org view (see :func:`schema_org_view`) of a store, read with one CONSTRUCT.

    Only the triples the view maps are fetched (the entities' labels, types and links, and one
    aggregate for the platforms' providers), never the items, evidence or provenance that make
    most of a store.

    Args:
        store: the store (its ``query_raw``).
        max_entities: map at most this many agencies, platforms, documents and places.

    Returns:
        The view, and whether it was cut at ``max_entities``.
    """
    limit = None if max_entities is None else max_entities + 1
    body, media = store.query_raw(_source_query(limit), "application/n-triples")
    src = Graph()
    src.parse(data=body.decode("utf-8"), format=_RDFLIB_FORMATS.get(media, "nt"))  # as a remote server chose
    del body
    truncated = max_entities is not None and _cut(src, max_entities)
    view = Graph()
    view.bind("schema", SDO)
    for part in (_agencies, _platforms, _documents, _places):
        part(src, view)
    return view, truncated


def schema_org_view(dataset: Graph) -> Graph:
    """A schema.org view of the graph, for search engines and generic consumers.

    Agencies become ``schema:GovernmentOrganization`` (name, alternateName,
    parentOrganization, areaServed, member), platforms ``schema:GovernmentService``
    (name, serviceType, provider when one responsible agency is known), documents
    ``schema:DigitalDocument`` (name, datePublished, publisher) and places
    ``schema:AdministrativeArea`` (name, identifier, containedInPlace).

    Args:
        dataset: a dataset or graph in the zwgk vocabulary.

    Returns:
        A new graph in the schema.org vocabulary (prefix ``schema``).
    """
    return schema_org_view_of_store(_memory_store(dataset))[0]


@lru_cache(maxsize=1)
def _schema() -> Graph:
    graph = Graph()
    graph.parse(SCHEMA_EXTRACT, format="turtle")
    return graph


def _supers(cls: Node) -> set[Node]:
    return {c for c in _schema().transitive_objects(cls, RDFS.subClassOf) if c is not None}


def _literal_ok(value: Literal, ranges: set[Node]) -> bool:
    if value.datatype in (XSD.date, XSD.dateTime):
        return bool(ranges & {SDO.Date, SDO.DateTime})
    return bool(ranges & {SDO.Text, SDO.URL})


def _value_ok(view: Graph, value: Node, ranges: set[Node]) -> bool:
    if isinstance(value, Literal):
        return _literal_ok(value, ranges)
    types = set(view.objects(value, RDF.type))
    if not types:  # a link out of the view (Wikidata, another dataset): an URL
        return bool(ranges & {SDO.URL, SDO.Thing})
    return any(ranges & _supers(t) for t in types)


def _check(view: Graph, node: Node, prop: Node, value: Node, supers: set[Node]) -> str | None:
    schema = _schema()
    if (prop, RDF.type, RDF.Property) not in schema:
        return f"{node}: {prop} is not a schema.org property of the extract"
    domains = set(schema.objects(prop, SDO.domainIncludes))
    if not domains & supers:
        return f"{node}: {prop} is not allowed on {sorted(map(str, supers - {SDO.Thing}))[:1]}"
    if not _value_ok(view, value, set(schema.objects(prop, SDO.rangeIncludes))):
        return f"{node}: {prop} value {value} is outside its schema.org range"
    return None


def validate_schema_org(view: Graph) -> list[str]:
    """Check a schema.org view against the bundled extract of schema.org's definitions.

    Every node needs a schema.org type from the extract; every schema.org property on it
    needs a ``domainIncludes`` class among the node's types and their superclasses, and a
    value within its ``rangeIncludes``.

    Returns:
        One message per violation (empty when the view conforms).
    """
    problems: list[str] = []
    for node in sorted(set(view.subjects()), key=str):
        types = set(view.objects(node, RDF.type))
        supers = set().union(*(_supers(t) for t in types)) if types else set()
        if not types or not all((t, RDF.type, RDFS.Class) in _schema() for t in types):
            problems.append(f"{node}: no schema.org type of the extract ({', '.join(map(str, types))})")
            continue
        for prop, value in sorted(view.predicate_objects(node)):
            if prop != RDF.type and (problem := _check(view, node, prop, value, supers)):
                problems.append(problem)
    return problems


# --- VoID / DCAT ------------------------------------------------------------------------------


def _vocabulary(iri: Node) -> str:
    text = str(iri)
    cut = max(text.rfind("#"), text.rfind("/"))
    return text[: cut + 1]


# Counts of the union of all graphs, a triple counted once however many graphs hold it. The engine
# dedupes in memory, so triples are counted one property at a time (the set held is that of the
# largest property, not of the store: 42 → 9 MB on 1,000 documents); rdf:type's triples are the
# sum of the class partitions.
_VOID_PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
_VOID_PROPERTY = "SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ ?s {} ?o }} }}"
_VOID_CLASSES = f"""SELECT ?c (isIRI(?c) AS ?iri) (COUNT(DISTINCT ?s) AS ?n)
WHERE {{ ?s <{RDF.type}> ?c }} GROUP BY ?c"""
_VOID_SUBJECTS = """SELECT (COUNT(*) AS ?all) (SUM(IF(isIRI(?s), 1, 0)) AS ?iris)
WHERE { SELECT DISTINCT ?s WHERE { ?s ?p ?o } }"""
_VOID_WIKIDATA = f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{
  ?s <{OWL.sameAs}> ?o FILTER(STRSTARTS(STR(?o), "{WD}")) }} }}"""


def _int(row: dict[str, object], name: str) -> int:
    return int(str(row.get(name, 0)))


def _partitions(desc: Graph, ds_node: URIRef, store: GraphStore) -> tuple[int, int, int]:
    """Class and property partitions (GROUP BY queries) and vocabularies; (triples, classes, properties)."""
    classes = {(URIRef(str(r["c"])) if r.get("iri") else Literal(r["c"])): _int(r, "n")
               for r in store.select(_VOID_CLASSES)}
    props = {URIRef(str(r["p"])): 0 for r in store.select(_VOID_PREDICATES)}
    for prop in props:
        props[prop] = (sum(classes.values()) if prop == RDF.type
                       else _int(store.select(_VOID_PROPERTY.format(term_nt(prop)))[0], "n"))
    for cls, n in sorted(classes.items()):
        part = BNode()
        desc.add((ds_node, VOID.classPartition, part))
        desc.add((part, VOID["class"], cls))
        desc.add((part, VOID.entities, Literal(n)))
    for prop, n in sorted(props.items()):
        part = BNode()
        desc.add((ds_node, VOID.propertyPartition, part))
        desc.add((part, VOID.property, prop))
        desc.add((part, VOID.triples, Literal(n)))
    for vocab in sorted({_vocabulary(x) for x in [*classes, *props]}):
        desc.add((ds_node, VOID.vocabulary, URIRef(vocab)))
    return sum(props.values()), len(classes), len(props)


def _linkset(desc: Graph, ds_node: URIRef, store: GraphStore) -> None:
    links = _int(store.select(_VOID_WIKIDATA)[0], "n")
    node, wikidata = URIRef(f"{ds_node}/linkset/wikidata"), URIRef("http://www.wikidata.org/")
    for triple in [(node, RDF.type, VOID.Linkset), (ds_node, VOID.subset, node),
                   (node, VOID.linkPredicate, OWL.sameAs), (node, VOID.subjectsTarget, ds_node),
                   (node, VOID.objectsTarget, wikidata), (node, VOID.target, ds_node),
                   (node, VOID.target, wikidata), (node, VOID.triples, Literal(links)),
                   (wikidata, RDF.type, VOID.Dataset), (wikidata, FOAF.homepage, wikidata)]:
        desc.add(triple)


def _distributions(desc: Graph, ds_node: URIRef, info: dict[str, Any]) -> None:
    for dist in info.get("distributions", []):
        node = URIRef(f"{ds_node}/distribution/{dist['file']}")
        desc.add((ds_node, DCAT.distribution, node))
        desc.add((node, RDF.type, DCAT.Distribution))
        desc.add((node, DCTERMS.title, Literal(dist["title"], lang="en")))
        desc.add((node, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{dist['media_type']}")))
        desc.add((node, DCAT.downloadURL, URIRef(info["download_base"] + dist["file"])))
        desc.add((ds_node, VOID.dataDump, URIRef(info["download_base"] + dist["file"])))


def _info() -> dict[str, Any]:
    try:
        info: dict[str, Any] = json.loads(DATASET_INFO.read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise RuntimeError(f"{DATASET_INFO}: cannot read the dataset description ({err})") from err
    return info


def void_of_store(store: GraphStore) -> Graph:
    """A VoID and DCAT description of the store's dataset, counted by SPARQL aggregates on it.

    The dataset node (``kg/data/dataset.json``) is a ``void:Dataset`` and ``dcat:Dataset``
    with ``void:triples``, ``void:entities`` (IRI subjects), ``void:classes``,
    ``void:properties``, class and property partitions (GROUP BY queries), vocabularies used, a
    ``void:Linkset`` for the ``owl:sameAs`` links to Wikidata with their count,
    ``dcterms:license``, ``dcterms:source`` (the GB/T 2260 areacodes data) and one
    ``dcat:distribution`` per export. The union of all graphs is described, each triple once.

    Args:
        store: the store (its ``select``).
    """
    info = _info()
    node, desc = URIRef(info["iri"]), Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS)):
        desc.bind(prefix, ns)
    triples, classes, properties = _partitions(desc, node, store)
    subjects = store.select(_VOID_SUBJECTS)[0]
    for triple in [
        (node, RDF.type, VOID.Dataset), (node, RDF.type, DCAT.Dataset),
        (node, DCTERMS.title, Literal(info["title"], lang="en")),
        (node, DCTERMS.title, Literal(info["title_zh"], lang="zh")),
        (node, DCTERMS.license, URIRef(info["license"])),
        (node, FOAF.homepage, URIRef(info["homepage"])),
        (node, VOID.sparqlEndpoint, URIRef(info["sparql_endpoint"])),
        (node, VOID.uriSpace, Literal(BASE)),
        (node, VOID.triples, Literal(triples)),
        (node, VOID.entities, Literal(_int(subjects, "iris"))),
        (node, VOID.classes, Literal(classes)),
        (node, VOID.properties, Literal(properties)),
        (node, VOID.distinctSubjects, Literal(_int(subjects, "all"))),
    ]:
        desc.add(triple)
    for source in info.get("sources", []):
        desc.add((node, DCTERMS.source, URIRef(source)))
    _linkset(desc, node, store)
    _distributions(desc, node, info)
    return desc


def void_description(dataset: Graph) -> Graph:
    """A VoID and DCAT description of an rdflib dataset or graph (see :func:`void_of_store`).

    Args:
        dataset: the dataset or graph to describe.
    """
    return void_of_store(_memory_store(dataset))
