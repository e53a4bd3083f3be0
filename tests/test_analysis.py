"""kg.analysis: tables and charts for the notebooks, over small hand-made graphs.

The documents are written for these tests, modelled on 杭州市 and its 西湖区
(kg_fixtures.xihu_record is the 2024 西湖区 priorities); none comes from the seeds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from extractors.records import (
    DocumentRecord,
    EntityKind,
    EntityRecord,
    ItemRecord,
    Metadata,
    ObligationRecord,
    Span,
)
from kg import analysis
from kg.build import ingest_record
from kg.store import OxigraphStore

from kg_fixtures import xihu_record

matplotlib.use("Agg")

CITY_TEXT = (
    "2025年杭州市政务公开工作要点\n"
    "（一）落实“三同步”要求。各区县政府要严格执行“三同步”制度，用好“亲清在线”平台。\n"
    "（二）编制主动公开事项目录。市政府办公厅要在2025年9月30日前完成主动公开事项目录编制。\n"
)
XIHU_2025_TEXT = (
    "2025年西湖区政务公开工作要点\n"
    "（一）落实“三同步”要求。区政府办公室要严格执行“三同步”制度。\n"
    "（二）推进“免申即享”。区政府办公室要推进“免申即享”。\n"
)
CITY = "hangzhou_2025.txt"
XIHU_2024 = "xihu_2024.txt"
XIHU_2025 = "xihu_2025.txt"


def _span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle))


def _record(
    source: str, text: str, meta: Metadata, items: list[ItemRecord], entities: list[EntityRecord]
) -> DocumentRecord:
    return DocumentRecord(
        source_file=source,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        original=text,
        media_type="text/plain",
        encoding="utf-8",
        metadata=meta,
        items=items,
        entities=entities,
    )


def city_record() -> DocumentRecord:
    """杭州市 2025: one item for 各区县政府 (三同步, 亲清在线), one for the 办公厅 with a deadline."""
    t = CITY_TEXT
    group = EntityRecord(
        EntityKind.AGENCY_GROUP,
        "杭州市各区县人民政府",
        aliases={"各区县政府"},
        jurisdiction="杭州市",
        members_rule="各区县",
    )
    office = EntityRecord(
        EntityKind.AGENCY, "杭州市人民政府办公厅", aliases={"市政府办公厅"}, jurisdiction="杭州市"
    )
    sync = EntityRecord(EntityKind.MECHANISM, "三同步")
    catalogue = EntityRecord(EntityKind.MECHANISM, "主动公开事项目录")
    platform = EntityRecord(EntityKind.PLATFORM, "亲清在线")
    s1 = _span(t, "各区县政府要严格执行“三同步”制度，用好“亲清在线”平台。")
    s2 = _span(t, "市政府办公厅要在2025年9月30日前完成主动公开事项目录编制。")
    items = [
        ItemRecord(
            ref="（一）",
            title="落实“三同步”要求",
            span=_span(t, "（一）落实“三同步”要求。"),
            level=1,
            number="（一）",
            responsible=["杭州市各区县人民政府"],
            responsible_source="subject",
            mechanisms=["三同步"],
            platforms=["亲清在线"],
            obligations=[
                ObligationRecord(
                    action="严格执行“三同步”制度",
                    sentence=s1,
                    actors=["杭州市各区县人民政府"],
                    mechanisms=["三同步"],
                    platforms=["亲清在线"],
                )
            ],
        ),
        ItemRecord(
            ref="（二）",
            title="编制主动公开事项目录",
            span=_span(t, "（二）编制主动公开事项目录。"),
            level=1,
            number="（二）",
            responsible=["杭州市人民政府办公厅"],
            responsible_source="subject",
            mechanisms=["主动公开事项目录"],
            deadlines=[date(2025, 9, 30)],
            obligations=[
                ObligationRecord(
                    action="完成主动公开事项目录编制",
                    sentence=s2,
                    actors=["杭州市人民政府办公厅"],
                    mechanisms=["主动公开事项目录"],
                    deadline=date(2025, 9, 30),
                    deadline_text="2025年9月30日前",
                )
            ],
        ),
    ]
    meta = Metadata(
        title="2025年杭州市政务公开工作要点",
        year=2025,
        jurisdiction="杭州市",
        division_code="330100",
        issuer="杭州市人民政府办公厅",
    )
    return _record(CITY, t, meta, items, [group, office, sync, catalogue, platform])


def xihu_2025_record() -> DocumentRecord:
    """西湖区 2025: keeps 三同步, adds 免申即享, drops the 2024 政府开放活动 and 12345 hotline."""
    t = XIHU_2025_TEXT
    office = EntityRecord(
        EntityKind.AGENCY, "杭州市西湖区人民政府办公室", aliases={"区政府办公室"}, jurisdiction="杭州市西湖区"
    )
    sync = EntityRecord(EntityKind.MECHANISM, "三同步")
    exempt = EntityRecord(EntityKind.MECHANISM, "免申即享")
    items = [
        ItemRecord(
            ref="（一）",
            title="落实“三同步”要求",
            span=_span(t, "（一）落实“三同步”要求。"),
            level=1,
            number="（一）",
            responsible=["杭州市西湖区人民政府办公室"],
            responsible_source="subject",
            mechanisms=["三同步"],
        ),
        ItemRecord(
            ref="（二）",
            title="推进“免申即享”",
            span=_span(t, "（二）推进“免申即享”。"),
            level=1,
            number="（二）",
            responsible=["杭州市西湖区人民政府办公室"],
            responsible_source="subject",
            mechanisms=["免申即享"],
        ),
    ]
    meta = Metadata(
        title="2025年西湖区政务公开工作要点", year=2025, jurisdiction="杭州市西湖区", division_code="330106"
    )
    return _record(XIHU_2025, t, meta, items, [office, sync, exempt])


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    """An in-memory store with the three hand-made documents, linked, with the linkset loaded."""
    graph = OxigraphStore(None)
    for record in (xihu_record(XIHU_2024), xihu_2025_record(), city_record()):
        ingest_record(graph, record)
    analysis.link_store(graph)
    analysis.load_linkset(graph)
    yield graph
    graph.close()


def test_analysis_project_root_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ZWGK_ROOT wins when it holds corpus/seeds."""
    (tmp_path / "corpus" / "seeds").mkdir(parents=True)
    monkeypatch.setenv("ZWGK_ROOT", str(tmp_path))
    assert analysis.project_root(Path("/")) == tmp_path.resolve()


