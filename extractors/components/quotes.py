"""Quoted names (“X”) and what their shape and context say they are.

:func:`quoted_names` finds them, :func:`classify_quoted` tells a procedure, a campaign,
a slogan, a channel or a brand apart (落实“三同步”工作制度, 开展“X”专项行动).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.components.schemes import _bare, _label_index, lexicon, nfkc

__all__ = [
    "Quoted",
    "app_brand",
    "chain_end",
    "channel_named",
    "classify_quoted",
    "follower",
    "parallel_slogan",
    "quoted_names",
    "service_mode",
]

_QUOTE_PAIRS = {"“": "”", '"': '"', "「": "」", "『": "』", "‘": "’"}


@dataclass(frozen=True)
class Quoted:
    """A quoted name “X” in the compact text: ``start``/``end`` include the quotes."""

    start: int
    end: int
    inner: str


_QUOTED_RE = re.compile(r"“([^“”\n]{1,40})”|\"([^\"\n]{1,40})\"|「([^「」]{1,40})」|『([^『』]{1,40})』")


def quoted_names(c: str) -> list[Quoted]:
    """Every quoted name in the compact text."""
    out = []
    for m in _QUOTED_RE.finditer(c):
        inner = next(g for g in m.groups() if g is not None)
        out.append(Quoted(m.start(), m.end(), inner))
    return out


def follower(c: str, end: int, words: list[str]) -> str | None:
    """The word of ``words`` that starts at ``end`` (longest first), if any."""
    for w in sorted(words, key=len, reverse=True):
        if c.startswith(w, end):
            return w
    return None


def chain_end(c: str, q: Quoted, quotes: list[Quoted]) -> int:
    """End of a run of quoted names joined by nothing, 、, 和, 及, 与 (“直达快享”“免申即享”)."""
    by_start = {x.start: x for x in quotes}
    end = q.end
    while True:
        pos = end + 1 if end < len(c) and c[end] in "、和及与" else end
        nxt = by_start.get(pos)
        if nxt is None:
            return end
        end = nxt.end


def _chain(c: str, q: Quoted, quotes: list[Quoted]) -> list[Quoted]:
    """The quoted names coordinated with ``q`` (see :func:`chain_end`), ``q`` included."""
    by_start = {x.start: x for x in quotes}
    by_end = {x.end: x for x in quotes}

    def joint(pos: int) -> int:  # where the next name starts after a name ending at ``pos``
        return pos + 1 if c[pos : pos + 1] in _JOINERS else pos

    def back(pos: int) -> int:  # where the previous name ends before a name starting at ``pos``
        return pos - 1 if pos > 0 and c[pos - 1] in _JOINERS else pos

    first = q
    while (prev := by_end.get(back(first.start))) is not None:
        first = prev
    out = [first]
    while (nxt := by_start.get(joint(out[-1].end))) is not None:
        out.append(nxt)
    return out


_JOINERS = ("、", "和", "及", "与")


def _campaign_ending(inner: str) -> bool:
    """A quoted name ending in a campaign word (…战略, …行动, …攻坚战, 发展…仗)."""
    return any(inner.endswith(w) and len(inner) > len(w) + 1 for w in lexicon()["campaign_inner_endings"])


_PROCEDURE_NAMED = ["的原则", "原则", "的工作机制", "工作机制", "机制", "制度", "工作法", "模式", "闭环"]
_WORK_AREA = re.compile(r"等(?:方面|领域)?工作(?:的)?(?:信息|进展|情况|动态)")


def _work_area(c: str, end: int) -> bool:
    """“X”等工作信息(进展): the quoted names are the fields of work disclosed, not procedures."""
    return bool(_WORK_AREA.match(c, end))


_PARALLEL_PART = re.compile(r"[\u4e00-\u9fff]{1,3}")


def parallel_slogan(inner: str) -> bool:
    """A slogan of short parallel phrases (“稳投资、促消费”, “一核、两翼”, “求实、创新、奋进”).

    Every part separated by 、 has one to three Han characters. Principles of
    responsibility (“谁主管、谁负责”) and of scope (“应公开、尽公开”) stay
    procedures, and so does a slogan named as a 原则/机制/制度 (see
    :func:`classify_quoted`); curated names (“双随机、一公开”) are matched
    before this rule is asked.
    """
    parts = re.split(r"[、，,]", inner)
    developing = any(p.endswith(tuple(lexicon()["development_words"])) for p in parts)
    if len(parts) >= 2 and developing and all(re.fullmatch(r"[\u4e00-\u9fff]{2,6}", p) for p in parts):
        return True  # “实干争先、跨越发展”: a development slogan, whatever the length of its parts
    if len(parts) < 2 or not all(_PARALLEL_PART.fullmatch(p) for p in parts):
        return False
    who = all(p.startswith("谁") for p in parts)  # 谁主管、谁负责: a rule of responsibility
    same_object = len({p[-2:] for p in parts}) == 1 and all(len(p) == 3 for p in parts)  # 应公开、尽公开
    return not (who or same_object)


def classify_quoted(c: str, q: Quoted, quotes: list[Quoted]) -> str | None:
    """Decide what a quoted name is by the words after it.

    Returns ``"mechanism"``, ``"campaign"``, ``"brand"``, ``"platform"`` or
    ``None`` (a modifier such as “双减”信息公开, or a slogan).
    """
    lex = lexicon()
    inner = nfkc(q.inner)
    end = chain_end(c, q, quotes)
    nxt = c[end : end + 1]
    if follower(c, end, lex["brand_followers"]):
        return "brand"
    if follower(c, end, lex["campaign_followers"]) or _campaign_shaped(inner) or _campaign_ending(inner):
        return "campaign"
    if _work_area(c, end) or any(_campaign_ending(nfkc(x.inner)) for x in _chain(c, q, quotes)):
        return "campaign"  # 围绕“A”“B战略”等工作: a goal listed with campaigns, a field of work
    if inner in lex["campaign_names"]:
        return "campaign"  # “放管服”改革
    named = follower(c, end, _PROCEDURE_NAMED) is not None or _named_after_list(c, end)
    if parallel_slogan(inner) and not named:
        return "campaign" if follower(c, end, ["改革", "行动", "工程", "攻坚"]) else None
    if _bare(inner) in _label_index("platforms.jsonl"):
        return None
    if channel_named(inner):
        return "platform"
    if follower(c, end, ["改革", "工作制度", "工作机制", "制度", "机制"]) or _named_after_list(c, end):
        return "mechanism"
    if nxt == "等" and _platform_after_list(c, end + 1):
        return "platform"  # “A”“B”等政策服务平台
    if inner in lex["slogans"]:
        return None
    if any(inner.endswith(h) for h in lex["platform_heads"]):
        return "platform"
    if follower(c, end, lex["quoted_platform_heads"]) or (
        nxt == "等" and follower(c, end + 1, lex["quoted_platform_heads"])
    ):
        return "platform"
    named = named or inner.endswith(("制", *lex["mechanism_heads"]))  # “河长制”: an institution by its head
    developing = len(inner) > 2 and inner.endswith(tuple(lex["development_words"]))  # “高质量发展”
    if not named and (
        _goal(c, q, inner) or _numbered_slogan(inner) or _bare_work_area(c, q, end) or developing
    ):
        return "campaign"  # 打造“X”, “三篇大文章”, 围绕“X”工作, “X发展”: goals and fields of work
    if follower(c, end, lex["quoted_mechanism_followers"]):
        return "mechanism"
    if not nxt or nxt in "，。；：、,.;:)的等":
        return "mechanism" if _procedure_shaped(inner) else None
    if c[: q.start].endswith(tuple(lex["quoted_procedure_verbs"])) and _procedure_shaped(inner):
        return "mechanism"  # 围绕“每月一题”高频诉求, 围绕“一件事”集成服务
    return None


_NUM = "一二三四五六七八九十百两双"
_LIST_NAMED = re.compile(r"等[\u4e00-\u9fff]{0,4}?(?:工作制度|工作机制|制度|机制|规定|原则)")


def _named_after_list(c: str, end: int) -> bool:
    """“A、B、C”等管理制度: a list of quoted rules named as 制度/机制/规定 after 等."""
    return bool(_LIST_NAMED.match(c, end))


def _platform_after_list(c: str, pos: int) -> bool:
    """A platform head within a short descriptor at ``pos`` (等|政策服务平台)."""
    m = re.match(r"[\u4e00-\u9fff]{0,6}", c[pos:])
    span = m.group(0) if m else ""
    heads = lexicon()["quoted_platform_heads"]
    return any(span.endswith(h) or c.startswith(h, pos + len(span)) for h in heads)


_CLAUSE_START = re.compile(r"[，。；：,.;:!?！？()\n]|\d+\.")


def _goal(c: str, q: Quoted, inner: str) -> bool:
    """A quoted development goal: governed by a goal verb in its clause (打造具有…的“X”) or starting with one.

    Other quoted names of the clause and the 、 between them do not end the
    clause (改造升级“A”、深度开发“B”、培育壮大“C”).
    """
    verbs = tuple(lexicon()["goal_verbs"])
    if len(inner) > 4 and inner.startswith(verbs):
        return True
    left = c[max(0, q.start - 16) : q.start]
    cuts = [m.end() for m in _CLAUSE_START.finditer(left)]
    clause = left[cuts[-1] :] if cuts else left
    clause = re.sub(r"“[^“”]*”", "", clause)
    last = max((clause.rfind(v) + len(v) for v in verbs if v in clause), default=-1)
    return last >= 0 and not _implements(clause[last:])


def _implements(text: str) -> bool:
    """Whether a verb of carrying out a rule (落实, 执行, 深化 …; not 围绕) occurs in ``text``."""
    lex = lexicon()
    return any(v in text for v in (*lex["quoted_procedure_verbs"], *lex["procedure_verbs"]) if v != "围绕")


_NUMBERED = re.compile(r"[二两三四五六七八九十百]+")


def _numbered_slogan(inner: str) -> bool:
    """“三篇大文章”, “四大行动”: a numeral of two or more, a measure word and a noun."""
    m = _NUMBERED.match(inner)
    if m is None or len(inner) < m.end() + 2:
        return False
    return inner[m.end()] in "".join(lexicon()["slogan_measures"])


_WORK = re.compile(r"工作(?!制度|机制|法|模式|格局|要求|原则|闭环)")


def _bare_work_area(c: str, q: Quoted, end: int) -> bool:
    """围绕“X”工作推进公开: a quoted name before a bare 工作 is a field of work.

    Not where a verb of carrying out governs it (深化“X”工作 carries out a procedure).
    """
    return bool(_WORK.match(c, end)) and not _implements(c[max(0, q.start - 2) : q.start])


def channel_named(inner: str) -> bool:
    """Whether a quoted name is a new-media account, portal or app by its ending (“江岸发布”, “渝快办”)."""
    endings = tuple(lexicon()["channel_name_endings"])
    if len(inner) >= 4 and inner.endswith(endings) and bool(re.fullmatch(r"[\u4e00-\u9fff]+", inner)):
        return True
    return app_brand(inner)


_SERVICE_MODE = re.compile(r"(?:跨|全|异地).{1,2}通办")


def service_mode(inner: str) -> bool:
    """Whether a quoted name is a service mode (“跨省通办”, “全城通办”), never a channel."""
    return bool(_SERVICE_MODE.fullmatch(inner))


def app_brand(inner: str) -> bool:
    """Whether a quoted name is shaped like a service app or portal brand (“浙里办”, “京通”, “粤商通”).

    Two to four Han characters ending in 办/通/码 (or a Latin e/App), not a
    slogan (“马上办”), not a service mode (“跨省通办”), not a repetition
    (“秒批秒办”).
    """
    lex = lexicon()
    m = re.fullmatch(r"([\u4e00-\u9fff]{2,4})(e|E|App|APP|app)?", inner)
    if m is None or inner in lex["slogans"] or _SERVICE_MODE.fullmatch(inner):
        return False
    stem = m.group(1)
    if m.group(2) is not None:
        return True
    if stem.endswith("办") and not (len(stem) == 3 or stem.endswith("通办")):
        return False  # 接诉即办, 未诉先办: procedures
    return stem.endswith(tuple(lex["app_brand_endings"]))


def _campaign_shaped(inner: str) -> bool:
    """十个加速度, 五个济南, 项目提升年, 2025奋力冲刺, 12345."""
    return bool(
        re.fullmatch(rf"[{_NUM}]+个.+", inner)
        or re.fullmatch(r".{2,}年", inner)
        or re.search(r"\d{4}", inner)
        or re.fullmatch(r"[\d+nN]+", inner)
    )


def _procedure_shaped(inner: str) -> bool:
    """A short rule-like phrase: 2–30 characters, Chinese, not a bare number."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff、—\-·+]{3,40}", inner)) and not inner.isdigit()
