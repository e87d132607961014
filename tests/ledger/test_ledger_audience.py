"""``guidekit ledger report --audience``: no class name above the audience's clearance.

The ledger stores ids (never restricted); the report names classes as the audience's view of
the guideline does (:func:`guidekit.audience.for_audience`). The leaky guideline of
``tests/trust`` has a unique marker in every text field at every level; every byte the report
writes is scanned for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guidekit import ledger
from guidekit.cli import main
from guidekit.compiler.pipeline import load
from trust.leaky import AUDIENCES, MARKERS, allowed, write_leaky


def _markers(out: Path) -> set[str]:
    data = b"".join(p.read_bytes().upper() for p in out.rglob("*") if p.is_file())
    return {m for m in MARKERS if m.encode() in data}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("ledger-leaks")
    project = write_leaky(root / "leaky")
    g = load(project)
    url = f"sqlite:///{root / 'ledger.db'}"
    db = ledger.open(url)
    for n in (1, 2):
        run = ledger.Run(
            batch=f"B{n}",
            command="accept",
            guideline=g.id,
            guideline_version=str(g.version),
            verdict="accept",
            files=[(f"b{n}.jsonl", f"{n:064x}")],
            report="{}",
        )
        for task in g.tasks.values():
            for c in task.classes:
                run.counts["class", f"{task.id}/{c.id}"] = 10 * n
                run.agreement.append(ledger.AgreementRow(task.id, c.id, "specific_agreement", 0.8))
        ledger.record(db, run)
    from guidekit.ledger import questions

    for task in g.tasks.values():  # an open question about every class
        for c in task.classes:
            q = questions.Question(text="?", classes=(f"{task.id}/{c.id}",))
            questions.add(db, g.id, q)
    db.close()
    return project, url


def test_the_unfiltered_report_names_classes(recorded: tuple[Path, str], tmp_path: Path) -> None:
    project, url = recorded
    assert (
        main(["ledger", "report", str(project), "--ledger", url, "-o", str(tmp_path / "all")]) == 0
    )
    names = {m for m in _markers(tmp_path / "all") if MARKERS[m][1] == "class_name"}
    assert {MARKERS[m][0] for m in names} == {"public", "internal", "confidential"}


@pytest.mark.parametrize("audience", [a for a in AUDIENCES if a is not None])
def test_no_marker_above_the_clearance(
    recorded: tuple[Path, str], tmp_path: Path, audience: str
) -> None:
    project, url = recorded
    out = tmp_path / audience
    args = ["ledger", "report", str(project), "--ledger", url, "-o", str(out)]
    assert main([*args, "--audience", audience]) == 0
    found = _markers(out)
    assert sorted(found - allowed(audience)) == []
    assert found  # what the audience may read is still named


def test_an_unknown_audience_is_refused(
    recorded: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, url = recorded
    args = ["ledger", "report", str(project), "--ledger", url, "-o", str(tmp_path / "x")]
    assert main([*args, "--audience", "nobody"]) == 1
    assert "GK011" in capsys.readouterr().err
