"""The project's DDiT written in PyTorch, for side-by-side timing (`bench compare`).

The same architecture as model/.../nn/transformer/DDiTLayout.java: token embedding, rotary
positions on q and k (RoFormer, "rotate half" pairs); time embedding SiLU(fc2(SiLU(fc1(sinusoid(t))))) with frequencies 1000*10000^(-k/half);
pre-LN blocks without LayerNorm affine, adaLN-Zero modulation (shift, scale, gate for attention
and MLP), fused qkv without bias, GELU (tanh form), and a final adaLN + linear layer to V+1 logits;
the masked-diffusion bound (MDLM) as the loss, Adam. Not project code that runs in the app: a
measuring instrument, driven over stdin by the Java side so both sides run alternately.

Protocol (one command per line on stdin, one answer per line on stdout):
  config V L D H LAYERS MLP COND FEATS THREADS   -> "ready PARAMS"
  forward B REPS                                 -> "ms MEDIAN"
  train B REPS                                   -> "ms MEDIAN"
  rss                                            -> "rss MEGABYTES" (peak resident set)
  quit
"""
import math, resource, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def rotate(x):
    """RoFormer (Su et al. 2021, eq. 34) on x [B, H, L, dh]: pairs (e, e + dh/2) by angle i*10000^(-2e/dh)."""
    l, dh = x.shape[-2], x.shape[-1]
    half = dh // 2
    angle = torch.arange(l)[:, None] * torch.pow(10000.0, -2.0 * torch.arange(half) / dh)[None]
    c, s = angle.cos(), angle.sin()
    a, b = x[..., :half], x[..., half:]
    return torch.cat([a * c - b * s, a * s + b * c], -1)


class Block(nn.Module):
    def __init__(s, d, heads, hidden, cond):
        super().__init__()
        s.heads = heads
        s.ada = nn.Linear(cond, 6 * d)
        s.qkv = nn.Linear(d, 3 * d, bias=False)
        s.out = nn.Linear(d, d, bias=False)
        s.fc = nn.Linear(d, hidden)
        s.proj = nn.Linear(hidden, d)
        nn.init.zeros_(s.ada.weight); nn.init.zeros_(s.ada.bias)

    def forward(s, h, c):
        b, l, d = h.shape
        sa, ca, ga, sm, cm, gm = s.ada(c)[:, None, :].chunk(6, -1)
        x = F.layer_norm(h, (d,)) * (1 + ca) + sa
        q, k, v = s.qkv(x).view(b, l, 3, s.heads, d // s.heads).permute(2, 0, 3, 1, 4)
        q, k = rotate(q), rotate(k)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // s.heads), -1) @ v
        h = h + ga * s.out(att.transpose(1, 2).reshape(b, l, d))
        x = F.layer_norm(h, (d,)) * (1 + cm) + sm
        return h + gm * s.proj(F.gelu(s.fc(x), approximate="tanh"))


class DDiT(nn.Module):
    def __init__(s, v, l, d, heads, layers, mlp, cond, feats):
        super().__init__()
        s.feats = feats
        s.tokens = nn.Embedding(v + 1, d)
        s.fc1 = nn.Linear(feats, cond)
        s.fc2 = nn.Linear(cond, cond)
        s.blocks = nn.ModuleList([Block(d, heads, mlp * d, cond) for _ in range(layers)])
        s.final_ada = nn.Linear(cond, 2 * d)
        s.linear = nn.Linear(d, v + 1)
        for m in (s.final_ada, s.linear):
            nn.init.zeros_(m.weight); nn.init.zeros_(m.bias)

    def forward(s, tokens, t):
        half = s.feats // 2
        freqs = 1000.0 * torch.exp(-math.log(10000.0) * torch.arange(half) / half)
        phase = t[:, None] * freqs[None]
        c = F.silu(s.fc2(F.silu(s.fc1(torch.cat([phase.sin(), phase.cos()], -1)))))
        h = s.tokens(tokens)
        for blk in s.blocks:
            h = blk(h, c)
        shift, scale = s.final_ada(c)[:, None, :].chunk(2, -1)
        return s.linear(F.layer_norm(h, (h.shape[-1],)) * (1 + scale) + shift)


def batch(n, v, l):
    x0 = torch.randint(0, v, (n, l))
    t = 1e-3 + (1 - 1e-3) * (torch.arange(n) + torch.rand(n)) / n
    masked = torch.rand(n, l) < t[:, None]
    return torch.where(masked, torch.full_like(x0, v), x0), t, x0, masked


def main():
    model = opt = None
    v = l = 0
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "quit":
            break
        if cmd[0] == "config":
            v, l, d, heads, layers, mlp, cond, feats, threads = map(int, cmd[1:])
            torch.set_num_threads(threads)
            torch.manual_seed(0)
            model = DDiT(v, l, d, heads, layers, mlp, cond, feats)
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            print("ready", sum(p.numel() for p in model.parameters()), flush=True)
        elif cmd[0] in ("forward", "train"):
            n, reps = int(cmd[1]), int(cmd[2])
            times = []
            for _ in range(reps + 1):  # the first is a warm-up
                start = time.perf_counter()
                xt, t, x0, masked = batch(n, v, l)
                if cmd[0] == "forward":
                    with torch.no_grad():
                        model(xt, t)
                else:
                    logits = model(xt, t)[..., :v]
                    ce = F.cross_entropy(logits.reshape(-1, v), x0.reshape(-1), reduction="none").view(n, l)
                    loss = ((ce * masked).sum(1) / t).sum() / (n * l)
                    opt.zero_grad(set_to_none=True)
                    loss.backward()
                    opt.step()
                times.append((time.perf_counter() - start) * 1000)
            print("ms", statistics.median(times[1:]), flush=True)
        elif cmd[0] == "rss":
            print("rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, flush=True)


if __name__ == "__main__":
    main()
