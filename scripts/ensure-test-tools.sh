#!/usr/bin/env bash
# Installs what the test suites need and a fresh machine may lack: redis-server and Debian's
# chromium. Runs before `npm test`; does nothing when both are there.
set -u
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(none); fi
fi
if [ "${as_root[0]:-}" = none ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-tools: missing ${missing[*]} and cannot install them here (needs apt-get as root)." >&2
  echo "ensure-test-tools: install them, or set REDIS_URL; browser suites skip without chromium." >&2
  exit 0
fi
echo "ensure-test-tools: installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq || echo "ensure-test-tools: apt-get update failed; trying the install anyway" >&2
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
