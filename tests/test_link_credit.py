"""kg.link.credit_code_valid / attach_credit_codes: GB 32100-2015 unified social credit codes."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import ORG

from kg.link import LINK_GRAPH, ZWGK, attach_credit_codes, credit_code_valid

DOC = URIRef("https://w3id.org/zwgk/id/doc/0000000000000001")
AGENCY = URIRef("https://w3id.org/zwgk/id/agency/test-issuer")


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("113701000041890072", True),  # seed 004's 索引号: 济南市城乡交通运输局
        ("91370100MA3C00000E", True),  # letter check: sum 1195, 1195 mod 31 = 17, 31 - 17 = 14 → E
        ("91370100MA3C00000F", False),  # the next letter
        ("113701000041890073", False),  # wrong check character
        ("113701000041890079", False),
        ("11370100004189007", False),  # 17 characters
        ("11370100004189007I", False),  # I is not in the charset
    ],
)
def test_credit_code_check(code: str, valid: bool) -> None:
    """The check character is 31 - (weighted sum mod 31) over 0-9A-HJ-NPQRTUWXY, 31 → 0."""
    assert credit_code_valid(code) is valid


def _dataset(index: str) -> Dataset:
    data = Dataset()
    graph = data.graph(URIRef(str(DOC) + "/graph"))
    graph.add((DOC, ZWGK.indexNumber, Literal(index)))
    graph.add((DOC, ZWGK.issuedBy, AGENCY))
    return data


def test_attach_valid_code() -> None:
    """A valid code in 索引号 goes to the issuing agency as zwgk:creditCode and org:identifier."""
    data = attach_credit_codes(_dataset("113701000041890072/2025-00432"))
    links = data.graph(LINK_GRAPH)
    assert (AGENCY, ZWGK.creditCode, Literal("113701000041890072")) in links
    assert (AGENCY, ORG.identifier, Literal("113701000041890072")) in links


@pytest.mark.parametrize("index", ["113701000041890073/2025-00432", "370100-2025-00432", "2025-00432"])
def test_attach_rejects_invalid(index: str) -> None:
    """An invalid check character, or no 18-character code, attaches nothing."""
    data = attach_credit_codes(_dataset(index))
    assert len(data.graph(LINK_GRAPH)) == 0
