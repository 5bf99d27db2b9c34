#!/usr/bin/env bash
# Fails when docs/codes/ differs from the code tables the node uses (services/requests/codes*.ts):
# someone edited the published tables, or changed a table and forgot `npm run codes`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
node_modules/.bin/tsx scripts/gen-codes.ts --check
