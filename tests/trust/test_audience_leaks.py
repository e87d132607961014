"""No output of ``guidekit build`` carries text above its audience's clearance.

Every target of :func:`guidekit.generators.names` is built for every audience of a guideline
with a unique marker in every text field at every sensitivity level (:mod:`trust.leaky`), and
every byte of every file written is scanned for the markers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guidekit import generators
from guidekit.audience import for_audience
from guidekit.cli import main
from guidekit.compiler.pipeline import load
from plugins.conftest import Install
from versioning.helpers import Git

from .leaky import AUDIENCES, HOLDOUT, MARKERS, allowed, write_leaky

#: field kinds no build target writes at any level (the task's own change notes feed only
#: ``guidekit diff``; evaluation items are the answers, read by ``guidekit eval`` only); every
#: other kind must show up somewhere, or the scan proves nothing
UNWRITTEN = {"task_change_note", "evaluation_record", "evaluation_note"}


def _found(out: Path) -> set[str]:
    """The markers in any file under ``out`` (case-insensitive: a tool may fold case), and
    the held-out item's text, which no audience may see."""
    found: set[str] = set()
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes().upper()
            if path.suffix == ".pdf":  # compressed: scan the text a reader sees
                data += _pdf_text(path)
            found |= {m for m in (*MARKERS, HOLDOUT) if m.encode() in data}
    return found


def _pdf_text(path: Path) -> bytes:
    """The text of every page of a PDF, upper-cased, without whitespace (a long marker
    may be broken across lines)."""
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", "", text).upper().encode()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str | None], set[str]]:
    """``{(target, audience): markers found in its output}``, built through the CLI."""
    root = tmp_path_factory.mktemp("leaks")
    project = write_leaky(root / "leaky")
    found: dict[tuple[str, str | None], set[str]] = {}
    for target in generators.names():
        for audience in AUDIENCES:
            out = root / f"{target}-{audience}"
            who = ["--audience", audience] if audience else []
            assert main(["build", str(project), "-t", target, "-o", str(out), *who]) == 0
            found[target, audience] = _found(out)
    return found


@pytest.mark.parametrize("audience", [a for a in AUDIENCES if a is not None])
@pytest.mark.parametrize("target", generators.names())
def test_no_marker_above_the_clearance(
    builds: dict[tuple[str, str | None], set[str]], target: str, audience: str
) -> None:
    leaks = builds[target, audience] - allowed(audience)
    assert sorted(f"{m} {MARKERS.get(m, ('any', 'held-out item'))}" for m in leaks) == []


@pytest.mark.parametrize("audience", [a for a in AUDIENCES if a is not None])
@pytest.mark.parametrize("target", generators.names())
def test_what_the_audience_may_read_is_still_written(
    builds: dict[tuple[str, str | None], set[str]], target: str, audience: str
) -> None:
    # filtering takes out what is above the clearance, and nothing else
    everything = builds[target, None]
    assert everything, f"{target} writes no text of the guideline: the scan proves nothing"
    assert builds[target, audience] == everything & allowed(audience)


def test_every_field_kind_at_every_level_reaches_some_output(
    builds: dict[tuple[str, str | None], set[str]],
) -> None:
    written = set().union(*(builds[t, None] for t in generators.names()))
    missing = {MARKERS[m] for m in set(MARKERS) - written if MARKERS[m][1] not in UNWRITTEN}
    assert missing == set()
    assert {level for level, _ in MARKERS.values()} == {"public", "internal", "confidential"}


def test_the_filtered_ir_holds_nothing_above_the_clearance(tmp_path: Path) -> None:
    g = load(write_leaky(tmp_path / "leaky"))
    assert {m for m in MARKERS if m in repr(g).upper()} == set(MARKERS)
    for audience in ("vendor", "annotator"):
        view = for_audience(g, audience)
        text = repr(view).upper()
        assert {m for m in MARKERS if m in text} == allowed(audience)
        # ids stay, so tools and deliveries can still name a restricted class
        assert [c.id for c in view.tasks["single_conf"].classes] == [
            c.id for c in g.tasks["single_conf"].classes
        ]
        assert view.tasks["single_conf"]["single_conf_conf"].name == "single_conf_conf"
        assert for_audience(view, audience) == view
        # a held-out evaluation item is seen by no audience, however high its clearance
        assert HOLDOUT not in text


def test_evaluation_items_reach_only_cleared_audiences(tmp_path: Path) -> None:
    g = load(write_leaky(tmp_path / "leaky"))
    everything = {i.id for i in g.evaluation.items}
    assert {"EV-internal", "EV-holdout"} <= everything
    seen = {a: {i.id for i in for_audience(g, a).evaluation.items} for a in AUDIENCES if a}
    assert seen["vendor"] == set()  # public clearance: the answers are internal
    assert "EV-internal" in seen["annotator"] and "EV-holdout" not in seen["reviewer"]
    # an item taken from a confidential edge case stays confidential
    confidential = {i.id for i in g.evaluation.items if i.sensitivity == "confidential"}
    assert confidential and not confidential & seen["annotator"]
    assert confidential <= seen["reviewer"]


