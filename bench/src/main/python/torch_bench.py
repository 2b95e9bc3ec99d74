#!/usr/bin/python3
"""Debian's PyTorch (python3-torch) on seqlab's benchmark workloads: same shapes, Adam, clip 5.

Run by org.seqlab.bench.Benchmark, one workload per process (or by hand):
    /usr/bin/python3 torch_bench.py --workload lstm512 --threads 1 --steps 20 --warmup 10
Prints one line "RESULT key=value ...": tokens_per_s, step_ms, peak_rss_mb, and blas (the BLAS
library torch's matrix products actually run on, read from threadpoolctl and the loaded
libraries) with blas_ok=0 when that is the reference (netlib) BLAS, whose speed says nothing
about PyTorch: Debian's python3-torch links libblas.so.3, which is the reference BLAS unless
libopenblas0-pthread (or another optimised BLAS) is installed as its alternative.
"""
import argparse
import ctypes
import os
import resource
import sys
import time


def _threads_arg():
    for i, a in enumerate(sys.argv):
        if a == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return "1"


# Debian's torch calls OpenBLAS (a pthreads build) as a generic BLAS, so torch.set_num_threads does not
# limit its gemms: without this, "--threads 1" ran them on every core. It must be set before torch loads.
os.environ["OPENBLAS_NUM_THREADS"] = _threads_arg()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CLASSES = 65
GENERATE_WARMUP = 500
# Least warm-up time, on top of the warm-up steps, as on the Java sides (Workload.WARMUP_SECONDS).
WARMUP_SECONDS = 6
# Least time of the timed steps, on top of --steps (Workload.TIMED_SECONDS).
TIMED_SECONDS = 4
GENERATED = 2000

# name: (layers, batch, time); the same list as org.seqlab.bench.Workload
WORKLOADS = {
    "lstm128": (["embed 64", "lstm 128"], 32, 100),
    "lstm512": (["embed 64", "lstm 512"], 32, 100),
    "gru512": (["embed 64", "gru 512"], 32, 100),
    "rnn512": (["embed 64", "rnn 512"], 32, 100),
    "music": (["embed 256", "lstm 1024"], 8, 100),
    "card": (["embed 256", "lstm 512", "attention 8"], 32, 100),
    "gpt": (["embed 256", "positional", "transformer 2 8 1024"], 32, 128),
    "generate": (["embed 64", "lstm 512"], 1, 1),
}


class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def blas_in_use():
    """(name, ok): the library that torch's sgemm_ calls resolve to, and False for the reference BLAS.

    Debian's libtorch_cpu needs both libblas.so.3 and libopenblas.so.0, and its generic BLAS calls bind
    to libblas.so.3 first: with the reference BLAS installed as that alternative, OpenBLAS is loaded
    (and threadpoolctl lists it) while every gemm runs on the reference code. So ask the dynamic
    linker where sgemm_ resolves for libtorch_cpu, and name that file.
    """
    lib_dir = os.path.join(os.path.dirname(torch.__file__), "lib")
    torch_cpu = ctypes.CDLL(os.path.join(lib_dir, "libtorch_cpu.so"))
    libc = ctypes.CDLL(None)
    info = _DlInfo()
    address = ctypes.cast(torch_cpu.sgemm_, ctypes.c_void_p)
    if not libc.dladdr(address, ctypes.byref(info)) or not info.dli_fname:
        return "unknown (sgemm_ not resolved)", False
    path = os.path.realpath(info.dli_fname.decode())
    name = os.path.join(os.path.basename(os.path.dirname(path)), os.path.basename(path))
    version = ""
    try:
        import threadpoolctl
        for lib in threadpoolctl.threadpool_info():
            same_dir = os.path.dirname(os.path.realpath(lib.get("filepath", ""))) == os.path.dirname(path)
            if lib.get("user_api") == "blas" and same_dir:
                version = " %s, %s kernels" % (lib.get("version"), lib.get("architecture"))
    except ImportError:
        pass
    optimised = any(word in path for word in ("openblas", "mkl", "blis", "atlas"))
    return (name + version) if optimised else "reference BLAS " + path, optimised


class CausalSelfAttention(nn.Module):
    """x + MHA(x) with a causal mask, as seqlab's attention layer."""

    def __init__(self, width, heads):
        super().__init__()
        self.mha = nn.MultiheadAttention(width, heads, batch_first=True)

    def forward(self, x):
        return x + self.mha(x, x, x, attn_mask=causal_mask(x.shape[1]), need_weights=False)[0]


def causal_mask(t):
    return torch.triu(torch.full((t, t), float("-inf")), diagonal=1)


