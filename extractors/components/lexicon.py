"""The segmenter's user dictionary, generated from the project's own data files.

Names of departments (with their abbreviations), mechanisms and platforms are
added as whole words so that segmentation never splits 住房和城乡建设局 or
政务公开专区. Nothing here is written by hand: edit the data files instead.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from extractors.paths import DATA_DIR

__all__ = ["data_path", "user_dictionary"]

_SPLIT = re.compile(r"[;|；、/]")


def data_path(name: str) -> Path:
    """Path of a file in ``extractors/data``."""
    return DATA_DIR / name


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as f:
        lines = (line for line in f if not line.startswith("#"))
        yield from csv.DictReader(lines)


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and not line.startswith("//"):
            yield json.loads(line)


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in _SPLIT.split(value) if v.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def _department_words() -> Iterator[str]:
    for row in _csv_rows(data_path("departments.csv")):
        for key in ("full_name", "name", "abbreviations", "aliases"):
            yield from _names(row.get(key, ""))


def _scheme_words(file: str) -> Iterator[str]:
    for obj in _jsonl(data_path(file)):
        for key in ("prefLabel", "name", "altLabels", "aliases"):
            yield from _names(obj.get(key))


@lru_cache(maxsize=1)
def user_dictionary() -> tuple[str, ...]:
    """All names the segmenter should keep whole (2–20 characters, no quotes).

    Names with punctuation inside (决策、执行…公开) are left out: every segmenter cuts at punctuation,
    so no dictionary entry can keep them whole.
    """
    words: set[str] = set()
    for word in (*_department_words(), *_scheme_words("mechanisms.jsonl"), *_scheme_words("platforms.jsonl")):
        word = re.sub(r"[“”\"'「」《》\s]", "", word)
        if 2 <= len(word) <= 20 and not re.search(r"[、，,。；;：:！!？?（）()]", word):
            words.add(word)
    return tuple(sorted(words))
