"""PyTorch reference values for the encoder-decoder layers: Luong/Bahdanau cross-attention and
pre-norm transformer decoder blocks (torch.nn.TransformerDecoderLayer(norm_first=True)).

Run with Debian's python and torch (not a virtualenv):
    /usr/bin/python3 dsl/src/test/python/seq2seq_reference.py
Writes plain-text fixtures into dsl/src/test/resources/reference/ (read by the Java tests through
org.seqlab.testing.TorchFixture). Everything in float64, batch first, torch layouts (Linear weights
[out, in]); the Java tests convert to seqlab's layouts. Gradients are of sum(out * R) for a fixed
random R that is zero at padded target positions.

Cross-attention has no torch module: it is written out below from the equations (Luong et al. 2015
eq. 5-8; the additive score of Bahdanau et al. 2015), and autograd supplies the gradients, so the
Java layer's hand-derived backward pass is compared with an independent implementation.
"""
import os

import torch

from fixture_io import write_fixture

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "reference")


def padding_mask(lengths, time):
    """[B, T] float mask: 1 for real steps, 0 for padding on the right."""
    return torch.tensor([[1.0 if t < n else 0.0 for t in range(time)] for n in lengths], dtype=torch.float64)


def cross_attention_case(name, score, seed, batch, tq, s, dq, dm, att, q_lengths, m_lengths):
    torch.manual_seed(seed)
    q = (torch.rand(batch, tq, dq, dtype=torch.float64) * 2 - 1).requires_grad_()
    m = (torch.rand(batch, s, dm, dtype=torch.float64) * 2 - 1).requires_grad_()
    q_mask, m_mask = padding_mask(q_lengths, tq), padding_mask(m_lengths, s)
    params = {}

    def param(pname, *shape):
        p = ((torch.rand(*shape, dtype=torch.float64) - 0.5)).requires_grad_()
        params[pname] = p
        return p

    if score == "dot":
        e = q @ m.transpose(1, 2)
    elif score == "general":
        w_a = param("W_a", dq, dm)
        e = (q @ w_a) @ m.transpose(1, 2)
    else:
        w_q, w_k, b, v = param("W_q", dq, att), param("W_k", dm, att), param("b", att), param("v", att)
        z = torch.tanh((q @ w_q).unsqueeze(2) + (m @ w_k + b).unsqueeze(1))  # [B, Tq, S, A]
        e = z @ v
    e = e.masked_fill(m_mask.unsqueeze(1) == 0, float("-inf"))
    a = torch.softmax(e, dim=-1)
    c = a @ m
    w_c, b_c = param("W_c", dm + dq, dq), param("b_c", dq)
    out = torch.tanh(torch.cat([c, q], dim=-1) @ w_c + b_c) * q_mask.unsqueeze(-1)
    r = (torch.rand(batch, tq, dq, dtype=torch.float64) - 0.5) * q_mask.unsqueeze(-1)
    (out * r).sum().backward()
    arrays = {"q": q, "m": m, "q_mask": q_mask, "m_mask": m_mask, "R": r, "out": out,
              "weights": a * q_mask.unsqueeze(-1), "grad_q": q.grad, "grad_m": m.grad}
    for pname, p in params.items():
        arrays[pname] = p
        arrays["grad_" + pname] = p.grad
    write_fixture(os.path.join(OUT, name + ".txt"), arrays)


def mha_cross_case(name, seed, batch, t, s, width, heads, t_lengths, m_lengths):
    """torch.nn.MultiheadAttention(query=x, key=value=memory) with padded memory steps."""
    torch.manual_seed(seed)
    mha = torch.nn.MultiheadAttention(width, heads, batch_first=True).double()
    with torch.no_grad():
        mha.in_proj_bias.uniform_(-0.5, 0.5)
        mha.out_proj.bias.uniform_(-0.5, 0.5)
    x = (torch.rand(batch, t, width, dtype=torch.float64) * 2 - 1).requires_grad_()
    m = (torch.rand(batch, s, width, dtype=torch.float64) * 2 - 1).requires_grad_()
    t_mask, m_mask = padding_mask(t_lengths, t), padding_mask(m_lengths, s)
    out, _ = mha(x, m, m, key_padding_mask=m_mask == 0, need_weights=False)
    out = out * t_mask.unsqueeze(-1)
    with torch.no_grad():
        _, weights = mha(x, m, m, key_padding_mask=m_mask == 0, need_weights=True, average_attn_weights=False)
    r = (torch.rand(batch, t, width, dtype=torch.float64) - 0.5) * t_mask.unsqueeze(-1)
    (out * r).sum().backward()
    write_fixture(os.path.join(OUT, name + ".txt"), {
        "x": x, "memory": m, "t_mask": t_mask, "m_mask": m_mask, "R": r, "out": out,
        "weights": weights * t_mask.view(batch, 1, t, 1),
        "in_proj_weight": mha.in_proj_weight, "in_proj_bias": mha.in_proj_bias,
        "out_proj_weight": mha.out_proj.weight, "out_proj_bias": mha.out_proj.bias,
        "grad_x": x.grad, "grad_memory": m.grad, "grad_in_proj_weight": mha.in_proj_weight.grad,
        "grad_in_proj_bias": mha.in_proj_bias.grad, "grad_out_proj_weight": mha.out_proj.weight.grad,
        "grad_out_proj_bias": mha.out_proj.bias.grad,
    })


