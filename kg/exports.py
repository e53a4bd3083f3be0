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
import warnings
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyld import jsonld
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, VOID
from rdflib.term import BNode, Node

from kg.iris import BASE, ONTOLOGY

__all__ = [
    "CONTEXT_URL",
    "context_document",
    "export_jsonld",
    "no_network_loader",
    "schema_org_view",
    "to_jsonld",
    "validate_schema_org",
    "void_description",
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


def to_jsonld(dataset: Graph, *, inline_context: bool = True) -> dict[str, Any]:
    """The dataset as compacted JSON-LD (named graphs as ``@graph`` objects with an ``@id``).

    Args:
        dataset: a dataset or graph.
        inline_context: embed the context (expandable offline); when False, refer to
            :data:`CONTEXT_URL` as published.
    """
    with warnings.catch_warnings():  # rdflib 7.6's N-Quads serializer calls its own deprecated API
        warnings.filterwarnings("ignore", "Dataset.contexts is deprecated", DeprecationWarning)
        nquads = dataset.serialize(format="nquads")
    expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads"})
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


def _triples(data: Graph, s: Node | None, p: Node | None, o: Node | None) -> Iterator[Triple]:
    if isinstance(data, Dataset):
        for q in data.quads((s, p, o, None)):
            yield q[0], q[1], q[2]
    else:
        yield from data.triples((s, p, o))


def _union(data: Graph) -> Graph:
    """All triples of every graph of a dataset in one graph."""
    union = Graph()
    for triple in _triples(data, None, None, None):
        union.add(triple)
    return union


def _copy(src: Graph, view: Graph, node: Node, pairs: list[tuple[Node, Node]]) -> None:
    for source, target in pairs:
        for value in src.objects(node, source):
            view.add((node, target, value))


def _agencies(src: Graph, view: Graph) -> None:
    agencies = set(src.subjects(RDF.type, ZWGK.Agency)) | set(src.subjects(RDF.type, ZWGK.AgencyGroup))
    for agency in agencies:
        view.add((agency, RDF.type, SDO.GovernmentOrganization))
        _copy(src, view, agency, [(RDFS.label, SDO.name), (SKOS.altLabel, SDO.alternateName),
                                  (ZWGK.jurisdiction, SDO.areaServed), (ZWGK.creditCode, SDO.identifier),
                                  (OWL.sameAs, SDO.sameAs)])
        for parent in src.objects(agency, ORG.subOrganizationOf):
            if parent in agencies:
                view.add((agency, SDO.parentOrganization, parent))
        for member in src.objects(agency, ORG.hasMember):
            view.add((agency, SDO.member, member))


def _provider(src: Graph, platform: Node) -> Node | None:
    """The one agency responsible wherever the platform is used, when there is exactly one."""
    agencies = {a for user in src.subjects(ZWGK.usesPlatform, platform)
                for a in src.objects(user, ZWGK.responsibleAgency)}
    return agencies.pop() if len(agencies) == 1 else None


def _platforms(src: Graph, view: Graph) -> None:
    for platform in set(src.subjects(RDF.type, ZWGK.Platform)):
        view.add((platform, RDF.type, SDO.GovernmentService))
        _copy(src, view, platform, [(RDFS.label, SDO.name), (SKOS.altLabel, SDO.alternateName)])
        kinds = sorted(str(t)[len(ONTOLOGY):] for t in src.objects(platform, RDF.type)
                       if str(t).startswith(ONTOLOGY) and t != ZWGK.Platform)
        view.add((platform, SDO.serviceType, Literal(kinds[0] if kinds else "Platform")))
        if (provider := _provider(src, platform)) is not None:
            view.add((platform, SDO.provider, provider))


def _documents(src: Graph, view: Graph) -> None:
    for doc in set(src.subjects(RDF.type, ZWGK.Document)):
        view.add((doc, RDF.type, SDO.DigitalDocument))
        view.add((doc, SDO.inLanguage, Literal("zh")))
        _copy(src, view, doc, [(DCTERMS.title, SDO.name), (ZWGK.documentNumber, SDO.identifier),
                               (ZWGK.issuedBy, SDO.publisher), (ZWGK.jurisdiction, SDO.spatialCoverage)])
        for issued in src.objects(doc, DCTERMS.issued):
            view.add((doc, SDO.datePublished, Literal(str(issued), datatype=XSD.date)))


def _places(src: Graph, view: Graph) -> None:
    for place in set(src.subjects(RDF.type, ZWGK.Place)):
        view.add((place, RDF.type, SDO.AdministrativeArea))
        _copy(src, view, place, [(RDFS.label, SDO.name), (SKOS.altLabel, SDO.alternateName),
                                 (ZWGK.divisionCode, SDO.identifier), (OWL.sameAs, SDO.sameAs),
                                 (ZWGK.parentPlace, SDO.containedInPlace)])


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
    src, view = _union(dataset), Graph()
    view.bind("schema", SDO)
    for part in (_agencies, _platforms, _documents, _places):
        part(src, view)
    return view


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


def _partitions(desc: Graph, ds_node: URIRef, union: Graph) -> None:
    classes = Counter(o for _, o in union.subject_objects(RDF.type))
    props = Counter(p for _, p, _ in union)
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


def _linkset(desc: Graph, ds_node: URIRef, union: Graph) -> None:
    links = [(s, o) for s, o in union.subject_objects(OWL.sameAs) if str(o).startswith(WD)]
    node, wikidata = URIRef(f"{ds_node}/linkset/wikidata"), URIRef("http://www.wikidata.org/")
    for triple in [(node, RDF.type, VOID.Linkset), (ds_node, VOID.subset, node),
                   (node, VOID.linkPredicate, OWL.sameAs), (node, VOID.subjectsTarget, ds_node),
                   (node, VOID.objectsTarget, wikidata), (node, VOID.target, ds_node),
                   (node, VOID.target, wikidata), (node, VOID.triples, Literal(len(links))),
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


def void_description(dataset: Graph) -> Graph:
    """A VoID and DCAT description of the dataset, with counts measured on it.

    The dataset node (``kg/data/dataset.json``) is a ``void:Dataset`` and ``dcat:Dataset``
    with ``void:triples``, ``void:entities`` (IRI subjects), ``void:classes``,
    ``void:properties``, class and property partitions, vocabularies used, a
    ``void:Linkset`` for the ``owl:sameAs`` links to Wikidata with their count,
    ``dcterms:license``, ``dcterms:source`` (the GB/T 2260 areacodes data) and one
    ``dcat:distribution`` per export.

    Args:
        dataset: the dataset or graph to describe.
    """
    info, union = _info(), _union(dataset)
    node, desc = URIRef(info["iri"]), Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS)):
        desc.bind(prefix, ns)
    subjects = {s for s in union.subjects() if isinstance(s, URIRef)}
    for triple in [
        (node, RDF.type, VOID.Dataset), (node, RDF.type, DCAT.Dataset),
        (node, DCTERMS.title, Literal(info["title"], lang="en")),
        (node, DCTERMS.title, Literal(info["title_zh"], lang="zh")),
        (node, DCTERMS.license, URIRef(info["license"])),
        (node, FOAF.homepage, URIRef(info["homepage"])),
        (node, VOID.sparqlEndpoint, URIRef(info["sparql_endpoint"])),
        (node, VOID.uriSpace, Literal(BASE)),
        (node, VOID.triples, Literal(len(union))),
        (node, VOID.entities, Literal(len(subjects))),
        (node, VOID.classes, Literal(len(set(union.objects(None, RDF.type))))),
        (node, VOID.properties, Literal(len(set(union.predicates())))),
        (node, VOID.distinctSubjects, Literal(len(set(union.subjects())))),
    ]:
        desc.add(triple)
    for source in info.get("sources", []):
        desc.add((node, DCTERMS.source, URIRef(source)))
    _partitions(desc, node, union)
    _linkset(desc, node, union)
    _distributions(desc, node, info)
    return desc
