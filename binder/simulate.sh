#!/usr/bin/env bash
# binder/simulate.sh [--memory SIZE] [--keep] [NOTEBOOK.ipynb...]
#
# Does what Binder's repo2docker does with this repository, as far as this machine allows, then runs
# every notebook the way a Binder user would, held to Binder's memory:
#   1. a fresh clone of the repository at HEAD (committed work only, as Binder builds a commit);
#   2. binder/apt.txt installed with apt-get (as root; otherwise only checked to be installed);
#   3. binder/postBuild run from the clone as a non-root user with a fresh, empty HOME, a Python
#      environment of its own first on PATH (Binder's is conda's; here a venv over Debian's Jupyter),
#      and a decoy `java` first on PATH, as Ubuntu's default JDK (21) would be: the build and the
#      kernelspec must name JDK 17 themselves;
#   4. checks: the kernelspec is visible to Jupyter and self-contained (jar and launcher beside
#      kernel.json, JDK 17's java, nothing fixed at build time); the build tree is gone;
#   5. every notebook (notebooks/*.ipynb of the clone, or those named) executed with the kernel that
#      postBuild installed, by run_notebooks.py with its checks, while the runner and its kernels are
#      held to SIZE (default 2g): a cgroup with that memory limit where this machine lets us make one
#      (v2 memory.max, or v1 memory.limit_in_bytes), else SEQLAB_MEMORY=SIZE; in both cases each
#      kernel's peak resident memory must stay under SIZE. Prints time and peak memory per notebook.
#
# Maven: the fresh HOME has no Maven repository, so the build resolves every artifact again, but
# from a file:// mirror of the invoking user's ~/.m2/repository (hard links, our own org/seqlab
# artifacts left out) instead of downloading ~150 MB from Maven Central; SEQLAB_SIM_MAVEN=central
# downloads for real. The last line is "binder simulation: passed" or "binder simulation: FAILED".
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
memory=2g
keep=0
notebooks=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --memory) memory="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,27s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) notebooks+=("$1"); shift ;;
  esac
done

say() { echo "binder-sim: $*" >&2; }
fail() { say "$*"; echo "binder simulation: FAILED"; exit 1; }
memory_bytes="$(python3 -c "import sys; t=sys.argv[1].strip().lower(); u={'k':1<<10,'m':1<<20,'g':1<<30}; print(int(float(t[:-1])*u[t[-1]]) if t[-1] in u else int(t))" "$memory")" \
  || fail "--memory $memory is not a size (write it like 2g or 1500m)"

