"""Extract one uploaded document in a separate process (the API never imports spaCy).

Run as ``python -m api.ingest_worker NAME`` with the document's bytes on stdin.
On success it prints one JSON object: the document graph IRI, the content hash
and the document and entity triples as N-Triples. A document the readers or
extractors refuse exits with status 2 and the one-line reason on stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

__all__ = ["main"]

BAD_DOCUMENT = 2


def _nt(triples: Sequence[tuple[object, ...]]) -> str:
    return "".join(" ".join(term.n3() for term in triple) + " .\n" for triple in triples)  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    """Read stdin, extract, map, and print the result as JSON; return the exit status."""
    from extractors.errors import InputError
    from extractors.pipeline import extract_raw
    from extractors.readers import read_bytes
    from kg.mapping import map_record, run_time_triple, tool_version

    name = argv[1] if len(argv) > 1 else "upload"
    data = sys.stdin.buffer.read()
    try:
        record = extract_raw(read_bytes(data, name))
    except InputError as err:
        print(str(err), file=sys.stderr)
        return BAD_DOCUMENT
    version = tool_version()
    mapped = map_record(record, version)
    doc = [*mapped.doc_triples, run_time_triple(record, datetime.now(UTC), version)]
    out = {
        "graph": mapped.graph_iri,
        "document": mapped.doc_iri,
        "hash": mapped.content_hash,
        "doc": _nt(doc),
        "entities": _nt(mapped.entity_triples),
    }
    sys.stdout.write(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
