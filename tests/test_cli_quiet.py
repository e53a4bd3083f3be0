"""Commands print results and progress only: no library chatter, no files left in /tmp."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

KG = str(Path(sys.executable).with_name("kg"))


def test_parse_is_quiet_and_caches_in_the_user_cache_dir(tmp_path: Path) -> None:
    """`kg parse` with the jieba segmenter: stdout is the record, stderr is empty, jieba's cache is ours."""
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "ZWGK_SEGMENTER": "jieba"}
    (tmp_path / "tmp").mkdir()
    doc = ROOT / "corpus" / "seeds" / "001_710408dceed5a885.txt"
    result = subprocess.run([KG, "parse", str(doc), "--json"], env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("{")
    assert result.stderr == ""
    assert list((tmp_path / "tmp").iterdir()) == []
    assert (tmp_path / "cache" / "zwgk-kg" / "jieba.cache").is_file()
