"""The quality commands through the CLI: exit codes, reasons, reports."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from guidekit.cli import cli, main
from guidekit.errors import GuidekitError

from .conftest import FIXTURE, pilot


class Outcome:
    """A CliRunner result whose exit code is the command's returned code (as ``main`` maps
    it; click's standalone mode would ignore the return value)."""

    def __init__(self, args: list[str]) -> None:
        result = CliRunner().invoke(cli, args, standalone_mode=False, catch_exceptions=False)
        self.output: str = result.output
        self.exit_code: int = result.return_value if isinstance(result.return_value, int) else 0


def invoke(*args: Any) -> Outcome:
    return Outcome([str(a) for a in args])


def jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A pilot with three annotators, a final delivery, audit verdicts and a gold set."""
    monkeypatch.chdir(tmp_path)
    records = pilot(seed=5, items=40, annotators=3, missing=0.1)
    final: dict[str, dict[str, Any]] = {}
    for r in records:
        final.setdefault(r["ticket_id"], {**r, "annotator": "vendor"})
    delivery = list(final.values())
    for i, r in enumerate(delivery):
        r["unresolved"] = i % 10 == 0
    verdicts = [
        {
            "id": r["ticket_id"],
            "pass": i != 2,
            "defects": ["wrong_label"] if i == 2 else [],
            "auditor": "kim",
        }
        for i, r in enumerate(delivery[:10])
    ]
    gold = [{"ticket_id": r["ticket_id"], "intent": r["intent"]} for r in delivery[::2]]
    return {
        "pilot": jsonl(Path("pilot.jsonl"), records),
        "delivery": jsonl(Path("delivery.jsonl"), delivery),
        "verdicts": jsonl(Path("verdicts.jsonl"), verdicts),
        "gold": jsonl(Path("gold.jsonl"), gold),
    }


def test_agreement_text_and_json(files: dict[str, Path]) -> None:
    result = invoke("agreement", FIXTURE, files["pilot"], "-t", "intent", "-t", "urgency")
    assert result.exit_code == 0, result.output
    assert "task intent (single, nominal level)" in result.output
    assert "task urgency (ordinal, ordinal level)" in result.output
    data = orjson.loads(invoke("agreement", FIXTURE, files["pilot"], "--format", "json").output)
    tasks = {t["task"]: t for t in data["agreement"]}
    assert tasks["intent"]["level"] == "nominal" and tasks["score"]["level"] == "interval"
    assert set(tasks["intent"]["stats"]) == {
        "percent_agreement",
        "krippendorff_alpha",
        "fleiss_kappa",
        "cohen_kappa",
    }


def test_agreement_with_bootstrap_reports_intervals(files: dict[str, Path]) -> None:
    out = invoke(
        "agreement",
        FIXTURE,
        files["pilot"],
        "-t",
        "intent",
        "--bootstrap",
        "50",
        "--format",
        "json",
    ).output
    alpha = orjson.loads(out)["agreement"][0]["stats"]["krippendorff_alpha"]
    assert alpha["ci"][0] < alpha["value"] < alpha["ci"][1]


def test_agreement_without_pairs_is_an_error(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(cli, ["agreement", str(FIXTURE), str(files["delivery"])])
    assert isinstance(result.exception, GuidekitError)
    assert result.exception.diagnostics[0].code == "GK604"
    assert main(["agreement", str(FIXTURE), str(files["delivery"])]) == 1


def test_agreement_unknown_task_and_missing_file(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agreement", str(FIXTURE), str(files["pilot"]), "-t", "nope"]) == 1
    assert "GK608 'nope' is not a task" in capsys.readouterr().err
    assert main(["agreement", str(FIXTURE), "missing.jsonl"]) == 1
    assert "GK001" in capsys.readouterr().err


def test_accept_with_every_input_gives_each_reason(files: dict[str, Path]) -> None:
    result = invoke(
        "accept",
        FIXTURE,
        files["delivery"],
        "--annotations",
        files["pilot"],
        "--audit",
        files["verdicts"],
        "--gold",
        files["gold"],
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[2:14] == [
        "  FAIL agreement intent krippendorff_alpha: krippendorff_alpha over 39 items is 0.4301, misses the bound (at least 0.6)",
        "  PASS agreement intent/billing fleiss_kappa: fleiss_kappa over 39 items is 0.5687, meets the bound (at least 0.5)",
        "  PASS agreement entities span_f1: span_f1 over 39 items is 0.7423, meets the bound (at least 0.7)",
        "  FAIL agreement boxes box_f1: box_f1 over 39 items is 0.5591, misses the bound (at least 0.6)",
        "  N/A  agreement intent cohen_kappa [split eval]: no labelled record of split 'eval'",
        "  PASS audit pass rate: pass rate over 10 audited items (95% interval 0.596-0.982) is 0.9, meets the bound (at least 0.9)",
        "  PASS gold intent macro_f1: macro_f1 over 20 gold records is 1, meets the bound (at least 0.7)",
        "  PASS gold intent/billing recall: recall over 20 gold records is 1, meets the bound (at least 0.5)",
        "  PASS distribution intent/other share: share of 'other' (17 of 40 records) is 0.425, meets the bound (at most 0.5)",
        "  PASS distribution intent/billing share: share of 'billing' (17 of 40 records) is 0.425, meets the bound (at least 0.1)",
        "  PASS unresolved share: unresolved share (4 of 40 records) is 0.1, meets the bound (at most 0.2)",
        "  FAIL errors error rate: share of records with a validation error (36 of 40) is 0.9, misses the bound (at most 0.05)",
    ]
    assert "verdict: REJECT (8 met, 3 failed, 1 not measured)" in lines


def test_accept_reasons_for_missing_inputs(files: dict[str, Path]) -> None:
    result = invoke("accept", FIXTURE, files["delivery"], "--format", "json")
    data = orjson.loads(result.output)
    reasons = {c["name"]: (c["status"], c["reason"]) for c in data["criteria"]}
    assert reasons["audit pass rate"] == ("not_measured", "no audit verdicts were given (--audit)")
    assert reasons["gold intent macro_f1"] == ("not_measured", "no gold set was given (--gold)")
    assert reasons["agreement intent krippendorff_alpha"][0] == "not_measured"
    assert "pass --annotations" in reasons["agreement intent krippendorff_alpha"][1]
    assert reasons["unresolved share"][0] == "met"
    # the fixture delivery breaks the guideline's structure on purpose: the validator's
    # error rate is measured and rejects it
    assert reasons["errors error rate"][0] == "failed"
    assert data["decision"] == "reject" and result.exit_code == 1
    strict = invoke("accept", FIXTURE, files["delivery"], "--require-all")
    assert strict.exit_code == 1 and "verdict: REJECT" in strict.output


def test_accept_rejects_on_a_failed_criterion(files: dict[str, Path]) -> None:
    records = [orjson.loads(line) for line in files["delivery"].read_bytes().splitlines()]
    for r in records:
        r["intent"] = "other"  # every ticket 'other': above max_share 0.5, billing below 0.1
    bad = jsonl(Path("bad.jsonl"), records)
    result = invoke("accept", FIXTURE, bad, "--format", "json")
    assert result.exit_code == 1
    data = orjson.loads(result.output)
    failed = {c["name"]: c for c in data["criteria"] if c["status"] == "failed"}
    assert set(failed) == {
        "distribution intent/other share",
        "distribution intent/billing share",
        "errors error rate",
    }
    assert failed["distribution intent/other share"]["value"] == 1.0
    assert failed["distribution intent/other share"]["comparison"] == "<="
    assert "misses the bound (at most 0.5)" in failed["distribution intent/other share"]["reason"]
    assert main(["accept", str(FIXTURE), str(bad)]) == 1


def test_accept_audit_sample_too_small_is_not_measured(files: dict[str, Path]) -> None:
    few = jsonl(
        Path("few.jsonl"),
        [orjson.loads(line) for line in files["verdicts"].read_bytes().splitlines()][:3],
    )
    data = orjson.loads(
        invoke("accept", FIXTURE, files["delivery"], "--audit", few, "--format", "json").output
    )
    audit = next(c for c in data["criteria"] if c["kind"] == "audit")
    assert audit["status"] == "not_measured"
    assert audit["reason"] == "3 items audited; the guideline's 25% sample of 40 items needs 10"


def test_accept_bad_audit_file_is_exit_1(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    Path("broken.jsonl").write_text('{"id": "T000", "pass": "maybe"}\n')
    assert main(["accept", str(FIXTURE), str(files["delivery"]), "--audit", "broken.jsonl"]) == 1
    assert "broken.jsonl:1: GK605" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["markdown", "json", "html"])
def test_accept_reports_are_deterministic(files: dict[str, Path], fmt: str, golden) -> None:  # type: ignore[no-untyped-def]
    args = [
        "accept",
        FIXTURE,
        files["delivery"],
        "--annotations",
        files["pilot"],
        "--audit",
        files["verdicts"],
        "--gold",
        files["gold"],
        "--format",
        fmt,
    ]
    first, second = invoke(*args).output, invoke(*args).output
    assert first == second
    if fmt == "html":  # the charts' bytes belong to matplotlib's version; pin the page around them
        first = re.sub(r"<svg.*?</svg>", "<svg/>", first, flags=re.S)
    golden(f"quality/accept.{ {'markdown': 'md'}.get(fmt, fmt) }", first)


def test_html_report_is_self_contained(files: dict[str, Path]) -> None:
    pytest.importorskip("matplotlib")
    out = Path("report.html")
    invoke(
        "accept",
        FIXTURE,
        files["delivery"],
        "--annotations",
        files["pilot"],
        "--gold",
        files["gold"],
        "--format",
        "html",
        "-o",
        out,
    )
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert (
        html.count("<svg") >= 4
    )  # distribution x1 task, per-class intervals, coincidences, gold confusion
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert "<script" not in html


def test_audit_sample_is_reproducible(files: dict[str, Path]) -> None:
    a = invoke(
        "audit",
        "sample",
        FIXTURE,
        files["delivery"],
        "--seed",
        "3",
        "-o",
        "s1.jsonl",
        "--template",
        "t.jsonl",
    )
    invoke("audit", "sample", FIXTURE, files["delivery"], "--seed", "3", "-o", "s2.jsonl")
    assert (
        a.exit_code == 0
        and "sampled 10 of 40 items (rate 0.25, seed 3) stratified by intent" in a.output
    )
    assert Path("s1.jsonl").read_bytes() == Path("s2.jsonl").read_bytes()
    sampled = Path("s1.jsonl").read_bytes().splitlines()
    assert len(sampled) == 10
    assert all(line in files["delivery"].read_bytes().splitlines() for line in sampled)
    template = [orjson.loads(line) for line in Path("t.jsonl").read_bytes().splitlines()]
    assert [t["id"] for t in template] == [orjson.loads(s)["ticket_id"] for s in sampled]
    assert all(t["pass"] is None for t in template)


def test_audit_score(files: dict[str, Path]) -> None:
    result = invoke("audit", "score", FIXTURE, files["verdicts"], "--delivery", files["delivery"])
    assert result.exit_code == 0
    assert "pass rate 0.900 (9 of 10 audited; 95% Wilson interval 0.596-0.982)" in result.output
    assert "wrong_label  1" in result.output
    Path("stranger.jsonl").write_text('{"id": "nobody", "pass": true}\n')
    assert (
        main(
            ["audit", "score", str(FIXTURE), "stranger.jsonl", "--delivery", str(files["delivery"])]
        )
        == 1
    )


def test_gold_command(files: dict[str, Path]) -> None:
    result = invoke("gold", FIXTURE, files["gold"], files["delivery"], "--format", "json")
    data = orjson.loads(result.output)
    assert [g["task"] for g in data["gold"]] == ["intent"]
    assert data["gold"][0]["overall"]["accuracy"] == 1.0


def test_leakage_command_exit_codes(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    jsonl(
        Path("eval.jsonl"),
        [{"ticket_id": "E1", "body": "ticket NUMBER 3 about order 553"}, {"ticket_id": "T007"}],
    )
    assert main(["leakage", str(FIXTURE), str(files["delivery"]), "eval.jsonl"]) == 1
    out = capsys.readouterr().out
    assert "GK607 train item 'T003' leaks into eval: same content as eval item 'E1'" in out
    assert "GK607 train item 'T007' leaks into eval: same id 'T007'" in out
    jsonl(Path("clean.jsonl"), [{"ticket_id": "E9", "body": "new"}])
    assert main(["leakage", str(FIXTURE), str(files["delivery"]), "clean.jsonl"]) == 0


def test_revisions_command(files: dict[str, Path]) -> None:
    records = [orjson.loads(line) for line in files["delivery"].read_bytes().splitlines()]
    records[0]["intent"] = "other" if records[0]["intent"] != "other" else "billing"
    jsonl(Path("v2.jsonl"), records)
    data = orjson.loads(
        invoke(
            "revisions", FIXTURE, files["delivery"], "v2.jsonl", "-t", "intent", "--format", "json"
        ).output
    )
    intent = data["revisions"]["tasks"][0]
    assert (intent["revised"], intent["compared"]) == (1, 40)


def test_calibrate_suggests_edge_cases_that_check_flags(
    files: dict[str, Path], tmp_path: Path
) -> None:
    result = invoke(
        "calibrate",
        FIXTURE,
        files["pilot"],
        "-t",
        "intent",
        "--top",
        "2",
        "--suggest-edge-cases",
        "ec.yaml",
    )
    assert result.exit_code == 0
    assert "labels annotators confuse most" in result.output
    text = Path("ec.yaml").read_text()
    assert text.count("decision:  # left open") == 2
    assert "question: 'Item T" in text or "question: Item T" in text
    import yaml

    entries = yaml.safe_load(text)["intent"]
    assert entries[0]["record"]["body"].startswith("Ticket number")
    assert entries[0]["decision"] is None
    # paste them into a copy of the guideline: check reports each as undecided
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    guideline = project / "guideline.yaml"
    doc = yaml.safe_load(guideline.read_text())
    doc["tasks"]["intent"]["edge_cases"] = entries
    guideline.write_text(yaml.safe_dump(doc, sort_keys=False))
    from guidekit.compiler.pipeline import compile_guideline

    codes = [d.code for d in compile_guideline(project).diagnostics]
    assert codes.count("GK408") == 2
    assert not [c for c in codes if c.startswith(("GK1", "GK2", "GK3"))]


def test_region_agreement_without_regions_is_not_measured(files: dict[str, Path]) -> None:
    records = [
        {"ticket_id": f"T{i}", "annotator": a, "intent": "other"} for i in range(3) for a in "xy"
    ]
    empty = jsonl(Path("empty.jsonl"), records)
    data = orjson.loads(
        invoke("accept", FIXTURE, empty, "--annotations", empty, "--format", "json").output
    )
    spans = next(c for c in data["criteria"] if c["name"] == "agreement entities span_f1")
    assert spans["status"] == "not_measured"
    assert spans["reason"] == "span_f1 is undefined on these labels (no annotator drew a region)"


def test_audit_sample_without_a_rate_is_misuse(tmp_path: Path, files: dict[str, Path]) -> None:
    project = tmp_path / "noaudit"
    shutil.copytree(FIXTURE, project)
    text = (
        (project / "guideline.yaml")
        .read_text()
        .replace("  audit: {sample: 0.25, min_pass_rate: 0.9}\n", "")
    )
    (project / "guideline.yaml").write_text(text)
    assert main(["audit", "sample", str(project), str(files["delivery"])]) == 2
    assert (
        main(
            [
                "audit",
                "sample",
                str(project),
                str(files["delivery"]),
                "--rate",
                "0.1",
                "-o",
                "s.jsonl",
            ]
        )
        == 0
    )
    assert len(Path("s.jsonl").read_bytes().splitlines()) == 4