started=$(date +%s)
sim="$(mktemp -d /tmp/seqlab-binder-sim.XXXXXX)"
chmod 755 "$sim"
cgroup=""
created_user=""
cleanup() {
  if [[ -n "$cgroup" && -d "$cgroup" ]]; then
    # the runner has exited; the group is empty and can go
    rmdir "$cgroup" 2>/dev/null || say "could not remove $cgroup"
  fi
  if [[ -n "$created_user" ]]; then
    # anything still running as the run's own user (a kernel, when the run was interrupted) goes first
    pkill -TERM -u "$created_user" 2>/dev/null && sleep 2 && pkill -KILL -u "$created_user" 2>/dev/null
    userdel "$created_user" 2>/dev/null || say "could not remove the user $created_user"
  fi
  if [[ $keep == 1 ]]; then say "kept $sim"; else rm -rf "$sim"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # the EXIT trap cleans up then too

# ---- 1. fresh clone at HEAD --------------------------------------------------------------------
if [[ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  say "note: uncommitted changes in $root are not simulated (Binder builds a commit)"
fi
git clone -q --no-hardlinks "$root" "$sim/repo" || fail "git clone failed"
say "clone of $(git -C "$sim/repo" log -1 --format='%h %s' | cut -c1-80)"

# ---- 2. apt.txt ----------------------------------------------------------------------------------
mapfile -t packages < <(sed 's/#.*//' "$sim/repo/binder/apt.txt" | tr -s ' \t' '\n' | sed '/^$/d')
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  t0=$(date +%s)
  # as repo2docker does; the package lists are refreshed only when the install needs it
  if ! DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends "${packages[@]}" > "$sim/apt.log" 2>&1; then
    apt-get -qq update >> "$sim/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends "${packages[@]}" >> "$sim/apt.log" 2>&1 \
      || { tail -30 "$sim/apt.log" >&2; fail "apt-get install of apt.txt failed"; }
  fi
  say "apt.txt installed (${packages[*]}) in $(( $(date +%s) - t0 )) s"
else
  for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || fail "apt.txt names $p, which is not installed (run as root to install it)"
  done
  say "apt.txt: not root, checked that ${packages[*]} are installed"
fi

# ---- 3. postBuild as a non-root user with a fresh HOME -------------------------------------------
home="$sim/home"
mkdir -p "$home"
created_user=""
if [[ "$(id -u)" == 0 ]]; then
  # a user of its own for this run, whose home (in /etc/passwd too: Java and Maven read it there)
  # is the fresh HOME; removed at the end
  user="seqlab-sim-$$"
  useradd --no-create-home --home-dir "$home" --shell /bin/bash --user-group "$user" || fail "could not create the user $user"
  created_user="$user"
  as_user=(runuser -u "$user" --)
else
  user="$(id -un)"
  as_user=()
  say "not root: postBuild runs as $user (with a fresh HOME)"
fi

decoy="$sim/decoy-jdk/bin"
mkdir -p "$decoy"
for tool in java javac; do
  printf '#!/bin/sh\necho "decoy %s first on PATH (as Ubuntu'"'"'s default JDK 21 would be): postBuild and the kernel must name JDK 17" >&2\nexit 97\n' "$tool" > "$decoy/$tool"
  chmod 755 "$decoy/$tool"
done

# Maven repository: a file:// mirror of what this machine's Maven already downloaded from Central
mkdir -p "$home/.m2"
if [[ "${SEQLAB_SIM_MAVEN:-mirror}" != central && -d "$HOME/.m2/repository" ]]; then
  mirror="$sim/maven-mirror"
  cp -al "$HOME/.m2/repository" "$mirror" 2>/dev/null || cp -a "$HOME/.m2/repository" "$mirror" || fail "could not copy the Maven repository"
  rm -rf "$mirror/org/seqlab"
  find "$mirror" \( -name '_remote.repositories' -o -name '*.lastUpdated' -o -name 'resolver-status.properties' \) -delete
  chmod -R a+rX "$mirror"
  cat > "$home/.m2/settings.xml" <<XML
<settings>
  <mirrors>
    <mirror><id>binder-sim</id><mirrorOf>*</mirrorOf><url>file://$mirror</url></mirror>
  </mirrors>
</settings>
XML
  say "Maven resolves into an empty ~/.m2 from a file:// mirror of $HOME/.m2/repository (SEQLAB_SIM_MAVEN=central downloads instead)"
fi
chown -R "$user" "$sim/repo" "$home" 2>/dev/null || [[ "$(id -u)" != 0 ]] || fail "chown failed"

# Binder's Python environment: first on PATH, owned by the user, with Jupyter in it (here Debian's)
user_env=(env -i "HOME=$home" "USER=$user" "LANG=C.UTF-8" "SHELL=/bin/bash"
          "PATH=$home/env/bin:$decoy:/usr/local/bin:/usr/bin:/bin")
"${as_user[@]}" "${user_env[@]}" /usr/bin/python3 -m venv --system-site-packages "$home/env" \
  || fail "could not create the Python environment (python3-venv)"

t0=$(date +%s)
( cd "$sim/repo" && chmod +x binder/postBuild && "${as_user[@]}" "${user_env[@]}" ./binder/postBuild ) > "$sim/postBuild.log" 2>&1
status=$?
build_seconds=$(( $(date +%s) - t0 ))
if [[ $status != 0 ]]; then
  tail -40 "$sim/postBuild.log" >&2
  fail "postBuild failed (exit $status) after $build_seconds s"
fi
say "postBuild done in $build_seconds s"
sed 's/^/  postBuild: /' "$sim/postBuild.log" | grep -v '^\s*postBuild: \s*$' | tail -5 >&2

# ---- 4. what postBuild left -------------------------------------------------------------------------
spec="$home/env/share/jupyter/kernels/seqlab"
check_output="$("${as_user[@]}" "${user_env[@]}" python3 - "$spec" "$sim/repo" <<'PYTHON' 2>&1
import json, os, subprocess, sys
from jupyter_client.kernelspec import KernelSpecManager
spec_dir, repo = sys.argv[1], sys.argv[2]
found = KernelSpecManager().get_kernel_spec("seqlab").resource_dir
problems = []
if os.path.realpath(found) != os.path.realpath(spec_dir):
    problems.append(f"Jupyter finds seqlab in {found}, not in the environment's {spec_dir}")
spec = json.load(open(os.path.join(found, "kernel.json")))
argv = spec["argv"]
if argv[0] != os.path.join(found, "seqlab-java") or not os.access(argv[0], os.X_OK):
    problems.append(f"argv[0] is not the launcher beside kernel.json: {argv[0]}")
if argv[2] != os.path.join(found, "seqlab-kernel.jar") or not os.path.isfile(argv[2]):
    problems.append(f"the class path is not the jar beside kernel.json: {argv[2]}")
if any(a.startswith(repo) for a in argv):
    problems.append(f"kernel.json points into the build tree: {argv}")
version = subprocess.run([argv[1], "-version"], capture_output=True, text=True).stderr
if 'version "17.' not in version:
    problems.append(f"kernel.json's java {argv[1]} is not JDK 17: {version.splitlines()[:1]}")
if spec.get("env") or any(a.startswith("-Xmx") for a in argv):
    problems.append(f"memory or CPU settings fixed at build time: env={spec.get('env')} argv={argv}")
for logo in ("logo-32x32.png", "logo-64x64.png", "logo-svg.svg"):
    if not os.path.isfile(os.path.join(found, logo)):
        problems.append(f"no {logo} in the kernelspec")
print("\n".join(problems) if problems else f"kernelspec ok: {found}, java {argv[1]}")
sys.exit(1 if problems else 0)
PYTHON
)" || fail "$check_output"
say "$check_output"
[[ ! -d "$home/.m2/repository" ]] || fail "postBuild left the Maven repository in the image (~/.m2/repository)"
[[ ! -e "$sim/repo/kernel-ext/target/seqlab-kernel.jar" ]] || fail "postBuild left the build tree (kernel-ext/target)"

# ---- 5. every notebook under the memory hold -----------------------------------------------------
if [[ ${#notebooks[@]} -eq 0 ]]; then
  notebooks=("$sim"/repo/notebooks/*.ipynb)
else
  for i in "${!notebooks[@]}"; do notebooks[$i]="$sim/repo/notebooks/$(basename "${notebooks[$i]}")"; done
fi
[[ -e "${notebooks[0]}" ]] || fail "no notebooks in notebooks/"

# whether a process can enter the group (cgroup v2 refuses one whose parent holds processes itself):
# a throwaway subshell tries, then exits
can_join() {
  ( echo "$BASHPID" > "$1/cgroup.procs" ) 2>/dev/null
}

# a memory cgroup below our own, if this machine lets us make one (and lets us put the runner in it)
make_cgroup() {
  local own mount dir
  own="$(sed -n 's/^0:://p' /proc/self/cgroup)"
  mount="$(awk '$9 == "cgroup2" {print $5; exit}' /proc/self/mountinfo)"
  if [[ -n "$own" && -n "$mount" ]]; then
    dir="$mount${own%/}/seqlab-binder-sim.$$"
    if [[ " $(cat "$mount${own%/}/cgroup.subtree_control" 2>/dev/null) " == *" memory "* ]] \
        && mkdir "$dir" 2>/dev/null; then
      if echo "$memory_bytes" > "$dir/memory.max" 2>/dev/null && can_join "$dir"; then
        echo 0 > "$dir/memory.swap.max" 2>/dev/null || true
        echo "v2 $dir"; return 0
      fi
      rmdir "$dir"
    fi
  fi
  own="$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3; exit}' /proc/self/cgroup)"
  mount="$(awk '$9 == "cgroup" && $NF ~ /(^|,)memory(,|$)/ {print $5; exit}' /proc/self/mountinfo)"
  if [[ -n "$mount" ]]; then
    dir="$mount${own%/}/seqlab-binder-sim.$$"
    if mkdir "$dir" 2>/dev/null; then
      if echo "$memory_bytes" > "$dir/memory.limit_in_bytes" 2>/dev/null && can_join "$dir"; then
        echo "$memory_bytes" > "$dir/memory.memsw.limit_in_bytes" 2>/dev/null || true
        echo "v1 $dir"; return 0
      fi
      rmdir "$dir"
    fi
  fi
  return 1
}

run_env=("${user_env[@]}")
if found="$(make_cgroup)"; then
  cgroup="${found#* }"
  hold="cgroup ${found%% *} $cgroup, limit $memory"
else
  run_env+=("SEQLAB_MEMORY=$memory")
  hold="SEQLAB_MEMORY=$memory (no memory cgroup can be made here), peak resident memory checked"
fi
say "notebooks held to $memory: $hold"

runner=("$sim/repo/notebooks/run_notebooks.py" --installed-kernel --max-kernel-memory "$memory"
        --out "$root/build/binder-sim/notebooks" "${notebooks[@]}")
mkdir -p "$root/build/binder-sim/notebooks"
chmod 777 "$root/build/binder-sim/notebooks"
t0=$(date +%s)
# the runner (and the kernels it starts) enter the cgroup before dropping to the user
( [[ -z "$cgroup" ]] || echo $BASHPID > "$cgroup/cgroup.procs" || { echo "binder-sim: could not enter $cgroup"; exit 1; }
  cd "$sim/repo/notebooks" && exec "${as_user[@]}" "${run_env[@]}" python3 "${runner[@]}" ) 2> "$sim/notebooks.err" | tee "$sim/notebooks.out"
status=${PIPESTATUS[0]}
notebook_seconds=$(( $(date +%s) - t0 ))

# the kernels said what they were given (seqlab-java sized them from the cgroup or SEQLAB_MEMORY)
budget_lines="$(grep '^seqlab: memory ' "$sim/notebooks.err" | sort | uniq -c)"
say "kernels reported: ${budget_lines:-nothing}"
grep -v '^seqlab: memory ' "$sim/notebooks.err" | grep -i -E 'exception|error|killed' | head -10 >&2
expected="$(python3 -c "import sys; b=int(sys.argv[1]); print(f'{b/(1<<30):.1f} GB' if b >= 1<<30 else f'{b>>20} MB')" "$memory_bytes")"
if ! grep -q "^seqlab: memory $expected " "$sim/notebooks.err"; then
  status=1; say "no kernel reported the $expected it was held to"
fi
if [[ -n "$cgroup" ]]; then
  if [[ -f "$cgroup/memory.events" ]]; then
    kills="$(awk '$1 == "oom_kill" {print $2}' "$cgroup/memory.events")"
    peak="$(cat "$cgroup/memory.peak" 2>/dev/null || echo "?")"
  else
    kills="$(awk '$1 == "oom_kill" {print $2}' "$cgroup/memory.oom_control" 2>/dev/null)"
    peak="$(cat "$cgroup/memory.max_usage_in_bytes" 2>/dev/null || echo "?")"
  fi
  [[ "$peak" =~ ^[0-9]+$ ]] && peak="$(( peak >> 20 )) MB" 
  say "cgroup: peak $peak (runner, kernels and page cache together), out-of-memory kills: ${kills:-0}"
  [[ "${kills:-0}" == 0 ]] || { status=1; say "the system killed a process for memory"; }
fi
say "postBuild $build_seconds s, notebooks $notebook_seconds s, total $(( $(date +%s) - started )) s; executed copies in build/binder-sim/notebooks/"
if [[ $status == 0 ]]; then echo "binder simulation: passed"; else echo "binder simulation: FAILED"; fi
exit $status
