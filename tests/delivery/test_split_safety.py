"""``--split`` cannot corrupt: one line end per record, final names only for a finished run."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from delivery.conftest import FIXTURES
from guidekit.cli import main
from guidekit.delivery import _parallel
from guidekit.delivery.stream import Engine

GUIDE = str(FIXTURES / "tickets")
BATCH = FIXTURES / "tickets-batch.jsonl"


def _unterminated_files(tmp_path: Path, repeat: bool) -> list[Path]:
    """Three files, none ending with a newline (``head -3 all.jsonl | head -c -1 > a.jsonl``);
    with ``repeat`` the last file repeats an id, so the split is routed again in pass 2."""
    lines = BATCH.read_bytes().splitlines(keepends=True)
    # lines 1, 2, 4, 8, 9, 10 are clean: every file ends in a record that is accepted
    last = lines[0:1] if repeat else lines[9:10]
    parts = [lines[0:2], lines[3:4] + lines[7:8], lines[8:9] + last]
    files = []
    for name, chunk in zip("abc", parts, strict=True):
        path = tmp_path / f"{name}.jsonl"
        path.write_bytes(b"".join(chunk)[:-1])  # drop the last newline
        files.append(path)
    return files


@pytest.mark.parametrize("repeat", [False, True], ids=["one-pass", "two-passes"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_files_without_a_final_newline_never_join_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str, repeat: bool
) -> None:
    monkeypatch.setattr(_parallel, "MIN_BYTES_PER_JOB", 200)
    files = _unterminated_files(tmp_path, repeat)
    out = tmp_path / "split"
    code = main(["validate", GUIDE, *map(str, files), "--split", str(out), "-j", jobs])
    assert code in (0, 1)
    accepted = (out / "accepted.jsonl").read_bytes()
    rejected = (out / "rejected.jsonl").read_bytes()
    want = collections.Counter(line for f in files for line in f.read_bytes().splitlines())
    got = collections.Counter(accepted.splitlines() + rejected.splitlines())
    assert got == want
    assert all(x.endswith(b"\n") for x in (accepted, rejected) if x)
    assert not list(out.glob("*.partial"))


def test_an_interrupted_run_leaves_nothing_that_looks_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "split"
    # a finished split from an earlier run must not pass for this run's result
    assert main(["validate", GUIDE, str(BATCH), "--split", str(out)]) == 1
    assert (out / "accepted.jsonl").exists()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Engine, "_report", interrupted)
    code = main(["validate", GUIDE, str(BATCH), "--split", str(out)])
    assert code == 130
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "accepted.jsonl.partial",
        "rejected.errors.jsonl.partial",
        "rejected.jsonl.partial",
        "split.incomplete.txt",
    ]
    note = (out / "split.incomplete.txt").read_text()
    assert "interrupted" in note and "20 records" in note
    assert "Traceback" not in capsys.readouterr().err

    # the next complete run cleans up after itself
    monkeypatch.undo()
    assert main(["validate", GUIDE, str(BATCH), "--split", str(out)]) == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "accepted.jsonl",
        "rejected.errors.jsonl",
        "rejected.jsonl",
    ]
