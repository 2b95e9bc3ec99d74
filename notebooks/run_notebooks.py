#!/usr/bin/env python3
"""Executes notebooks headless with the seqlab kernel and checks what they show.

    python3 notebooks/run_notebooks.py notebooks/*.ipynb

Needs nbclient and nbconvert (Debian: /usr/bin/python3 with python3-nbclient, jupyter-nbconvert)
and the kernel jar (./seqlab build). The kernelspec is installed into a temporary prefix for this
run only, as `./seqlab execute` does. For each notebook:

- every cell runs (errors do not stop the run, so one report lists every failure);
- an error output, or stderr output containing "Exception", fails the notebook;
- expectations in the notebook's metadata are checked, under "seqlab":
    expect_png_outputs: N    at least N outputs carry an image/png
    expect_html_outputs: N   at least N outputs carry text/html
    expect_audio_outputs: N  at least N outputs carry audio/wav, and the HTML export has at least N
                             <audio> players with the WAV inlined (frontends play the text/html player)
    expect_text: [s, ...]    each string appears in some text/plain or stream output
- the executed copy and an HTML export go to build/notebooks/ (--out DIR); the HTML must embed
  at least one PNG (data:image/png;base64) unless expect_png_outputs is 0;
- the kernel's peak resident memory (VmHWM) is printed, and with --max-kernel-memory SIZE (e.g. 2g)
  a notebook whose kernel went above it fails.

--installed-kernel uses the seqlab kernelspec Jupyter finds (binder/simulate.sh: the one postBuild
installed) instead of installing one from --jar.

The last line printed is exactly "N passed, N failed"; the exit status is 1 if any failed.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
KERNEL_NAME = "seqlab"
KNOWN_EXPECTATIONS = {"expect_png_outputs", "expect_html_outputs", "expect_audio_outputs", "expect_text"}


def install_kernelspec(jar: Path, prefix: Path) -> None:
    """Writes the seqlab kernelspec under prefix and points Jupyter at it (this process and its kernels)."""
    if not jar.is_file():
        sys.exit(f"missing {jar}: build it with ./seqlab build")
    subprocess.run(["java", "-jar", str(jar), "install", "--prefix", str(prefix)],
                   check=True, stdout=subprocess.DEVNULL)
    # as ./seqlab sets it, so that a direct run times what ./seqlab test times (the kernelspec's launcher,
    # seqlab-java, keeps a value it is given): on 2 busy cores two OpenMP threads made 09-attention 4-5x slower
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    data = str(prefix / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = data + (os.pathsep + os.environ["JUPYTER_PATH"] if os.environ.get("JUPYTER_PATH") else "")


def outputs(nb):
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                yield index, out


def check_outputs(nb) -> list:
    """Problems found in the executed notebook's outputs and against its expectations."""
    problems = []
    for index, out in outputs(nb):
        if out.output_type == "error":
            problems.append(f"cell {index}: {out.ename}: {out.evalue}")
        elif out.output_type == "stream" and out.name == "stderr" and "Exception" in out.text:
            problems.append(f"cell {index}: stderr: {out.text.strip()[:300]}")

    expect = nb.metadata.get("seqlab", {})
    unknown = set(expect) - KNOWN_EXPECTATIONS
    if unknown:
        problems.append(f"unknown expectations in metadata.seqlab: {sorted(unknown)} (known: {sorted(KNOWN_EXPECTATIONS)})")
    rich = [out.get("data", {}) for _, out in outputs(nb) if out.output_type in ("display_data", "execute_result")]
    for key, mime in (("expect_png_outputs", "image/png"), ("expect_html_outputs", "text/html"),
                      ("expect_audio_outputs", "audio/wav")):
        if key in expect:
            have = sum(1 for data in rich if mime in data)
            if have < expect[key]:
                problems.append(f"{key}: expected at least {expect[key]} {mime} outputs, found {have}")
    texts = [data.get("text/plain", "") for data in rich]
    texts += [out.text for _, out in outputs(nb) if out.output_type == "stream"]
    for wanted in expect.get("expect_text", []):
        if not any(wanted in t for t in texts):
            problems.append(f"expect_text: no output contains {wanted!r}")
    return problems


