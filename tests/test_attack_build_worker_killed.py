"""Issue #17: a build worker killed from outside (OOM killer, kill -9) fails its document, not the build."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from kg import build as build_module
from kg.build import BuildReport, MappedResult, build
from kg.store import OxigraphStore


def _killed_on_bad(path: Path) -> MappedResult:
    """Stands in for the extraction: a document named ``bad…`` kills its own worker process."""
    if path.name.startswith("bad"):
        os.kill(os.getpid(), signal.SIGKILL)
    iri = f"https://w3id.org/zwgk/doc/{path.stem}"
    line = f'<{iri}> <https://w3id.org/zwgk/ontology#sourceFile> "{path.name}"'  # without the final " ."
    return MappedResult(str(path), iri, path.stem, [line], [])


@pytest.mark.skipif(os.name != "posix", reason="kills a forked worker with SIGKILL")
def test_attack_build_goes_on_when_a_worker_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    names = [f"{n:02d}.txt" for n in range(8)]
    names.insert(3, "bad.txt")
    for name in names:
        (docs / name).write_text("某市2025年政务公开工作要点\n", encoding="utf-8")
    monkeypatch.setattr(build_module, "_extract_and_map", _killed_on_bad)
    store = OxigraphStore(None)
    reports: list[BuildReport] = []
    worker = threading.Thread(target=lambda: reports.append(build([docs], store, workers=2, progress=False)))
    worker.daemon = True
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the build hung on its killed worker"
    (report,) = reports
    assert len(report.failed) == 1 and "bad.txt" in report.failed[0] and "killed" in report.failed[0]
    assert "\n" not in report.failed[0]
    assert sorted(Path(name).name for name in report.written) == sorted(n for n in names if n != "bad.txt")
