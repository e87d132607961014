"""Guideline projects that used to crash, hang or take gigabytes in ``guidekit check``: each is
now exit 1 with a located diagnostic, run through the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guidekit.cli import main

BASE = """\
guidekit: 1
id: hostile
title: Hostile
version: 0.1.0
brief:
  objective: Probe the compiler.
record:
  id: image_id
  fields:
    image: {type: image}
tasks:
  objects:
    type: bbox
    over: image
    classes: CLASSES
"""
CLASSES = """
      - id: person
        examples:
          - image: {path: IMAGE, width: 10, height: 10}
            annotation: [{bbox: BOX}]
"""


def _project(
    root: Path, *, classes: str | None = None, image: str = "a.png", box: str = "[1, 1, 2, 2]"
) -> Path:
    root.mkdir(exist_ok=True)
    body = classes if classes is not None else CLASSES.replace("IMAGE", image)
    text = BASE.replace("CLASSES", body.replace("BOX", box))
    (root / "guideline.yaml").write_text(text)
    return root


def _check(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[int, str]:
    code = main(["check", str(root)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_include_of_the_project_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, _project(tmp_path, classes="{include: .}"))
    assert code == 1
    assert "guideline.yaml:15:" in out and "GK101" in out and "is a folder" in out


def test_nul_byte_in_an_include(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, _project(tmp_path, classes='{include: "a\\0b.yaml"}'))
    assert code == 1
    assert "GK110 include path contains a NUL byte" in out


def test_nul_byte_in_an_image_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, _project(tmp_path, image='"a\\0b.png"'))
    assert code == 1
    assert "GK314" in out and "contains a NUL byte" in out


@pytest.mark.parametrize("where", ["include", "image"])
def test_a_300_character_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    name = "a" * 300
    if where == "include":
        root = _project(tmp_path, classes=f"{{include: {name}.yaml}}")
    else:
        root = _project(tmp_path, image=f"{name}.png")
    code, out = _check(capsys, root)
    assert code == 1
    assert "file name too long" in out


def test_a_polygon_point_beyond_float_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _check(capsys, _project(tmp_path, box=f"[1, 1, 2, {10**400}]"))
    assert code == 1
    assert "guideline.yaml:19:" in out and "GK103 number too large" in out


@pytest.mark.parametrize("kind", ["fifo", "device", "fifo-include"])
def test_devices_and_fifos_are_refused_before_opening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    tmp_path.mkdir(exist_ok=True)
    if kind == "fifo":
        os.mkfifo(tmp_path / "f.png")
        root = _project(tmp_path, image="f.png")
    elif kind == "device":
        (tmp_path / "dev.png").symlink_to("/dev/zero")
        root = _project(tmp_path, image="dev.png")
    else:
        os.mkfifo(tmp_path / "f.yaml")
        root = _project(tmp_path, classes="{include: f.yaml}")
    code, out = _check(capsys, root)  # used to block forever (or read /dev/zero)
    assert code == 1
    assert "GK314" in out or "GK101" in out
    if kind != "device":  # the symlink to /dev/zero is already outside the project
        assert "is not a regular file" in out


def test_the_guideline_file_itself_a_fifo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "guideline.yaml")
    code, out = _check(capsys, tmp_path)
    assert code == 1
    assert "GK101" in out and "is not a regular file" in out


def _diamond(root: Path, levels: int, leaf_bytes: int) -> Path:
    _project(root, classes="{include: f0.yaml}")
    for i in range(levels):
        (root / f"f{i}.yaml").write_text(
            f"- {{include: f{i + 1}.yaml}}\n- {{include: f{i + 1}.yaml}}\n"
        )
    entries, size = [], 0
    while size < leaf_bytes:
        line = f"- id: class_{len(entries)}\n  definition: words that describe the class\n"
        entries.append(line)
        size += len(line)
    (root / f"f{levels}.yaml").write_text("".join(entries))
    return root


def test_include_diamond_is_refused_fast(tmp_path: Path) -> None:
    # 1,024 loads of a 1 MB file: used to run for minutes and take gigabytes
    root = _diamond(tmp_path, 10, 1_000_000)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "guidekit", "check", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    elapsed = time.perf_counter() - started
    assert proc.returncode == 1, proc.stderr
    assert "GK106" in proc.stdout + proc.stderr
    assert elapsed < 20  # about 1 s alone; generous for a loaded CI machine


def test_a_file_included_twice_is_still_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _diamond(tmp_path, 2, 200)
    code, out = _check(capsys, root)
    assert "GK106" not in out and "GK107" not in out
    assert code in (0, 1)


def test_aliases_expanding_to_too_much_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    many = "".join(f"      - {{id: c{i}, definition: *d}}\n" for i in range(70_000))
    classes = '\n      - id: person\n        definition: &d "' + "x" * 1000 + '"\n' + many
    code, out = _check(capsys, _project(tmp_path, classes=classes))
    assert code == 1
    assert "GK107 the document expands to too much text" in out


def test_a_mapping_with_too_many_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    with (root / "guideline.yaml").open("a") as f:
        f.write("extra:\n" + "".join(f"  k{i}: 1\n" for i in range(100_001)))
    code, out = _check(capsys, root)
    assert code == 1
    assert "GK107 a mapping with more than 100000 keys" in out


EMAIL_PROJECT = """\
guidekit: 1
id: mail
title: Mail
version: 0.1.0
brief:
  objective: Probe the lint.
record:
  id: ticket_id
  fields:
    text: {type: text}
tasks:
  intent:
    type: single
    classes:
      - id: billing
        definition: Questions about invoices and payments.
        examples:
          - text: "TEXT"
governance:
  levels: [public, internal]
  audiences: {annotator: internal}
"""


@pytest.mark.parametrize(
    "text", ["a" * 80_000, "a." * 40_000, "x@" + "a." * 40_000, "a@" * 40_000 + "b@c.org"]
)
def test_the_email_lint_is_linear(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    # an 80,000-character example used to take 15 s (the e-mail regex retried every offset)
    (tmp_path / "guideline.yaml").write_text(EMAIL_PROJECT.replace("TEXT", text))
    started = time.perf_counter()
    code, out = _check(capsys, tmp_path)
    assert time.perf_counter() - started < 2
    assert ("GK406" in out) == text.endswith(".org")
    assert code == 0


def test_minhash_similarity_join_runs_on_bounded_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    # the occurrences x 100 hashes matrix (here 30,000 x 100 x 8 bytes = 24 MB) ended in
    # MemoryError on a 63 MB taxonomy; one band over one chunk at a time needs far less
    import random
    import tracemalloc

    from guidekit.compiler import lint

    monkeypatch.setattr(lint, "_MINHASH_CHUNK", 2000, raising=False)
    rnd = random.Random(7)
    words = [f"word{i}" for i in range(100_000)]
    texts = [(f"c{i}", " ".join(rnd.sample(words, 10))) for i in range(3000)]
    texts.append(("twin", texts[0][1]))
    tracemalloc.start()
    try:
        pairs = list(lint.similar_pairs(texts, 0.8))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ("c0", "twin", 1.0) in pairs
    assert peak < 25_000_000  # 60 MB before


def test_a_project_path_too_long_for_the_file_system(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _check(capsys, tmp_path / ("a" * 300))
    assert code == 1
    assert "GK001" in out and "too long" in out


def test_a_fifo_named_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "g.yaml")
    code, out = _check(capsys, tmp_path / "g.yaml")
    assert code == 1
    assert "GK001" in out and "not a regular file" in out
