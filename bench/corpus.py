"""A deterministic generator of realistic 政务公开工作要点 documents at any size.

Real pieces (section titles, numbered items, 责任单位 notes, task-table rows,
platform names) are harvested from the example corpus and the project's test
documents; place names in them become placeholders, and documents are then
recombined for other prefectures and counties (GB/T 2260, ``areacodes.csv``)
and years 2019–2025 in three layouts: plain notices, notices with
``（责任单位：…）`` notes, and tab-separated 任务分工 tables. Mechanism names come
from the project's scheme (``extractors/data/mechanisms.jsonl``).

Document ``i`` of a seed depends only on ``(seed, i)`` and the inputs, so the
1,000-document corpus is a prefix of the 10,000-document one; the inputs'
fingerprint (:func:`sources_fingerprint`) is recorded with the results.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED_DIRS = (ROOT / "corpus" / "seeds", ROOT / "tests" / "fixtures")
AREACODES = ROOT / "extractors" / "data" / "areacodes.csv"
MECHANISMS = ROOT / "extractors" / "data" / "mechanisms.jsonl"
TEMPLATES = Path(__file__).parent / "data" / "templates.json"
YEARS = tuple(range(2019, 2026))
LAYOUTS = (("plain", 0.35), ("notes", 0.45), ("table", 0.20))

_NUM = "一二三四五六七八九十"
_SECTION = re.compile(rf"^[{_NUM}]{{1,3}}、(.{{2,40}})$")
_ITEM = re.compile(rf"^（([{_NUM}]{{1,3}})）(.+)$")
_NOTE = re.compile(r"（责任单位：([^（）]*)）\s*$")
_GENERAL = re.compile(r"总体要求是：(.+)$")
_HALF = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})
_AGENCY_END = re.compile(r"(局|委|办|室|处|厅|政府|部门|单位|中心|办事处|（单位）)$")
_DEADLINE = re.compile(r"(前|长期|持续|常态)")
_TAG = re.compile(r"<[^>]*>")
_SUFFIXES: tuple[str, ...] = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "自治县")
_SUFFIXES += ("省", "市", "区", "县")


@dataclass(frozen=True)
class Item:
    """A numbered item: its heading sentence, body sentences, and where given who is responsible."""

    title: str
    body: tuple[str, ...]
    responsible: str | None = None


@dataclass
class Pieces:
    """Everything harvested from the source documents, with places as placeholders, per level."""

    sections: dict[str, list[str]] = field(default_factory=lambda: {"prefecture": [], "county": []})
    items: dict[str, list[Item]] = field(default_factory=lambda: {"prefecture": [], "county": []})
    responsible: dict[str, list[str]] = field(default_factory=lambda: {"prefecture": [], "county": []})
    general: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Jurisdiction:
    """A target place: its full label under the province, short name and level."""

    label: str
    short: str
    level: str  # "prefecture" | "county"
    province: str
    city: str


@dataclass(frozen=True)
class CorpusInfo:
    """What :func:`write_corpus` wrote."""

    directory: Path
    documents: int
    characters: int
    bytes: int
    layouts: dict[str, int]


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    """The notice templates and word tables (``bench/data/templates.json``)."""
    data: dict[str, Any] = json.loads(TEMPLATES.read_text(encoding="utf-8"))
    return data


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def _area_rows() -> tuple[dict[str, str], ...]:
    with AREACODES.open(encoding="utf-8-sig", newline="") as fh:
        return tuple(csv.DictReader(fh))


@lru_cache(maxsize=1)
def jurisdictions() -> tuple[Jurisdiction, ...]:
    """Prefecture-level cities of provinces and their districts and counties now in use, by code."""
    rows = [r for r in _area_rows() if r["状态"] == "在用" and r["一级行政区"].endswith(("省", "自治区"))]
    cities = {r["代码"][:4]: r["名称"] for r in rows if r["级别"] == "地级" and r["名称"].endswith("市")}
    out: list[Jurisdiction] = []
    for row in sorted(rows, key=lambda r: r["代码"]):
        province, name, code = row["一级行政区"], row["名称"], row["代码"]
        city = cities.get(code[:4])
        if city is None:
            continue
        if row["级别"] == "地级":
            out.append(Jurisdiction(name, _short(name), "prefecture", province, city))
        elif row["级别"] == "县级" and name.endswith(("区", "县")) and len(name) >= 3:
            out.append(Jurisdiction(city + name, _short(name), "county", province, city))
    return tuple(out)


def _home(text: str) -> tuple[str, str | None]:
    """The prefecture (and county) a source document is about: the most frequent names in it."""
    rows = [r for r in _area_rows() if r["级别"] in ("地级", "县级") and len(r["名称"]) >= 3]
    counts = Counter({r["名称"]: text.count(r["名称"]) for r in rows})
    cities = {r["名称"]: r["代码"][:4] for r in rows if r["级别"] == "地级"}
    city = max(cities, key=lambda n: counts[n])
    counties = [r["名称"] for r in rows if r["级别"] == "县级" and r["代码"][:4] == cities[city]]
    county = max(counties, key=lambda n: counts[n], default=None)
    return city, county if county and counts[county] else None


def _placeholders(text: str, city: str, county: str | None, province: str) -> str:
    pairs = [(city, "{C}"), (province, "{P}")]
    if county:
        pairs.append((county, "{D}"))
    pairs += [(_short(city), "{c}"), (_short(province), "{p}")]
    if county:
        pairs.append((_short(county), "{d}"))
    for name, token in pairs:
        text = text.replace(name, token)
    return text


def _province_of(city: str) -> str:
    return next(r["一级行政区"] for r in _area_rows() if r["名称"] == city)


def _clean_lines(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = _TAG.sub("", raw).translate(_HALF).strip()
        if line and not raw.startswith("\t"):
            lines.append(re.sub(r"\s+", "", line))
    return lines


def _paragraph_items(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, text) for section titles and item paragraphs, joining paragraphs split by page breaks."""
    out: list[tuple[str, str]] = []
    for line in lines:
        if _SECTION.match(line):
            out.append(("section", _SECTION.match(line).group(1)))  # type: ignore[union-attr]
        elif _ITEM.match(line):
            out.append(("item", _ITEM.match(line).group(2)))  # type: ignore[union-attr]
        elif out and out[-1][0] == "item" and not out[-1][1].endswith(("。", "）")) and len(line) > 10:
            out[-1] = ("item", out[-1][1] + line)
    return out


