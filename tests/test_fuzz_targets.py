"""The atheris fuzz targets of ``tests/fuzz/fuzz_inputs.py`` run from their seed corpora (copies: libFuzzer adds
to them) with a fixed seed, so a loader change that crashes on mutated input fails here: every target in one
process for a couple of thousand inputs, and (slow) each target for 20 s. Longer runs: see the script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")

FUZZ = Path(__file__).resolve().parent / "fuzz"
TARGETS = ["template", "hcl", "tfvars", "config-yaml", "config-toml", "baseline"]


def _fuzz(target: str, tmp_path: Path, *options: str) -> None:
    corpus = tmp_path / "corpus"
    if target == "all":  # each seed behind the byte that selects its target
        corpus.mkdir()
        for i, name in enumerate(TARGETS):
            for seed in sorted((FUZZ / "corpus" / name).iterdir()):
                (corpus / f"{name}-{seed.name}").write_bytes(bytes([i]) + seed.read_bytes())
    else:
        shutil.copytree(FUZZ / "corpus" / target, corpus)
    proc = subprocess.run(
        [sys.executable, str(FUZZ / "fuzz_inputs.py"), target, "-seed=1", "-max_len=4096",
         f"-artifact_prefix={tmp_path}/", *options, str(corpus)],
        capture_output=True, text=True, timeout=120,
    )
    crashes = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-")))
    assert proc.returncode == 0 and not crashes, (crashes, proc.stderr[-3000:])


def test_fuzz_targets_short_seeded_run(tmp_path: Path) -> None:
    _fuzz("all", tmp_path, "-runs=2000")


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_target_longer_run(target: str, tmp_path: Path) -> None:
    _fuzz(target, tmp_path, "-max_total_time=20", "-timeout=10", "-rss_limit_mb=1536")
