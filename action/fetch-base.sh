#!/usr/bin/env bash
# Resolve the Action's `base` input in the checkout (often a shallow clone) and print the
# revision guidekit should compare with. BASE may be a SHA, a branch, a tag, a version such
# as 2.5.0 (found by guidekit in tags, then in the history), or any of these with `:path`.
# Only the revision part is ever fetched: `REV:path` as a fetch refspec would create a
# local ref named `path`. Writes `rev=...` to $GITHUB_OUTPUT.
set -euo pipefail

if [ -z "${BASE:-}" ]; then
  echo "::error::no base revision: set the 'base' input or run on pull_request"
  exit 1
fi
rev="${BASE%%:*}"
path=""
if [ "$rev" != "$BASE" ]; then path=":${BASE#*:}"; fi

have() { git rev-parse --verify -q "$1^{commit}" >/dev/null 2>&1; }

resolved=""
if have "$rev"; then
  resolved="$rev"
elif have "origin/$rev"; then
  resolved="origin/$rev"
elif git fetch --no-tags --depth=1 origin "refs/tags/$rev:refs/tags/$rev" 2>/dev/null; then
  resolved="$rev"                                   # a tag: fetched under its own name
elif git fetch --no-tags --depth=1 origin "$rev" 2>/dev/null; then
  resolved=$(git rev-parse FETCH_HEAD)              # a branch or a commit
elif [[ "$rev" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  # a version: guidekit looks for it in tags, then in the guideline's history
  if [ "$(git rev-parse --is-shallow-repository)" = "true" ]; then
    git fetch --tags --unshallow origin
  else
    git fetch --tags origin
  fi
  resolved="$rev"
else
  echo "::error::base '$BASE': '$rev' is not a commit, branch, tag or version of origin"
  exit 1
fi
echo "rev=$resolved$path" >> "$GITHUB_OUTPUT"
echo "base: $BASE -> $resolved$path"