def _to_item(text: str) -> Item:
    note = _NOTE.search(text)
    responsible = note.group(1).strip() if note else None
    text = text[: note.start()] if note else text
    sentences = [s + "。" for s in text.split("。") if s.strip()]
    return Item(sentences[0], tuple(sentences[1:]), responsible or None)


def _table_rows(text: str) -> list[list[str]]:
    """Task-table rows written one tab-prefixed cell per line, each row starting with its 序号."""
    rows: list[list[str]] = []
    for raw in text.splitlines():
        if not raw.startswith("\t"):
            continue
        cell = raw.strip().translate(_HALF)
        if cell.isdigit():
            rows.append([])
        elif rows:
            rows[-1].append(cell)
    return rows


def _harvest_table(rows: list[list[str]], level: str, pieces: Pieces) -> None:
    for cells in rows:
        req = max(cells, key=len, default="")
        if len(req) < 15:
            continue
        resp = next((c for c in cells if c != req and _AGENCY_END.search(c)), None)
        sentences = [s + "。" for s in req.split("。") if s.strip()]
        pieces.items[level].append(Item(sentences[0], tuple(sentences[1:]), resp))
        if resp:
            pieces.responsible[level].append(resp)


def _platform_names(text: str) -> set[str]:
    heads = "|".join(templates()["platform_heads"])
    quoted = re.findall(rf"“([^”]{{2,12}})”(?:{heads})", text)
    named = re.findall(rf"“[^”]{{2,12}}”(?:{heads})", text)
    return {n for n in named if "{" not in n} | {f"“{q}”平台" for q in quoted if "{" not in q}


