"""Platforms (平台/渠道): channels, systems, venues and media of disclosure work.

Known platforms come from ``data/platforms.jsonl`` (national channel types:
政府门户网站, 政务新媒体, 12345热线 …). Unknown ones are found by shape:

- a quoted name before a platform head, with a short modifier on its left:
  企业诉求“接诉即办”平台, “政务公开看济南”栏目, “泉惠企”企业服务综合智慧平台;
  coordinated names share the head: “A”和“B”等平台;
- an unquoted noun phrase ending in a head (…平台/系统/专区/热线/网站/专栏/
  文件库/信息资源库 …) with a conservative left boundary.

Example:
    >>> [m.name for m in find_platforms("依托“泉惠企”企业服务综合智慧平台")]
    ['泉惠企']
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from extractors.components.boundaries import (
    _OWN_SCOPE,
    _is_cjk,
    boundary_at,
    left_boundary,
    strip_level,
    word_starts,
)
from extractors.components.quotes import (
    Quoted,
    app_brand,
    channel_named,
    classify_quoted,
    follower,
    quoted_names,
    service_mode,
)
from extractors.components.schemes import TermMatch, _bare, _label_index, lexicon, nfkc
from extractors.components.terms import (
    Compact,
    Hit,
    _station_end,
    cut_platforms,
    head_hits,
    known_hits,
    resolve,
    to_matches,
)
from extractors.paths import DATA_DIR

__all__ = ["find_platforms", "level_agrees"]

_DESCRIPTOR_MAX = 10


def _modifier_start(c: str, q: Quoted) -> int:
    """Start of a 2–4 character modifier before a quote (企业诉求“接诉即办”), else the quote."""
    lex = lexicon()
    stops = sorted(lex["boundary_words"] + lex["platform_heads"], key=len, reverse=True)
    i = q.start
    while not any(i >= len(w) and c.startswith(w, i - len(w)) for w in stops):
        if i == 0 or not _is_cjk(c[i - 1]):
            break
        if q.start - i >= 5:
            return q.start  # runs on: no clear modifier
        i -= 1
    return i if 2 <= q.start - i <= 4 else q.start


def _head_after(c: str, pos: int) -> tuple[int, str] | None:
    """(descriptor length, head) when a platform head follows ``pos`` within a short descriptor."""
    heads = lexicon()["quoted_platform_heads"]
    for n in range(_DESCRIPTOR_MAX + 1):
        if n and not _is_cjk(c[pos + n - 1 : pos + n] or "x"):
            return None
        if n and c[pos + n - 1] in "的和及与、":
            return None
        if head := follower(c, pos + n, heads):
            return n, head
    return None


def _coordinated(c: str, quotes: list[Quoted], i: int) -> list[Quoted]:
    """The quoted names joined to ``quotes[i]`` before a shared 等平台: “A”和“B”等平台."""
    group = [quotes[i]]
    j = i
    while j + 1 < len(quotes):
        gap = c[quotes[j].end : quotes[j + 1].start]
        if gap not in ("", "、", "和", "及", "与"):
            break
        j += 1
        group.append(quotes[j])
    return group


def quoted_platform_hits(c: str) -> list[Hit]:
    """Quoted names used as platforms (see the module docstring)."""
    quotes = quoted_names(c)
    lex = lexicon()
    mech_labels = _label_index("mechanisms.jsonl")
    hits: list[Hit] = []
    i = 0
    while i < len(quotes):
        group = _coordinated(c, quotes, i)
        last = group[-1]
        tail = last.end + 1 if c.startswith("等", last.end) else last.end
        found = _head_after(c, tail)
        i += len(group)
        if found is None:
            continue
        n, head = found
        if len(group) == 1 and (portal := _organ_portal(c, last, tail, n, head)) is not None:
            hits.append(portal)
            continue
        if len(group) == 1 and (split := _split_descriptor(c, last, n, head)) is not None:
            hits += split
            continue
        topics = (
            tail == last.end
            and head in _COLUMN_HEADS
            and not any(channel_named(nfkc(q.inner)) for q in group)
        )
        if len(group) > 1 and (topics or all(_slogan(c, q, quotes) for q in group)):
            # “稳就业”“保民生”专栏: a column named by its topics (or slogans), one platform
            end = tail + n + len(head)
            name = nfkc(c[group[0].start : end])
            hits.append(Hit(group[0].start, end, name, name, False))
            continue
        shared = len(group) == 1 or tail > last.end  # “A”和“B”等平台: the head is shared
        for q in group:
            inner = nfkc(q.inner)
            if q is not last and not shared:  # “A”“B”和“C”自助机: A and B are names of their own
                hits.append(Hit(q.start, q.end, inner, inner, False, (q.start + 1, q.end - 1)))
                continue
            start = _modifier_start(c, q)
            is_mech = _bare(inner) in mech_labels
            if q is last:
                end = tail + n + len(head)
                surface_name = c[start:end]
            else:
                end = q.end
                surface_name = c[start:end] + head
            if shared and tail > last.end:  # “鼓楼发布”等公众号: 等 names a category, not part of the name
                name = inner if start == q.start else nfkc(c[start : q.end])
            elif head in lex["bare_name_heads"] and not is_mech and start == q.start:
                name = inner
            else:
                name = c[start : q.end] + (c[tail : tail + n + len(head)] if q is last else head)
                name = surface_name if q is last else name
            hits.append(Hit(start, end, name, name, False, (q.start + 1, q.end - 1)))
    return hits


_COLUMN_HEADS = ("专栏", "栏目", "专区", "专题")


def _slogan(c: str, q: Quoted, quotes: list[Quoted]) -> bool:
    """A quoted campaign or slogan (“六稳”, “十四五”), never a channel by itself."""
    inner = nfkc(q.inner)
    lex = lexicon()
    if inner in lex["slogans"] or inner in lex["campaign_names"]:
        return True
    return classify_quoted(c, q, quotes) == "campaign"


_ORGAN = re.compile(r"[\u4e00-\u9fff]{2,20}(?:人民政府|政府|办公厅|办公室|局|厅|委员会)")
_PORTAL_TAILS = ("网站", "门户网站", "政府网站", "政府门户网站", "网")


def _organ_portal(c: str, q: Quoted, tail: int, n: int, head: str) -> Hit | None:
    """“某市人民政府”网站: an organ's own website under its quoted name is the 政府门户网站 channel."""
    if c[tail : tail + n + len(head)] not in _PORTAL_TAILS or not _ORGAN.fullmatch(nfkc(q.inner)):
        return None
    concept = _label_index("platforms.jsonl").get("政府门户网站")
    if concept is None:
        return None
    end = tail + n + len(head)
    return Hit(q.start, end, "政府门户网站", f"platform/{concept}", True, (q.start + 1, q.end - 1))


