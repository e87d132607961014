"""The GitHub Action's steps, run here the way GitHub runs them.

A small runner reads ``action.yml``, evaluates the ``${{ }}`` expressions its steps use from
a fake ``github`` context and the inputs, and runs each ``run:`` step with bash and the
``GITHUB_*`` variables GitHub sets (``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``,
``GITHUB_ACTION_PATH``, ``GITHUB_API_URL`` ...), in a shallow clone of a repository with a
pull request's change. The pull-request API is a stub on 127.0.0.1. ``uses:`` steps
(setup-python) and the install step are not run: the tests use the guidekit installed for
them (the install command is checked as text).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
ENV_GIT = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}

pytestmark = pytest.mark.skipif(shutil.which("guidekit") is None, reason="needs guidekit")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **ENV_GIT},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


# -- a pull request in a shallow clone -------------------------------------------------------


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """main with two releases (tags v2.3.0 and 2.3.1... of support-tickets), a release branch,
    and a pull-request branch that clarifies a definition without a bump."""
    repo = tmp_path / "origin"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "guidelines" / "support-tickets", repo / "guidelines" / "tickets")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "2.3.0")
    git(repo, "tag", "v2.3.0")
    git(repo, "branch", "release")
    entities = repo / "guidelines" / "tickets" / "taxonomy" / "entities.yaml"
    guideline = repo / "guidelines" / "tickets" / "guideline.yaml"
    entities.write_text(entities.read_text().replace("named the way", "named just the way"))
    guideline.write_text(guideline.read_text().replace("version: 2.3.0", "version: 2.3.1"))
    git(repo, "commit", "-qam", "2.3.1")
    git(repo, "checkout", "-qb", "pr")
    entities.write_text(entities.read_text().replace("named just the way", "named as"))
    git(repo, "commit", "-qam", "clarify without a bump")
    git(repo, "checkout", "-q", "main")
    return repo


def clone(origin: Path, tmp_path: Path, branch: str = "pr") -> Path:
    """What actions/checkout gives a pull request: depth 1, no tags."""
    work = tmp_path / "work"
    git(
        tmp_path,
        "clone",
        "-q",
        "--depth=1",
        "--no-tags",
        "--branch",
        branch,
        f"file://{origin}",
        str(work),
    )
    return work


def refs(repo: Path) -> set[str]:
    return set(git(repo, "for-each-ref", "--format=%(refname)").split())


# -- the step runner -------------------------------------------------------------------------


def _lookup(path: str, ctx: dict[str, Any]) -> Any:
    value: Any = ctx
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return ""
        value = value[part]
    return value


def evaluate(expr: str, ctx: dict[str, Any]) -> Any:
    """The subset of GitHub's expression language action.yml uses: lookups, string
    literals, ``==``, ``&&`` and ``||``."""
    expr = expr.strip()
    if "||" in expr:
        for part in expr.split("||"):
            value = evaluate(part, ctx)
            if value not in ("", None, False):
                return value
        return value
    if "&&" in expr:
        return all(evaluate(part, ctx) for part in expr.split("&&"))
    if "==" in expr:
        left, right = expr.split("==")
        return str(evaluate(left, ctx)) == str(evaluate(right, ctx))
    if expr.startswith("'") and expr.endswith("'"):
        return expr[1:-1]
    return _lookup(expr, ctx)


def substitute(text: str, ctx: dict[str, Any]) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), ctx)), text)


def run_action(
    work: Path, tmp: Path, inputs: dict[str, str], event: dict[str, Any], api: str
) -> tuple[dict[str, Any], list[subprocess.CompletedProcess[str]]]:
    declared = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    ctx: dict[str, Any] = {
        "inputs": {**declared, **inputs},
        "github": {
            "event_name": "pull_request",
            "event": event,
            "repository": "acme/labels",
            "token": "t0ken",
        },
        "steps": {},
    }
    ctx["inputs"]["github-token"] = substitute(ctx["inputs"]["github-token"], ctx)
    summary = tmp / "summary.md"
    results = []
    for step in ACTION["runs"]["steps"]:
        if "uses" in step or step.get("name") == "Install guidekit":
            continue
        if "if" in step and not evaluate(step["if"], ctx):
            continue
        out = tmp / f"output-{len(results)}"
        out.write_text("")
        env = {
            **os.environ,
            **ENV_GIT,
            "GITHUB_OUTPUT": str(out),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_API_URL": api,
            "GITHUB_REPOSITORY": "acme/labels",
            "RUNNER_TEMP": str(tmp),
            "NO_COLOR": "1",
        }
        env.update({k: substitute(str(v), ctx) for k, v in step.get("env", {}).items()})
        res = subprocess.run(
            ["bash", "-e", "-c", substitute(step["run"], ctx)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )
        results.append(res)
        outputs = dict(line.split("=", 1) for line in out.read_text().splitlines() if line)
        if "id" in step:
            ctx["steps"][step["id"]] = {"outputs": outputs}
        if res.returncode != 0 and not step.get("continue-on-error"):
            break
    ctx["summary"] = summary.read_text() if summary.exists() else ""
    return ctx, results


# -- the pull-request API on 127.0.0.1 -------------------------------------------------------


class Api:
    def __init__(self) -> None:
        self.comments: list[dict[str, Any]] = [
            {"id": n, "body": f"unrelated comment {n}"} for n in range(1, 131)
        ]
        self.calls: list[tuple[str, str, str]] = []


@pytest.fixture
def api() -> Iterator[tuple[str, Api]]:
    state = Api()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> dict[str, Any]:
            n = int(self.headers.get("Content-Length", "0"))
            return json.loads(self.rfile.read(n)) if n else {}

        def do_GET(self) -> None:
            state.calls.append(("GET", self.path, self.headers["Authorization"]))
            m = re.match(
                r"/repos/acme/labels/issues/7/comments\?per_page=100(?:&page=(\d))?", self.path
            )
            assert m, self.path
            page = int(m.group(1) or 1)
            items = state.comments[(page - 1) * 100 : page * 100]
            headers = {}
            if page * 100 < len(state.comments):
                nxt = f"{self.server_url}/repos/acme/labels/issues/7/comments?per_page=100&page={page + 1}"
                headers["Link"] = f'<{nxt}>; rel="next"'
            self._send(200, items, headers)

        def do_POST(self) -> None:
            state.calls.append(("POST", self.path, self.headers["Authorization"]))
            assert self.path == "/repos/acme/labels/issues/7/comments"
            made = {"id": 1000 + len(state.comments), "body": self._body()["body"]}
            state.comments.append(made)
            self._send(201, made)

        def do_PATCH(self) -> None:
            state.calls.append(("PATCH", self.path, self.headers["Authorization"]))
            cid = int(self.path.rsplit("/", 1)[1])
            comment = next(c for c in state.comments if c["id"] == cid)
            comment["body"] = self._body()["body"]
            self._send(200, comment)

    server = HTTPServer(("127.0.0.1", 0), Handler)
    url = f"http://127.0.0.1:{server.server_port}"
    Handler.server_url = url  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, state
    finally:
        server.shutdown()


# -- tests -----------------------------------------------------------------------------------


def test_install_step_uses_the_actions_own_checkout_by_default() -> None:
    step = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Install guidekit")
    assert ACTION["inputs"]["guidekit"]["default"] == ""
    assert '"${GUIDEKIT_REQUIREMENT:-$GITHUB_ACTION_PATH}"' in step["run"]
    for s in ACTION["runs"]["steps"]:
        if "uses" in s:
            assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", s["uses"]), s["uses"]


def test_pull_request_run_comments_once_and_updates_on_the_next_push(
    origin: Path, tmp_path: Path, api: tuple[str, Api]
) -> None:
    url, state = api
    work = clone(origin, tmp_path)
    base = git(origin, "rev-parse", "main")
    event = {"pull_request": {"number": 7, "base": {"sha": base}}}
    inputs = {"project": "guidelines/tickets"}
    ctx, results = run_action(work, tmp_path, inputs, event, url)
    *steps, check = results
    assert all(r.returncode == 0 for r in steps), [r.stderr for r in steps]
    # the definition changed and the version did not: the check step fails the job
    assert check.returncode == 1 and "GK70" in check.stdout
    assert ctx["steps"]["diff"]["outputs"]["required"] == "patch"
    assert "tickets" in ctx["summary"]
    posted = [c for c in state.calls if c[0] in ("POST", "PATCH")]
    assert [c[0] for c in posted] == ["POST"] and posted[0][2] == "Bearer t0ken"
    # the next push updates the same comment (found on the second page) instead of adding one
    n = len(state.comments)
    run_action(work, tmp_path, inputs, event, url)
    assert len(state.comments) == n
    assert [c[0] for c in state.calls if c[0] in ("POST", "PATCH")] == ["POST", "PATCH"]
    assert any("page=2" in c[1] for c in state.calls if c[0] == "GET")


@pytest.mark.parametrize(
    "base",
    [
        "v2.3.0",
        "release",
        "2.3.0",
        "SHA",
        "v2.3.0:guidelines/tickets",
        "release:guidelines/tickets",
    ],
)
def test_base_as_a_tag_branch_version_or_sha_in_a_shallow_clone(
    origin: Path, tmp_path: Path, base: str
) -> None:
    work = clone(origin, tmp_path)
    if base == "SHA":
        base = git(origin, "rev-parse", "v2.3.0")
    before = refs(work)
    step = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "base")
    out = tmp_path / "out"
    out.write_text("")
    env = {**os.environ, **ENV_GIT, "GITHUB_OUTPUT": str(out), "GITHUB_ACTION_PATH": str(ROOT)}
    res = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=work,
        env={**env, "BASE": base},
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    rev = out.read_text().strip().removeprefix("rev=")
    # no stray refs: at most the tag that was asked for
    new = refs(work) - before
    assert all(r.startswith("refs/tags/") for r in new), new
    assert not any("guidelines" in r for r in new)
    diff = subprocess.run(
        ["guidekit", "diff", rev, "guidelines/tickets", "--format", "json"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert diff.returncode == 0, diff.stderr
    assert json.loads(diff.stdout)["required"] in ("patch", "minor", "major")


def test_an_unknown_base_is_a_clear_error(origin: Path, tmp_path: Path) -> None:
    work = clone(origin, tmp_path)
    out = tmp_path / "out"
    out.write_text("")
    res = subprocess.run(
        ["bash", str(ROOT / "action" / "fetch-base.sh")],
        cwd=work,
        env={**os.environ, "GITHUB_OUTPUT": str(out), "BASE": "no-such-branch"},
        capture_output=True,
        text=True,
    )
    assert res.returncode == 1
    assert "::error::base 'no-such-branch'" in res.stdout
