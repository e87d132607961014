"""Defects the fuzzers found that issue #13 did not list, each as the smallest input that
shows it, run through the ``guidekit`` command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fuzz._projects import GUIDELINES
from guidekit.cli import main
from guidekit.delivery import _parallel

TICKETS = Path(__file__).resolve().parents[1] / "fixtures" / "delivery" / "tickets"
BATCH = TICKETS.parent / "tickets-batch.jsonl"
BOM = b"\xef\xbb\xbf"


def _report(tmp_path: Path, name: str, *args: str) -> tuple[int, dict[str, object]]:
    out = tmp_path / f"{name}.json"
    code = main(["validate", *args, "--format", "json", "-o", str(out), "--no-progress"])
    return code, json.loads(out.read_text())


def test_a_byte_order_mark_inside_a_file_is_the_same_finding_with_two_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's range starting at a line with a BOM took it for the start of the file:
    ``-j 2`` accepted the record with a GK504 warning where ``-j 1`` rejected it (GK501)."""
    monkeypatch.setattr(_parallel, "MIN_BYTES_PER_JOB", 64)
    lines = BATCH.read_bytes().splitlines(keepends=True)
    path = tmp_path / "d.jsonl"
    # the second half of the file starts at the line with the BOM
    path.write_bytes(lines[0] + BOM + b'{"ticket_id": "T-X"}\n')
    assert path.stat().st_size // 2 < len(lines[0])
    c1, one = _report(tmp_path, "one", str(TICKETS), str(path), "-j", "1")
    c2, two = _report(tmp_path, "two", str(TICKETS), str(path), "-j", "2")
    assert (c1, one) == (c2, two)
    codes = [g["code"] for g in one["groups"]]  # type: ignore[index, union-attr]
    assert "GK504" not in codes and "GK501" in codes


def test_a_deep_array_on_a_line_with_nan_is_a_finding_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The NaN/Infinity probe re-parsed the line with ``json``, which raised RecursionError."""
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"n": NaN, "a": ' + b"[" * 2000 + b"]" * 2000 + b"}\n")
    code, report = _report(tmp_path, "r", str(TICKETS), str(path), "-j", "1")
    assert code == 1
    assert "Traceback" not in capsys.readouterr().err
    assert [g["code"] for g in report["groups"]] == ["GK501"]  # type: ignore[index, union-attr]


def test_a_control_character_in_yaml_is_located_on_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PyYAML's reader error (a NUL, an escape byte) came out as GK103 with no line."""
    root = tmp_path / "p"
    shutil.copytree(GUIDELINES / "support-tickets", root)
    path = root / "taxonomy" / "urgency.yaml"
    text = path.read_bytes().splitlines(keepends=True)
    text[2] = text[2].rstrip(b"\n") + b" \x00\n"
    path.write_bytes(b"".join(text))
    assert main(["check", "--format", "json", str(root)]) == 1
    report = json.loads(capsys.readouterr().out)
    [d] = report["diagnostics"]
    assert d["code"] == "GK103"
    assert d["location"]["file"].endswith("taxonomy/urgency.yaml")
    assert (d["location"]["line"], d["location"]["column"]) == (3, len(text[2]) - 1)


def test_a_tree_mutation_after_a_billion_laughs_stays_small(tmp_path: Path) -> None:
    """The fuzzer's own defect, found by CI's long run: ``yaml_alias`` (9**8 nodes behind
    eight aliases) followed by ``tree_swap`` walked every node in the test process and was
    killed for memory (exit 137). Shared containers are now walked once, at most NODE_CAP."""
    import resource

    from fuzz._projects import NODE_CAP, PROJECTS, _nodes, mutate

    root = tmp_path / PROJECTS[0]
    shutil.copytree(GUIDELINES / PROJECTS[0], root)
    mutate(root, "yaml_alias", 4)  # seed 4: the deepest bomb, eight levels
    assert b"x-i: &i [" in (root / "guideline.yaml").read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    mutate(root, "tree_swap", 1)
    mutate(root, "tree_retype", 1)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 200_000, f"the test process grew by {grown_kb} kB"
    laughs: list[object] = ["lol"] * 9
    for _ in range(9):
        laughs = [laughs] * 9
    assert 9 <= len(_nodes({"x": laughs})) <= NODE_CAP


def test_an_image_size_beyond_a_float_is_a_finding_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by CI's long delivery fuzz (manufacturing-defects, seed 1979): an image width of
    400 digits passed the fast path's struct (an unbounded int) and overflowed in
    ``float(im.width)``: exit 3. The fast path now bounds image sizes and hands any
    arithmetic overflow to the full checker, which says GK506."""
    from fuzz._deliveries import _factory_lines

    line = json.loads(_factory_lines("manufacturing-defects", 1)[0])
    line["image"] = {"path": line["image"], "width": 640, "height": 480}
    raw = json.dumps(line).replace('"height": 480', '"height": 1' + "1" * 400, 1)
    path = tmp_path / "d.jsonl"
    path.write_text(raw + "\n")
    guide = GUIDELINES / "manufacturing-defects"
    out = tmp_path / "report.json"
    code = main(["validate", str(guide), str(path), "--format", "json", "-o", str(out), "-j", "1"])
    assert code == 1, capsys.readouterr().err
    report = json.loads(out.read_text())
    assert "GK506" in {g["code"] for g in report["groups"]}
