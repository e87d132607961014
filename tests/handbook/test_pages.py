"""Content of the handbook pages, generated from the IR only."""

from __future__ import annotations

import re

import pytest

from guidekit import ir
from guidekit.handbook import BuildResult, Handbook, render_handbook


@pytest.fixture(scope="module")
def hb(workshop: ir.Guideline) -> Handbook:
    return render_handbook(workshop)


def test_home_has_the_data_brief_and_version(hb: Handbook) -> None:
    home = hb.pages["index.md"]
    assert "version **1.4.0** (pilot)" in home
    for text in (
        "**Objective.** Train the returns triage model",
        "**The decision the model makes.** Which returns desk",
        "**Source data.** Return reviews",
        '!!! warning "Privacy"',
        "Customer names are replaced by `[NAME]`",
    ):
        assert text in home, text
    assert "| [Return reason](tasks/reason/index.md) | single choice |" in home


def test_quick_reference_lists_every_class_with_its_definition(
    hb: Handbook, workshop: ir.Guideline
) -> None:
    page = hb.pages["tasks/reason/index.md"]
    for cls in workshop.tasks["reason"].classes:
        assert f"[{cls.name}]({cls.id}.md)" in page
    assert "| The item arrived after the promised date. |" in page
    assert "*(deprecated)*" in page and "Use [Other](other.md) instead." in page


def test_quick_reference_shows_the_hierarchy_as_a_tree(hb: Handbook) -> None:
    page = hb.pages["tasks/reason/index.md"]
    tree = page.split("## Hierarchy")[1].split("## How to decide")[0]
    lines = [line for line in tree.splitlines() if line.strip().startswith("- ")]
    assert lines[0].startswith("- [Quality problem](quality.md) `quality` *(group)*")
    assert lines[1].startswith("    - [Broken](broken.md) `broken`")
    assert any(line.startswith("- [Changed mind](changed_mind.md)") for line in lines)


def test_how_to_decide_uses_boundaries_and_negatives(hb: Handbook) -> None:
    page = hb.pages["tasks/reason/index.md"]
    decide = page.split("## How to decide")[1]
    assert (
        "| [Broken](broken.md) | does not switch on; cracked housing; missing parts that were "
        "broken off | works but looks bad → [Cosmetic](cosmetic.md); arrives late → "
        "[Late delivery](late_delivery.md) |"
    ) in decide
    assert (
        "| [Broken](broken.md) | [Cosmetic](cosmetic.md) | It works; only the look is affected. |"
        in decide
    )
    # groups and deprecated classes are not choices
    assert "| [Quality problem](quality.md) |" not in decide
    assert "| [Wrong item](wrong_item.md) |" not in decide


def test_attributes_with_conditions(hb: Handbook) -> None:
    page = hb.pages["tasks/mentions/DEFECT.md"]
    assert "| `kind` | one of `electrical`, `mechanical`, `cosmetic` | yes | always |" in page
    assert "| `burn_risk` | yes / no | no | when `kind` is `electrical` |" in page
    ref = hb.pages["tasks/mentions/index.md"]
    assert "| [Defect](DEFECT.md) | `burn_risk` |" in ref


def test_class_page_sections(hb: Handbook) -> None:
    page = hb.pages["tasks/reason/broken.md"]
    order = [
        "# Broken {#top}",
        "## Definition {#definition}",
        "**Includes**",
        "**Excludes**",
        "**Also known as:** `defective`",
        "## Examples {#examples}",
        "## Not Broken {#negatives}",
        "## Edge cases {#edge-cases}",
        "### EC-001 {#ec-001}",
        "## When to escalate {#escalation}",
        "## Rules {#rules}",
    ]
    positions = [page.index(s) for s in order]
    assert positions == sorted(positions)
    assert "**Right label:** [Cosmetic](cosmetic.md)" in page
    assert "**Why:** It works; only the look is affected." in page
    assert "**Decision:** [Safety hazard](safety_hazard.md)" in page
    assert "**Rationale:** A part has broken even though the item partly works." in page
    assert "*Since version 1.1.0*" in page
    assert "Parent: [Quality problem](quality.md)" in page


def test_deprecation_points_to_the_replacement(hb: Handbook) -> None:
    page = hb.pages["tasks/reason/wrong_item.md"]
    assert '!!! warning "Deprecated"' in page
    assert "    Merged into other in 1.4.0." in page
    assert "    Use [Other](other.md) instead." in page


