#!/usr/bin/env bash
# Install everything the test suite needs, then run it. Extra arguments go to pytest
# (for example: scripts/test.sh -m "not slow" for the quick subset).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Chromium for the browser tests, the en_US Hunspell dictionary for the
# built-in Vale engine's spelling rule. Tests that need them skip, with a reason, without them.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/share/hunspell/en_US.dic ] || need+=(hunspell-en-us)
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="-"; fi
  if [ "$sudo" != "-" ]; then
    echo "scripts/test.sh: installing ${need[*]}" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "scripts/test.sh: cannot install ${need[*]} (not root, no sudo); those tests will skip" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The engine extras too, so the leak test runs once per engine (MkDocs, ProperDocs, Zensical).
.venv/bin/python -m pip install -q -e '.[test,properdocs,zensical]'
exec .venv/bin/python -m pytest -n 2 "$@"
