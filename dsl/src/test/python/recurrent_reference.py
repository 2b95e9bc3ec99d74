"""Reference values for the recurrent layers (SimpleRnn, Lstm, Gru, Bidirectional), from PyTorch.

Run with Debian's python and torch (1.13):  /usr/bin/python3 recurrent_reference.py
Writes dsl/src/test/resources/reference/<case>.txt in the format of fixture_io.write_fixture.

Each case: random weights, input x (time-major rows [T*B, in], row t*B+b), initial state h0 (and
c0), in double precision. Saved: the torch parameters under their torch names, x, h0/c0, the
output (rows [T*B, H or 2H]), the final states hn/cn, a random R, and the gradients of
sum(output * R) with respect to every parameter (d_<torch name>), x (dx), h0 (dh0) and c0 (dc0).
Masked cases run packed sequences of the given lengths (right padding); their outputs are zero at
padded positions, and mask holds 1 for real and 0 for padded rows.
"""
import os

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from fixture_io import write_fixture

T, B, IN, H = 5, 3, 3, 4
OUT_DIR = os.path.join(os.path.dirname(__file__), "..", "resources", "reference")


def run_case(name, module, seed, lengths=None):
    torch.manual_seed(seed)
    module = module.double()
    with torch.no_grad():
        for p in module.parameters():
            p.uniform_(-0.8, 0.8)
    directions = 2 if module.bidirectional else 1
    is_lstm = isinstance(module, nn.LSTM)
    x = (torch.rand(T, B, IN, dtype=torch.double) * 2 - 1).requires_grad_()
    h0 = (torch.rand(directions, B, H, dtype=torch.double) - 0.5).requires_grad_()
    c0 = (torch.rand(directions, B, H, dtype=torch.double) - 0.5).requires_grad_()
    state = (h0, c0) if is_lstm else h0

    if lengths is None:
        out, final = module(x, state)
        mask = torch.ones(T, B, 1, dtype=torch.double)
    else:
        packed = pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
        out_packed, final = module(packed, state)
        out, _ = pad_packed_sequence(out_packed, total_length=T)
        mask = (torch.arange(T).unsqueeze(1) < torch.tensor(lengths).unsqueeze(0)).double().unsqueeze(2)

    R = torch.rand(out.shape, dtype=torch.double) - 0.5
    (out * R).sum().backward()

    arrays = {}
    for pname, p in module.named_parameters():
        arrays[pname] = p
    for pname, p in module.named_parameters():
        arrays["d_" + pname] = p.grad
    rows = lambda a: a.reshape(T * B, -1)
    arrays["x"] = rows(x)
    arrays["mask"] = rows(mask)
    arrays["out"] = rows(out)
    arrays["R"] = rows(R)
    arrays["dx"] = rows(x.grad)
    hn = final[0] if is_lstm else final
    for d in range(directions):
        arrays[f"h0_{d}"] = h0[d]
        arrays[f"hn_{d}"] = hn[d]
        arrays[f"dh0_{d}"] = h0.grad[d]
        if is_lstm:
            arrays[f"c0_{d}"] = c0[d]
            arrays[f"cn_{d}"] = final[1][d]
            arrays[f"dc0_{d}"] = c0.grad[d]
    os.makedirs(OUT_DIR, exist_ok=True)
    write_fixture(os.path.join(OUT_DIR, name + ".txt"), arrays)
    print("wrote", name)


if __name__ == "__main__":
    padded = [5, 3, 2]
    run_case("rnn_tanh", nn.RNN(IN, H, nonlinearity="tanh"), 1)
    run_case("rnn_relu", nn.RNN(IN, H, nonlinearity="relu"), 2)
    run_case("lstm", nn.LSTM(IN, H), 3)
    run_case("gru", nn.GRU(IN, H), 4)
    run_case("lstm_bidirectional", nn.LSTM(IN, H, bidirectional=True), 5)
    run_case("lstm_masked", nn.LSTM(IN, H), 6, lengths=padded)
    run_case("gru_masked", nn.GRU(IN, H), 7, lengths=padded)
    run_case("lstm_bidirectional_masked", nn.LSTM(IN, H, bidirectional=True), 8, lengths=padded)