def _split_descriptor(c: str, q: Quoted, n: int, head: str) -> list[Hit] | None:
    """Two platforms where a quoted app or portal is followed by a column of its own.

    “一网通办”惠企政策专栏 is the 惠企政策专栏 of the 一网通办 portal, and in
    “一网通办”持续丰富惠企政策专栏 a verb stands between them. Returns None when
    the quote and its descriptor make one name (“泉惠企”企业服务综合智慧平台).
    """
    lex = lexicon()
    inner = nfkc(q.inner)
    lo = q.end
    words = word_starts(c)
    for i in range(q.end + 1, q.end + n + 1):
        if boundary_at(c, i, q.end + n, words) is not None:
            lo = i
    brand = app_brand(inner) and head not in lex["bare_name_heads"] and n >= 2
    if lo == q.end and not brand:
        return None
    out = [Hit(q.start, q.end, inner, inner, False, (q.start + 1, q.end - 1))] if channel_named(inner) else []
    end = q.end + n + len(head)
    name = nfkc(c[lo:end])
    if end - len(head) - lo >= 2 and name not in lex["generic_terms"]:
        out.append(Hit(lo, end, name, name, False))
    return out


def _channel_framed(c: str, group: list[Quoted]) -> bool:
    """Whether a group of quoted names is governed as a channel (see :func:`channel_hits`)."""
    lex = lexicon()
    first = group[0]
    before = c[max(0, first.start - 2) : first.start]
    return any(before.endswith(v) for v in lex["channel_verbs"])


