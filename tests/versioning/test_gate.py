"""A gate you can live with (issue #18): the ignore file, declared impacts on rules, and
declarations bound to the version that introduced them, through `guidekit diff` and
`guidekit check --base` in real git repositories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .helpers import Git, edit, find, run

ST = "support-tickets"
CLARIFY = "a charge after a cancellation → billing_dispute"


def version(v: str) -> None:
    edit(Path(ST), "guideline.yaml", lambda g: g.__setitem__("version", v))


def clarify_refunds(changes: list[dict[str, Any]] | None = None) -> None:
    def change(items: list[dict[str, Any]]) -> None:
        c = find(items, "refund_request")
        c.setdefault("excludes", []).append(CLARIFY)
        if changes is not None:
            c["changes"] = changes

    edit(Path(ST), "taxonomy/intent.yaml", change)


def ignore(*entries: dict[str, Any]) -> None:
    text = json.dumps({"accept": list(entries)}, ensure_ascii=False, indent=2)
    (Path(ST) / ".guidekit-ignore.yaml").write_text(text, encoding="utf-8")


ACCEPT = {
    "rule": "class-narrowed",
    "where": "intent › refund_request",
    "version": "2.3.1",
    "reason": "Restates the boundary billing_dispute already draws.",
}


def diff_json(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run(capsys, "diff", "base", ST, "--format", "json")
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


# -- the ignore file --------------------------------------------------------------------------


def test_an_accepted_change_is_shown_with_its_reason_and_counts_as_patch(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    version("2.3.1")
    clarify_refunds()
    code, out, _ = run(capsys, "diff", "base", ST, "--fail-on", "minor")
    assert code == 1, "without the ignore file the exclude is major"
    ignore(ACCEPT)
    code, out, _ = run(capsys, "diff", "base", ST, "--fail-on", "minor")
    assert code == 0, out
    assert "patch [class-narrowed]" in out
    assert "accepted by ignore file: Restates the boundary billing_dispute already draws." in out
    code, out, _ = run(capsys, "diff", "base", ST, "--format", "markdown")
    assert "> accepted by ignore file: Restates the boundary billing_dispute" in out
    (change,) = diff_json(capsys)["changes"]
    assert (change["impact"], change["computed"]) == ("patch", "major")
    assert change["accepted"].startswith("Restates")
    code, out, err = run(capsys, "check", ST, "--base", "base")
    assert code == 0, out + err


def test_a_stale_entry_accepts_nothing_and_is_reported(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    version("2.3.1")
    clarify_refunds()
    ignore({**ACCEPT, "version": "2.3.0"}, {**ACCEPT, "rule": "class-removed"})
    code, out, _ = run(capsys, "diff", "base", ST, "--fail-on", "major")
    assert code == 1
    assert "major [class-narrowed]" in out
    assert (
        "accepts `class-narrowed` at 'intent › refund_request' for 2.3.0, but the version "
        "being released is 2.3.1" in out
    )
    assert "accepts `class-removed` at 'intent › refund_request', but no change" in out
    assert out.count("GK717") == 2


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({k: v for k, v in ACCEPT.items() if k != "reason"}, "entry without `reason`"),
        ({**ACCEPT, "rule": "class-narowed"}, "unknown rule 'class-narowed'"),
        ({**ACCEPT, "version": "next"}, "`version: next` is not a semantic version"),
        ({**ACCEPT, "impact": "none"}, "`impact: none` must be major, minor or patch"),
        ({**ACCEPT, "because": "x"}, "unknown key(s) because"),
    ],
)
def test_an_invalid_entry_is_a_located_error(
    st: Git, capsys: pytest.CaptureFixture[str], entry: dict[str, Any], message: str
) -> None:
    version("2.3.1")
    clarify_refunds()
    ignore(ACCEPT, entry)
    code, _, err = run(capsys, "diff", "base", ST)
    assert code == 1
    assert "GK716" in err and message in err
    assert ".guidekit-ignore.yaml:" in err, "the error names the file and line"
    assert "Traceback" not in err


def test_the_ignore_file_is_read_at_the_new_revision(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    version("2.3.1")
    clarify_refunds()
    ignore(ACCEPT)
    st.commit("clarify")
    (Path(ST) / ".guidekit-ignore.yaml").unlink()
    code, out, _ = run(capsys, "diff", "base", "HEAD", "--project", ST, "--fail-on", "minor")
    assert code == 0, out
    assert "accepted by ignore file" in out


# -- declarations -------------------------------------------------------------------------------


def rule_changes(rid: str, **fields: Any) -> None:
    edit(Path(ST), "guideline.yaml", lambda g: find(g["rules"], rid).update(fields))


def test_a_rule_can_declare_its_impact(st: Git, capsys: pytest.CaptureFixture[str]) -> None:
    version("2.4.0")
    rule_changes(
        "refund-needs-order",
        then={"task": "entities", "has_any": ["ORDER_ID", "AMOUNT"]},
        changes=[{"version": "2.4.0", "impact": "patch", "note": "An amount identifies it too."}],
    )
    (c,) = diff_json(capsys)["changes"]
    assert (c["rule"], c["computed"], c["impact"], c["declared"]) == (
        "rule-changed",
        "minor",
        "patch",
        "patch",
    )
    assert c["note"] == "An amount identifies it too."


def test_a_note_for_a_later_version_is_reported_not_silently_ignored(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    version("2.3.1")
    clarify_refunds([{"version": "3.0.0", "impact": "patch", "note": "Clarifies."}])
    report = diff_json(capsys)
    assert report["required"] == "major"
    (problem,) = report["problems"]
    assert problem["code"] == "GK713"
    assert (
        "declares a change for 3.0.0, but the version being released is 2.3.1"
        in (problem["message"])
    )


def decide(case: str, **fields: Any) -> None:
    def change(items: list[dict[str, Any]]) -> None:
        cls = next(c for c in items if any(x.get("id") == case for x in c.get("edge_cases", [])))
        x = next(x for x in cls["edge_cases"] if x["id"] == case)
        x.update(fields)
        for k in [k for k, v in fields.items() if v is None]:
            del x[k]

    edit(Path(ST), "taxonomy/intent.yaml", change)


def test_an_impact_carried_over_from_an_earlier_decision_cannot_lower_a_reversal(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    # EC-004 declares `impact: minor` since 2.0.0; its decision is reversed in 3.0.0 and only
    # `since` is updated
    version("3.0.0")
    decide("EC-004", decision="refund_request", since="3.0.0")
    report = diff_json(capsys)
    (c,) = [c for c in report["changes"] if c["rule"] == "edge-case-decision-changed"]
    assert c["impact"] == "major"
    assert [p["code"] for p in report["problems"]] == ["GK715"]
    assert "keeps `impact: minor` from its decision of 2.0.0" in report["problems"][0]["message"]


def test_an_impact_without_since_applies_to_no_later_change(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    version("2.3.1")
    decide("EC-004", since=None, impact="major", rationale="Damage first, then the refund.")
    report = diff_json(capsys)
    assert report["required"] == "patch", "a one-word fix does not demand a major release"
    assert [p["code"] for p in report["problems"]] == ["GK714"]
