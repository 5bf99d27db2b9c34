#!/usr/bin/env bash
# Runs ESLint with type information over the tree, zero warnings allowed. The linter's packages
# live in tools/lint with a lock file of their own (typescript-eslint needs TypeScript 6.0's
# compiler API; the project compiles with TypeScript 7); they are installed here when missing or
# older than that lock file.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
lint="tools/lint"
if [ ! -d "$lint/node_modules" ] || [ "$lint/package-lock.json" -nt "$lint/node_modules/.package-lock.json" ]; then
  echo "enlace lint: installing the linter's packages in $lint"
  npm ci --prefix "$lint" --no-audit --no-fund --loglevel=error
fi
exec "$lint/node_modules/.bin/eslint" --max-warnings 0 "$@" .