def test_analysis_project_root_walks_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ZWGK_ROOT the root is the first folder up holding corpus/seeds."""
    (tmp_path / "corpus" / "seeds").mkdir(parents=True)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.delenv("ZWGK_ROOT", raising=False)
    assert analysis.project_root(tmp_path / "notebooks") == tmp_path.resolve()


@pytest.mark.parametrize("env", [True, False])
def test_analysis_project_root_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: bool) -> None:
    """A folder without corpus/seeds gives a one-line error naming it."""
    if env:
        monkeypatch.setenv("ZWGK_ROOT", str(tmp_path))
    else:
        monkeypatch.delenv("ZWGK_ROOT", raising=False)
    with pytest.raises(analysis.RootNotFoundError, match=str(tmp_path.name)):
        analysis.project_root(tmp_path)


def test_analysis_documents(store: OxigraphStore) -> None:
    """One row per document with its year and jurisdiction."""
    docs = analysis.documents(store).set_index("sourceFile")
    assert list(docs.index) == sorted([CITY, XIHU_2024, XIHU_2025])
    assert docs.loc[XIHU_2024, ["year", "jurisdiction"]].tolist() == ["2024", "杭州市西湖区"]


@pytest.mark.parametrize(
    ("name", "kind", "agencies"),
    [
        (
            "三同步",
            "Mechanism",
            {"杭州市各区县人民政府", "杭州市西湖区人民政府办公室", "杭州市西湖区发展和改革局"},
        ),
        ("亲清在线", "Platform", {"杭州市各区县人民政府"}),
        ("12345热线", "Platform", {"杭州市西湖区人民政府各部门"}),
    ],
)
def test_analysis_responsibility_table(
    store: OxigraphStore, name: str, kind: str, agencies: set[str]
) -> None:
    """Mechanisms and platforms (by label or alias) give their responsible agencies with evidence."""
    table = analysis.responsibility_table(store, name)
    assert set(table["agency"]) == agencies
    assert set(table["kind"]) == {kind}
    assert table["evidence"].str.len().min() > 0


def test_analysis_responsibility_table_unknown(store: OxigraphStore) -> None:
    """An unknown name gives an empty table with the usual columns."""
    table = analysis.responsibility_table(store, "不存在的机制")
    assert table.empty and "agency" in table.columns


def test_analysis_compare_documents(store: OxigraphStore) -> None:
    """Between two years: mechanisms and platforms added, dropped and kept."""
    diff = analysis.compare_documents(store, XIHU_2024, XIHU_2025)
    by = {c: set(diff[diff["change"] == c]["name"]) for c in ("added", "dropped", "kept")}
    assert by == {"added": {"免申即享"}, "dropped": {"政府开放活动", "12345市民服务热线"}, "kept": {"三同步"}}


def test_analysis_compare_documents_unknown(store: OxigraphStore) -> None:
    """An unknown source file is named in the error."""
    with pytest.raises(KeyError, match=r"nope\.txt"):
        analysis.compare_documents(store, XIHU_2024, "nope.txt")


def test_analysis_compare_levels(store: OxigraphStore) -> None:
    """A district against its city: taken over, added, not taken over."""
    diff = analysis.compare_levels(store, CITY, XIHU_2025)
    by = {c: set(diff[diff["change"] == c]["name"]) for c in ("taken over", "added", "not taken over")}
    assert by == {
        "taken over": {"三同步"},
        "added": {"免申即享"},
        "not taken over": {"主动公开事项目录", "亲清在线"},
    }


@pytest.mark.parametrize(
    ("jurisdiction", "year", "cell", "expected"),
    [
        (None, None, ("杭州市西湖区人民政府办公室", "三同步"), 2),
        ("杭州市西湖区", 2025, ("杭州市西湖区人民政府办公室", "三同步"), 1),
        ("杭州市", "2025", ("杭州市人民政府办公厅", "主动公开事项目录"), 1),
    ],
)
def test_analysis_responsibility_matrix(
    store: OxigraphStore,
    jurisdiction: str | None,
    year: int | str | None,
    cell: tuple[str, str],
    expected: int,
) -> None:
    """Counts of items per agency and mechanism, filtered by jurisdiction and year."""
    matrix = analysis.responsibility_matrix(store, jurisdiction, year)
    assert matrix.loc[cell] == expected
    assert "亲清在线" not in matrix.columns


def test_analysis_responsibility_matrix_filters(store: OxigraphStore) -> None:
    """A jurisdiction filter keeps only its agencies; an empty selection gives an empty frame."""
    assert set(analysis.responsibility_matrix(store, "杭州市西湖区", 2025).index) == {
        "杭州市西湖区人民政府办公室"
    }
    assert analysis.responsibility_matrix(store, "绥化市绥棱县").empty


def test_analysis_responsibility_matrix_platforms(store: OxigraphStore) -> None:
    """kind=Platform counts platforms instead."""
    matrix = analysis.responsibility_matrix(store, kind="Platform")
    assert matrix.loc["杭州市各区县人民政府", "亲清在线"] == 1


def test_analysis_obligation_timeline(store: OxigraphStore) -> None:
    """Obligations with dated deadlines, earliest first, with their agencies; none counted twice."""
    timeline = analysis.obligation_timeline(store)
    assert list(timeline["deadline"]) == [pd.Timestamp("2024-06-30"), pd.Timestamp("2025-09-30")]
    assert list(timeline["agencies"]) == ["杭州市西湖区人民政府办公室", "杭州市人民政府办公厅"]


def test_analysis_member_obligations(store: OxigraphStore) -> None:
    """Members of 各区县人民政府 inherit its items: 西湖区's government must do 三同步 in 2025."""
    members = analysis.member_obligations(store, 2025, "三同步")
    row = members[members["member"] == "杭州市西湖区人民政府"]
    assert row["code"].tolist() == ["330106"] and row["ref"].tolist() == ["（一）"]
    assert len(set(members["member"])) > 5


