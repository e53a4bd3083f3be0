"""Names as people type them: find entities by a name that differs from the stored ones.

Analysts write 三同步制度 for the mechanism stored as 三同步 (alias “三同步”制度), 12345热线 for
12345市民服务热线, or paste traditional script with quotes and brackets. :func:`name_candidates`
matches in three steps, stopping at the first that finds something:

1. the same name once NFKC, traditional → simplified, spaces, quotes and brackets are removed;
2. the same after dropping a generic tail (制度, 机制, 工作制度 …) from both sides;
3. a short form of four characters or more: the stored name holds the typed characters in
   order, with the same first two and last two characters (12345热线 ⊂ 12345市民服务热线).

Examples:
    >>> lookup_key("“三同步”制度 ")
    '三同步制度'
    >>> is_short_form("12345热线", "12345市民服务热线")
    True
    >>> is_short_form("12345热线", "12345热线问答平台")
    False
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from api.text import normalize_query
from kg.iris import ONTOLOGY
from kg.store import GraphStore

__all__ = ["is_short_form", "lookup_key", "name_candidates"]

MAX_CANDIDATES = 20
_NOISE = re.compile(r"[\s“”‘’\"'「」『』《》〈〉（）()【】\[\]<>·•]")
_TAILS = ("工作制度", "工作机制", "制度", "机制")
_NAMES_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?label ?name WHERE {{ ?n a <{kind}> ; rdfs:label ?label ; rdfs:label|skos:altLabel ?name }}"""


def lookup_key(text: str) -> str:
    """A name as compared: NFKC, simplified script, without spaces, quotes and brackets."""
    return _NOISE.sub("", normalize_query(text))


def _without_tail(key: str) -> str:
    for tail in _TAILS:
        if key.endswith(tail) and len(key) > len(tail) + 1:
            return key[: -len(tail)]
    return key


def is_short_form(short: str, full: str) -> bool:
    """True when ``full`` holds ``short``'s characters in order, with the same two first and last."""
    if len(short) < 4 or len(full) <= len(short) or short[:2] != full[:2] or short[-2:] != full[-2:]:
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


@dataclass
class _Index:
    """Canonical labels of one kind of entity by each of their names' keys."""

    by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_stem: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, label: str, name: str) -> None:
        key = lookup_key(name)
        self.by_key[key].add(label)
        self.by_stem[_without_tail(key)].add(label)

    def find(self, text: str) -> list[str]:
        key = lookup_key(text)
        found = self.by_key.get(key) or self.by_stem.get(_without_tail(key))
        if not found:
            found = {
                label for name, labels in self.by_key.items() if is_short_form(key, name) for label in labels
            }
        return sorted(found)[:MAX_CANDIDATES]


_CACHE: dict[tuple[int, int, str], _Index] = {}
_LOCK = threading.Lock()


def _index(store: GraphStore, kind: str) -> _Index:
    generation = getattr(store, "generation", None)
    key = (id(store), generation, kind) if isinstance(generation, int) else None
    with _LOCK:
        if key is not None and key in _CACHE:
            return _CACHE[key]
    index = _Index()
    for row in store.select(_NAMES_QUERY.format(kind=ONTOLOGY + kind)):
        index.add(str(row["label"]), str(row["name"]))
    if key is not None:
        with _LOCK:
            if len(_CACHE) > 16:
                _CACHE.clear()
            _CACHE[key] = index
    return index


def name_candidates(store: GraphStore, kind: str, text: str) -> list[str]:
    """Canonical labels of the ``kind`` entities (``Mechanism``, ``Platform``, ``Agency``) ``text`` names."""
    return _index(store, kind).find(text)
