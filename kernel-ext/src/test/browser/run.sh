#!/usr/bin/env bash
# kernel-ext/src/test/browser/run.sh [NOTEBOOK.ipynb...]
#
# The seqlab kernel in the frontends Binder serves, driven headless in Debian's Chromium:
# starts JupyterLab 4 (with Notebook 7 in the same server) on 127.0.0.1 with the kernel installed as a
# user installs it (`java -jar seqlab-kernel.jar install --user`, into a fresh HOME), then runs
# frontends.mjs: 00-quickstart and one more tutorial (the music one when it exists, else 01) in
# JupyterLab, the quickstart again in Notebook 7. Screenshots go to build/browser/.
# Reuses kernel-ext/target/seqlab-kernel.jar (./seqlab build); setup.sh installs the pinned frontends.
# The last line is "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
jar="${SEQLAB_KERNEL_JAR:-$root/kernel-ext/target/seqlab-kernel.jar}"
venv="${SEQLAB_BROWSER_VENV:-$root/build/browser-env/venv}"
out="${SEQLAB_BROWSER_OUT:-$root/build/browser}"

die() { echo "browser tests: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
[[ -f "$jar" ]] || die "missing $jar: build it with ./seqlab build"
"$here/setup.sh" || die "setup failed"

if [[ $# -gt 0 ]]; then
  notebooks=("$@")
else
  second="$(ls "$root"/notebooks/*music*.ipynb 2>/dev/null | head -1)"
  notebooks=("$root/notebooks/00-quickstart.ipynb" "${second:-$root/notebooks/01-inside-rnns.ipynb}")
fi

work="$(mktemp -d /tmp/seqlab-browser.XXXXXX)"
server_pid=""
stop() {  # PID: the server shuts its kernels down on SIGTERM
  [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1"
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$1" 2>/dev/null
}
cleanup() {
  stop "$server_pid"
  stop "${classic_pid:-}"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A user's machine: a fresh HOME, the kernel installed for that user, the notebooks in a folder of
# their own (JupyterLab saves what it runs; the repository's copies stay as they are).
export HOME="$work/home" JUPYTER_CONFIG_DIR="$work/home/.jupyter"
unset JUPYTER_PATH JUPYTER_DATA_DIR JUPYTER_RUNTIME_DIR XDG_DATA_HOME OPENBLAS_CORETYPE OMP_NUM_THREADS
mkdir -p "$HOME" "$work/notebooks" "$out"
rm -f "$out"/*.png   # only this run's screenshots
java -jar "$jar" install --user > "$work/install.log" 2>&1 || { cat "$work/install.log" >&2; die "kernelspec install failed"; }
cp "${notebooks[@]}" "$work/notebooks/"
mkdir -p "$work/notebooks/notebook7"
cp "${notebooks[0]}" "$work/notebooks/notebook7/"
# The frontends are under test here, not the tutorials (binder/simulate.sh runs those in full): the
# first notebook, which JupyterLab and Notebook 7 both run and the interactive checks use, trains at
# most SEQLAB_BROWSER_STEPS steps per fit (default 60: ~18 live chart redraws). The tutorial runs as
# written: its later cells may need what a full fit learns (07-music needs a tune it can parse).
# SEQLAB_BROWSER_STEPS=0 keeps the first notebook as it is too.
steps="${SEQLAB_BROWSER_STEPS:-60}"
first="$(basename "${notebooks[0]}")"
if [[ "$steps" != 0 ]]; then
  python3 - "$steps" "$work/notebooks/$first" "$work/notebooks/notebook7/$first" <<'PYTHON'
import json, re, sys
cap = int(sys.argv[1])
shorter = lambda m: f"FitOptions.steps({min(cap, int(m.group(1).replace('_', '')))})"
for path in sys.argv[2:]:
    nb = json.load(open(path))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            cell["source"] = re.sub(r"FitOptions\.steps\(([\d_]+)\)", shorter, source)
    json.dump(nb, open(path, "w"), indent=1)
PYTHON
fi
# no "would you like news?" prompt over the notebook; every cell in the page (JupyterLab's default
# windowing attaches only the cells in view, which the checks could not see)
settings="$HOME/.jupyter/lab/user-settings/@jupyterlab"
mkdir -p "$settings/apputils-extension" "$settings/notebook-extension"
echo '{ "fetchNews": "false", "checkForUpdates": false }' > "$settings/apputils-extension/notification.jupyterlab-settings"
echo '{ "windowingMode": "none" }' > "$settings/notebook-extension/tracker.jupyterlab-settings"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
extra=()
[[ "$(id -u)" == 0 ]] && extra+=(--allow-root)
"$venv/bin/jupyter-lab" --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port="$port" \
  --IdentityProvider.token="$token" --ServerApp.root_dir="$work/notebooks" "${extra[@]}" \
  > "$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$port/api/status?token=$token" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { tail -20 "$out/server.log" >&2; die "JupyterLab did not start"; }
  sleep 0.2
done

# opt-in, for comparison: Debian's classic Notebook 6 on the same folder
classic_pid=""
if [[ "${SEQLAB_BROWSER_CLASSIC:-0}" == 1 ]]; then
  classic_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  /usr/bin/python3 -m notebook --no-browser --ip=127.0.0.1 --port="$classic_port" --NotebookApp.token="$token" \
    --notebook-dir="$work/notebooks" "${extra[@]}" > "$out/classic-server.log" 2>&1 &
  classic_pid=$!
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$classic_port/api/status?token=$token" >/dev/null 2>&1 && break
    sleep 0.2
  done
  export SEQLAB_CLASSIC_URL="http://127.0.0.1:$classic_port" SEQLAB_CLASSIC_TOKEN="$token"
fi

names=()
for nb in "${notebooks[@]}"; do names+=("$(basename "$nb")"); done
SEQLAB_LAB_URL="http://127.0.0.1:$port" SEQLAB_LAB_TOKEN="$token" SEQLAB_BROWSER_OUT="$out" \
SEQLAB_VERSIONS="$("$venv/bin/python" -c 'import jupyterlab, notebook, jupyter_server; print(f"JupyterLab {jupyterlab.__version__}, Notebook {notebook.__version__}, jupyter_server {jupyter_server.__version__}")')" \
  node "$here/frontends.mjs" "${names[@]}"
