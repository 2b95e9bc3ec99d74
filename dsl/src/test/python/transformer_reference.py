"""PyTorch reference values for positional encodings and pre-norm transformer blocks.

Run with Debian's python and torch (not a virtualenv):
    /usr/bin/python3 dsl/src/test/python/transformer_reference.py
Writes plain-text fixtures into dsl/src/test/resources/reference/, read by the Java tests through
org.seqlab.testing.TorchFixture. Everything is computed in float64. Layouts are PyTorch's (batch
first, Linear weights [out, in]); the Java tests convert them to seqlab's layouts. Gradients are of
sum(out * R) for a fixed random R (zero at padded positions).

The blocks are torch.nn.TransformerEncoderLayer(norm_first=True), the stack is
torch.nn.TransformerEncoder(layer, num_layers, norm=LayerNorm), dropout 0. The sinusoidal table is
the formula of Vaswani et al. (2017), section 3.5, computed here independently of the Java code.
"""
import math
import os

import torch

from fixture_io import write_fixture

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "reference")


def padding_mask(lengths, time):
    """[B, T] float mask: 1 for real steps, 0 for padding on the right."""
    return torch.tensor([[1.0 if t < n else 0.0 for t in range(time)] for n in lengths], dtype=torch.float64)


def randomize(layer):
    """Weights away from torch's initialisation, so every path (biases, layer-norm scales) is exercised."""
    with torch.no_grad():
        for name, p in layer.named_parameters():
            if "norm" in name and name.endswith("weight"):
                p.uniform_(0.5, 1.5)
            else:
                p.uniform_(-0.5, 0.5)


def block_arrays(prefix, layer):
    """The parameters of one TransformerEncoderLayer and their gradients, under seqlab-like names."""
    parts = {
        "in_proj_weight": layer.self_attn.in_proj_weight, "in_proj_bias": layer.self_attn.in_proj_bias,
        "out_proj_weight": layer.self_attn.out_proj.weight, "out_proj_bias": layer.self_attn.out_proj.bias,
        "linear1_weight": layer.linear1.weight, "linear1_bias": layer.linear1.bias,
        "linear2_weight": layer.linear2.weight, "linear2_bias": layer.linear2.bias,
        "norm1_weight": layer.norm1.weight, "norm1_bias": layer.norm1.bias,
        "norm2_weight": layer.norm2.weight, "norm2_bias": layer.norm2.bias,
    }
    arrays = {}
    for name, p in parts.items():
        arrays[prefix + name] = p
    for name, p in parts.items():
        arrays[prefix + "grad_" + name] = p.grad
    return arrays


def encoder_case(name, seed, batch, time, width, heads, ffn, activation, causal, lengths, blocks):
    """blocks == 0: one TransformerEncoderLayer alone; else TransformerEncoder(blocks, final LayerNorm)."""
    torch.manual_seed(seed)
    layer = torch.nn.TransformerEncoderLayer(width, heads, dim_feedforward=ffn, dropout=0.0, activation=activation,
                                             batch_first=True, norm_first=True).double()
    if blocks == 0:
        model, layers, norm = layer, [layer], None
    else:
        model = torch.nn.TransformerEncoder(layer, blocks, norm=torch.nn.LayerNorm(width).double(),
                                            enable_nested_tensor=False)
        layers, norm = list(model.layers), model.norm
    for l in layers:
        randomize(l)
    if norm is not None:
        with torch.no_grad():
            norm.weight.uniform_(0.5, 1.5)
            norm.bias.uniform_(-0.5, 0.5)
    x = (torch.rand(batch, time, width, dtype=torch.float64) * 2 - 1).requires_grad_()
    mask = padding_mask(lengths, time)
    kpm = mask == 0  # True = padded key
    src_mask = torch.triu(torch.ones(time, time, dtype=torch.bool), diagonal=1) if causal else None
    r = (torch.rand(batch, time, width, dtype=torch.float64) - 0.5) * mask.unsqueeze(-1)
    out = model(x, src_mask, kpm) if blocks == 0 else model(x, mask=src_mask, src_key_padding_mask=kpm)
    (out * r).sum().backward()
    arrays = {"x": x, "mask": mask, "R": r, "out": out, "grad_x": x.grad}
    for i, l in enumerate(layers):
        arrays.update(block_arrays("l%d_" % i, l))
    if norm is not None:
        arrays.update({"norm_weight": norm.weight, "norm_bias": norm.bias,
                       "grad_norm_weight": norm.weight.grad, "grad_norm_bias": norm.bias.grad})
    write_fixture(os.path.join(OUT, name + ".txt"), arrays)


def sinusoids(rows, width):
    """P[t, 2i] = sin(t / 10000^(2i/D)), P[t, 2i+1] = cos(t / 10000^(2i/D))."""
    p = torch.zeros(rows, width, dtype=torch.float64)
    for t in range(rows):
        for i in range(0, width, 2):
            angle = t / math.pow(10000.0, i / width)
            p[t, i] = math.sin(angle)
            if i + 1 < width:
                p[t, i + 1] = math.cos(angle)
    return p


def positional_case():
    write_fixture(os.path.join(OUT, "positional.txt"), {"sinusoid_even": sinusoids(50, 16), "sinusoid_odd": sinusoids(9, 7)})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    encoder_case("transformer_block_causal_gelu", 31, batch=2, time=5, width=8, heads=2, ffn=12, activation="gelu",
                 causal=True, lengths=[5, 3], blocks=0)
    encoder_case("transformer_block_full_relu", 32, batch=3, time=4, width=6, heads=3, ffn=10, activation="relu",
                 causal=False, lengths=[4, 2, 1], blocks=0)
    encoder_case("transformer_stack_causal_gelu", 33, batch=2, time=4, width=8, heads=4, ffn=16, activation="gelu",
                 causal=True, lengths=[4, 3], blocks=2)
    positional_case()
    print("wrote fixtures to", os.path.normpath(OUT))