def _typed(c: str, group: list[Quoted]) -> bool:
    """Whether a channel type or an 等渠道 frame follows the group (“鼓楼发布”政务微博)."""
    lex = lexicon()
    words = (*lex["channel_type_labels"], *lex["channel_frames"])
    return c.startswith(words, group[-1].end)


def channel_hits(c: str) -> list[Hit]:
    """Quoted names used as channels without a platform head.

    A quoted name (or a run of them joined by 、/和/及) is a platform when it
    stands before a channel type (“鼓楼发布”政务微博), before an 等渠道/等政务新媒体
    frame, or right after a channel verb (依托“江苏政务钉”建立…). Names the
    quoted-name rules read as mechanisms, campaigns, brands or slogans are left
    alone. The canonical name is the bare quoted name.
    """
    quotes = quoted_names(c)
    mech_labels = _label_index("mechanisms.jsonl")
    slogans = set(lexicon()["slogans"])
    hits: list[Hit] = []
    i = 0
    while i < len(quotes):
        group = _coordinated(c, quotes, i)
        i += len(group)
        typed = _typed(c, group) or all(channel_named(nfkc(q.inner)) for q in group)
        framed = _channel_framed(c, group)
        if not typed and not framed:
            continue
        for q in group:
            inner = nfkc(q.inner)
            if (
                inner in slogans
                or service_mode(inner)
                or (_bare(inner) in mech_labels and not (framed and app_brand(inner)))
                or re.search(r"[、，,；;]", inner)
                or (not typed and classify_quoted(c, q, quotes) not in (None, "platform"))
                or (not framed and _managed(c, q, inner))
            ):
                continue
            hits.append(_typed_hit(c, q, inner, len(group) == 1))
    return hits


def _managed(c: str, q: Quoted, inner: str) -> bool:
    """An app-shaped name governing a procedure word is a scheme, not a channel (“一卡通”管理)."""
    lex = lexicon()
    words = [*lex["quoted_mechanism_followers"], *lex["managed_followers"]]
    return app_brand(inner) and follower(c, q.end, words) is not None


def _typed_hit(c: str, q: Quoted, inner: str, alone: bool) -> Hit:
    """A quoted channel; “上海浦东”政务新媒体 keeps its type (a bare place is no channel name)."""
    label = follower(c, q.end, lexicon()["channel_type_labels"]) if alone else None
    if label is None or channel_named(inner):
        return Hit(q.start, q.end, inner, inner, False, (q.start + 1, q.end - 1))
    name = nfkc(c[q.start : q.end + len(label)])
    return Hit(q.start, q.end + len(label), name, name, False, (q.start + 1, q.end - 1))


def find_platforms(text: str) -> list[TermMatch]:
    """Find platform mentions in normalised text.

    Args:
        text: normalised text (NFKC, simplified).

    Returns:
        Non-overlapping matches in text order; known scheme concepts carry
        ``key="platform/<id>"``.

    Example:
        >>> [m.name for m in find_platforms("市12345市民服务热线和全市政府信息依申请公开办理系统")]
        ['12345市民服务热线', '政府信息依申请公开办理系统']
    """
    cv = Compact.of(text)
    lex = lexicon()
    hits = known_hits(cv.text, "platforms.jsonl", "platform")
    known_starts = {h.start for h in hits}
    hits += quoted_platform_hits(cv.text)
    hits += channel_hits(cv.text)
    hits += app_hits(cv.text)
    hits += catalogue_place_hits(cv.text)
    heads = cut_platforms(cv.text, head_hits(cv.text, lex["platform_heads"], min_stem=2), known_starts)
    hits += [_app_named(_with_station(cv.text, _without_level_word(cv.text, h))) for h in heads]
    hits = resolve(hits, owned=True)
    hits = resolve(hits + coordinated_hits(cv.text, hits), owned=True)
    return to_matches(text, cv, hits, "platform")