@pytest.mark.parametrize("target", generators.names())
def test_unknown_audience_is_gk011_for_every_target(
    tmp_path: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_leaky(tmp_path / "leaky")
    out = tmp_path / "out"
    assert main(["build", str(project), "-t", target, "-o", str(out), "-a", "nobody"]) == 1
    err = capsys.readouterr().err
    assert "GK011" in err and "'nobody' is not an audience" in err
    assert "Traceback" not in err
    assert not out.exists()


SPY = """
from pathlib import Path

from guidekit.generators import Output


def generate(guideline, out, **options):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "everything.txt"
    path.write_text(repr(guideline) + repr(options), encoding="utf-8")
    return Output("spy", out, (path,), "")


def raw(guideline, out, **options):
    return generate(guideline, out, **options)


raw.audience_safe = False
"""


def test_plugin_target_receives_the_filtered_ir(
    install: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install("gk_spy", SPY, {"guidekit.targets": "spy = gk_spy:generate"})
    project = write_leaky(tmp_path / "leaky")
    assert main(["build", str(project), "-t", "spy", "-o", str(tmp_path / "all")]) == 0
    assert _found(tmp_path / "all") == {*MARKERS, HOLDOUT}  # no audience: everything
    for audience in ("vendor", "annotator"):
        out = tmp_path / audience
        assert main(["build", str(project), "-t", "spy", "-o", str(out), "-a", audience]) == 0
        assert _found(out) == allowed(audience)
    capsys.readouterr()


def test_a_target_that_cannot_be_filtered_refuses_an_audience(
    install: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install("gk_spy", SPY, {"guidekit.targets": "raw = gk_spy:raw"})
    project = write_leaky(tmp_path / "leaky")
    out = tmp_path / "out"
    assert main(["build", str(project), "-t", "raw", "-o", str(out), "-a", "vendor"]) == 1
    err = capsys.readouterr().err
    assert "GK018" in err and "target 'raw' cannot be built for an audience" in err
    assert "Traceback" not in err
    assert not out.exists()
    # without an audience it builds: its readers are cleared for everything
    assert main(["build", str(project), "-t", "raw", "-o", str(out)]) == 0


#: the prefix every marker of a level starts with (:func:`trust.leaky._m`)
PREFIX = {level: f"ZQ{level[:4].upper()}" for level in ("public", "internal", "confidential")}


def _levels_in(out: Path) -> set[str]:
    """The levels whose markers occur anywhere under ``out`` (a file or a folder)."""
    files = [out] if out.is_file() else [p for p in out.rglob("*") if p.is_file()]
    data = b"".join(p.read_bytes().upper() for p in files)
    return {level for level, prefix in PREFIX.items() if prefix.encode() in data}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository with two releases of the leaky guideline: 2.0.0 rewrites every text
    field (each marker ends in ``QY`` instead of ``QZ``), so every change carries text."""
    git = Git(tmp_path_factory.mktemp("history") / "repo")
    project = write_leaky(git.root / "leaky")
    git.commit("1.0.0")
    git.tag("v1.0.0")
    path = project / "guideline.yaml"
    text = re.sub(r"(ZQ[A-Z]+\d+)QZ", r"\1QY", path.read_text(encoding="utf-8"))
    path.write_text(text.replace("version: 1.0.0\n", "version: 2.0.0\n", 1), encoding="utf-8")
    git.commit("2.0.0", date="2024-02-01T12:00:00Z")
    git.tag("v2.0.0")
    return project


@pytest.mark.parametrize("audience", ["vendor", "annotator", "reviewer"])
def test_changelog_and_handbook_history_hold_nothing_above_the_clearance(
    history: Path, tmp_path: Path, audience: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cleared = {MARKERS[m][0] for m in allowed(audience)}
    outputs = []
    for fmt in ("markdown", "json"):
        for since in ([], ["--since", "1.0.0", "--cumulative"]):
            out = tmp_path / f"changelog-{fmt}-{len(since)}"
            args = [
                "changelog",
                str(history),
                "--audience",
                audience,
                "--format",
                fmt,
                "-o",
                str(out),
            ]
            assert main([*args, *since]) == 0
            outputs.append(out)
    handbook = tmp_path / "handbook"
    args = ["build", str(history), "-t", "handbook", "-a", audience, "--history", "tags"]
    assert main([*args, "-o", str(handbook), "--no-site"]) == 0
    outputs.append(handbook)
    capsys.readouterr()
    for out in outputs:
        # something of every level the audience may read is there: the scan is not vacuous
        assert _levels_in(out) == cleared, out.name
