#!/usr/bin/python3
"""PyTorch reference for seqlab's benchmark: the same workloads, shapes, optimizer and clipping.

Run by org.seqlab.bench.Benchmark in the same session (or by hand):
    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 torch_bench.py --workload lstm512 --threads 1 --steps 20
Prints one JSON line: {"workload", "threads", "tokens_per_s", "steps", "rss_mb"}.
"""
import argparse
import json
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

WORKLOADS = {
    # name: (cell, embed, hidden, batch, time, classes)
    "lstm128": ("lstm", 64, 128, 32, 100, 65),
    "lstm512": ("lstm", 64, 512, 32, 100, 65),
    "gru512": ("gru", 64, 512, 32, 100, 65),
    "rnn512": ("rnn", 64, 512, 32, 100, 65),
    "music": ("lstm", 256, 1024, 8, 100, 65),
}


class CharModel(nn.Module):
    def __init__(self, cell, embed, hidden, classes):
        super().__init__()
        self.embed = nn.Embedding(classes, embed)
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell]
        self.rnn = rnn(embed, hidden, batch_first=True)
        self.out = nn.Linear(hidden, classes)

    def forward(self, x, state=None):
        h, state = self.rnn(self.embed(x), state)
        return self.out(h), state


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def train(name, steps, warmup):
    cell, embed, hidden, batch, time_steps, classes = WORKLOADS[name]
    torch.manual_seed(0)
    model = CharModel(cell, embed, hidden, classes)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randint(0, classes, (batch, time_steps))
    y = torch.randint(0, classes, (batch, time_steps))
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        logits, _ = model(x)
        loss = loss_fn(logits.reshape(-1, classes), y.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    times.sort()
    median = times[len(times) // 2]
    return batch * time_steps / median


def generate(n, warmup):
    """Tokens/s of generating n tokens one at a time, after generating `warmup` tokens the same way
    (as the seqlab side warms up its JIT)."""
    cell, embed, hidden, batch, time_steps, classes = WORKLOADS["lstm512"]
    torch.manual_seed(0)
    model = CharModel(cell, embed, hidden, classes).eval()

    def run(count):
        x = torch.tensor([[1]])
        state = None
        for _ in range(count):
            logits, state = model(x, state)
            p = torch.softmax(logits[0, -1] / 0.8, dim=-1)
            x = torch.multinomial(p, 1).view(1, 1)

    with torch.no_grad():
        run(warmup)
        t0 = time.perf_counter()
        run(n)
        return n / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workload", required=True, choices=list(WORKLOADS) + ["generate"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--generate-warmup", type=int, default=500)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.workload == "generate":
        tps = generate(2000, args.generate_warmup)
    else:
        tps = train(args.workload, args.steps, args.warmup)
    print(json.dumps({"workload": args.workload, "threads": args.threads, "tokens_per_s": tps,
                      "steps": args.steps, "rss_mb": rss_mb()}))


if __name__ == "__main__":
    main()