def harvest_text(text: str, pieces: Pieces) -> None:
    """Add the pieces of one source document's text to ``pieces``."""
    city, county = _home(text)
    province = _province_of(city)
    level = "county" if county and county in text[:600] else "prefecture"
    text = _placeholders(text, city, county, province)
    lines = _clean_lines(text)
    for kind, para in _paragraph_items(lines):
        if kind == "section":
            pieces.sections[level].append(para)
            continue
        item = _to_item(para)
        pieces.items[level].append(item)
        if item.responsible:
            pieces.responsible[level].append(item.responsible)
    pieces.general.extend(m.group(1) for line in lines if (m := _GENERAL.search(line)))
    _harvest_table(_table_rows(text), level, pieces)
    pieces.platforms.extend(sorted(_platform_names(text) - set(pieces.platforms)))


def _mechanism_names() -> list[str]:
    names = []
    for line in MECHANISMS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names.append(str(json.loads(line)["prefLabel"]))
    return names


def harvest(paths: list[Path] | None = None) -> Pieces:
    """Harvest pieces from ``paths`` (default: the seeds and any ``tests/fixtures`` text documents).

    Raises:
        ValueError: no numbered items could be harvested from the sources.
    """
    if paths is None:
        paths = sorted(p for d in SEED_DIRS if d.is_dir() for p in d.glob("*.txt"))
    pieces = Pieces()
    for path in paths:
        harvest_text(path.read_text(encoding="utf-8", errors="replace"), pieces)
    for level, other in (("county", "prefecture"), ("prefecture", "county")):
        for kind in ("sections", "items", "responsible"):
            pool = getattr(pieces, kind)
            pool[level] = pool[level] or list(pool[other])
    if not pieces.items["prefecture"]:
        raise ValueError(f"{paths[0] if paths else SEED_DIRS[0]}: no numbered items to recombine")
    pieces.mechanisms = _mechanism_names()
    return pieces


def _fill(text: str, place: Jurisdiction, year: int) -> str:
    city_short = _short(place.city)
    level_word = "区" if place.label.endswith("区") else "县"
    if place.level == "county":
        for old, new in templates()["county_words"]:
            text = text.replace(old, new.replace("{L}", level_word))
        text = re.sub(r"(^|[、，：（\s])区(?=[\u4e00-\u9fff])", rf"\g<1>{level_word}", text)
    district = place.label[len(place.city) :] if place.level == "county" else "区"
    values = {
        "{C}": place.city,
        "{c}": city_short,
        "{P}": place.province,
        "{p}": _short(place.province),
        "{D}": district,
        "{d}": _short(district),
        "{J}": place.label,
        "{j}": place.short,
        "{Y}": str(year),
        "{L}": "市" if place.level == "prefecture" else level_word,
    }
    for token, value in values.items():
        text = text.replace(token, value)
    return re.sub(r"20(19|2[0-5])年", f"{year}年", text)


def _item_text(rng: random.Random, item: Item, pieces: Pieces) -> str:
    body = list(item.body)
    if body:
        start = rng.randrange(len(body))
        body = body[start : start + rng.randint(1, 3)]
    if rng.random() < 0.5 and pieces.mechanisms:
        platforms = pieces.platforms + templates()["platforms_local"]
        sentence = rng.choice(templates()["extra_sentences"])
        sentence = sentence.replace("{PL}", rng.choice(platforms))
        sentence = sentence.replace("{X}", rng.choice(pieces.mechanisms))
        body.append(sentence)
    return item.title + "".join(body)


def _notice(rng: random.Random, place: Jurisdiction, year: int, table: bool) -> list[str]:
    t = templates()
    government = ("市" if place.level == "prefecture" else "{L}") + "政府"
    issuer = rng.choice(t["issuer"]).replace("{J}", place.label)
    title = rng.choice(t["table_title" if table else "notice_title"]).replace("{I}", issuer)
    number = rng.choice(t["doc_number"]).replace("{c}", place.short[0])
    number = number.replace("{N}", str(rng.randint(1, 40)))
    addressees = t["addressees"][place.level]
    approval = t["approval"].replace("{G}", government)
    date = f"{year}年{rng.randint(2, 7)}月{rng.randint(1, 28)}日"
    return [title, number, addressees, approval, issuer, date, rng.choice(t["release"])]