def test_edge_case_log_has_every_edge_case_newest_first(
    hb: Handbook, workshop: ir.Guideline
) -> None:
    page = hb.pages["edge-cases.md"]
    ids = [e.id for e in workshop.edge_cases()]
    assert sorted(ids) == ["EC-001", "EC-002", "EC-100"]
    rows = re.findall(r"^\| \[(EC-\d+)\]\(#", page, re.M)
    assert rows == ["EC-002", "EC-100", "EC-001"]  # 1.3.0, 1.2.0, 1.1.0
    assert (
        "| [EC-002](#ec-002) | [Return reason](tasks/reason/index.md) | "
        "[Broken](tasks/reason/broken.md) | [Safety hazard](tasks/reason/safety_hazard.md) | 1.3.0 |"
    ) in page
    assert "| *(task)* |" in page  # a task-level edge case
    assert 'class="gk-filter"' in page


def test_rules_in_plain_language(hb: Handbook) -> None:
    page = hb.pages["rules.md"]
    assert "**When** `reason` is `safety_hazard`, **then** `severity` is at least `high`." in page
    assert "Severity: **warning** — the record is reported for review." in page


def test_acceptance_explained_for_vendors(hb: Handbook) -> None:
    page = hb.pages["acceptance.md"]
    assert "Krippendorff's alpha of at least **0.8**" in page
    assert "Reviewers check **5%** of the records; at least **95%** of those must pass." in page
    assert "macro-averaged F1 against the gold labels of at least **0.9** (split `eval`)" in page
    assert "[Other](tasks/reason/other.md): at most **10%** of the records." in page
    assert "Records with a validation **error**: at most **0%**." in page
    assert "Every record carries: `annotator`, `guideline_version`." in page


def test_governance_levels_audiences_retention(hb: Handbook) -> None:
    page = hb.pages["governance.md"]
    assert "`public` < `internal` < `confidential`" in page
    assert "| vendor | `public` | External annotation vendor. |" in page
    assert "**90 days** (`P90D`)" in page
    assert "Do not share it outside the guideline's owners." in page


def test_glossary_lists_aliases_and_deprecated_ids(hb: Handbook) -> None:
    page = hb.pages["glossary.md"]
    assert "| `defective` | [Broken](tasks/reason/broken.md) `broken` | " in page
    assert "| `scuff` | [Damage](tasks/parts/damage.md)" not in page  # alias of scratch
    assert "| `scuff` | [Scratch](tasks/parts/scratch.md) `scratch` |" in page
    assert "| `wrong_item` | [Other](tasks/reason/other.md) |" in page
    assert "| **RMA** | Return merchandise authorisation" in page


def test_nav_is_by_task_and_search_is_on(hb: Handbook, workshop: ir.Guideline) -> None:
    titles = [next(iter(item)) for item in hb.nav]
    assert titles == ["Home", *(t.name for t in workshop.tasks.values()), "Reference"]
    assert hb.config["plugins"] == ["search", "offline"]  # offline: search from file://
    reason = next(item["Return reason"] for item in hb.nav if "Return reason" in item)
    assert reason[0] == "tasks/reason/index.md"
    assert {"Broken": "tasks/reason/broken.md"} in reason


def test_version_banner_on_every_built_page(built: BuildResult) -> None:
    assert built.site is not None
    for page in ("index.html", "tasks/reason/broken.html", "print.html"):
        text = (built.site / page).read_text(encoding="utf-8")
        assert "guideline version 1.4.0 · pilot" in text, page


def test_value_tasks_explain_their_answer(hb: Handbook) -> None:
    assert (
        "Give a number in probability (at least 0, at most 1)."
        in hb.pages["tasks/confidence/index.md"]
    )
    assert "Answer yes (`true`) or no (`false`)." in hb.pages["tasks/gift/index.md"]
    assert "at most 200 characters" in hb.pages["tasks/comment/index.md"]


def test_region_examples_are_drawn(hb: Handbook) -> None:
    defect = hb.pages["tasks/mentions/DEFECT.md"]
    assert defect.count('<mark class="gk-span"') == 3
    assert '<span class="gk-span__label">DEFECT</span></mark>' in defect
    item = hb.pages["tasks/parts/item.md"]
    assert '<svg class="gk-overlay" viewBox="0 0 160 120"' in item
    assert 'href="../../media/images/kettle-01.png"' in item
    pose = hb.pages["tasks/pose/kettle.md"]
    assert pose.count("<circle") == 3 and "(occluded)" in pose
    links = hb.pages["tasks/links/HAS_DEFECT.md"]
    assert '<ol class="gk-relations">' in links and "→" in links


def test_images_are_copied_once_per_file(hb: Handbook) -> None:
    media = sorted(k for k in hb.files if k.startswith("media/"))
    assert media == [
        "media/images/kettle-01.png",
        "media/images/kettle-02.png",
        "media/images/mug-01.png",
    ]
