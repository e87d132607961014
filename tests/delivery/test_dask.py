"""The Dask example of site/docs/deliveries.md runs, and prints the report of one run."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from delivery._gen import RecordFactory
from delivery.conftest import fixture_guideline
from guidekit.delivery import validate

pytest.importorskip("dask", reason="needs Dask (the test extra)")

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- this example runs in tests/delivery/test_dask.py -->\n```python\n"


def test_the_documented_dask_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = (ROOT / "site" / "docs" / "deliveries.md").read_text(encoding="utf-8")
    assert MARKER in doc
    (tmp_path / "example.py").write_text(doc.split(MARKER, 1)[1].split("```", 1)[0])
    name = "guidelines/support-tickets"
    (tmp_path / "guidelines").mkdir()
    (tmp_path / name).symlink_to(ROOT / name)
    fac, rnd = RecordFactory(fixture_guideline(name)), random.Random(3)
    recs = [fac.valid(rnd) for _ in range(120)]
    recs[40] = fac.mutate(recs[40], rnd)
    lines = [json.dumps(r) + "\n" for r in recs]
    lines[100] = lines[7]  # an id used again in the other file
    (tmp_path / "deliveries").mkdir()
    parts = [tmp_path / "deliveries" / f"part-00{k}.jsonl" for k in range(2)]
    parts[0].write_text("".join(lines[:60]))
    parts[1].write_text("".join(lines[60:]) + "{not json\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "example.py"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    monkeypatch.chdir(tmp_path)  # the example names its files from its folder
    whole = validate(fixture_guideline(name), [str(p.relative_to(tmp_path)) for p in parts])
    assert whole.codes()["GK542"] == 1 and whole.codes()["GK501"] == 1
    assert out.stdout == f"{whole.verdict} {whole.records} {whole.codes()}\n"
