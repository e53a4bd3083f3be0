"""Where the CLI keeps its store by default."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

__all__ = ["default_store_dir"]


def default_store_dir() -> Path:
    """The default on-disk store: ``<user data dir>/zwgk-kg/store``."""
    return Path(user_data_dir("zwgk-kg")) / "store"
