"""Open questions on the handbook's class pages: the internal handbook only."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidekit.cli import main
from ledger.test_questions import project, q  # noqa: F401  (the fixture)


def _pages(out: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in out.rglob("*.md")}


def test_class_pages_list_their_open_questions(
    project: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert (
        q(project, url, "add", "Refund <script>alert(1)</script> as billing?", "-c", "billing") == 0
    )
    assert q(project, url, "add", "Decided already", "-c", "billing", "-c", "shipping") == 0
    assert q(project, url, "answer", "Q-2", "-d", "billing") == 0
    capsys.readouterr()
    assert q(project, url, "list", "--format", "json") == 0
    listing = tmp_path / "questions.json"
    listing.write_text(capsys.readouterr().out)

    out = tmp_path / "handbook"
    args = ["build", str(project), "-t", "handbook", "--no-site", "-o", str(out)]
    assert main([*args, "--questions", str(listing)]) == 0
    pages = _pages(out)
    [billing] = [t for n, t in pages.items() if n.startswith("billing")]
    assert "## Open questions" in billing and "**Q-1**" in billing
    assert "<script>" not in billing  # annotators' words are escaped, never markup
    assert "Decided already" not in billing  # answered: not open
    others = [n for n, t in pages.items() if "Open questions" in t and n != "billing.md"]
    assert others == ["print.md"]  # the print view holds every class page

    # never for an audience: refused before anything is written
    for audience in ("vendor", "annotator", "public"):
        dest = tmp_path / f"for-{audience}"
        code = main([*args[:-1], str(dest), "--audience", audience, "--questions", str(listing)])
        assert code == 2 and not dest.exists()
    # without --questions the handbook is as before
    plain_out = tmp_path / "plain"
    assert main([*args[:-1], str(plain_out)]) == 0
    assert not any("Open questions" in t for t in _pages(plain_out).values())
    # a file that is not a question list is a located error
    (tmp_path / "bad.json").write_text('{"id": "Q-1"}')
    assert main([*args, "--force", "--questions", str(tmp_path / "bad.json")]) == 1
    err = capsys.readouterr().err
    assert "bad.json" in err and "GK046" in err
