"""Post the Markdown diff as a pull-request comment, or update the one posted before.

Run by the Action with the environment GitHub sets (GITHUB_API_URL, GITHUB_REPOSITORY) and
GH_TOKEN, PR, REPORT. The comment is found by the report's first line (a hidden marker), so
every push updates one comment instead of adding another. Standard library only: it runs
before anything else is installed and needs nothing from guidekit.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from typing import Any


def _call(method: str, url: str, token: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/vnd.github+json")
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("X-GitHub-Api-Version", "2022-11-28")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:  # the API URL GitHub gives
        return json.load(resp), resp.headers.get("Link", "")


def _next_page(link: str) -> str | None:
    for part in link.split(","):
        url, _, rel = part.partition(";")
        if 'rel="next"' in rel:
            return url.strip().strip("<>")
    return None


def main() -> int:
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repo, pr = os.environ["GITHUB_REPOSITORY"], os.environ["PR"]
    token = os.environ["GH_TOKEN"]
    with open(os.environ["REPORT"], encoding="utf-8") as f:
        body = f.read()
    marker = body.splitlines()[0] if body else ""
    url: str | None = f"{api}/repos/{repo}/issues/{pr}/comments?per_page=100"
    existing = None
    while url and existing is None:
        comments, link = _call("GET", url, token)
        existing = next((c["id"] for c in comments if c["body"].startswith(marker)), None)
        url = _next_page(link)
    if existing is not None:
        _call("PATCH", f"{api}/repos/{repo}/issues/comments/{existing}", token, {"body": body})
        print(f"updated comment {existing}")
    else:
        made, _ = _call("POST", f"{api}/repos/{repo}/issues/{pr}/comments", token, {"body": body})
        print(f"posted comment {made['id']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
