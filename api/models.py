"""Response models of the REST routes (shown with examples in the OpenAPI schema)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AgencyAnswer",
    "DiffAnswer",
    "DocumentInfo",
    "DocumentMechanism",
    "EntityRef",
    "Evidence",
    "ObligationInfo",
    "SearchHit",
    "TermInfo",
]

IRI_EXAMPLE = "https://w3id.org/zwgk/id/agency/0123456789abcdef"


class Evidence(BaseModel):
    """Where an answer comes from: a document, an item reference and the sentence."""

    document: str = Field(examples=["https://w3id.org/zwgk/id/doc/0123456789abcdef"])
    source_file: str = Field(examples=["2025_xihu.txt"])
    ref: str | None = Field(default=None, examples=["二/（一）/1"])
    text: str | None = Field(default=None, examples=["严格落实政策解读“三同步”要求。"])


class AgencyAnswer(BaseModel):
    """An agency responsible for a mechanism or platform, with the evidence."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "agency": IRI_EXAMPLE,
                    "name": "杭州市西湖区人民政府办公室",
                    "evidence": [
                        {
                            "document": "https://w3id.org/zwgk/id/doc/0123456789abcdef",
                            "source_file": "2025_xihu.txt",
                            "ref": "一/（一）",
                            "text": "严格落实政策解读“三同步”要求。",
                        }
                    ],
                }
            ]
        }
    )

    agency: str
    name: str
    documents: int | None = None
    """In how many documents the agency answers for the term (paged answers, from the summary graph)."""
    evidence: list[Evidence] = []


class ObligationInfo(BaseModel):
    """One obligation of an agency."""

    obligation: str
    document: str
    source_file: str
    year: str | None = Field(default=None, examples=["2025"])
    ref: str | None = None
    action: str | None = Field(default=None, examples=["每季度至少开展1次政策解读"])
    strength: str | None = None
    deadline: str | None = Field(default=None, examples=["2025-12-31"])
    deadline_text: str | None = None
    frequency: str | None = Field(default=None, examples=["每季度至少1次"])
    evidence: str | None = None


class DocumentInfo(BaseModel):
    """A document of the graph."""

    document: str = Field(examples=["https://w3id.org/zwgk/id/doc/0123456789abcdef"])
    id: str = Field(examples=["doc/0123456789abcdef"])
    source_file: str = Field(examples=["2025_xihu.txt"])
    title: str | None = Field(default=None, examples=["2025年西湖区政务公开工作要点"])
    year: str | None = Field(default=None, examples=["2025"])
    jurisdiction: str | None = Field(default=None, examples=["杭州市西湖区"])
    issuer: str | None = Field(default=None, examples=["杭州市西湖区人民政府办公室"])


class DocumentMechanism(BaseModel):
    """A mechanism a document mentions, with how many of its items concern it."""

    mechanism: str
    name: str = Field(examples=["三同步"])
    items: int = 0


class EntityRef(BaseModel):
    """An entity with its kind."""

    entity: str = Field(examples=[IRI_EXAMPLE])
    name: str = Field(examples=["三同步"])
    kind: str = Field(examples=["Mechanism"])


class DiffAnswer(BaseModel):
    """Mechanisms and platforms added, dropped and kept from document ``a`` to ``b``."""

    a: str
    b: str
    added: list[EntityRef] = []
    dropped: list[EntityRef] = []
    kept: list[EntityRef] = []


class TermInfo(BaseModel):
    """A mechanism or platform mentioned in a year and jurisdiction."""

    entity: str
    name: str = Field(examples=["政务公开事项目录"])
    kind: str = Field(examples=["Mechanism"])
    year: str | None = Field(default=None, examples=["2025"])
    jurisdiction: str | None = Field(default=None, examples=["杭州市西湖区"])
    documents: int = 0


class SearchHit(BaseModel):
    """An entity whose name or alias contains the search text."""

    entity: str = Field(examples=[IRI_EXAMPLE])
    name: str = Field(examples=["12345政务服务便民热线"])
    kind: str = Field(examples=["Platform"])
    documents: int = 0
    page: str = Field(examples=["/id/platform/0123456789abcdef"])
