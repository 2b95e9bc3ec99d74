"""PyTorch reference values for the feed-forward layers, attention and the losses.

Run with Debian's python and torch (not a virtualenv):
    /usr/bin/python3 dsl/src/test/python/attention_reference.py
Writes small plain-text fixtures into dsl/src/test/resources/reference/, read by the Java tests
through org.seqlab.testing.TorchFixture. Everything is computed in float64. Layouts are PyTorch's
(batch first, Linear weights [out, in]); the Java tests convert them to seqlab's layouts.
Gradients are of sum(out * R) for a fixed random R (zero at padded positions).
"""
import os

import torch

from fixture_io import write_fixture

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "reference")


def padding_mask(lengths, time):
    """[B, T] float mask: 1 for real steps, 0 for padding on the right."""
    return torch.tensor([[1.0 if t < n else 0.0 for t in range(time)] for n in lengths], dtype=torch.float64)


def mha_case(name, seed, batch, time, width, heads, causal, residual, lengths):
    torch.manual_seed(seed)
    mha = torch.nn.MultiheadAttention(width, heads, batch_first=True).double()
    with torch.no_grad():  # torch starts biases at 0; random ones test the bias gradients too
        mha.in_proj_bias.uniform_(-0.5, 0.5)
        mha.out_proj.bias.uniform_(-0.5, 0.5)
    x = (torch.rand(batch, time, width, dtype=torch.float64) * 2 - 1).requires_grad_()
    mask = padding_mask(lengths, time)
    kpm = mask == 0  # True = padded key
    attn_mask = torch.triu(torch.ones(time, time, dtype=torch.bool), diagonal=1) if causal else None
    r = (torch.rand(batch, time, width, dtype=torch.float64) - 0.5) * mask.unsqueeze(-1)

    attn, avg_weights = mha(x, x, x, key_padding_mask=kpm, attn_mask=attn_mask, need_weights=True)
    out = x + attn if residual else attn
    (out * r).sum().backward()
    with torch.no_grad():
        _, head_weights = mha(x, x, x, key_padding_mask=kpm, attn_mask=attn_mask, need_weights=True,
                              average_attn_weights=False)
    write_fixture(os.path.join(OUT, name + ".txt"), {
        "x": x, "mask": mask, "R": r,
        "in_proj_weight": mha.in_proj_weight, "in_proj_bias": mha.in_proj_bias,
        "out_proj_weight": mha.out_proj.weight, "out_proj_bias": mha.out_proj.bias,
        "out": out, "weights_avg": avg_weights, "weights_heads": head_weights,
        "grad_x": x.grad, "grad_in_proj_weight": mha.in_proj_weight.grad,
        "grad_in_proj_bias": mha.in_proj_bias.grad, "grad_out_proj_weight": mha.out_proj.weight.grad,
        "grad_out_proj_bias": mha.out_proj.bias.grad,
    })


def layer_norm_case():
    torch.manual_seed(11)
    ln = torch.nn.LayerNorm(6, eps=1e-5).double()
    with torch.no_grad():
        ln.weight.uniform_(0.5, 1.5)
        ln.bias.uniform_(-0.5, 0.5)
    x = (torch.randn(5, 6, dtype=torch.float64) * 2 + 0.3).requires_grad_()
    r = torch.rand(5, 6, dtype=torch.float64) - 0.5
    out = ln(x)
    (out * r).sum().backward()
    write_fixture(os.path.join(OUT, "layer_norm.txt"), {
        "x": x, "weight": ln.weight, "bias": ln.bias, "R": r, "out": out,
        "grad_x": x.grad, "grad_weight": ln.weight.grad, "grad_bias": ln.bias.grad,
    })


def linear_case():
    torch.manual_seed(12)
    lin = torch.nn.Linear(4, 3).double()
    arrays = {"weight": lin.weight.detach().clone(), "bias": lin.bias.detach().clone()}
    x0 = torch.rand(5, 4, dtype=torch.float64) * 2 - 1
    r = torch.rand(5, 3, dtype=torch.float64) - 0.5
    arrays["x"] = x0
    arrays["R"] = r
    activations = {"identity": lambda z: z, "tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid,
                   "gelu": torch.nn.functional.gelu}  # exact (erf) GELU, torch's default
    for act_name, act in activations.items():
        lin.zero_grad()
        x = x0.clone().requires_grad_()
        out = act(lin(x))
        (out * r).sum().backward()
        arrays[act_name + "_out"] = out
        arrays[act_name + "_grad_x"] = x.grad
        arrays[act_name + "_grad_weight"] = lin.weight.grad.clone()
        arrays[act_name + "_grad_bias"] = lin.bias.grad.clone()
    write_fixture(os.path.join(OUT, "linear.txt"), arrays)


def embedding_case():
    torch.manual_seed(13)
    emb = torch.nn.Embedding(7, 3).double()
    ids = torch.tensor([[1, 3, 3, 0], [6, 1, 2, 2]])  # duplicates accumulate; row 1 padded after 2 steps
    mask = padding_mask([4, 2], 4)
    r = (torch.rand(2, 4, 3, dtype=torch.float64) - 0.5) * mask.unsqueeze(-1)
    out = emb(ids)
    (out * r).sum().backward()
    write_fixture(os.path.join(OUT, "embedding.txt"), {
        "ids": ids.double(), "mask": mask, "weight": emb.weight, "R": r, "out": out,
        "grad_weight": emb.weight.grad,
    })


def cross_entropy_case():
    torch.manual_seed(14)
    logits = (torch.randn(6, 5, dtype=torch.float64) * 3).requires_grad_()
    targets = torch.tensor([4, 0, -100, 2, 2, -100])  # -100 = ignore_index, seqlab's masked rows
    loss = torch.nn.CrossEntropyLoss(ignore_index=-100)(logits, targets)
    loss.backward()
    write_fixture(os.path.join(OUT, "cross_entropy.txt"), {
        "logits": logits, "targets": targets.double(), "mask": (targets != -100).double(),
        "loss": loss, "grad_logits": logits.grad, "probabilities": torch.softmax(logits, dim=1),
    })


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    mha_case("mha_causal_padded_residual", 21, batch=2, time=4, width=6, heads=2, causal=True, residual=True, lengths=[4, 2])
    mha_case("mha_padded", 22, batch=3, time=5, width=8, heads=4, causal=False, residual=False, lengths=[5, 3, 1])
    layer_norm_case()
    linear_case()
    embedding_case()
    cross_entropy_case()
    print("wrote fixtures to", os.path.normpath(OUT))
