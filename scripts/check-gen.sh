#!/usr/bin/env bash
# Fails when generated/ differs from what proto/ produces (someone edited it, or forgot `npm run gen`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/gen.sh >/dev/null
if [ -d .git ] && ! git diff --quiet -- generated; then
  echo "generated/ is out of date with proto/: run 'npm run gen' and commit the result" >&2
  git --no-pager diff --stat -- generated >&2
  exit 1
fi
if [ -d .git ] && [ -n "$(git ls-files --others --exclude-standard -- generated)" ]; then
  echo "generated/ has files that are not committed: run 'npm run gen' and commit the result" >&2
  exit 1
fi
