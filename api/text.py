"""Normalising user input the way the graph's labels are normalised (NFKC + OpenCC t2s)."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

__all__ = ["normalize_query"]


@cache
def _t2s() -> Any:
    import opencc

    try:
        return opencc.OpenCC("t2s.json")
    except (ValueError, RuntimeError, OSError):
        return opencc.OpenCC("t2s")


def normalize_query(text: str) -> str:
    """NFKC, traditional → simplified, whitespace trimmed: ``"政務公開 "`` → ``"政务公开"``."""
    folded = unicodedata.normalize("NFKC", text).strip()
    converted: str = _t2s().convert(folded)
    return converted