@lru_cache(maxsize=1)
def _app_regex() -> re.Pattern[str]:
    """The provincial government-service apps of ``data/platform_apps.csv``."""
    path = DATA_DIR / "platform_apps.csv"
    lines = (line for line in path.read_text("utf-8").splitlines() if line and not line.startswith("#"))
    names = [row["app"] for row in csv.DictReader(lines)]
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


_CATALOGUE_PLACE = re.compile(r"公开目录(?=[中上内里](?:主动|及时|统一)?(?:公开|发布|公布|公示))")


def catalogue_place_hits(c: str) -> list[Hit]:
    """A disclosure catalogue named as the place of publication (在政府信息公开目录中公开发布) is a channel.

    Elsewhere a 目录 is a list of items, a mechanism.
    """
    out = []
    for m in _CATALOGUE_PLACE.finditer(c):
        start = left_boundary(c, m.start(), words=word_starts(c))
        if start is None:
            continue
        name = strip_level(nfkc(c[start : m.end()]))
        name = name[scope.end() :] if (scope := _OWN_SCOPE.match(name)) else name
        if len(name) >= 6:
            out.append(Hit(start, m.end(), name, name, False))
    return out


def _app_named(h: Hit) -> Hit:
    """爱山东APP → 爱山东: a known app before a bare head is named by itself."""
    for head in lexicon()["bare_name_heads"]:
        stem = h.name[: -len(head)]
        if h.name.endswith(head) and stem and _app_regex().fullmatch(stem):
            return Hit(h.start, h.end, stem, stem, False, h.core)
    return h


def app_hits(c: str) -> list[Hit]:
    """Provincial service apps named without quotes (通过皖事通、政务短信等方式); a word of their own only."""
    words = word_starts(c)
    out = []
    for m in _app_regex().finditer(c):
        if m.start() in words and (m.end() >= len(c) or m.end() in words):
            out.append(Hit(m.start(), m.end(), m.group(0), m.group(0), False))
    return out


_LEVEL_WORD = "省市区县"


def _with_station(c: str, h: Hit) -> Hit:
    """国家企业信用信息公示系统(重庆): a regional station in brackets after a system belongs to its mention.

    The surface keeps the station; the name stays the national system's.
    """
    station = _station_end(c, h.end)
    if station is None:
        return h
    return Hit(h.start, station, h.name, h.key, False, h.core)


def level_agrees(surface: str, instance: str, generic: str) -> bool:
    """Whether a bare channel mention (市政府公报) can be a named instance (某省人民政府公报) of its document.

    A mention that starts with a level word names that level's own channel: it is the named
    instance only where the instance's place is of that level (省政务服务网 is 江苏政务服务网, 市政务服务网
    is not). A mention without a level word agrees with any instance.
    """
    level = surface[:1]
    if level not in _LEVEL_WORD:
        return True
    place = re.sub(r"人民(?:政府)?$|政府$", "", instance[: len(instance) - len(generic)])
    if place.endswith(tuple(_LEVEL_WORD)):
        return place.endswith(level)
    return level == "省"  # a province's short name: 江苏政务服务网, 广东省人民政府公报 written 广东…


def _without_level_word(c: str, h: Hit) -> Hit:
    """省信用信息共享服务平台 → 信用信息共享服务平台: a bare level word is the owner, not the name.

    Only where the level word is a word of its own (市民服务中心, 市长信箱 keep
    theirs); the surface still starts with it. Named places (济南市…) stay.
    """
    if h.known or h.name[:1] not in _LEVEL_WORD or len(h.name) < 6 or h.name != nfkc(c[h.start : h.end]):
        return h
    if h.start + 1 not in word_starts(c) or c[h.start + 1 : h.start + 3] in ("政府", "委", "级"):
        return h
    name = h.name[1:]
    return Hit(h.start, h.end, name, name, False, h.core)


