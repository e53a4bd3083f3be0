"""Property-based tests of every route against the app's own OpenAPI schema (schemathesis)."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, settings

from api.main import create_app
from api.settings import Settings
from api.testing import sample_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2 (StarletteDeprecationWarning)
    import schemathesis
    from fastapi.testclient import TestClient
    from schemathesis.checks import not_a_server_error


@schemathesis.serializer("application/sparql-query")
def _sparql_query(ctx, value) -> bytes:
    """Send generated query bodies as UTF-8 text."""
    return str(value).encode("utf-8", "surrogatepass")


APP = create_app(Settings(admin_token="schema-token", query_timeout=5, max_rows=200), store=sample_store())
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _lifespan():
    with TestClient(APP):
        yield


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_schema_no_server_error(case):
    """No generated request, valid or not, makes the server fail (5xx other than 503 timeouts)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        response = case.call()
    if response.status_code != 503:
        case.validate_response(response, checks=[not_a_server_error])
