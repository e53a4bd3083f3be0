"""From a government page to plain records, in stages; each imports only the ones before it.

``reading/`` (bytes → cleaned text with offsets) → ``layout/`` (outline, task tables,
metadata, places, dates) → ``components/`` (the spaCy components and their rules) →
``assemble.py`` (records) → ``pipeline.py`` (the entry: build the nlp, extract).
``records.py``, ``errors.py`` and ``paths.py`` are shared by every stage.
"""