def decoder_layer_case(name, seed, batch, t, s, width, heads, ffn, activation, t_lengths, m_lengths, blocks=1):
    torch.manual_seed(seed)
    layers = [torch.nn.TransformerDecoderLayer(width, heads, dim_feedforward=ffn, dropout=0.0, activation=activation,
                                               batch_first=True, norm_first=True).double() for _ in range(blocks)]
    final_norm = torch.nn.LayerNorm(width).double() if blocks > 1 else None
    with torch.no_grad():  # torch starts biases at 0 and norms at 1/0; random values test their gradients too
        for layer in layers:
            for mha in (layer.self_attn, layer.multihead_attn):
                mha.in_proj_bias.uniform_(-0.5, 0.5)
                mha.out_proj.bias.uniform_(-0.5, 0.5)
            for norm in (layer.norm1, layer.norm2, layer.norm3):
                norm.weight.uniform_(0.5, 1.5)
                norm.bias.uniform_(-0.5, 0.5)
        if final_norm is not None:
            final_norm.weight.uniform_(0.5, 1.5)
            final_norm.bias.uniform_(-0.5, 0.5)
    x = (torch.rand(batch, t, width, dtype=torch.float64) * 2 - 1).requires_grad_()
    m = (torch.rand(batch, s, width, dtype=torch.float64) * 2 - 1).requires_grad_()
    t_mask, m_mask = padding_mask(t_lengths, t), padding_mask(m_lengths, s)
    causal = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    y = x
    for layer in layers:
        y = layer(y, m, tgt_mask=causal, tgt_key_padding_mask=t_mask == 0, memory_key_padding_mask=m_mask == 0)
    if final_norm is not None:
        y = final_norm(y)
    r = (torch.rand(batch, t, width, dtype=torch.float64) - 0.5) * t_mask.unsqueeze(-1)
    (y * r).sum().backward()
    arrays = {"x": x, "memory": m, "t_mask": t_mask, "m_mask": m_mask, "R": r, "out": y * t_mask.unsqueeze(-1),
              "grad_x": x.grad, "grad_memory": m.grad}
    named = [(f"block_{i + 1}.", layer) for i, layer in enumerate(layers)]
    if final_norm is not None:
        named.append(("norm.", final_norm))
    for prefix, module in named:
        for pname, p in module.named_parameters():
            arrays[prefix + pname] = p
            arrays["grad_" + prefix + pname] = p.grad
    write_fixture(os.path.join(OUT, name + ".txt"), arrays)


if __name__ == "__main__":
    cross_attention_case("cross_attention_dot", "dot", 21, 2, 4, 5, 6, 6, 0, [4, 2], [5, 3])
    cross_attention_case("cross_attention_general", "general", 22, 2, 4, 5, 6, 8, 0, [3, 4], [2, 5])
    cross_attention_case("cross_attention_additive", "additive", 23, 2, 4, 5, 6, 8, 7, [4, 3], [5, 2])
    mha_cross_case("mha_cross_padded", 24, 2, 4, 5, 6, 3, [4, 2], [5, 3])
    decoder_layer_case("transformer_decoder_block_relu", 31, 2, 5, 4, 8, 2, 16, "relu", [5, 3], [4, 2])
    decoder_layer_case("transformer_decoder_block_gelu", 32, 2, 4, 6, 8, 4, 12, "gelu", [3, 4], [6, 3])
    decoder_layer_case("transformer_decoder_stack_gelu", 33, 2, 4, 5, 8, 2, 16, "gelu", [4, 2], [5, 4], blocks=2)