def _responsible(rng: random.Random, item: Item, pieces: Pieces, level: str) -> str:
    if item.responsible and rng.random() < 0.6:
        return item.responsible
    return rng.choice(pieces.responsible[level])


def _body(rng: random.Random, pieces: Pieces, place: Jurisdiction, layout: str, target: int) -> list[str]:
    level = place.level
    lines: list[str] = []
    n_sections = rng.randint(2, 4)
    row = 0
    for s in range(n_sections):
        section = rng.choice(pieces.sections[level])
        if layout != "table":
            lines.append(f"{_NUM[s]}、{section}")
        size = 0
        for k in range(8):
            if size >= target / n_sections:
                break
            item = rng.choice(pieces.items[level])
            text = _item_text(rng, item, pieces)
            if layout == "table":
                row += 1
                deadline = rng.choice(templates()["deadlines"])
                responsible = _responsible(rng, item, pieces, level)
                cells = [str(row), section if k == 0 else "", text, responsible, deadline]
                lines.append("\t".join(cells))
            elif layout == "notes":
                lines.append(f"（{_NUM[k]}）{text}（责任单位：{_responsible(rng, item, pieces, level)}）")
            else:
                lines.append(f"（{_NUM[k]}）{text}")
            size += len(lines[-1])
    if layout == "table":
        lines.insert(0, "\t".join(templates()["table_header"]))
    return lines


def document_for(pieces: Pieces, seed: int, index: int) -> tuple[str, str]:
    """Document ``index`` of the corpus of ``seed``: its layout and text."""
    rng = random.Random(f"{seed}:{index}")
    level = "prefecture" if rng.random() < 0.3 else "county"
    places = [p for p in jurisdictions() if p.level == level]
    place = places[rng.randrange(len(places))]
    year = rng.choice(YEARS)
    layout = rng.choices([name for name, _ in LAYOUTS], weights=[w for _, w in LAYOUTS])[0]
    head = _notice(rng, place, year, layout == "table")
    if layout == "table":
        title = f"{year}年{place.label}政务公开工作任务分工"
        lines = [*head, title]
    else:
        general = rng.choice(pieces.general) if pieces.general else templates()["general_fallback"]
        opening = f"{year}年，{place.short}政务公开工作的总体要求是：{general}"
        lines = [*head, f"{year}年{place.label}政务公开工作要点", opening]
    lines += _body(rng, pieces, place, layout, rng.randint(1000, 2400))
    return layout, _fill("\n".join(lines) + "\n", place, year)


def sources_fingerprint(paths: list[Path] | None = None) -> str:
    """SHA-256 (first 16 hex digits) of every input of the generator: a corpus is reproducible
    from its seed as long as this fingerprint is the same (the data files evolve with the project)."""
    if paths is None:
        paths = sorted(p for d in SEED_DIRS if d.is_dir() for p in d.glob("*.txt"))
    digest = hashlib.sha256()
    for path in [*paths, AREACODES, MECHANISMS, TEMPLATES]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def write_corpus(out_dir: Path, n: int, seed: int = 20250101, pieces: Pieces | None = None) -> CorpusInfo:
    """Write ``n`` generated documents as ``out_dir/NNNNN.txt`` (UTF-8) and return their sizes."""
    pieces = pieces or harvest()
    out_dir.mkdir(parents=True, exist_ok=True)
    chars = size = 0
    layouts: Counter[str] = Counter()
    for i in range(n):
        layout, text = document_for(pieces, seed, i)
        data = text.encode("utf-8")
        (out_dir / f"{i:05d}.txt").write_bytes(data)
        chars += len(text)
        size += len(data)
        layouts[layout] += 1
    return CorpusInfo(out_dir, n, chars, size, dict(layouts))
