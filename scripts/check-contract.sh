#!/usr/bin/env bash
# Fails when proto/ breaks the released contract (docs/contract/enlace-v1.binpb, a buf image of
# the protos as released): another state's node built against it must keep working. A
# deliberate break is a new protocol version with a new image, never an edit of this one.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/proto"
"$root/node_modules/.bin/buf" lint
"$root/node_modules/.bin/buf" breaking --against "$root/docs/contract/enlace-v1.binpb"
