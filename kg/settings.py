"""Where the CLI keeps its store by default."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

__all__ = ["PROJECT_STORE", "default_store_dir"]

PROJECT_STORE = Path(".zwgk") / "store"  # where `make demo` builds, relative to the project


def default_store_dir() -> Path:
    """The store a command uses when none is given.

    In order: ``$ZWGK_STORE_DIR`` (the variable ``kg serve`` reads too); ``.zwgk/store`` in the
    current directory when it exists (the store ``make demo`` builds and serves); else
    ``<user data dir>/zwgk-kg/store``.
    """
    configured = os.environ.get("ZWGK_STORE_DIR")
    if configured:
        return Path(configured)
    if PROJECT_STORE.is_dir():
        return PROJECT_STORE
    return Path(user_data_dir("zwgk-kg")) / "store"
