#!/usr/bin/env bash
# Installs what the browser tests need, pinned: JupyterLab 4 and Notebook 7 (requirements.txt, the
# versions of Binder's default environment) in a virtual environment from PyPI, and playwright-core
# (package-lock.json) from npm. Chromium is Debian's (/usr/bin/chromium): nothing downloads a browser.
# Idempotent: does nothing when both are installed as pinned. .ci/run calls it; run.sh calls it when needed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
venv="${SEQLAB_BROWSER_VENV:-$root/build/browser-env/venv}"
python="${SEQLAB_BROWSER_PYTHON:-/usr/bin/python3}"

stamp="$venv/.seqlab-requirements"
if [[ ! -x "$venv/bin/jupyter-lab" ]] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  echo "browser tests: installing JupyterLab and Notebook into $venv" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv" \
    || { echo "browser tests: $python cannot make a virtual environment (Debian: apt-get install python3-venv)" >&2; exit 1; }
  "$venv/bin/pip" install -q --disable-pip-version-check --no-input -r "$here/requirements.txt" \
    || { echo "browser tests: pip could not install $here/requirements.txt from PyPI: is https://pypi.org reachable" \
              "(a proxy in PIP_INDEX_URL / HTTPS_PROXY)? Run this script again when it is." >&2; rm -rf "$venv"; exit 1; }
  cp "$here/requirements.txt" "$stamp"
fi

pinned="$(sed -n 's/.*"playwright-core": *"\([^"]*\)".*/\1/p' "$here/package.json")"
# (a fresh clone has no node_modules: with pipefail, reading the missing file would end the script unseen)
installed=""
if [[ -f "$here/node_modules/playwright-core/package.json" ]]; then
  installed="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$here/node_modules/playwright-core/package.json" | head -1)"
fi
if [[ "$installed" != "$pinned" ]]; then
  command -v npm >/dev/null || { echo "browser tests: npm is needed (Debian: apt-get install nodejs npm)" >&2; exit 1; }
  echo "browser tests: installing playwright-core (npm ci)" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || { echo "browser tests: npm could not install playwright-core from the npm registry: is https://registry.npmjs.org" \
              "reachable (npm config get registry; HTTPS_PROXY)? Run this script again when it is." >&2; exit 1; }
fi
[[ -x /usr/bin/chromium || -n "${CHROMIUM:-}" ]] || { echo "browser tests: Chromium is needed (Debian: apt-get install chromium)" >&2; exit 1; }
