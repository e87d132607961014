"""Issue 13, part 2: guidekit never touches what it did not write.

Every command that writes an output folder is run through the CLI into a folder holding a
user's files, sub-folders and a symbolic link: it is refused and nothing changes; with
``--force`` only guidekit's files are written; a re-run is idempotent and removes only the
stale files guidekit's marker lists. Single files (reports, migrate, init) are replaced
atomically, keep their mode and are never written through a link.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import GUIDELINES
from guidekit.cli import main
from guidekit.outputs import MARKER, atomic_open

ST = GUIDELINES / "support-tickets"
BRIDGES = Path(__file__).resolve().parent.parent / "fixtures" / "bridges"
IMAGES_DELIVERY = '{"image_id": "a", "image": "a.jpg", "objects": []}\n'

Snapshot = dict[str, tuple[str, bytes, int]]


def snapshot(root: Path) -> Snapshot:
    """Every entry under ``root``: kind, bytes (a link's target) and mode; links not followed."""
    found: Snapshot = {}
    for dirpath, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                found[rel] = ("link", os.readlink(path).encode(), 0)
            elif stat.S_ISDIR(st.st_mode):
                found[rel] = ("dir", b"", stat.S_IMODE(st.st_mode))
            else:
                found[rel] = ("file", path.read_bytes(), stat.S_IMODE(st.st_mode))
    return found


def user_folder(tmp_path: Path) -> tuple[Path, Path]:
    """A folder of a user's: a file, ``docs/``, ``site/``, ``overrides/`` with files, and a
    link to a folder outside (which must never be written to)."""
    out = tmp_path / "out"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep\n", encoding="utf-8")
    for rel, text in {
        "notes.txt": "my notes\n",
        "docs/index.md": "# my docs\n",
        "docs/guide/setup.md": "# setup\n",
        "site/index.html": "<p>my site</p>\n",
        "overrides/main.html": "{# mine #}\n",
    }.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (out / "notes.txt").chmod(0o640)
    (out / "elsewhere").symlink_to(outside, target_is_directory=True)
    return out, outside


def _build(*args: str) -> list[str]:
    return ["build", str(ST), *args]


def _export(fmt: str, project: str, tmp_path: Path) -> list[str]:
    delivery = tmp_path / "d.jsonl"
    delivery.write_text(IMAGES_DELIVERY, encoding="utf-8")
    return ["export", str(BRIDGES / project), str(delivery), "--format", fmt]


WRITERS = {
    "build-handbook": lambda tmp: _build("-t", "handbook"),
    "build-handbook-no-site": lambda tmp: _build("-t", "handbook", "--no-site"),
    "build-schema": lambda tmp: _build("-t", "schema"),
    "build-models": lambda tmp: _build("-t", "models"),
    "build-labelstudio": lambda tmp: _build("-t", "labelstudio"),
    "build-cvat": lambda tmp: _build("-t", "cvat"),
    "build-argilla": lambda tmp: _build("-t", "argilla"),
    "build-all": lambda tmp: _build("--no-site"),
    "export-yolo": lambda tmp: _export("yolo", "yolo-doors", tmp),
    "export-voc": lambda tmp: _export("voc", "voc-objects", tmp),
}


def _out_option(argv: list[str], out: Path) -> list[str]:
    return [*argv, "--out" if argv[0] == "export" else "-o", str(out)]


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_folder_guidekit_did_not_write(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, outside = user_folder(tmp_path)
    argv = _out_option(WRITERS[name](tmp_path), out)
    before, before_outside = snapshot(out), snapshot(outside)

    # (a) refused, nothing changed
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "GK010" in err and str(out) in err and "--force" in err and "notes.txt" in err
    assert snapshot(out) == before and snapshot(outside) == before_outside

    # (b) --force: guidekit's files written, every other file as it was, nothing deleted
    assert main([*argv, "--force"]) == 0
    capsys.readouterr()
    ours = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    assert ours and all((out / rel).is_file() for rel in ours)
    after = snapshot(out)
    for rel, entry in before.items():
        assert rel in after, f"{rel} was deleted"
        if rel not in ours:
            assert after[rel] == entry, f"{rel} was changed"
    assert snapshot(outside) == before_outside
    assert not [p for p in out.iterdir() if p.name.startswith(".guidekit-tmp-")]

    # (c) a re-run: idempotent; a stale file the marker lists goes, the user's files stay
    stale = out / "stale" / "old.txt"
    stale.parent.mkdir()
    stale.write_text("from an older build\n", encoding="utf-8")
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    (out / MARKER).write_text(
        json.dumps({**marker, "files": [*marker["files"], "stale/old.txt", "../escape.txt"]}),
        encoding="utf-8",
    )
    (tmp_path / "escape.txt").write_text("not guidekit's\n", encoding="utf-8")
    assert main(argv) == 0
    capsys.readouterr()
    assert not stale.exists() and not stale.parent.exists()
    assert "stale/old.txt" not in (out / MARKER).read_text(encoding="utf-8")
    assert (tmp_path / "escape.txt").exists()  # a marker cannot point outside the folder
    assert snapshot(out) == after
    assert snapshot(outside) == before_outside


def test_a_new_folder_is_claimed_and_a_rebuild_replaces_only_guidekits_files(
    tmp_path: Path,
) -> None:
    out = tmp_path / "new"
    assert main(_build("-t", "schema", "-o", str(out))) == 0
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert marker["tool"] == "guidekit" and marker["target"] == "schema"
    assert marker["files"] == ["support-tickets.record.schema.json"]
    mine = out / "README.md"
    mine.write_text("mine\n", encoding="utf-8")
    (out / marker["files"][0]).chmod(0o600)
    assert main(_build("-t", "schema", "-o", str(out))) == 0
    assert mine.read_text(encoding="utf-8") == "mine\n"
    assert stat.S_IMODE((out / marker["files"][0]).stat().st_mode) == 0o600  # mode kept


def test_a_user_file_where_guidekit_writes_needs_force_even_in_its_own_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cfg"
    assert main(_build("-t", "argilla", "-o", str(out))) == 0
    (out / MARKER).write_text(
        json.dumps({"tool": "guidekit", "target": "argilla", "files": []}), encoding="utf-8"
    )
    (out / "argilla-settings.json").write_text("mine\n", encoding="utf-8")
    assert main(_build("-t", "argilla", "-o", str(out))) == 1
    assert "not written by guidekit" in capsys.readouterr().err
    assert (out / "argilla-settings.json").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("force", [False, True])
def test_a_link_where_guidekit_writes_is_refused_even_with_force(
    force: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "hb"
    out.mkdir()
    (out / "docs").symlink_to(outside, target_is_directory=True)
    argv = _build("-t", "handbook", "--no-site", "-o", str(out), *(["--force"] if force else []))
    assert main(argv) == 1
    assert "GK010" in capsys.readouterr().err
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in out.iterdir()) == ["docs"]


def test_a_failed_build_leaves_the_folder_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hb"
    assert main(_build("-t", "handbook", "--no-site", "-o", str(out))) == 0
    before = snapshot(out)
    assert main(_build("-t", "handbook", "--no-site", "-o", str(out), "-a", "nobody")) == 1
    assert "GK011" in capsys.readouterr().err
    assert snapshot(out) == before
    fresh = tmp_path / "fresh"
    assert main(_build("-t", "handbook", "--no-site", "-o", str(fresh), "-a", "nobody")) == 1
    assert not fresh.exists()


def _git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
    }
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def test_build_out_dot_in_a_clone_deletes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reported disaster: ``guidekit build -o .`` in a clone deleted tracked files under
    ``site/`` (and would have under ``docs/`` and ``overrides/``), and exited 0."""
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q")
    for rel in ("README.md", "site/docs/a.md", "site/mkdocs.yml", "docs/b.md", "overrides/c.html"):
        (origin / rel).parent.mkdir(parents=True, exist_ok=True)
        (origin / rel).write_text(f"{rel}\n", encoding="utf-8")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-qm", "x")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(origin), str(clone))
    monkeypatch.chdir(clone)
    before = snapshot(clone)
    assert main(_build("-t", "handbook", "-o", ".")) == 1
    err = capsys.readouterr().err
    assert "GK010" in err and "not empty" in err
    assert err.startswith(".: GK010 output folder '.' ")  # spelled as given, not in the project
    assert _git(clone, "status", "--porcelain") == ""
    assert snapshot(clone) == before
    # with --force the tracked files are still all there (some overwritten, none deleted)
    assert main(_build("-t", "handbook", "--no-site", "-o", ".", "--force")) == 0
    assert " D " not in _git(clone, "status", "--porcelain")
    assert all((clone / rel).exists() for rel in ("site/docs/a.md", "docs/b.md", "README.md"))


# -- single files ---------------------------------------------------------------------------


def test_a_report_file_is_replaced_atomically_and_keeps_its_mode(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("old\n", encoding="utf-8")
    report.chmod(0o640)
    assert main(["check", str(ST), "--format", "json", "-o", str(report)]) == 0
    assert json.loads(report.read_text(encoding="utf-8")) is not None
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temp file left


def test_a_report_is_not_written_through_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.txt"
    target.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    assert main(["check", str(ST), "--format", "json", "-o", str(link)]) == 1
    assert "GK010" in capsys.readouterr().err
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep\n"


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"old\n")
    with pytest.raises(RuntimeError), atomic_open(path) as sink:
        sink.write(b"half")
        raise RuntimeError
    assert path.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.jsonl"]


def _migrate_fixture(tmp_path: Path) -> Path:
    delivery = tmp_path / "batch.jsonl"
    delivery.write_text(
        '{"ticket_id": "t1", "text": "hi", "intent": "billing", "guideline_version": "2.3.0"}\n',
        encoding="utf-8",
    )
    delivery.chmod(0o644)
    return delivery


@pytest.mark.parametrize("how", ["in-place", "output-is-input"])
def test_migrate_over_its_input_keeps_the_mode(how: str, tmp_path: Path) -> None:
    delivery = _migrate_fixture(tmp_path)
    where = ["--in-place"] if how == "in-place" else ["-o", str(delivery)]
    code = main(["migrate", str(delivery), "--from", str(ST), "--to", str(ST), *where])
    assert code in (0, 1)
    assert stat.S_IMODE(delivery.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch.jsonl"]


def test_migrate_in_place_refuses_a_linked_delivery(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = _migrate_fixture(tmp_path)
    link = tmp_path / "linked.jsonl"
    link.symlink_to(real)
    before = real.read_bytes()
    assert main(["migrate", str(link), "--from", str(ST), "--to", str(ST), "--in-place"]) == 1
    assert "GK010" in capsys.readouterr().err
    assert link.is_symlink() and real.read_bytes() == before


def test_init_force_never_writes_through_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("precious: true\n", encoding="utf-8")
    project = tmp_path / "proj"
    project.mkdir()
    (project / "guideline.yaml").symlink_to(outside)
    (project / "mine.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(project)
    assert main(["init", str(project), "--force"]) == 1
    assert "GK010" in capsys.readouterr().err
    assert outside.read_text(encoding="utf-8") == "precious: true\n"
    assert snapshot(project) == before


def test_init_force_replaces_only_the_template_files_and_keeps_modes(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "guideline.yaml").write_text("old\n", encoding="utf-8")
    (project / "guideline.yaml").chmod(0o600)
    (project / "mine.txt").write_text("mine\n", encoding="utf-8")
    assert main(["init", str(project), "--force"]) == 0
    assert (project / "guideline.yaml").read_text(encoding="utf-8") != "old\n"
    assert stat.S_IMODE((project / "guideline.yaml").stat().st_mode) == 0o600
    assert (project / "mine.txt").read_text(encoding="utf-8") == "mine\n"
    assert not [p for p in project.iterdir() if p.name.startswith(".guidekit")]


def test_export_to_a_file_keeps_its_mode_and_refuses_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _export("coco", "yolo-doors", tmp_path)
    out = tmp_path / "coco.json"
    out.write_text("{}\n", encoding="utf-8")
    out.chmod(0o640)
    assert main([*argv, "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text(encoding="utf-8") != "{}\n"
    link = tmp_path / "linked.json"
    link.symlink_to(tmp_path / "d.jsonl")
    before = (tmp_path / "d.jsonl").read_bytes()
    assert main([*argv, "--out", str(link)]) == 1
    assert "GK010" in capsys.readouterr().err
    assert (tmp_path / "d.jsonl").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".guidekit")]


def test_snapshot_sees_modes_and_links(tmp_path: Path) -> None:
    """The snapshot the tests above compare would notice a change of mode or link."""
    (tmp_path / "f").write_text("x", encoding="utf-8")
    (tmp_path / "l").symlink_to("f")
    a = snapshot(tmp_path)
    (tmp_path / "f").chmod(0o600)
    assert snapshot(tmp_path) != a
    shutil.rmtree(tmp_path / "l", ignore_errors=True)
    (tmp_path / "l").unlink()
    (tmp_path / "l").symlink_to("g")
    assert snapshot(tmp_path)["l"] == ("link", b"g", 0)


def _pilot(tmp_path: Path) -> Path:
    from quality.conftest import pilot

    path = tmp_path / "pilot.jsonl"
    path.write_text(
        "".join(json.dumps(r) + "\n" for r in pilot(seed=5, items=40, annotators=3)),
        encoding="utf-8",
    )
    return path


def _quality_writers(tmp_path: Path) -> dict[str, list[str]]:
    from quality.conftest import FIXTURE

    records = str(_pilot(tmp_path))
    return {
        "calibrate --suggest-edge-cases": [
            "calibrate", str(FIXTURE), records, "-t", "intent", "--suggest-edge-cases"
        ],
        "audit sample -o": ["audit", "sample", str(FIXTURE), records, "--seed", "3", "-o"],
        "audit sample --template": [
            "audit", "sample", str(FIXTURE), records, "--seed", "3", "--template"
        ],
        "agreement -o": ["agreement", str(FIXTURE), records, "-o"],
    }  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        "calibrate --suggest-edge-cases",
        "audit sample -o",
        "audit sample --template",
        "agreement -o",
    ],
)
def test_quality_outputs_keep_their_mode_and_refuse_a_link(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _quality_writers(tmp_path)[name]
    out = tmp_path / "written.out"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    assert main([*argv, str(out)]) == 0
    assert out.read_text(encoding="utf-8") != "old\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    real = tmp_path / "real.txt"
    real.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "link.out"
    link.symlink_to(real)
    capsys.readouterr()
    assert main([*argv, str(link)]) == 1
    assert "GK010" in capsys.readouterr().err
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "keep\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
