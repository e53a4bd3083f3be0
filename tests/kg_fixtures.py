"""Hand-made DocumentRecords for the kg tests.

The texts are written for these tests, modelled on work priorities of other
places (杭州市西湖区, 绥化市绥棱县); they are not taken from the seeds.
"""

from __future__ import annotations

import hashlib
from datetime import date

from extractors.records import (
    DocumentRecord,
    EntityKind,
    EntityRecord,
    Frequency,
    ItemRecord,
    Mention,
    Metadata,
    ObligationRecord,
    RelativeDeadline,
    Span,
)

XIHU_TEXT = (
    "杭州市西湖区人民政府办公室关于印发2024年西湖区政务公开工作要点的通知\n"
    "西政办发〔2024〕3号\n"
    "一、深化政策公开\n"
    "（一）落实“三同步”要求。区政府办公室要严格执行“三同步”制度，2024年6月30日前完成。"
    "（责任单位：区政府办公室、区发改局）\n"
    "（二）用好12345热线。各部门须每年至少召开1次政府开放活动，通过12345市民服务热线回应关切。\n"
)


def _find(text: str, needle: str, start: int = 0) -> Span:
    i = text.index(needle, start)
    return Span(i, i + len(needle))


def xihu_record(source_file: str = "xihu_2024.txt", text: str = XIHU_TEXT) -> DocumentRecord:
    """A small 西湖区 work-priorities record with two items, entities and an obligation."""
    t = text
    office = EntityRecord(
        EntityKind.AGENCY,
        "杭州市西湖区人民政府办公室",
        aliases={"区政府办公室"},
        mentions=[
            Mention(
                "区政府办公室",
                _find(t, "区政府办公室", 60),
                _find(t, "区政府办公室要严格执行“三同步”制度，2024年6月30日前完成。"),
            )
        ],
        jurisdiction="杭州市西湖区",
        division_code="330106",
        parent="杭州市西湖区人民政府",
    )
    government = EntityRecord(
        EntityKind.AGENCY, "杭州市西湖区人民政府", jurisdiction="杭州市西湖区", division_code="330106"
    )
    drc = EntityRecord(
        EntityKind.AGENCY,
        "杭州市西湖区发展和改革局",
        aliases={"区发改局"},
        mentions=[Mention("区发改局", _find(t, "区发改局"))],
    )
    departments = EntityRecord(
        EntityKind.AGENCY_GROUP, "杭州市西湖区人民政府各部门", aliases={"各部门"}, members_rule="区政府各部门"
    )
    sync = EntityRecord(EntityKind.MECHANISM, "三同步", mentions=[Mention("三同步", _find(t, "三同步"))])
    opening = EntityRecord(EntityKind.MECHANISM, "政府开放活动")
    hotline = EntityRecord(EntityKind.PLATFORM, "12345市民服务热线", aliases={"12345热线"})
    s1 = _find(t, "区政府办公室要严格执行“三同步”制度，2024年6月30日前完成。")
    s2 = _find(t, "各部门须每年至少召开1次政府开放活动，通过12345市民服务热线回应关切。")
    item1 = ItemRecord(
        ref="一/（一）",
        title="落实“三同步”要求",
        span=_find(t, "（一）落实“三同步”要求。"),
        level=2,
        number="（一）",
        parent_ref="一",
        responsibility_note="（责任单位：区政府办公室、区发改局）",
        responsible=["杭州市西湖区人民政府办公室", "杭州市西湖区发展和改革局"],
        responsible_source="note",
        mechanisms=["三同步"],
        deadlines=[date(2024, 6, 30)],
        obligations=[
            ObligationRecord(
                action="严格执行“三同步”制度",
                sentence=s1,
                actors=["杭州市西湖区人民政府办公室"],
                actor_source="subject",
                mechanisms=["三同步"],
                strength="严格",
                deadline=date(2024, 6, 30),
                deadline_text="2024年6月30日前",
            )
        ],
    )
    item2 = ItemRecord(
        ref="一/（二）",
        title="用好12345热线",
        span=_find(t, "（二）用好12345热线。"),
        level=2,
        number="（二）",
        parent_ref="一",
        platforms=["12345市民服务热线"],
        relative_deadlines=[RelativeDeadline("政策出台后10个工作日内", 10, "working_day", "政策出台")],
        obligations=[
            ObligationRecord(
                action="召开政府开放活动",
                sentence=s2,
                actors=["杭州市西湖区人民政府各部门"],
                mechanisms=["政府开放活动"],
                platforms=["12345市民服务热线"],
                strength="须",
                frequency=Frequency("每年至少召开1次", 1, "min", "year"),
            )
        ],
    )
    section = ItemRecord(
        ref="一", title="深化政策公开", span=_find(t, "一、深化政策公开"), level=1, number="一"
    )
    meta = Metadata(
        title="2024年西湖区政务公开工作要点",
        notice_title="杭州市西湖区人民政府办公室关于印发2024年西湖区政务公开工作要点的通知",
        issuer="杭州市西湖区人民政府办公室",
        doc_number="西政办发〔2024〕3号",
        date=date(2024, 3, 15),
        year=2024,
        jurisdiction="杭州市西湖区",
        division_code="330106",
        cited=["《中华人民共和国政府信息公开条例》"],
    )
    return DocumentRecord(
        source_file=source_file,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        original=text,
        media_type="text/plain",
        encoding="utf-8",
        metadata=meta,
        items=[section, item1, item2],
        entities=[office, government, drc, departments, sync, opening, hotline],
    )


SUILENG_TEXT = (
    "绥棱县2023年政务公开工作要点\n1.县政府办公室要推进主动公开目录建设，通过县政府门户网站发布。\n"
)


def suileng_record(source_file: str = "suileng_2023.txt") -> DocumentRecord:
    """A tiny 绥化市绥棱县 record sharing the mechanism scheme but not the agencies."""
    t = SUILENG_TEXT
    office = EntityRecord(
        EntityKind.AGENCY,
        "绥化市绥棱县人民政府办公室",
        aliases={"县政府办公室"},
        mentions=[Mention("县政府办公室", _find(t, "县政府办公室"))],
        jurisdiction="绥化市绥棱县",
    )
    catalogue = EntityRecord(EntityKind.MECHANISM, "主动公开事项目录", aliases={"主动公开目录"})
    portal = EntityRecord(EntityKind.PLATFORM, "政府门户网站", aliases={"县政府门户网站"})
    sync = EntityRecord(EntityKind.MECHANISM, "三同步")
    item = ItemRecord(
        ref="1",
        title="推进主动公开目录建设",
        span=_find(t, "1.县政府办公室要推进主动公开目录建设，通过县政府门户网站发布。"),
        level=2,
        number="1",
        responsible=["绥化市绥棱县人民政府办公室"],
        responsible_source="subject",
        mechanisms=["主动公开事项目录"],
        platforms=["政府门户网站"],
    )
    meta = Metadata(title="绥棱县2023年政务公开工作要点", year=2023, jurisdiction="绥化市绥棱县", draft=True)
    return DocumentRecord(
        source_file=source_file,
        sha256=hashlib.sha256(t.encode("utf-8")).hexdigest(),
        original=t,
        media_type="text/plain",
        encoding="utf-8",
        metadata=meta,
        items=[item],
        entities=[office, catalogue, portal, sync],
    )
