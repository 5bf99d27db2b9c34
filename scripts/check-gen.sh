#!/usr/bin/env bash
# Fails when generated/ differs from what proto/ produces (someone edited it, or forgot `npm run gen`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/gen.sh >/dev/null
# In a git checkout (a worktree's .git is a file, so ask git): outside one there is nothing to compare with.
in_git=false
git rev-parse --is-inside-work-tree >/dev/null 2>&1 && in_git=true
if $in_git && ! git diff --quiet -- generated; then
  echo "generated/ is out of date with proto/: run 'npm run gen' and commit the result" >&2
  git --no-pager diff --stat -- generated >&2
  exit 1
fi
if $in_git && [ -n "$(git ls-files --others --exclude-standard -- generated)" ]; then
  echo "generated/ has files that are not committed: run 'npm run gen' and commit the result" >&2
  exit 1
fi