_LIST_SEPS = ("、", "和", "及")
_AGENCY_END = re.compile(
    r"(?:局|厅|委|府办|委办|信办|政办|委员会|办公室|部门|政府|单位|处|科|室|街道|乡镇|镇|村|社区|公司|学校|医院)$"
)


def coordinated_hits(c: str, hits: list[Hit]) -> list[Hit]:
    """Unquoted names listed with platforms: 通过首都之窗和区政府门户网站, 首都之窗、政务新媒体等平台.

    A 2–10 character Han name joined by 、/和/及/与 to a platform found already
    is a platform when it stands before the list (its left edge a verb or
    punctuation) or closes a list that ends in an 等平台/等渠道/等载体 frame.
    Generic channels (报纸, 电视), agencies and known mechanisms are not.
    """
    words = word_starts(c)
    taken = [(h.start, h.end) for h in hits]
    out: list[Hit] = []
    for h in hits:
        if not _platform_list(c, h.end) or c.startswith("建设", h.end):
            continue  # A和B平台建设: a work area shared by the list, not a list of channels
        if h.start > 1 and c[h.start - 1] in _LIST_SEPS:
            lo = left_boundary(c, h.start - 1, max_len=10, min_len=3, words=words)
            if lo is not None and (lo == 0 or c[lo - 1] not in _LIST_SEPS):
                shared = _shared_head(c, lo, h, taken)
                out += [shared] if shared is not None else _listed(c, lo, h.start - 1, taken)
        if c[h.end : h.end + 1] in _LIST_SEPS:
            out += _listed_after(c, h.end + 1, taken)
    return out


def _shared_head(c: str, lo: int, h: Hit, taken: list[tuple[int, int]]) -> Hit | None:
    """规章和规范性文件数据库: a left conjunct with no channel word of its own shares the head of ``h``.

    Only after an unknown head phrase; a conjunct that ends like a channel
    (首都之窗, …网站) or is one already (a term found there) is a platform of its own.
    """
    conjunct = nfkc(c[lo : h.start - 1])
    lex = lexicon()
    endings = (*lex["platform_heads"], *lex["channel_name_endings"], *lex["generic_channels"], "网")
    if (
        h.known
        or not h.name.endswith(tuple(lex["platform_heads"]))
        or any(lo < e and s < h.start - 1 for s, e in taken)
        or not re.fullmatch(r"[\u4e00-\u9fff]{2,10}", conjunct)
        or conjunct.endswith(endings)
        or _bare(conjunct) in _label_index("platforms.jsonl")
        or any(w in conjunct for w in ("的", "等"))
    ):
        return None
    name = strip_level(nfkc(c[lo : h.end]))
    return Hit(lo, h.end, name, name, False)


_LIST_TAIL = re.compile(r"(?:[、和及][\u4e00-\u9fff“”]{1,14}?)*?等")


def _platform_list(c: str, end: int) -> bool:
    """False when the list a platform ends goes on to a non-channel 等 frame (…网络问政等方式)."""
    m = _LIST_TAIL.match(c, end)
    return m is None or c.startswith(tuple(lexicon()["channel_frames"]), m.end() - 1)


def _listed_after(c: str, pos: int, taken: list[tuple[int, int]]) -> list[Hit]:
    frames = tuple(lexicon()["channel_frames"])
    m = re.compile(r"[\u4e00-\u9fff]{2,10}?(?=" + "|".join(map(re.escape, frames)) + ")").match(c, pos)
    return _listed(c, pos, m.end(), taken) if m else []


def _listed(c: str, lo: int, hi: int, taken: list[tuple[int, int]]) -> list[Hit]:
    name = nfkc(c[lo:hi])
    lex = lexicon()
    if (
        not re.fullmatch(r"[\u4e00-\u9fff]{3,10}", name)
        or any(lo < e and s < hi for s, e in taken)
        or name in lex["generic_terms"]
        or name in lex["generic_channels"]
        or name in lex["generic_stems"]
        or any(w in name for w in ("的", "等"))
        or _AGENCY_END.search(name)
        or _bare(name) in _label_index("mechanisms.jsonl")
    ):
        return []
    return [Hit(lo, hi, name, name, False)]
