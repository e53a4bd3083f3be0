"""Cleaning: site chrome removed, content and offsets kept (extractors.reading.clean)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.reading.clean import chrome_patterns, clean, is_chrome, prepare
from extractors.reading.readers import read_bytes, read_document

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
SEED_003 = next(SEEDS.glob("003_*.txt"), None)


def _maps_back(original: str, text: str, index: tuple[int, ...]) -> bool:
    return all(original[i] == ch for ch, i in zip(text, index, strict=False))


@pytest.mark.skipif(SEED_003 is None, reason="seed 003 not present")
@pytest.mark.parametrize(
    "gone", ["<", ">", "字号", "浏览次数", "Produced By", "热点推荐", "附件下载", "编辑:", "•"]
)
def test_clean_seed_003_chrome_gone(gone: str) -> None:
    """Seed 003 loses its stray tags and page chrome."""
    assert SEED_003 is not None
    assert gone not in clean(read_document(SEED_003).original).text


@pytest.mark.skipif(SEED_003 is None, reason="seed 003 not present")
def test_clean_seed_003_body_intact_and_mapped() -> None:
    """Seed 003 keeps its title, metadata and body lines, each char mapped to itself."""
    assert SEED_003 is not None
    original = read_document(SEED_003).original
    cleaned = clean(original)
    assert cleaned.text.startswith("济南市人民政府办公厅关于印发2021年济南市政务公开工作要点的通知\n发布日期")
    body = [line.strip() for line in original.split("\n") if line.strip().startswith("(")]
    assert body and all(line in cleaned.text.split("\n") for line in body)
    assert _maps_back(original, cleaned.text, cleaned.index)


@pytest.mark.parametrize(
    "line",
    [
        "字号:", "字号：大 中 小", "大 中 小", "【大 中 小】", "字体：【大 中 小】", "浏览次数:次 字体:【",
        "阅读量：1234", "【打印本页】【关闭窗口】", "打印", "分享", "关闭", "分享到：微信 微博",
        "无障碍浏览", "长者模式 | 无障碍", "热点推荐", "• 热点推荐", "附件下载", "编辑:梁媛媛",
        "责任编辑：张三  审核：李四", "Produced By 大汉网络 大汉版通发布系统", "当前位置：首页 > 政务公开",
        "首页 > 信息公开 > 政策文件", "上一篇：关于…的通知", "主办单位：绥棱县人民政府办公室",
        "版权所有：广东省人民政府", "浙ICP备05001234号 浙公网安备33010602000000号",
        "【字号：大 中 小】【打印】【关闭】",
        "網站地圖",
    ],
)  # fmt: skip
def test_clean_chrome_lines_recognised(line: str) -> None:
    """Typical portal chrome lines (any width / script) are chrome."""
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "索 引 号: 113701000041890072/2025-00432 主题分类: 综合政务_政务公开",
        "成文日期: 2025-06-29 发布日期: 2025-06-30", "发文字号: 西政办发〔2024〕3号",
        "发布日期:2024-05-28 00:00 信息来源:杭州市西湖区人民政府办公室", "附件：2024年重点工作任务分解表",
        "附件", "承办单位要根据决策事项推进情况，以目录归集方式实行超链接展示。",
        "访问量同比增长15%，政府网站运行平稳。", "（三）关闭不合规政务新媒体账号。",
        "打印机采购信息按要求公开。",
        "\t微博", "一、强化政策解读", "大力推进“一网通办”", "分享经济监管信息",
    ],
)  # fmt: skip
def test_clean_content_lines_kept(line: str) -> None:
    """Metadata and ordinary content lines are not chrome."""
    assert not is_chrome(line)


def test_clean_patterns_compile_and_are_data() -> None:
    """The chrome patterns load from the data file."""
    assert len(chrome_patterns()) >= 10


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("<legend id=\"x\"></legend><samp id='x'></samp>\n正文", "正文"),
        ("  • <input id=\"a\"><address id=\"a\"></address>\n    1. <dl id=\"b\"></dl>\n正文", "正文"),
        ("正文<br/>继续<!-- note -->。", "正文继续。"),
        ("\n\n\n第一段\n\n\n\n第二段\n\n\n", "第一段\n\n第二段\n"),
        ("   第一段  \n\u3000\u3000第二段\u3000", "第一段\n第二段"),
        ("• 第一项\n● 第二项", "第一项\n第二项"),
        ("\t序号\n\t工作任务\n\n\t1\n\t\n", "\t序号\n\t工作任务\n\n\t1\n\t\n"),
        ("若 a<b 且 c>d 则成立", "若 a<b 且 c>d 则成立"),
        ("\t1\n1.\n", "\t1\n1.\n"),
    ],
    ids=["tags", "tag-list-residue", "inline-tags", "blank-runs", "edge-spaces", "bullets", "tab-cells",
         "not-a-tag", "markers-without-tags"],
)  # fmt: skip
def test_clean_deletions(original: str, expected: str) -> None:
    """clean deletes tags, residue lines, bullets, edge spaces and extra blank lines; tabs stay."""
    cleaned = clean(original)
    assert cleaned.text == expected
    assert _maps_back(original, cleaned.text, cleaned.index)


def test_clean_prepare_normalises_cleaned_text() -> None:
    """prepare = normalize(clean(original)): chrome gone, full-width folded, traditional simplified."""
    raw = read_bytes("字號：大 中 小\n政務公開工作要點（２０２４年）".encode(), "tw.txt")
    prepared = prepare(raw)
    assert prepared.text == "政务公开工作要点(2024年)"
    assert raw.original[prepared.index[0]] == "政"
