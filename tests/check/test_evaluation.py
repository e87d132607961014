"""The `evaluation:` section through `guidekit check`: items are checked like examples, every
reference is located, and the coverage lint counts items per edge case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guidekit.cli import main
from guidekit.compiler.pipeline import load

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "guidelines" / "support-tickets"


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    project = tmp_path / "tickets"
    shutil.copytree(TICKETS, project)
    path = project / "guideline.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return project


def test_bundled_evaluation_set_is_clean_and_lowered() -> None:
    assert main(["check", str(TICKETS), "--strict"]) == 0
    g = load(TICKETS)
    items = {i.id: i for i in g.evaluation.items}
    assert items["EV-001"].labels == {"intent": "damaged_item", "urgency": "medium"}
    assert items["EV-001"].edge_cases == ("EC-001",) and items["EV-001"].split == "eval"
    assert items["EV-003"].holdout
    # `from: [edge_cases]`: every decided edge case is an item tagged with itself
    assert items["EC-002"].source == "edge_case" and items["EC-002"].edge_cases == ("EC-002",)
    assert items["EC-003"].sensitivity == "confidential"  # its edge case's level, not lower
    assert g.evaluation.sensitivity == "internal"


def test_an_item_the_validator_rejects_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _copy(
        tmp_path,
        "        intent: delivery_status\n      edge_cases: [EC-002]",
        "        intent: delivery_satus\n      edge_cases: [EC-020]",
    )
    assert main(["check", str(project)]) == 1
    cap = capsys.readouterr()
    err = cap.out + cap.err
    lines = err.splitlines()
    bad_label = next(x for x in lines if "GK306" in x)
    assert "guideline.yaml:" in bad_label and "'delivery_satus' is not a class" in bad_label
    assert any("GK319" in x and "edge case 'EC-020'" in x for x in lines)
    assert "did you mean 'EC-0" in err
    assert "Traceback" not in err


def test_the_coverage_lint_counts_items_per_edge_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _copy(tmp_path, "min_per_edge_case: 1", "min_per_edge_case: 2")
    assert main(["check", str(project)]) == 0
    cap = capsys.readouterr()
    err = cap.out + cap.err
    # EC-001 has its own item and EV-001: enough; EC-004 has only its own
    assert "GK412" in err and "edge case 'EC-004' has 1 evaluation item;" in err
    assert "'EC-001' has" not in err
    assert main(["check", str(project), "--strict"]) == 1
