#!/usr/bin/env python3
"""PyTorch eager reference for the distillation-step benchmark of issue 13.

The same optimizer step as `anatomist-cli distill` with the hidden-state term on: a frozen teacher
(stories15m shape: hidden 288, 6 layers, 6 heads, MLP 768, vocab 32000, untied head) runs forward
under no_grad; a student with one layer fewer runs forward and backward on
alpha*CE + beta*T^2*KL(p_t || p_s) + gamma*mean_i(1 - cos(h_s^i, h_t^map(i))), then gradient
clipping at 1.0 and AdamW. Prints the median tokens/s over the timed steps.

Usage: benchmarks/distill_step_pytorch.py [--threads N] [--batch B] [--seq T] [--steps N]
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from train_step_pytorch import Llama


def forward_layers(model, ids):
    """Logits and every layer's output (the taps anatomist reads)."""
    T = ids.shape[1]
    hd = model.hd
    inv = 1.0 / (10000 ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
    ang = torch.outer(torch.arange(T, dtype=torch.float64), inv).float()
    cos, sin = torch.cat((ang.cos(), ang.cos()), -1), torch.cat((ang.sin(), ang.sin()), -1)
    mask = torch.full((T, T), torch.finfo(torch.float32).min).triu(1)
    x = model.embed_tokens(ids)
    outs = []
    for layer in model.layers:
        x = layer(x, cos, sin, mask)
        outs.append(x)
    return model.lm_head(model.norm(x)), outs


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--steps", type=int, default=6)
    p.add_argument("--warmup", type=int, default=2)
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    teacher = Llama(32000, 288, 6, 6, 768, "eager")
    student = Llama(32000, 288, 5, 6, 768, "eager")
    for model in (teacher, student):
        for prm in model.parameters():
            if prm.dim() >= 2:
                nn.init.normal_(prm, std=0.02)
    for prm in teacher.parameters():
        prm.requires_grad_(False)
    layer_map = [0, 1, 2, 3, 5]  # student layer i -> teacher layer (layer 4 removed)
    decay = [q for q in student.parameters() if q.dim() >= 2]
    rest = [q for q in student.parameters() if q.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": rest, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.95))
    alpha, beta, gamma, T = 0.5, 0.5, 0.5, 2.0
    ids = torch.randint(0, 32000, (a.batch, a.seq + 1))
    rates = []
    for step in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        x, y = ids[:, :-1], ids[:, 1:].reshape(-1)
        with torch.no_grad():
            t_logits, t_outs = forward_layers(teacher, x)
        s_logits, s_outs = forward_layers(student, x)
        s_logits, t_logits = s_logits.reshape(-1, 32000), t_logits.reshape(-1, 32000)
        ce = F.cross_entropy(s_logits, y)
        log_s, log_t = F.log_softmax(s_logits / T, -1), F.log_softmax(t_logits / T, -1)
        kl = T * T * (log_t.exp() * (log_t - log_s)).sum(-1).mean()
        hidden = sum((1 - F.cosine_similarity(h, t_outs[m], dim=-1)).mean()
                     for h, m in zip(s_outs, layer_map)) / len(s_outs)
        loss = alpha * ce + beta * kl + gamma * hidden
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        dt = time.perf_counter() - t0
        if step >= a.warmup:
            rates.append(a.batch * a.seq / dt)
    print(f"pytorch {torch.__version__} threads {torch.get_num_threads()}: distillation step "
          f"median {statistics.median(rates):.0f} tokens/s over {a.steps} steps "
          f"(batch {a.batch} x seq {a.seq}; min {min(rates):.0f}, max {max(rates):.0f})")


if __name__ == "__main__":
    main()
