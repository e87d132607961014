"""The handbook's history pages, read from a real git repository: the changelog, "what changed
since version X" and the classes' "changed in" notes, for every audience."""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from guidekit import GuidekitError, load
from guidekit.cli import main
from guidekit.handbook import BuildResult, build_handbook, render_handbook
from guidekit.handbook.changes import from_history, read
from guidekit.versioning import history
from versioning.helpers import Git, edit, find, set_version

from .handbook_htmlscan import scan_site
from .handbook_support import tree
from .history_support import PROJECT, SECRET, SECRET_NOTE, released, v1_0

Golden = Callable[[str, str | bytes], None]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Git:
    """helpdesk 1.0.0, 1.1.0 and 2.0.0, tagged. Tests that change it make their own."""
    return released(tmp_path_factory.mktemp("history") / "repo")


@pytest.fixture(scope="module")
def full(repo: Git, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_handbook(repo.root / PROJECT, tmp_path_factory.mktemp("hb") / "all", site=False)


@pytest.fixture(scope="module")
def vendor(repo: Git, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The vendor's handbook, built into a site (its search index is searched too)."""
    out = tmp_path_factory.mktemp("hb") / "vendor"
    return build_handbook(repo.root / PROJECT, out, audience="vendor")


def page(result: BuildResult, path: str) -> str:
    return (result.project / "docs" / path).read_text(encoding="utf-8")


def test_changes_page_lists_versions_newest_first(full: BuildResult, golden: Golden) -> None:
    text = page(full, "changes.md")
    heads = [line for line in text.splitlines() if line.startswith("## ")]
    assert heads == ["## 2.0.0 {#v2-0-0}", "## 1.1.0 {#v1-1-0}", "## 1.0.0 {#v1-0-0}"]
    assert "Versions are read from git tags." in text
    assert "Released 2024-03-01 (tag `helpdesk-v2.0.0`). This handbook shows this version." in text
    assert "class `login_problem` renamed to `sign_in_problem`" in text
    assert "`urgency`](tasks/urgency/index.md) › `medium`: class `medium` removed" in text
    assert "class `feature_request` added" in text
    # the removal is listed as breaking, before the compatible changes of the same version
    release = text.split("## 2.0.0")[1].split("## 1.1.0")[0]
    assert release.index("**Breaking**") < release.index("medium") < release.index("**Compatible**")
    # a reworded definition shows its word diff
    assert '<span class="gk-words">Anything that fits no other class, <del>including </del>' in text
    assert full.changes is not None and full.changes.since == "1.1.0"
    golden("handbook/history/changes.md", text)


def test_since_page_defaults_to_the_previous_release(full: BuildResult, golden: Golden) -> None:
    text = page(full, "changes-since.md")
    assert text.startswith('---\ntitle: "What changed since 1.1.0"\n---\n')
    assert "## Breaking changes {#breaking}" in text
    assert "class `medium` removed — *Labels using it are rejected" in text
    assert "feature_request" not in text  # added in 1.1.0 itself
    assert "- [2.0.0](changes.md#v2-0-0) (2024-03-01)" in text
    golden("handbook/history/changes-since.md", text)
    config = (full.project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - Changes: changes.md\n  - What changed since 1.1.0: changes-since.md\n" in config


def test_class_pages_say_what_changed_them(full: BuildResult, golden: Golden) -> None:
    renamed = page(full, "tasks/intent/sign_in_problem.md")
    assert "· Changed in [2.0.0](#changes)" in renamed
    assert (
        "## Changed in {#changes}\n\n- **[2.0.0](../../changes.md#v2-0-0)** — Compatible: "
        "Class `login_problem` renamed to `sign_in_problem`." in renamed
    )
    golden("handbook/history/sign_in_problem.md", renamed)
    added = page(full, "tasks/intent/feature_request.md")
    assert (
        "**[1.1.0](../../changes.md#v1-1-0)** — Compatible: Class `feature_request` added." in added
    )
    # the authors' own note, rendered as Markdown
    merged = page(full, "tasks/intent/billing_question.md")
    assert "Compatible: Questions about billing are *other* now" in merged
    # the class that took the merged labels says so
    assert "Class `billing_question` merged into `other`." in page(full, "tasks/intent/other.md")
    # editorial changes are not "changed in" notes; untouched classes have none
    for untouched in ("billing_dispute", "refund_request"):
        assert "Changed in" not in page(full, f"tasks/intent/{untouched}.md"), untouched


def test_restricted_changes_stay_out_of_the_vendor_handbook(
    full: BuildResult, vendor: BuildResult, golden: Golden
) -> None:
    # the oracle: the unfiltered handbook shows the internal class's change and its note
    everything = page(full, "changes.md")
    assert SECRET in everything and SECRET_NOTE in everything
    assert SECRET_NOTE in page(full, "tasks/intent/account_closure.md")
    assert vendor.site is not None
    for rel, data in tree(vendor.project).items():
        text = html.unescape(data.decode("utf-8", errors="replace"))
        assert SECRET not in text and SECRET_NOTE not in text, rel
    changes = page(vendor, "changes.md")
    assert "definition of `account_closure` reworded" not in changes
    assert "definition of `other` reworded" in changes  # public changes stay
    assert "Changed in" not in page(vendor, "tasks/intent/account_closure.md")
    golden("handbook/history/vendor-changes.md", changes)


def test_since_option_of_the_build_command(
    repo: Git, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hb"
    argv = ["build", str(repo.root / PROJECT), "-t", "handbook", "-o", str(out), "--no-site"]
    assert main([*argv, "--since", "v1.0.0"]) == 0
    said = capsys.readouterr().out
    assert "(26 pages; 3 versions from git tags, changes since 1.0.0)" in said
    since = (out / "docs" / "changes-since.md").read_text(encoding="utf-8")
    assert since.startswith('---\ntitle: "What changed since 1.0.0"')
    assert "class `feature_request` added" in since and "class `medium` removed" in since
    versions = since.split("{#versions}")[1]
    assert versions.index("[2.0.0]") < versions.index("[1.1.0]")
    # an unknown version is an error that names the known ones
    assert main([*argv, "--since", "0.9.0"]) == 1
    err = capsys.readouterr().err
    assert "GK013" in err and "known: 1.0.0, 1.1.0, 2.0.0" in err
    assert "Traceback" not in err


def test_history_none_and_a_folder_outside_git(repo: Git, tmp_path: Path) -> None:
    none = build_handbook(repo.root / PROJECT, tmp_path / "none", site=False, history="none")
    text = page(none, "changes.md")
    assert "*No recorded history:" in text and "## 2.0.0" not in text
    # the authors' declared notes still reach the class pages
    assert "Questions about billing" in page(none, "tasks/intent/billing_question.md")
    assert "## Change notes {#notes}" in text
    copy = tmp_path / "copy"
    shutil.copytree(repo.root / PROJECT, copy)
    outside = build_handbook(copy, tmp_path / "outside", site=False)
    assert page(outside, "changes.md") == text
    with pytest.raises(GuidekitError) as info:
        build_handbook(copy, tmp_path / "bad", site=False, since="1.0.0")
    message = info.value.diagnostics[0].message
    assert info.value.diagnostics[0].code == "GK013" and "no recorded history" in message


def test_commits_as_the_source(repo: Git, tmp_path: Path) -> None:
    result = build_handbook(repo.root / PROJECT, tmp_path / "hb", site=False, history="commits")
    text = page(result, "changes.md")
    assert "Versions are read from git commits." in text
    commit = repo("rev-parse", "helpdesk-v2.0.0")[:12]
    assert f"Released 2024-03-01 (commit `{commit}`)." in text
    # no tag matches the pattern: `auto` falls back to the commits too
    out = tmp_path / "cli"
    argv = ["build", str(repo.root / PROJECT), "-t", "handbook", "-o", str(out), "--no-site"]
    assert main([*argv, "--tags", "support-tickets/v*"]) == 0
    assert (out / "docs" / "changes.md").read_text(encoding="utf-8") == text
    assert main([*argv, "--tags", "helpdesk-v1.*", "--history", "tags"]) == 0
    tagged = (out / "docs" / "changes.md").read_text(encoding="utf-8")
    assert "tag `helpdesk-v1.1.0`" in tagged and "## 2.0.0 (not released yet)" in tagged


def test_an_unreleased_version_leads_the_changelog(tmp_path: Path) -> None:
    git = released(tmp_path / "repo")
    project = git.root / PROJECT
    edit(
        project,
        "taxonomy/intent.yaml",
        lambda items: find(items, "refund_request").update(
            includes=["a refund for a cancelled order"]
        ),
    )
    set_version(project, "2.1.0")  # not committed: the working tree is ahead of git
    result = build_handbook(project, tmp_path / "hb", site=False)
    text = page(result, "changes.md")
    heads = [line for line in text.splitlines() if line.startswith("## ")]
    assert heads[:2] == ["## 2.1.0 (not released yet) {#v2-1-0}", "## 2.0.0 {#v2-0-0}"]
    assert "Not released yet: this version has no tag in git yet." in text
    since = page(result, "changes-since.md")
    assert since.startswith('---\ntitle: "What changed since 2.0.0"')
    assert "refund_request" in since and "login_problem" not in since
    assert "- [2.1.0](changes.md#v2-1-0) (not released yet) — 1 change: 1 compatible." in since


def test_an_old_checkout_ignores_later_tags(tmp_path: Path) -> None:
    git = released(tmp_path / "repo")
    git("checkout", "-q", "helpdesk-v1.1.0")
    result = build_handbook(git.root / PROJECT, tmp_path / "hb", site=False)
    text = page(result, "changes.md")
    assert "## 2.0.0" not in text and "## 1.1.0 {#v1-1-0}" in text
    assert result.changes is not None and result.changes.since == "1.0.0"


def test_first_version_has_nothing_to_compare_with(tmp_path: Path) -> None:
    git = v1_0(tmp_path / "repo")
    result = build_handbook(git.root / PROJECT, tmp_path / "hb", site=False)
    since = page(result, "changes-since.md")
    assert since.startswith('---\ntitle: "What changed since the previous version"')
    assert "*1.0.0 is the first recorded version" in since
    assert "the first recorded version." in page(result, "changes.md")


def test_since_the_shown_version_itself(repo: Git) -> None:
    g = load(repo.root / PROJECT)
    changes = read(g, since="2.0.0")
    assert changes.since == "2.0.0" and changes.since_items == ()
    hb = render_handbook(g, changes=changes)
    assert "*This handbook shows version 2.0.0 itself.*" in hb.pages["changes-since.md"]


def test_pages_are_plain_data_in_and_deterministic_out(repo: Git) -> None:
    g = load(repo.root / PROJECT)
    hist = history(repo.root / PROJECT)
    first = render_handbook(g, changes=from_history(g, hist))
    again = render_handbook(g, changes=read(g))
    assert first.pages == again.pages
    # the print view holds both pages, with anchors of their own
    printed = first.pages["print.md"]
    assert "## Changes {#p-changes}" in printed and "### 2.0.0 {#p-changes--v2-0-0}" in printed
    assert "[2.0.0](#p-changes--v2-0-0)" in printed


def test_change_texts_cannot_inject_markup(tmp_path: Path) -> None:
    """Definitions, notes and includes written by contributors reach the history pages as
    messages, notes and word diffs; none of it may become markup that runs code."""
    from .test_xss import PAYLOADS

    git = v1_0(tmp_path / "repo")
    project = git.root / PROJECT

    def change(items: list[dict[str, object]]) -> None:
        other = find(items, "other")  # type: ignore[arg-type]
        other["definition"] = "Anything else. " + " ".join(PAYLOADS)
        other["changes"] = [{"version": "1.1.0", "note": p} for p in PAYLOADS]
        dispute = find(items, "billing_dispute")  # type: ignore[arg-type]
        dispute["includes"] = [p.replace("\n", " ") for p in PAYLOADS[:10]]

    edit(project, "taxonomy/intent.yaml", change)
    set_version(project, "1.1.0")
    git.commit("1.1.0", date="2024-02-01T12:00:00Z")
    git.tag("helpdesk-v1.1.0")
    result = build_handbook(project, tmp_path / "hb")
    assert "<script>alert(1)</script>" in (load(project).tasks["intent"]["other"].definition or "")
    assert result.site is not None
    assert scan_site(result.site) == {}
    changes = page(result, "changes.md")
    assert "definition of `other` reworded" in changes and "<del>" in changes


@pytest.mark.usefixtures("plugin_registered")
def test_plugin_reads_the_history_and_takes_since(repo: Git, tmp_path: Path) -> None:
    from guidekit.handbook import build_site

    site = tmp_path / "host"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Our project\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        "site_name: Our project\ntheme:\n  name: material\nplugins:\n  - search\n"
        f"  - guidekit:\n      guideline: {repo.root / PROJECT}\n      prefix: hb\n"
        "      since: 1.0.0\n      audience: vendor\nnav:\n  - Home: index.md\n",
        encoding="utf-8",
    )
    built = build_site(site)
    since = (built / "hb" / "changes-since" / "index.html").read_text(encoding="utf-8")
    assert "What changed since 1.0.0" in since and "feature_request" in since
    text = "".join(p.read_text(encoding="utf-8") for p in built.rglob("*.html"))
    assert SECRET not in text and SECRET_NOTE not in text
    # a version the history lacks fails the build with the code
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("1.0.0", "0.1.0"), "utf-8")
    with pytest.raises(GuidekitError) as info:
        build_site(site)
    assert "GK013" in info.value.diagnostics[0].message


def test_release_with_nothing_visible_says_so(tmp_path: Path) -> None:
    """A version whose only change is internal shows no change to the vendor, and does not
    say that anything was hidden."""
    git = v1_0(tmp_path / "repo")
    project = git.root / PROJECT
    edit(
        project,
        "taxonomy/intent.yaml",
        lambda items: find(items, "account_closure").update(definition=f"Closing. {SECRET}."),
    )
    set_version(project, "1.0.1")
    git.commit("1.0.1", date="2024-01-15T12:00:00Z")
    git.tag("helpdesk-v1.0.1")
    result = build_handbook(project, tmp_path / "hb", site=False, audience="vendor")
    text = page(result, "changes.md")
    assert (
        "(tag `helpdesk-v1.0.1`). This handbook shows this version. Nothing in this handbook changed."
        in text
    )
    assert SECRET not in text and "account_closure" not in text


def test_a_history_read_for_another_audience_is_refused(repo: Git) -> None:
    """Changes are filtered when they are read: rendering the vendor's handbook with the
    history read for everybody would leak what the vendor may not see."""
    g = load(repo.root / PROJECT)
    with pytest.raises(ValueError, match="read for everybody"):
        render_handbook(g, audience="vendor", changes=read(g))
    with pytest.raises(GuidekitError) as info:
        read(g, audience="press")
    assert info.value.diagnostics[0].code == "GK011"
    assert (
        SECRET
        not in render_handbook(g, audience="vendor", changes=read(g, audience="vendor")).pages[
            "changes.md"
        ]
    )


def test_serve_checks_since_before_serving(
    repo: Git, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from guidekit.handbook.preview import write_shell

    # a bad version is an error at once, not a preview that fails on every rebuild
    assert main(["serve", str(repo.root / PROJECT), "--since", "0.1.0"]) == 1
    assert "GK013" in capsys.readouterr().err
    config = write_shell(
        tmp_path, repo.root / PROJECT, "vendor", since="1.0.0", history="tags", tags="helpdesk-v*"
    )
    hooks = (config.parent / "hooks.py").read_text(encoding="utf-8")
    for option in ("'since': '1.0.0'", "'history': 'tags'", "'tags': 'helpdesk-v*'"):
        assert option in hooks, option
