"""Typed dependencies of the routes: settings, the store, the query runner."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.runner import QueryRunner
from api.settings import Settings
from kg.store import GraphStore

__all__ = ["RunnerDep", "SettingsDep", "StoreDep", "get_runner", "get_settings", "get_store"]


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> GraphStore:
    """The store opened once by the app's lifespan."""
    store: GraphStore = request.app.state.store
    return store


def get_runner(request: Request) -> QueryRunner:
    """The runner of SPARQL endpoint queries (worker processes or in-process)."""
    runner: QueryRunner = request.app.state.runner
    return runner


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
