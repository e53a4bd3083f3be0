"""Names as analysts type them find the entities stored under other forms (seeds' graph)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from api.cache import CachedStore
from api.lookup import is_short_form, lookup_key
from api.main import create_app
from api.settings import Settings
from kg.store import OxigraphStore

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client(seed_store_dir: Path) -> Iterator[TestClient]:
    from fastapi.testclient import TestClient

    store = CachedStore(OxigraphStore.read_only(seed_store_dir))
    with TestClient(create_app(Settings(), store=store)) as test_client:
        yield test_client


def _agencies(client: TestClient, path: str) -> set[str]:
    reply = client.get(path)
    assert reply.status_code == 200, reply.text
    return {answer["name"] for answer in reply.json()}


@pytest.mark.parametrize("typed", ["三同步制度", "“三同步”工作机制", "「三同步」", "三同步 "])
def test_mechanism_by_name_with_tail_quotes_and_spaces(client: TestClient, typed: str) -> None:
    """三同步制度, quoted or spaced forms answer like the stored 三同步."""
    expected = _agencies(client, "/api/mechanisms/三同步/agencies")
    assert expected
    assert _agencies(client, f"/api/mechanisms/{typed}/agencies") == expected


def test_platform_by_common_short_form(client: TestClient) -> None:
    """12345热线 finds the 12345市民服务热线 and its responsible agencies."""
    expected = _agencies(client, "/api/platforms/12345市民服务热线/agencies")
    assert expected
    assert _agencies(client, "/api/platforms/12345热线/agencies") == expected


def test_unknown_name_still_answers_empty(client: TestClient) -> None:
    """A name that matches nothing is an empty answer, not a guess."""
    assert _agencies(client, "/api/mechanisms/不存在的机制名称/agencies") == set()


def test_short_form_rule() -> None:
    """Characters in order, same first and last two; short strings never match loosely."""
    assert is_short_form("12345热线", "12345市民服务热线")
    assert not is_short_form("12345热线", "12345热线问答平台")
    assert not is_short_form("政务公开", "政务公开")
    assert not is_short_form("局办", "局办公室")
    assert lookup_key("《政務公開》 (目錄)") == "政务公开目录"