@pytest.mark.parametrize(("year", "text"), [(2024, "三同步"), (2025, "主动公开事项目录")])
def test_analysis_member_obligations_filters(store: OxigraphStore, year: int, text: str) -> None:
    """Year and text filters leave out other years' and other items' work."""
    assert analysis.member_obligations(store, year, text).empty


def test_analysis_link_store_places(store: OxigraphStore) -> None:
    """Place nodes carry division codes after linking; the linkset is joinable by owl:sameAs."""
    rows = store.select(
        "PREFIX zwgk: <https://w3id.org/zwgk/ontology#> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
        "SELECT ?code ?wd WHERE { ?d zwgk:jurisdiction ?p . ?p zwgk:divisionCode ?code . "
        "OPTIONAL { ?p zwgk:parentPlace*/owl:sameAs ?wd } }"
    )
    assert {"330106", "330100"} <= {str(r["code"]) for r in rows}
    assert any(str(r.get("wd", "")).startswith("http://www.wikidata.org/entity/Q") for r in rows)


def test_analysis_load_linkset(tmp_path: Path) -> None:
    """Every well-formed row of the linkset becomes an owl:sameAs triple in its own graph."""
    path = tmp_path / "links.csv"
    path.write_text(
        "place_or_agency_iri,label,wikidata_qid,source,retrieved\n"
        "https://w3id.org/zwgk/id/place/330100,杭州市,Q4970,test,2026-01-01\n"
        "https://w3id.org/zwgk/id/place/330106,西湖区,not-a-qid,test,2026-01-01\n",
        "utf-8",
    )
    graph = OxigraphStore(None)
    assert analysis.load_linkset(graph, path) == 1
    rows = graph.select(
        f"SELECT ?s WHERE {{ GRAPH <{analysis.LINKSET_GRAPH}> "
        "{ ?s <http://www.w3.org/2002/07/owl#sameAs> ?o } }"
    )
    assert [r["s"] for r in rows] == ["https://w3id.org/zwgk/id/place/330100"]


@pytest.mark.parametrize(
    "cjk",
    [
        pytest.param(True, marks=pytest.mark.filterwarnings("ignore:Glyph .* missing from font")),
        False,
    ],
)
def test_analysis_heatmap_figure(store: OxigraphStore, cjk: bool) -> None:
    """The heatmap has one tick per agency and mechanism; index labels without a Chinese font."""
    matrix = analysis.responsibility_matrix(store)
    fig = analysis.heatmap_figure(matrix, cjk=cjk)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == (list(matrix.index) if cjk else [f"A{i}" for i in range(1, len(matrix) + 1)])
    matplotlib.pyplot.close(fig)


def test_analysis_timeline_figure(store: OxigraphStore) -> None:
    """The timeline has one row per document with deadlines."""
    fig = analysis.timeline_figure(analysis.obligation_timeline(store), cjk=False)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [CITY, XIHU_2024]
    matplotlib.pyplot.close(fig)


def test_analysis_iframe_html_escapes() -> None:
    """The page goes into srcdoc escaped, so its quotes and tags cannot break out."""
    out = analysis.iframe_html('<html><script>alert("x")</script></html>', height=300)
    assert out.startswith("<iframe srcdoc=") and 'alert("x")' not in out and 'height="300"' in out
