"""Mechanisms (机制/制度) of disclosure work; the term machinery they share is in :mod:`.terms`.

Known mechanisms come from the curated SKOS scheme ``data/mechanisms.jsonl``
(national vocabulary: 政府信息公开条例 and the State Council 政务公开工作要点).
Unknown ones are found by shape: a quoted name used as a procedure
(严格落实“三同步”工作制度) or a noun phrase ending in 制度/机制/清单/目录 with
a conservative left boundary. All matching runs on a whitespace-free view of
the normalised text, so line breaks inside a name do not hide it; offsets are
mapped back to the text given.

Example:
    >>> [m.name for m in find_mechanisms("严格落实“三同步”工作制度")]
    ['三同步']
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.components.boundaries import left_boundary, word_starts
from extractors.components.quotes import classify_quoted, follower, quoted_names
from extractors.components.schemes import TermMatch, _alt, _bare, _label_index, lexicon, load_scheme, nfkc
from extractors.components.terms import (
    Compact,
    Hit,
    cut_platforms,
    head_hits,
    known_hits,
    resolve,
    to_matches,
)

__all__ = ["absorb_scopes", "find_mechanisms", "procedure_hits", "quoted_mechanism_hits"]


def quoted_mechanism_hits(c: str) -> list[Hit]:
    """Unknown quoted names used as procedures: 落实“X”工作机制, 实现“X”，."""
    quotes = quoted_names(c)
    lex = lexicon()
    hits = []
    index = _label_index("mechanisms.jsonl")
    for q in quotes:
        if (known := index.get(_bare(q.inner))) is not None and re.search(r"[‘’'\"「」]", q.inner):
            # “高效办成‘一件事’”: a known name with quotes inside, which the label regex cannot see
            label = next(x.pref_label for x in load_scheme("mechanisms.jsonl") if x.id == known)
            core = (q.start + 1, q.end - 1)
            hits.append(Hit(q.start, q.end, nfkc(label), f"mechanism/{known}", True, core))
            continue
        if classify_quoted(c, q, quotes) != "mechanism" or _bare(q.inner) in index:
            continue
        end = q.end
        if (w := follower(c, q.end, lex["quoted_mechanism_followers"])) and w not in ("服务", "监管"):
            end += len(w)
        name = nfkc(q.inner)
        hits.append(Hit(q.start, end, name, name, False, (q.start + 1, q.end - 1)))
    return hits


def _starts_with_place(text: str) -> bool:
    from extractors.layout.places import find_places

    found = find_places(text)
    return bool(found) and found[0][0] == 0 and found[0][1] >= 3


def absorb_scopes(hits: list[Hit]) -> list[Hit]:
    """An unknown mechanism phrase ending in a known one is that concept, scoped.

    政务新媒体信息发布审核机制 → 信息发布审核制度.
    """
    known = [h for h in hits if h.known]
    out = []
    for h in hits:
        k = next((k for k in known if not h.known and h.start < k.start and h.end == k.end), None)
        out.append(Hit(h.start, h.end, k.name, k.key, True, k.core) if k else h)
    return out


def find_mechanisms(text: str) -> list[TermMatch]:
    """Find mechanism mentions in normalised text.

    Args:
        text: normalised text (NFKC, simplified).

    Returns:
        Non-overlapping matches in text order; known scheme concepts carry
        ``key="mechanism/<id>"``.

    Example:
        >>> [m.name for m in find_mechanisms("按照“谁开设、谁负责”的原则，健全公文属性认定机制")]
        ['谁开设、谁负责', '公文属性认定机制']
    """
    cv = Compact.of(text)
    lex = lexicon()
    hits = known_hits(cv.text, "mechanisms.jsonl", "mechanism")
    hits += quoted_mechanism_hits(cv.text)
    heads = lex["mechanism_heads"] + lex["mechanism_zhi_heads"]
    hits += cut_platforms(cv.text, head_hits(cv.text, heads, min_stem=3, coordinate=True))
    hits += procedure_hits(cv.text)
    hits = absorb_scopes(_drop_platform_bodies(cv.text, hits))
    return to_matches(text, cv, resolve(hits), "mechanism")


def _drop_platform_bodies(c: str, hits: list[Hit]) -> list[Hit]:
    """A head phrase that is really a platform (…目录系统) is not a mechanism."""
    lex = lexicon()
    heads = lex["platform_heads"]
    return [h for h in hits if h.known or not follower(c, h.end, heads)]


@lru_cache(maxsize=1)
def _procedure_regex() -> re.Pattern[str]:
    lex = lexicon()
    verbs, heads = _alt(lex["procedure_verbs"]), _alt(lex["procedure_heads"])
    name = rf"(?P<name>[\u4e00-\u9fff]{{3,14}}?(?:{heads}))"
    then = r"[，。；、,;]|制度|工作|活动|程序|[和及与][\u4e00-\u9fff]{2,8}?程序|$"  # …审查和发布审查程序
    return re.compile(rf"(?:{verbs}){name}(?={then})")


def procedure_hits(c: str) -> list[Hit]:
    """Named procedures outside the scheme, governed by 执行/落实/推行: 严格执行X公示, 推进X依法披露.

    The head (公示, 预公开, 依法披露, 向公众开放 …) must close the phrase,
    so verb phrases that go on (在网站公示结果) are not names.
    """
    out = []
    for m in _procedure_regex().finditer(c):
        start = left_boundary(c, m.end("name"), max_len=16, min_len=3, words=word_starts(c))
        lo = max(start if start is not None else m.start("name"), m.start("name"))
        name = c[lo : m.end("name")]
        if len(name) >= 5:
            out.append(Hit(lo, m.end("name"), name, name, False))
    return out