def parse_size(text: str) -> int:
    """'2g', '1500m', '2048M' or bytes, as SEQLAB_MEMORY is written."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    text = text.strip().lower()
    return int(float(text[:-1]) * units[text[-1]]) if text[-1:] in units else int(text)


class KernelPeak:
    """The kernel process's peak resident memory (VmHWM), read after every cell while it is alive."""

    def __init__(self):
        self.kilobytes = 0
        self.client = None

    def __call__(self, **_):
        process = getattr(getattr(getattr(self.client, "km", None), "provisioner", None), "process", None)
        try:
            with open(f"/proc/{process.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        self.kilobytes = max(self.kilobytes, int(line.split()[1]))
        except (AttributeError, OSError, ValueError):
            pass  # no such process any more, or not Linux


def run_one(path: Path, out_dir: Path, timeout: int, peak: KernelPeak) -> list:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=timeout, startup_timeout=120,
                            allow_errors=True, resources={"metadata": {"path": str(path.parent)}},
                            on_cell_executed=peak)
    peak.client = client
    problems = []
    try:
        client.execute()
    except Exception as e:  # a timeout or a dead kernel: still write what ran, for the report
        problems.append(f"execution failed: {type(e).__name__}: {e}")
    problems += check_outputs(nb)

    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / path.name
    nbformat.write(nb, executed)
    html, _ = HTMLExporter().from_notebook_node(nb)
    (out_dir / (path.stem + ".html")).write_text(html, encoding="utf-8")
    expect = nb.metadata.get("seqlab", {})
    if expect.get("expect_png_outputs", 1) > 0 and "data:image/png;base64" not in html:
        problems.append("the HTML export embeds no PNG image")
    players = len(re.findall(r'<audio\b[^>]*\bcontrols\b[^>]*\bsrc="data:audio/wav;base64,', html))
    if players < expect.get("expect_audio_outputs", 0):
        problems.append(f"the HTML export has {players} audio players with inlined WAV, expected at least "
                        f"{expect['expect_audio_outputs']}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "notebooks")
    parser.add_argument("--jar", type=Path, default=ROOT / "kernel-ext" / "target" / "seqlab-kernel.jar")
    parser.add_argument("--timeout", type=int, default=int(os.environ.get("SEQLAB_CELL_TIMEOUT", "900")),
                        help="seconds per cell")
    parser.add_argument("--installed-kernel", action="store_true",
                        help="use the seqlab kernelspec Jupyter finds instead of installing one from --jar")
    parser.add_argument("--max-kernel-memory", type=parse_size, default=None, metavar="SIZE",
                        help="fail a notebook whose kernel's peak resident memory exceeds SIZE (e.g. 2g)")
    args = parser.parse_args()

    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="seqlab-kernelspec-") as prefix:
        if not args.installed_kernel:
            install_kernelspec(args.jar, Path(prefix))
        for path in args.notebooks:
            started = time.monotonic()
            peak = KernelPeak()
            if not path.is_file():
                problems = [f"no such notebook: {path}"]
            else:
                problems = run_one(path, args.out, args.timeout, peak)
            took = time.monotonic() - started
            peak_mb = peak.kilobytes // 1024
            if args.max_kernel_memory and peak.kilobytes * 1024 > args.max_kernel_memory:
                problems.append(f"the kernel's peak resident memory {peak_mb} MB is above {args.max_kernel_memory >> 20} MB")
            summary = f"{took:.1f} s, kernel peak {peak_mb} MB" if peak.kilobytes else f"{took:.1f} s"
            if problems:
                failed += 1
                print(f"FAIL {path} ({summary})")
                for p in problems:
                    print(f"  - {p}")
            else:
                passed += 1
                print(f"PASS {path} ({summary})")
            sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
