"""The SKOS schemes of terms (``data/mechanisms.jsonl``, ``data/platforms.jsonl``) and their keys.

A :class:`Concept` per entry, :func:`concept_id` for a name, :func:`lexicon` for the
word lists of ``data/kinds_lexicon.json``, and :class:`TermMatch`, a term found in a text.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractors.paths import DATA_DIR

__all__ = ["Concept", "TermMatch", "concept_id", "lexicon", "load_scheme", "nfkc"]


@dataclass(frozen=True)
class TermMatch:
    """A platform, mechanism or other named term found in a text.

    ``surface`` is the matched text with whitespace removed; ``start``/``end``
    index the text passed in.
    """

    start: int
    end: int
    surface: str
    name: str  # canonical label
    key: str  # "mechanism/<id>" / "platform/<id>" when known, else the canonical label
    kind: str  # platform | mechanism | campaign | brand | target_group | policy_area | legal_instrument
    known: bool


@dataclass(frozen=True)
class Concept:
    """One entry of a curated scheme (mechanisms.jsonl / platforms.jsonl)."""

    id: str
    pref_label: str
    alt_labels: tuple[str, ...]
    definition_zh: str
    definition_en: str
    broader: str | None
    source: str
    patterns: tuple[str, ...] = ()
    keep_prefix: bool = False
    place_prefix: bool = False  # a place name before the label names its own instance (广东政务服务网)
    match: bool = True  # False: a broader concept of the scheme, not matched in text


def nfkc(text: str) -> str:
    """Return the NFKC form the extractors match on."""
    return unicodedata.normalize("NFKC", text)


def _read_jsonl(name: str) -> list[dict[str, Any]]:
    path = DATA_DIR / name
    rows: list[dict[str, Any]] = []
    for lineno, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}:{lineno}: invalid JSON ({err.msg})") from err
    return rows


@lru_cache(maxsize=4)
def load_scheme(name: str = "mechanisms.jsonl") -> tuple[Concept, ...]:
    """Load a curated scheme file from ``extractors/data``.

    Args:
        name: ``mechanisms.jsonl`` or ``platforms.jsonl``.

    Returns:
        The concepts in file order.

    Raises:
        ValueError: a line is not valid JSON or lacks ``id``/``prefLabel``.
    """
    out: list[Concept] = []
    for row in _read_jsonl(name):
        if "id" not in row or "prefLabel" not in row:
            raise ValueError(f"{DATA_DIR / name}: entry without id or prefLabel: {row}")
        definition = row.get("definition") or {}
        out.append(
            Concept(
                id=row["id"],
                pref_label=row["prefLabel"],
                alt_labels=tuple(row.get("altLabels", [])),
                definition_zh=definition.get("zh", ""),
                definition_en=definition.get("en", ""),
                broader=row.get("broader"),
                source=row.get("source", ""),
                patterns=tuple(row.get("patterns", [])),
                keep_prefix=bool(row.get("keepPrefix", False)),
                place_prefix=bool(row.get("placePrefix", False)),
                match=bool(row.get("match", True)),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, list[str]]:
    """Word lists for the shape rules (``data/kinds_lexicon.json``)."""
    data: dict[str, list[str]] = json.loads((DATA_DIR / "kinds_lexicon.json").read_text("utf-8"))
    return {k: [nfkc(w) for w in v] for k, v in data.items() if not k.startswith("_")}


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _slug(name: str) -> str:
    digest = hashlib.blake2s(nfkc(name).encode("utf-8"), digest_size=6).hexdigest()
    return f"x-{digest}"


@lru_cache(maxsize=2)
def _label_index(scheme: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in load_scheme(scheme):
        for label in (c.pref_label, *c.alt_labels):
            index.setdefault(_bare(label), c.id)
    return index


def _bare(label: str) -> str:
    return re.sub(r"[\s“”‘’\"'「」『』]", "", nfkc(label))


def concept_id(name: str, scheme: str = "mechanisms.jsonl") -> str:
    """Return the scheme id of a term: curated id when known, else a stable hash slug.

    The same function names the SKOS concepts in ``ontology/mechanisms.ttl``,
    so graph nodes built from extraction are these concepts.

    Args:
        name: canonical label or any alias (quotes and whitespace are ignored).
        scheme: ``mechanisms.jsonl`` or ``platforms.jsonl``.

    Example:
        >>> concept_id("“三同步”")
        'san-tongbu'
    """
    return _label_index(scheme).get(_bare(name)) or _slug(name)
