"""A real git repository holding three tagged versions of a small guideline, for the tests of
the handbook's history pages (the helpers of the versioning tests build it)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from versioning.helpers import HELPDESK, Git, edit, find, set_version

PROJECT = "guidelines/helpdesk"
#: Text of an internal class: the `vendor` audience (public) must never see it.
SECRET = "RETENTION-OFFER-SIRIUS"
SECRET_NOTE = "WINBACK-SCRIPT-CANOPUS"


def v1_0(root: Path) -> Git:
    """1.0.0: the helpdesk fixture, with a `vendor` audience that sees public text only and
    an internal class (`account_closure`)."""
    git = Git(root)
    project = git.root / PROJECT
    shutil.copytree(HELPDESK, project)
    edit(project, "guideline.yaml", lambda g: g["governance"]["audiences"].update(vendor="public"))
    edit(
        project,
        "taxonomy/intent.yaml",
        lambda items: find(items, "account_closure").update(sensitivity="internal"),
    )
    git.commit("helpdesk 1.0.0", date="2024-01-01T12:00:00Z")
    git.tag("helpdesk-v1.0.0")
    return git


def v1_1(git: Git) -> None:
    """1.1.0: a new class; `other` reworded; the internal class reworded with a secret."""
    project = git.root / PROJECT

    def change(items: list[dict[str, Any]]) -> None:
        items.append(
            {
                "id": "feature_request",
                "name": "Feature request",
                "definition": "The customer asks for something the product does not do yet.",
                "examples": [{"body": "Please add dark mode."}],
            }
        )
        find(items, "other")["definition"] = "Anything that fits no other class, feedback included."
        closure = find(items, "account_closure")
        closure["definition"] = f"The customer wants to close the account; {SECRET} applies."
        closure["changes"] = [{"version": "1.1.0", "note": f"Read {SECRET_NOTE} first."}]

    edit(project, "taxonomy/intent.yaml", change)
    set_version(project, "1.1.0")
    git.commit("1.1.0: feature requests", date="2024-02-01T12:00:00Z")
    git.tag("helpdesk-v1.1.0")


def v2_0(git: Git) -> None:
    """2.0.0: `login_problem` renamed (with an alias), `billing_question` merged into
    `other` (with a note the authors declared), the urgency level `medium` removed."""
    project = git.root / PROJECT

    def urgency(g: dict[str, Any]) -> None:
        levels = g["tasks"]["urgency"]["classes"]
        levels[:] = [c for c in levels if c["id"] != "medium"]

    edit(project, "guideline.yaml", urgency)

    def change(items: list[dict[str, Any]]) -> None:
        find(items, "login_problem").update(id="sign_in_problem", aliases=["login_problem"])
        question = find(items, "billing_question")
        question.update(deprecated=True, replaced_by=["other"])
        question["changes"] = [
            {
                "version": "2.0.0",
                "impact": "minor",
                "note": "Questions about billing are *other* now; the billing team asked.",
            }
        ]

    edit(project, "taxonomy/intent.yaml", change)
    set_version(project, "2.0.0")
    git.commit("2.0.0", date="2024-03-01T12:00:00Z")
    git.tag("helpdesk-v2.0.0")


def released(root: Path) -> Git:
    git = v1_0(root)
    v1_1(git)
    v2_0(git)
    return git
