"""The YAML loader: positions, safety limits, includes."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest

from guidekit.compiler.resolve import resolve_file, resolve_text
from guidekit.errors import GuidekitError


def test_positions_of_values_and_keys() -> None:
    doc = resolve_text("a:\n  b: [1, two]\n  c: {d: x}\n")
    assert doc.data == {"a": {"b": [1, "two"], "c": {"d": "x"}}}
    loc = doc.source.locate(("a", "b", 1))
    assert (loc.line, loc.column) == (2, 10)
    key = doc.source.locate(("a", "c"), key=True)
    assert (key.line, key.column) == (3, 3)
    # unknown trailing elements fall back to the nearest located ancestor
    assert doc.source.locate(("a", "c", "zzz", 4)).path == ("a", "c")


def test_yaml_11_scalars_and_dates_stay_as_written() -> None:
    doc = resolve_text("a: yes\nb: 0x1F\nc: 2024-01-02\nd: '1.0'\ne: ~\nf: 1.5\n")
    assert doc.data == {"a": True, "b": 31, "c": "2024-01-02", "d": "1.0", "e": None, "f": 1.5}


def test_merge_keys() -> None:
    doc = resolve_text("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")
    assert doc.data["other"] == {"x": 1, "y": 3}


def test_all_duplicate_keys_are_reported() -> None:
    with pytest.raises(GuidekitError) as err:
        resolve_text("a: 1\nb: 2\na: 3\nc: {x: 1, x: 2}\n")
    assert [d.check_tuple() for d in err.value.diagnostics] == [
        ("GK105", 3, 1),
        ("GK105", 4, 11),
    ]


def test_recursive_alias() -> None:
    with pytest.raises(GuidekitError) as err:
        resolve_text("a: &a [1, *a]\n")
    assert err.value.diagnostics[0].code == "GK106"


def test_billion_laughs_fails_fast_and_small() -> None:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        refs = ",".join([f"*l{i - 1}"] * 10)
        lines.append(f"l{i}: &l{i} [{refs}]")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    with pytest.raises(GuidekitError) as err:
        resolve_text("\n".join(lines) + "\n")
    assert err.value.diagnostics[0].code == "GK106"
    # not a timing assertion of the suite's speed: a guard that expansion never happened
    assert time.process_time() - start < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB


def test_custom_tags_and_documents_are_refused() -> None:
    for text, code in [
        ("a: !!python/object:os.system x\n", "GK111"),
        ("a: !custom 1\n", "GK111"),
        ("a: 1\n---\nb: 2\n", "GK111"),
        ("? [a, b]\n: 1\n", "GK111"),
    ]:
        with pytest.raises(GuidekitError) as err:
            resolve_text(text)
        assert err.value.diagnostics[0].code == code, text


def test_syntax_and_tab_errors_are_located() -> None:
    with pytest.raises(GuidekitError) as err:
        resolve_text("a:\n\tb: 1\n")
    assert err.value.diagnostics[0].check_tuple()[:2] == ("GK104", 2)
    with pytest.raises(GuidekitError) as err:
        resolve_text("a: [1, 2\nb: 3\n")
    assert err.value.diagnostics[0].code == "GK103"
    assert err.value.diagnostics[0].location.line is not None


def _project(tmp_path: Path, main: str, files: dict[str, str]) -> Path:
    (tmp_path / "guideline.yaml").write_text(main)
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return tmp_path


def test_include_positions_point_into_the_included_file(tmp_path: Path) -> None:
    root = _project(tmp_path, "a:\n  b: {include: sub/x.yaml}\n", {"sub/x.yaml": "- 1\n- k: v\n"})
    doc = resolve_file(root)
    assert doc.data == {"a": {"b": [1, {"k": "v"}]}}
    loc = doc.source.locate(("a", "b", 1, "k"))
    assert (loc.file, loc.line, loc.column) == ("sub/x.yaml", 2, 6)


def test_nested_include_is_relative_to_the_including_file(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "a: {include: sub/x.yaml}\n",
        {"sub/x.yaml": "b: {include: y.yaml}\n", "sub/y.yaml": "42\n"},
    )
    assert resolve_file(root).data == {"a": {"b": 42}}


@pytest.mark.parametrize("target", ["../outside.yaml", "/etc/passwd", "sub/../../x.yaml"])
def test_include_cannot_escape(tmp_path: Path, target: str) -> None:
    proj = tmp_path / "proj"
    proj.mkdir()
    (tmp_path / "outside.yaml").write_text("secret: 1\n")
    _project(proj, f"a: {{include: '{target}'}}\n", {})
    with pytest.raises(GuidekitError) as err:
        resolve_file(proj)
    assert err.value.diagnostics[0].code == "GK108"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this platform")
def test_include_cannot_escape_through_a_symlink(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    proj.mkdir()
    (tmp_path / "outside.yaml").write_text("secret: 1\n")
    (proj / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    _project(proj, "a: {include: link.yaml}\n", {})
    with pytest.raises(GuidekitError) as err:
        resolve_file(proj)
    assert err.value.diagnostics[0].code == "GK108"
    assert "symbolic link" in err.value.diagnostics[0].message


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    from guidekit.compiler.yamlfile import read_text

    (tmp_path / "guideline.yaml").write_text("a: 1234567890\n")
    with pytest.raises(GuidekitError) as err:
        read_text(tmp_path / "guideline.yaml", "guideline.yaml", max_bytes=10)
    assert err.value.diagnostics[0].code == "GK107"
