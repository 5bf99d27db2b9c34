#!/usr/bin/env bash
# Regenerates generated/ from proto/ (the folder is wiped first; never edit it by hand).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rm -rf "$root/generated"
cd "$root/proto"
"$root/node_modules/.bin/buf" lint
"$root/node_modules/.bin/buf" generate
