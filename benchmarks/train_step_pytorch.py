#!/usr/bin/env python3
"""PyTorch eager reference for the training-step benchmark of issue 7.

The same step as `anatomist-cli train` on a stories15m-shaped Llama (hidden 288, 6 layers, 6 heads,
MLP 768, vocab 32000, untied head): forward, masked cross-entropy, backward, gradient clipping at
1.0, AdamW with weight decay on matrices only. Prints the median tokens/s over the timed steps.

Usage: benchmarks/train_step_pytorch.py [--threads N] [--batch B] [--seq T] [--steps N]
       [--attention eager|sdpa]
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat((-b, a), dim=-1)


class Block(nn.Module):
    def __init__(self, d, heads, inter, attention):
        super().__init__()
        self.heads, self.hd, self.attention = heads, d // heads, attention
        self.input_layernorm, self.post_attention_layernorm = RMSNorm(d), RMSNorm(d)
        self.q_proj, self.k_proj = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)
        self.v_proj, self.o_proj = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)
        self.gate_proj, self.up_proj = nn.Linear(d, inter, bias=False), nn.Linear(d, inter, bias=False)
        self.down_proj = nn.Linear(inter, d, bias=False)

    def forward(self, x, cos, sin, mask):
        B, T, D = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(B, T, self.heads, self.hd).transpose(1, 2)
        k = self.k_proj(h).view(B, T, self.heads, self.hd).transpose(1, 2)
        v = self.v_proj(h).view(B, T, self.heads, self.hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        if self.attention == "sdpa":
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:  # as Hugging Face's eager_attention_forward: additive mask, float32 softmax
            s = q @ k.transpose(-1, -2) / math.sqrt(self.hd) + mask
            a = torch.softmax(s, -1) @ v
        x = x + self.o_proj(a.transpose(1, 2).reshape(B, T, D))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Llama(nn.Module):
    def __init__(self, vocab, d, layers, heads, inter, attention):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(Block(d, heads, inter, attention) for _ in range(layers))
        self.norm = RMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.hd = d // heads

    def forward(self, ids):
        T = ids.shape[1]
        inv = 1.0 / (10000 ** (torch.arange(0, self.hd, 2, dtype=torch.float64) / self.hd))
        ang = torch.outer(torch.arange(T, dtype=torch.float64), inv).float()
        cos, sin = torch.cat((ang.cos(), ang.cos()), -1), torch.cat((ang.sin(), ang.sin()), -1)
        mask = torch.full((T, T), torch.finfo(torch.float32).min).triu(1)
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return self.lm_head(self.norm(x))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--steps", type=int, default=6)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--attention", choices=["eager", "sdpa"], default="eager")
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Llama(32000, 288, 6, 6, 768, a.attention)
    for prm in model.parameters():
        if prm.dim() >= 2:
            nn.init.normal_(prm, std=0.02)
    decay = [q for q in model.parameters() if q.dim() >= 2]
    rest = [q for q in model.parameters() if q.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": rest, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.95))
    ids = torch.randint(0, 32000, (a.batch, a.seq + 1))
    rates = []
    for step in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        logits = model(ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, 32000), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        dt = time.perf_counter() - t0
        if step >= a.warmup:
            rates.append(a.batch * a.seq / dt)
    print(f"pytorch {torch.__version__} threads {torch.get_num_threads()} attention {a.attention}: "
          f"median {statistics.median(rates):.0f} tokens/s over {a.steps} steps "
          f"(batch {a.batch} x seq {a.seq}; min {min(rates):.0f}, max {max(rates):.0f})")


if __name__ == "__main__":
    main()
