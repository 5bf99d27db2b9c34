#!/usr/bin/env bash
# Installs what Enlace needs on a Debian machine with Node 20: npm packages, nats-server and the
# DejaVu fonts of the letter of request (Debian packages) and, with --test, Chromium for the
# browser tests. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
want_browser=0
[ "${1:-}" = "--test" ] && want_browser=1

say() { printf 'enlace setup: %s\n' "$*"; }

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  say "Node.js 20 or later is required (found $(node --version)). Install Node 20 and run again."
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm install --no-audit --no-fund
fi

apt_packages=()
if [ -z "${ENLACE_NATS_SERVER:-}" ] && ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
  apt_packages+=(nats-server)
fi
# The letter of request (PDF) is set in DejaVu: gateway/ui/letter/pdf.ts reads it from here.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ]; then
  apt_packages+=(fonts-dejavu-core)
fi
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  apt_packages+=(chromium)
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${apt_packages[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  else
    say "missing: ${apt_packages[*]}. Install with: sudo apt-get install ${apt_packages[*]}"
    say "(or set ENLACE_NATS_SERVER to the path of a nats-server binary)"
    exit 1
  fi
fi
