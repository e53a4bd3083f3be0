"""Extract one uploaded document in a separate process (the API never imports spaCy).

Run as ``python -m api.ingest_worker NAME`` with the document's bytes on stdin.
On success it prints one JSON object: what ``kg build`` writes for the document
(:class:`kg.build.MappedResult`: graph IRI, content hash, and the document and
entity triples as the mapping's lines, the one serialisation both write with)
plus the document IRI. A document the readers or extractors refuse exits with
status 2 (3 when it is too large) and the one-line reason on stderr; any other
failure exits with status 1 and a one-line reason last on stderr.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import traceback
from datetime import UTC, datetime

__all__ = ["BAD_DOCUMENT", "TOO_LARGE", "main"]

BAD_DOCUMENT = 2
TOO_LARGE = 3


def main(argv: list[str]) -> int:
    """Read stdin, extract, map, and print the result as JSON; return the exit status."""
    from extractors.errors import InputError, TooLargeError
    from extractors.pipeline import extract_raw
    from extractors.reading.readers import read_bytes
    from kg.build import extraction_failed, mapped_result
    from kg.iris import document_iri
    from kg.mapping import tool_version

    name = argv[1] if len(argv) > 1 else "upload"
    data = sys.stdin.buffer.read()
    try:
        record = extract_raw(read_bytes(data, name))
        result = mapped_result(record, datetime.now(UTC), tool_version())
    except InputError as err:
        print(str(err), file=sys.stderr)
        return TOO_LARGE if isinstance(err, TooLargeError) else BAD_DOCUMENT
    except Exception as err:  # noqa: BLE001 -- the traceback for the log, then the one-line reason
        traceback.print_exc(file=sys.stderr)
        print(str(extraction_failed(name, err)), file=sys.stderr)
        return 1
    out = {"document": document_iri(record.sha256), **dataclasses.asdict(result)}
    sys.stdout.write(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
