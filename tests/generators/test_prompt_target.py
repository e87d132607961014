"""``guidekit build --target prompt``: the labelling prompt and its answer schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from guidekit.cli import main
from guidekit.compiler.pipeline import load
from guidekit.generators.prompt import estimate_tokens

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "guidelines" / "support-tickets"


def test_prompt_files_per_task_with_schemas_and_token_estimates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "prompt"
    assert main(["build", str(TICKETS), "-t", "prompt", "-o", str(out)]) == 0
    capsys.readouterr()
    g = load(TICKETS)
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert list(index["tasks"]) == list(g.tasks)
    text = (out / "intent.prompt.md").read_text(encoding="utf-8")
    assert index["tasks"]["intent"]["estimated_tokens"] == estimate_tokens(text)
    assert "## Edge-case decisions" in text and "- EC-001:" in text
    assert text.index("### billing_dispute") < text.index("### refund_request")  # stable order
    # evaluation items are the answers: never in a prompt
    assert all(i.id not in text for i in g.evaluation.items if i.source == "item")
    assert "dent in the lid" not in text
    schema = json.loads((out / "intent.answer.schema.json").read_text(encoding="utf-8"))
    openai = json.loads((out / "intent.openai.json").read_text(encoding="utf-8"))
    anthropic = json.loads((out / "intent.anthropic.json").read_text(encoding="utf-8"))
    assert openai["json_schema"]["schema"] == schema == anthropic["input_schema"]
    # the schema accepts the guideline's own answers and rejects a label that is no class
    for item in g.evaluation.items:
        for tid, value in item.labels.items():
            task_schema = json.loads((out / f"{tid}.answer.schema.json").read_text())
            jsonschema.validate({tid: value}, task_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"intent": "not_a_class"}, schema)


def test_a_public_audience_prompt_has_no_internal_edge_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "vendor"
    assert main(["build", str(TICKETS), "-t", "prompt", "-o", str(out), "-a", "vendor"]) == 0
    capsys.readouterr()
    text = (out / "intent.prompt.md").read_text(encoding="utf-8")
    assert "- EC-001:" in text and "- EC-002:" not in text  # EC-002 is internal


@pytest.mark.parametrize("audience", [None, "annotator"])
def test_the_prompt_files_of_support_tickets_are_golden(
    tmp_path: Path, audience: str | None, golden: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every file of the prompt target, byte for byte: a change to the prompt's wording or
    order, or to the answer schema, shows in review as a diff of these files."""
    out = tmp_path / "prompt"
    args = ["build", str(TICKETS), "-t", "prompt", "-o", str(out)]
    assert main([*args, *(["-a", audience] if audience else [])]) == 0
    capsys.readouterr()
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert "entities.anthropic.json" in names and "index.json" in names
    for name in names:
        golden(f"prompt/support-tickets.{audience or 'all'}.{name}", (out / name).read_bytes())
