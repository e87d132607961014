"""Readable history (issue #18): Keep a Changelog sections, what a data team must do, links
from the Markdown diff to the changed lines, strike-through inside code spans, and tagged
versions that do not compile listed with their errors. Through the command line, in real
git repositories."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import GUIDELINES
from guidekit.versioning import _words

from .edit_matrix import INTENT, sub
from .helpers import Git, edit, run

ST = "guidelines/support-tickets"
BLOB = "https://github.com/acme/labels/blob/0123abcd"


@pytest.fixture
def st(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Git:
    git = Git(tmp_path / "repo")
    shutil.copytree(GUIDELINES / "support-tickets", git.root / ST)
    git.commit("2.3.0")
    git.tag("v2.3.0")
    monkeypatch.chdir(git.root)
    return git


def version(git: Git, v: str) -> None:
    edit(git.root / ST, "guideline.yaml", lambda g: g.__setitem__("version", v))


def test_markdown_diff_links_every_change_to_its_line(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    sub(INTENT, "The parcel arrived but its content", "The parcel has arrived, but its content")(
        st.root / ST
    )
    sub("guideline.yaml", "min: 0.80\n      note: Measured", "min: 0.82\n      note: Measured")(
        st.root / ST
    )
    version(st, "2.4.0")
    code, out, _ = run(capsys, "diff", "v2.3.0", ST, "--format", "markdown", "--link-base", BLOB)
    assert code == 0
    line = next(
        i
        for i, t in enumerate((st.root / ST / INTENT).read_text().splitlines(), 1)
        if "id: wrong_item" in t
    )
    assert f"([taxonomy/intent.yaml:{line}]({BLOB}/{ST}/taxonomy/intent.yaml#L{line}))" in out
    links = re.findall(r"\]\((https://[^)]*)\)", out)
    changes = out.count("<sub>`")
    assert len(links) == changes, "every change is linked"
    assert all(url.startswith(f"{BLOB}/{ST}/") for url in links)
    assert "acceptance: acceptance:" not in out and "**acceptance**: acceptance:" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--link-base", BLOB], "--link-base applies to --format markdown only"),
    ],
)
def test_link_base_misuse_is_a_usage_error(
    st: Git, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, "diff", "v2.3.0", ST, *args)
    assert code == 2 and message in err


def test_action_passes_the_link_base() -> None:
    action = (Path(__file__).resolve().parents[2] / "action.yml").read_text(encoding="utf-8")
    assert '--format markdown -o "$report" --link-base "$LINK_BASE"' in action
    assert "LINK_BASE: ${{ github.server_url }}/${{ github.repository }}/blob/" in action


def test_changelog_groups_by_keep_a_changelog_and_says_what_to_do(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    def split(items: list[dict[str, object]]) -> None:
        other = next(c for c in items if c.get("id") == "other_request")
        other.update(deprecated="Split.", replaced_by=["general_feedback", "feature_request"])

    edit(st.root / ST, INTENT, split)
    sub("guideline.yaml", "min: 0.80\n      note: Measured", "min: 0.82\n      note: Measured")(
        st.root / ST
    )
    version(st, "3.0.0")
    st.commit("3.0.0", date="2024-03-01T12:00:00Z")
    st.tag("v3.0.0")
    code, out, _ = run(capsys, "changelog", ST)
    assert code == 0, out
    release = out[out.index("## 3.0.0") : out.index("## 2.3.0")]
    assert re.findall(r"^### (\w+)", release, re.M) == ["Changed", "Deprecated"]
    assert (
        "**What a data team must do:** run `guidekit migrate --from 2.3.0 --to 3.0.0` on every "
        "delivery made under 2.3.0, then re-annotate the labels of 1 class "
        "(intent › other_request)." in release
    )
    assert "- **breaking:** intent › other_request: class `other_request` split into" in release
    assert "  → re-annotate the labels concerned" in release
    assert "- acceptance: agreement (task intent" in release
    assert "acceptance: acceptance:" not in out


def test_a_tagged_version_that_does_not_compile_is_listed_with_its_errors(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = "when: {task: intent, is: refund_request}"
    broken = rule.replace("refund_request", "no_such_class")
    sub("guideline.yaml", rule, broken)(st.root / ST)
    sub("guideline.yaml", "version: 2.3.0", "version: 2.4.0")(st.root / ST)
    st.commit("2.4.0, broken", date="2024-02-01T12:00:00Z")
    st.tag("v2.4.0")
    sub("guideline.yaml", broken, rule)(st.root / ST)
    sub("guideline.yaml", "version: 2.4.0", "version: 2.4.1")(st.root / ST)
    st.commit("2.4.1", date="2024-02-02T12:00:00Z")
    st.tag("v2.4.1")
    code, out, _ = run(capsys, "changelog", ST)
    assert code == 0, out
    assert re.findall(r"^## (\S+)", out, re.M) == ["2.4.1", "2.4.0", "2.3.0"]
    entry = out[out.index("## 2.4.0") : out.index("## 2.3.0")]
    assert "⚠️ This version has 1 error; the parts they concern were set aside" in entry
    assert "no_such_class" in entry
    assert re.search(r"^- `GK302` .*no_such_class.*guideline.yaml:\d+\)$", entry, re.M), entry

    # a version whose guideline cannot be read at all is listed too, never left out
    sub("guideline.yaml", "version: 2.4.1", "version: 2.5.0")(st.root / ST)
    sub("guideline.yaml", "guidekit: 1\n", "guidekit: 99\n")(st.root / ST)
    st.commit("2.5.0, unreadable", date="2024-02-03T12:00:00Z")
    st.tag("v2.5.0")
    code, out, _ = run(capsys, "changelog", ST)
    assert code == 0, out
    assert re.findall(r"^## (\S+)", out, re.M) == ["2.5.0", "2.4.1", "2.4.0", "2.3.0"]
    entry = out[out.index("## 2.5.0") : out.index("## 2.4.1")]
    assert "tag `v2.5.0`: ⚠️ the guideline does not compile (1 error)" in entry, entry
    assert re.search(r"^- `GK205` format version 99 is not supported", entry, re.M), entry


def test_strike_through_inside_a_code_span_shows() -> None:
    ops = _words.word_diff("use `min_size: 8` for bottles", "use `min_size: 10` for bottles")
    text = _words.render_markdown(ops)
    assert text == "use `min_size: `~~`8`~~ **`10`** for bottles"
    # every code span is balanced, and no marker sits inside one
    spans = re.findall(r"`[^`]*`", text)
    assert text.count("`") % 2 == 0 and not any("~~" in s or "**" in s for s in spans)
    plain = _words.render_markdown(_words.word_diff("a *b* c", "a *d* c"))
    assert plain == r"a \*~~b~~ **d**\* c"


def test_markdown_diff_strikes_through_inside_code(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    sub(INTENT, "The parcel arrived but its content", "The `parcel` arrived but its content")(
        st.root / ST
    )
    st.commit("code span")
    st.tag("with-code")
    sub(INTENT, "The `parcel` arrived but", "The `parcel box` arrived but")(st.root / ST)
    code, out, _ = run(capsys, "diff", "with-code", ST, "--format", "markdown")
    assert code == 0
    assert "The `parcel **box**` arrived" not in out  # markers inside a code span show as text
    assert "The `parcel` **`box`** arrived" in out


def test_changelog_json_lists_broken_versions(st: Git, capsys: pytest.CaptureFixture[str]) -> None:
    sub("guideline.yaml", "version: 2.3.0", "version: 2.4.0")(st.root / ST)
    sub("guideline.yaml", "guidekit: 1\n", "guidekit: 99\n")(st.root / ST)
    st.commit("2.4.0, unreadable", date="2024-02-03T12:00:00Z")
    st.tag("v2.4.0")
    code, out, _ = run(capsys, "changelog", ST, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    (broken,) = doc["broken"]
    assert broken["version"] == "2.4.0" and broken["errors"][0]["code"] == "GK205"