class SinusoidalPositions(nn.Module):
    """x + P, P[t, 2i] = sin(t / 10000^(2i/D)), P[t, 2i+1] = cos(t / 10000^(2i/D)), as seqlab's positional()."""

    def __init__(self, width):
        super().__init__()
        self.width = width

    def forward(self, x):
        t = x.shape[1]
        steps = torch.arange(t, dtype=torch.float32).unsqueeze(1)
        angles = steps / torch.pow(10000.0, torch.arange(0, self.width, 2, dtype=torch.float32) / self.width)
        p = torch.zeros(t, self.width)
        p[:, 0::2] = torch.sin(angles)
        p[:, 1::2] = torch.cos(angles[:, : self.width // 2])
        return x + p


class Transformer(nn.Module):
    """Pre-norm causal blocks (nn.TransformerEncoderLayer, norm_first=True, exact GELU, no dropout) and a final LayerNorm."""

    def __init__(self, width, blocks, heads, ffn):
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model=width, nhead=heads, dim_feedforward=ffn, dropout=0.0, activation="gelu",
                                       layer_norm_eps=1e-5, batch_first=True, norm_first=True)
            for _ in range(blocks))
        self.norm = nn.LayerNorm(width, eps=1e-5)

    def forward(self, x):
        mask = causal_mask(x.shape[1])
        for block in self.blocks:
            x = block(x, src_mask=mask)
        return self.norm(x)


class CharModel(nn.Module):
    def __init__(self, layers):
        super().__init__()
        mods, width = [], 0
        for spec in layers:
            words = spec.split()
            kind, n = words[0], int(words[1]) if len(words) > 1 else 0
            if kind == "embed":
                mods.append(nn.Embedding(CLASSES, n))
            elif kind in ("lstm", "gru", "rnn"):
                mods.append({"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind](width, n, batch_first=True))
            elif kind == "attention":
                mods.append(CausalSelfAttention(width, n))
                n = width
            elif kind == "positional":
                mods.append(SinusoidalPositions(width))
                n = width
            elif kind == "transformer":
                mods.append(Transformer(width, n, int(words[2]), int(words[3])))
                n = width
            else:
                raise ValueError("torch side: no layer kind " + kind)
            width = n
        self.layers = nn.ModuleList(mods)
        self.out = nn.Linear(width, CLASSES)

    def forward(self, x, state=None):
        for m in self.layers:
            if isinstance(m, nn.RNNBase):
                x, state = m(x, state)
            else:
                x = m(x)
        return self.out(x), state


def parameter_count(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def train(name, steps, warmup, rss_steps, warmup_seconds=WARMUP_SECONDS):
    layers, batch, time_steps = WORKLOADS[name]
    torch.manual_seed(0)
    model = CharModel(layers)
    params = parameter_count(model)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randint(0, CLASSES, (batch, time_steps))
    y = torch.randint(0, CLASSES, (batch, time_steps))
    every = max(1, rss_steps // 10)
    times, rss = [], []
    warm_end = time.perf_counter() + warmup_seconds
    timed_end = float("inf")
    i = 0
    while (i < rss_steps) if rss_steps > 0 else (len(times) < steps or time.perf_counter() < timed_end):
        timed = rss_steps == 0 and i >= warmup and time.perf_counter() >= warm_end
        if timed and not times and timed_end == float("inf"):
            timed_end = time.perf_counter() + TIMED_SECONDS
        t0 = time.perf_counter()
        opt.zero_grad()
        logits, _ = model(x)
        loss = loss_fn(logits.reshape(-1, CLASSES), y.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if timed:
            times.append(time.perf_counter() - t0)
        if rss_steps > 0 and (i + 1) % every == 0:
            rss.append(rss_mb())
        i += 1
    if rss_steps > 0:
        return {"rss_steps": rss_steps, "rss_mb": ",".join("%.1f" % r for r in rss), "params": params}
    times.sort()
    n = len(times)
    median = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    return {"tokens_per_s": batch * time_steps / median, "step_ms": median * 1e3, "params": params}


def generate():
    """Tokens/s of generating GENERATED tokens one at a time, after GENERATE_WARMUP untimed ones."""
    layers, _, _ = WORKLOADS["generate"]
    torch.manual_seed(0)
    model = CharModel(layers).eval()

    def run(count):
        x = torch.tensor([[1]])
        state = None
        for _ in range(count):
            logits, state = model(x, state)
            p = torch.softmax(logits[0, -1] / 0.8, dim=-1)
            x = torch.multinomial(p, 1).view(1, 1)

    with torch.no_grad():
        warm_end = time.perf_counter() + WARMUP_SECONDS
        run(GENERATE_WARMUP)
        while time.perf_counter() < warm_end:
            run(GENERATE_WARMUP)
        t0 = time.perf_counter()
        run(GENERATED)
        return {"tokens_per_s": GENERATED / (time.perf_counter() - t0), "params": parameter_count(model)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workload", required=True, choices=list(WORKLOADS))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--rss-steps", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    blas, ok = blas_in_use()
    if args.workload == "generate":
        out = generate()
    else:
        out = train(args.workload, args.steps, args.warmup, args.rss_steps)
    out.update({"side": "torch", "workload": args.workload, "threads": args.threads, "version": torch.__version__,
                "blas": blas, "blas_ok": int(ok), "peak_rss_mb": peak_rss_mb()})
    print("RESULT " + " ".join("%s=%s" % (k, str(v).replace(" ", "_")) for k, v in out.items()))


if __name__ == "__main__":
    main()
