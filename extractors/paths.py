"""Where the package's data files are: ``extractors/data/`` (every file there names its source).

One place for every stage, so a module finds its data wherever it sits in the package.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_DIR"]

DATA_DIR = Path(__file__).parent / "data"
