#!/usr/bin/env bash
# Installs the seqlab kernelspec into a temporary prefix and runs the kernel protocol tests
# against it through Debian's jupyter_client / jupyter_kernel_test.
# Prints a last line "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
jar="${SEQLAB_KERNEL_JAR:-$root/kernel-ext/target/seqlab-kernel.jar}"
python="${SEQLAB_PYTHON:-/usr/bin/python3}"

# SEQLAB_KERNEL_CLASSPATH runs the kernel from a build tree instead of the jar (development)
if [[ -n "${SEQLAB_KERNEL_CLASSPATH:-}" ]]; then
  launch=(java -cp "$SEQLAB_KERNEL_CLASSPATH" org.seqlab.kernel.Main)
  export SEQLAB_TEST_CLASSPATH="$SEQLAB_KERNEL_CLASSPATH"
else
  launch=(java -jar "$jar")
  export SEQLAB_TEST_CLASSPATH="$jar"   # the tests compile a small jjava extension against it
fi

if [[ -z "${SEQLAB_KERNEL_CLASSPATH:-}" && ! -f "$jar" ]]; then
  echo "missing $jar; build it: mvn -o -q -B -pl kernel-ext -am package -DskipTests" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
"${launch[@]}" install --prefix "$prefix" >/dev/null || { echo "kernelspec install failed" >&2; echo "0 passed, 1 failed"; exit 1; }
export JUPYTER_PATH="$prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_RUNTIME_DIR="$prefix/runtime"

log="$prefix/tests.log"
# SEQLAB_KERNEL_TESTS="Class Class.test test_memory_limits ..." runs a subset (development)
targets=(test_seqlab_kernel test_memory_limits)
if [[ -n "${SEQLAB_KERNEL_TESTS:-}" ]]; then
  targets=()
  for t in $SEQLAB_KERNEL_TESTS; do
    case "$t" in test_*) targets+=("$t") ;; *) targets+=("test_seqlab_kernel.$t") ;; esac
  done
fi
(cd "$here" && "$python" -m unittest -v "${targets[@]}" 2>&1) | tee "$log"
status=${PIPESTATUS[0]}

# unittest prints "Ran N tests" and "FAILED (failures=a, errors=b, skipped=c)" or "OK (skipped=c)"
ran=$(sed -n 's/^Ran \([0-9]*\) tests\?.*/\1/p' "$log" | tail -1)
ran=${ran:-0}
failures=$(grep -Eo 'failures=[0-9]+' "$log" | tail -1 | cut -d= -f2)
errors=$(grep -Eo 'errors=[0-9]+' "$log" | tail -1 | cut -d= -f2)
skipped=$(grep -Eo 'skipped=[0-9]+' "$log" | tail -1 | cut -d= -f2)
failed=$(( ${failures:-0} + ${errors:-0} ))
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
passed=$(( ran - failed - ${skipped:-0} ))
echo "$passed passed, $failed failed"
[[ $status -eq 0 && $failed -eq 0 ]]
