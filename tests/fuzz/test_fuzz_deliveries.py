"""Fuzzed deliveries through ``guidekit validate --split``, with one process and with two.

Every input line must come out byte for byte in ``accepted.jsonl`` or ``rejected.jsonl``
(a multiset of lines, each with exactly one line end), and ``-j 1`` and ``-j 2`` must agree
on the report and on the split files. The fast cases run the command in this process; the
gzip cases, which can blow up, run in a child under a memory limit."""

from __future__ import annotations

import collections
import contextlib
import gzip
import io
import os
import random
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz._deliveries import SOURCES, build, gzip_variant, piece_lines, source
from fuzz._oracle import DERANDOMIZE, assert_sane, record
from fuzz._run import guidekit
from guidekit.cli import main
from guidekit.delivery import _parallel

SPLIT = ("accepted.jsonl", "rejected.jsonl", "rejected.errors.jsonl")

delivery = st.tuples(
    st.sampled_from(SOURCES),
    st.integers(0, 2**16),  # seed
    st.integers(1, 4),  # files
    st.integers(0, 6),  # broken lines
)


def _validate(guide: Path, files: tuple[Path, ...], out: Path, jobs: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.MonkeyPatch.context() as mp:
        # small enough that a few lines are spread over both workers
        mp.setattr(_parallel, "MIN_BYTES_PER_JOB", 256)
        args = ["validate", str(guide), *map(str, files), "--split", str(out / "split")]
        args += ["-j", jobs, "--format", "json", "-o", str(out / "report.json"), "--no-progress"]
        code = main(args)
    return code, err.getvalue()


def run_delivery(name: str, seed: int, files: int, mutations: int) -> None:
    label = f"{name} seed={seed} files={files} mutations={mutations}"
    with tempfile.TemporaryDirectory(prefix="gk-fuzz-") as tmp:
        work = Path(tmp)
        d = build(work, name, seed, files, mutations)
        guide = source(name).guide
        results = {}
        for jobs in ("1", "2"):
            out = work / f"j{jobs}"
            out.mkdir()
            start = time.monotonic()
            code, err = _validate(guide, d.files, out, jobs)
            seconds = round(time.monotonic() - start, 3)
            record("delivery", label, code=code, jobs=jobs, lines=len(d.lines), seconds=seconds)
            assert code in (0, 1), f"{label} -j {jobs}: exit {code}\n{err[-3000:]}"
            assert "Traceback" not in err, label
            split = out / "split"
            blobs = {n: (split / n).read_bytes() for n in SPLIT}
            got = piece_lines(blobs["accepted.jsonl"]) + piece_lines(blobs["rejected.jsonl"])
            for n in ("accepted.jsonl", "rejected.jsonl"):
                assert not blobs[n] or blobs[n].endswith(b"\n"), f"{label}: {n} unterminated"
            assert collections.Counter(got) == collections.Counter(d.lines), (
                f"{label} -j {jobs}: split files do not hold the input lines"
            )
            assert sorted(p.name for p in split.iterdir()) == sorted(SPLIT), label
            report = (out / "report.json").read_bytes().replace(str(out).encode(), b"OUT")
            results[jobs] = (code, report, blobs)
        assert results["1"] == results["2"], f"{label}: -j 1 and -j 2 differ"


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(delivery)
def test_fuzzed_deliveries_fast(d: tuple[str, int, int, int]) -> None:
    run_delivery(*d)


@pytest.mark.slow
@settings(
    max_examples=600,
    derandomize=DERANDOMIZE,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(delivery)
def test_fuzzed_deliveries_long(fuzz_long: None, d: tuple[str, int, int, int]) -> None:
    run_delivery(*d)


def run_gzip(name: str, seed: int) -> None:
    """A compressed file, maybe corrupt or truncated, in a child under the memory limit."""
    label = f"gzip {name} seed={seed}"
    with tempfile.TemporaryDirectory(prefix="gk-fuzz-") as tmp:
        work = Path(tmp)
        d = build(work, name, seed, files=2, mutations=2)
        gz, extra = gzip_variant(d.files[0], random.Random(seed))
        files = (gz, *d.files[1:])
        run = guidekit(
            "validate",
            str(source(name).guide),
            *map(str, files),
            "--split",
            "split",
            "--no-progress",
            "-j",
            "1",
            cwd=work,
        )
        record("delivery-gzip", label, run)
        assert_sane(run, label)
        assert run.code in (0, 1), f"{label}: exit {run.code}\n{run.stderr[-2000:]}"
        assert "interrupted" not in run.stderr, label
        split = work / "split"
        if (split / "accepted.jsonl").exists():
            got = collections.Counter(
                piece_lines((split / "accepted.jsonl").read_bytes())
                + piece_lines((split / "rejected.jsonl").read_bytes())
            )
            # a corrupt member may end a file early: what comes out is still input, unchanged
            want = collections.Counter(d.lines) + collections.Counter(extra)
            assert not got - want, f"{label}: lines changed: {list(got - want)[:3]!r:.500}"


@pytest.mark.parametrize("seed", range(8))
def test_gzip_deliveries(seed: int) -> None:
    run_gzip(SOURCES[seed % len(SOURCES)], seed)


@pytest.mark.slow
@settings(
    max_examples=100,
    derandomize=DERANDOMIZE,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(st.sampled_from(SOURCES), st.integers(8, 2**16))
def test_gzip_deliveries_long(fuzz_long: None, name: str, seed: int) -> None:
    run_gzip(name, seed)


HOSTILE = ("/dev/zero", "/dev/null", "/dev/urandom", "fifo", "folder", "gzip-bomb")


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_delivery_files(kind: str) -> None:
    """Device files, a FIFO with no writer, a folder and a gzip bomb named ``*.jsonl``: a
    located finding or a usage error, in bounded time and memory."""
    label = f"hostile {kind}"
    with tempfile.TemporaryDirectory(prefix="gk-fuzz-") as tmp:
        work = Path(tmp)
        path = work / "d.jsonl"
        if kind.startswith("/dev/"):
            path.symlink_to(kind)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        else:
            path = work / "d.jsonl.gz"
            with gzip.open(path, "wb", compresslevel=9) as f:
                chunk = b"[" * (1 << 20)
                for _ in range(64):  # one 64 MB line from a ~64 KB file
                    f.write(chunk)
        run = guidekit(
            "validate",
            str(source("tickets").guide),
            str(path),
            "--split",
            "split",
            "--no-progress",
            "-j",
            "1",
            cwd=work,
        )
        record("delivery-hostile", label, run)
        assert_sane(run, label)
