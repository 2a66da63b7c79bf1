"""The project's U-Net written in PyTorch, for side-by-side timing (`bench compare --network unet`).

The same network as model/.../nn/unet/UNetGraph.java, block by block from the same layout
(UNetLayout.of): conv3x3 in; per level but the last a residual block and a stride-2 conv3x3; the
middle (residual, single-head self-attention if the config has it, residual); back up with nearest
x2 upsampling concatenated with the way down's output and a residual block; GroupNorm -> SiLU ->
conv3x3 out. Residual block: conv1(SiLU(GN1(x))) + Linear(emb) per channel, then
conv2(SiLU(GN2(.))) plus x or its 1x1 projection. Embedding: SiLU(time2(SiLU(time1(sinusoid)))
+ table[label]), frequencies 1000*10000^(-k/half), a table row per class plus the null class.
GroupNorm without eps (ND4J's standardize has none), population variance, as ours. Init as ours
(LeCun normal, zero last conv of every residual branch, of the attention's proj and of the
output). Not project code that runs in the app: a measuring instrument, driven over stdin by the
Java side so both sides run alternately.

A training step is what the project's trainer times (GaussianDiffusion.batch, Trainer.run): draw
the batch (examples of a 256-image set in a per-epoch permutation, label dropout 0.1, eps,
t ~ U[1/T, 1] on DDPM's linear schedule with log alpha-bar interpolated between the T knots,
x_t and the eps or v target), forward, MSE, backward, Adam as ND4J's AdamUpdater with each
tensor's update capped at RMS <= lr (update clipping 1.0), the non-finite-weight check (a sum
per tensor) and the EMA of the weights (decay 0.999 with its warm-up).

Protocol (one command per line on stdin, one answer per line on stdout; a failed command answers
"error MESSAGE"):
  config C1 C2 C3 GROUPS ATTN CLASSES FEATS EMBED TARGET THREADS -> "ready PARAMS"
      (ATTN 0/1, FEATS the sinusoid width, EMBED the embedding width, TARGET eps or v)
  forward B REPS        -> "ms MEDIAN" (batch built inside the timing; two warm-ups)
  train B REPS          -> "ms MEDIAN" (one optimiser step each; two warm-ups)
  weights FILE          -> "loaded N"  (our weights, by our names and ND4J's shapes; every
                                        tensor of the model exactly once)
  output IN OUT         -> "wrote N"   (IN holds x, t, label; OUT gets "out")
  rss                   -> "rss MEGABYTES" (peak resident set)
  quit
Tensor files (PeerTensors.java): per tensor a line "NAME RANK D0 D1 ...", then its values as
little-endian float32.
"""
import math, resource, statistics, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 28  # UNetConfig.SIZE
T = 1000  # DDPM's linear schedule: beta from 1e-4 to 0.02 over T steps


def conv(cin, cout, k, stride=1, zero=False):
    """k x k conv, padding k/2, LeCun normal (std 1/sqrt(k*k*cin)) or zero, zero bias."""
    m = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2)
    if zero:
        nn.init.zeros_(m.weight)
    else:
        nn.init.normal_(m.weight, std=1 / math.sqrt(k * k * cin))
    nn.init.zeros_(m.bias)
    return m


def linear(cin, cout):
    m = nn.Linear(cin, cout)
    nn.init.normal_(m.weight, std=1 / math.sqrt(cin))
    nn.init.zeros_(m.bias)
    return m


def norm(groups, c):
    return nn.GroupNorm(groups, c, eps=0.0)


# Each block lists its tensors as (our name, parameter, kind); the kind says how ND4J stores it:
# conv [k, k, in, out], linear [in, out], scale [1, 1, c, 1] (a depthwise 1x1 conv), vector [c],
# table [rows, E].
def conv_tensors(name, m):
    return [(name + ".w", m.weight, "conv"), (name + ".b", m.bias, "vector")]


def norm_tensors(name, m):
    return [(name + ".scale", m.weight, "scale"), (name + ".shift", m.bias, "vector")]


class Input(nn.Module):
    def __init__(s, name, cout):
        super().__init__()
        s.name, s.conv = name, conv(1, cout, 3)

    def forward(s, h, emb, outputs):
        return s.conv(h)

    def tensors(s):
        return conv_tensors(s.name, s.conv)


class Residual(nn.Module):
    def __init__(s, name, cin, cout, groups, e):
        super().__init__()
        s.name = name
        s.norm1, s.conv1 = norm(groups, cin), conv(cin, cout, 3)
        s.emb = linear(e, cout)
        s.norm2, s.conv2 = norm(groups, cout), conv(cout, cout, 3, zero=True)
        s.skip = conv(cin, cout, 1) if cin != cout else None

    def forward(s, x, emb, outputs):
        h = s.conv1(F.silu(s.norm1(x))) + s.emb(emb)[:, :, None, None]
        h = s.conv2(F.silu(s.norm2(h)))
        return h + (x if s.skip is None else s.skip(x))

    def tensors(s):
        n = s.name
        out = norm_tensors(n + ".norm1", s.norm1) + conv_tensors(n + ".conv1", s.conv1)
        out += [(n + ".emb.w", s.emb.weight, "linear"), (n + ".emb.b", s.emb.bias, "vector")]
        out += norm_tensors(n + ".norm2", s.norm2) + conv_tensors(n + ".conv2", s.conv2)
        return out + (conv_tensors(n + ".skip", s.skip) if s.skip is not None else [])


class Downsample(nn.Module):
    def __init__(s, name, c):
        super().__init__()
        s.name, s.conv = name, conv(c, c, 3, stride=2)

    def forward(s, h, emb, outputs):
        return s.conv(h)

    def tensors(s):
        return conv_tensors(s.name, s.conv)


class Attention(nn.Module):
    """Single-head self-attention over the size^2 positions, plus x."""

    def __init__(s, name, c, groups):
        super().__init__()
        s.name, s.norm = name, norm(groups, c)
        s.q, s.k, s.v = conv(c, c, 1), conv(c, c, 1), conv(c, c, 1)
        s.proj = conv(c, c, 1, zero=True)

    def forward(s, x, emb, outputs):
        b, c, hh, ww = x.shape
        h = s.norm(x)
        q, k, v = (m(h).reshape(b, c, hh * ww) for m in (s.q, s.k, s.v))
        attn = torch.softmax(q.transpose(1, 2) @ k / math.sqrt(c), -1)  # [B, n, n]
        o = v @ attn.transpose(1, 2)  # o_ci = sum_j v_cj attn_ij
        return x + s.proj(o.reshape(b, c, hh, ww))

    def tensors(s):
        out = norm_tensors(s.name + ".norm", s.norm)
        for part in ("q", "k", "v", "proj"):
            out += conv_tensors(s.name + "." + part, getattr(s, part))
        return out


class Upsample(nn.Module):
    def __init__(s, name, skip):
        super().__init__()
        s.name, s.skip = name, skip

    def forward(s, h, emb, outputs):
        return torch.cat([F.interpolate(h, scale_factor=2, mode="nearest"), outputs[s.skip]], 1)

    def tensors(s):
        return []


class Output(nn.Module):
    def __init__(s, name, c, groups):
        super().__init__()
        s.name, s.norm, s.conv = name, norm(groups, c), conv(c, 1, 3, zero=True)

    def forward(s, h, emb, outputs):
        return s.conv(F.silu(s.norm(h)))

    def tensors(s):
        return norm_tensors(s.name + ".norm", s.norm) + conv_tensors(s.name, s.conv)


class UNet(nn.Module):
    def __init__(s, c1, c2, c3, groups, attention, classes, feats, e):
        super().__init__()
        s.feats, s.classes = feats, classes
        s.time1, s.time2 = linear(feats, e), linear(e, e)
        s.table = nn.Embedding(classes + 1, e) if classes > 0 else None
        if s.table is not None:
            nn.init.normal_(s.table.weight, std=0.02)
        s.blocks = nn.ModuleList(layout(c1, c2, c3, groups, attention, e))

    def forward(s, x, t, label):
        half = s.feats // 2
        # frequencies in double, then rounded to float, as Sinusoid.frequency
        freqs = (1000.0 * torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float64) / half)).float()
        phase = t[:, None] * freqs[None]
        emb = s.time2(F.silu(s.time1(torch.cat([phase.sin(), phase.cos()], -1))))
        if s.table is not None:
            emb = emb + s.table(label)
        emb = F.silu(emb)
        outputs, h = {}, x
        for block in s.blocks:
            h = block(h, emb, outputs)
            outputs[block.name] = h
        return h

    def tensors(s):
        out = [("emb.time1.w", s.time1.weight, "linear"), ("emb.time1.b", s.time1.bias, "vector"),
               ("emb.time2.w", s.time2.weight, "linear"), ("emb.time2.b", s.time2.bias, "vector")]
        if s.table is not None:
            out.append(("emb.class", s.table.weight, "table"))
        for block in s.blocks:
            out += block.tensors()
        return out


def layout(c1, c2, c3, groups, attention, e):
    """UNetLayout.of: the blocks in forward order."""
    channels, deepest = [c1, c2, c3], 2
    blocks, sizes, c, size = [Input("in", c1)], [], c1, SIZE
    for level in range(deepest):
        name = "down%d" % (level + 1)
        sizes.append(size)
        blocks.append(Residual(name, c, channels[level], groups, e))
        c = channels[level]
        blocks.append(Downsample(name + ".pool", c))
        size = (size + 2 - 3) // 2 + 1
    blocks.append(Residual("mid1", c, channels[deepest], groups, e))
    c = channels[deepest]
    if attention:
        blocks.append(Attention("mid.attn", c, groups))
    blocks.append(Residual("mid2", c, c, groups, e))
    for level in range(deepest - 1, -1, -1):
        name = "up%d" % (level + 1)
        blocks.append(Upsample(name + ".cat", "down%d" % (level + 1)))
        blocks.append(Residual(name, c + channels[level], channels[level], groups, e))
        c = channels[level]
    blocks.append(Output("out", c, groups))
    return blocks


def nd4j_shape(p, kind):
    """The shape ND4J stores parameter p in, and p's values from such an array."""
    if kind == "conv":
        return (p.shape[2], p.shape[3], p.shape[1], p.shape[0]), lambda a: a.permute(3, 2, 0, 1)
    if kind == "linear":
        return (p.shape[1], p.shape[0]), lambda a: a.t()
    if kind == "scale":
        return (1, 1, p.shape[0], 1), lambda a: a.reshape(-1)
    return tuple(p.shape), lambda a: a


def load_weights(model, values):
    tensors = model.tensors()
    names = [n for n, _, _ in tensors]
    if sorted(names) != sorted(values):
        raise ValueError("names differ: only ours %s, only PyTorch's %s"
                         % (sorted(set(values) - set(names)), sorted(set(names) - set(values))))
    with torch.no_grad():
        for name, p, kind in tensors:
            shape, convert = nd4j_shape(p, kind)
            if tuple(values[name].shape) != shape:
                raise ValueError("%s is %s, PyTorch expects %s" % (name, tuple(values[name].shape), shape))
            p.copy_(convert(values[name]))
    return len(tensors)


def read_tensors(path):
    out = {}
    with open(path, "rb") as f:
        while True:
            header = f.readline()
            if not header:
                return out
            name, rank, *dims = header.decode("utf-8").split()
            shape = tuple(int(d) for d in dims[:int(rank)])
            data = np.frombuffer(f.read(4 * math.prod(shape)), dtype="<f4")
            out[name] = torch.from_numpy(data.astype(np.float32).reshape(shape))


def write_tensors(path, tensors):
    with open(path, "wb") as f:
        for name, a in tensors.items():
            a = a.detach().contiguous()
            f.write(("%s %d %s\n" % (name, a.dim(), " ".join(map(str, a.shape)))).encode("utf-8"))
            f.write(a.numpy().astype("<f4").tobytes())


class Trainer:
    """One step of the project's Trainer on GaussianDiffusion's batches (see the module docstring)."""

    def __init__(s, model, classes, target):
        s.model, s.classes, s.target = model, classes, target
        s.params = list(model.parameters())
        s.m = [torch.zeros_like(p) for p in s.params]
        s.v = [torch.zeros_like(p) for p in s.params]
        s.ema = [p.detach().clone() for p in s.params]
        s.steps = 0
        s.data = s.labels = None
        s.position = 0
        beta = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
        s.knots = torch.cat([torch.zeros(1, dtype=torch.float64), torch.cumsum(torch.log1p(-beta), 0)])

    def batch(s, n):
        if s.data is None or len(s.data) < n:
            size = max(n, 256)  # NetworkBenchmark's set: max(batch, 256) images
            s.data, s.labels = torch.randn(size, 1, SIZE, SIZE), torch.randint(0, max(s.classes, 1), (size,))
            s.order, s.position = torch.randperm(size), 0
        size = len(s.data)
        idx = torch.empty(n, dtype=torch.long)
        for j in range(n):  # example j of the batch: the next position of the per-epoch permutation
            if s.position == size:
                s.order, s.position = torch.randperm(size), 0
            idx[j] = s.order[s.position]
            s.position += 1
        x0, labels = s.data[idx], s.labels[idx]
        labels = torch.where(torch.rand(n) < 0.1, torch.full_like(labels, s.classes), labels)
        eps = torch.randn_like(x0)
        t = 1.0 / T + torch.rand(n, dtype=torch.float64) * (1 - 1.0 / T)
        u = t * T
        j = u.floor().long().clamp(max=T - 1)
        log_ab = s.knots[j] + (u - j) * (s.knots[j + 1] - s.knots[j])
        alpha = torch.exp(0.5 * log_ab).float()[:, None, None, None]
        sigma = torch.sqrt(-torch.expm1(log_ab)).float()[:, None, None, None]
        xt = alpha * x0 + sigma * eps
        target = eps if s.target == "eps" else alpha * eps - sigma * x0
        return xt, t.float(), labels, target

    def step(s, n, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, clip=1.0, decay=0.999):
        xt, t, labels, target = s.batch(n)
        loss = F.mse_loss(s.model(xt, t, labels), target)
        for p in s.params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            s.steps += 1
            alpha_t = lr * math.sqrt(1 - b2 ** s.steps) / (1 - b1 ** s.steps)  # ND4J's AdamUpdater
            for p, m, v in zip(s.params, s.m, s.v):
                g = p.grad
                m.mul_(b1).add_(g, alpha=1 - b1)
                v.mul_(b2).addcmul_(g, g, value=1 - b2)
                update = m / (v.sqrt() + eps) * alpha_t
                rms = update.norm().item() / math.sqrt(update.numel())
                if rms > clip * lr:
                    update.mul_(clip * lr / rms)
                p.sub_(update)
            for p in s.params:
                if not math.isfinite(p.sum().item()):
                    raise ArithmeticError("a weight became NaN/Inf")
            d = min(decay, (1.0 + s.steps) / (10.0 + s.steps))
            for shadow, p in zip(s.ema, s.params):
                shadow.mul_(d).add_(p, alpha=1 - d)
        return loss.item()


def timed(reps, work):
    times = []
    for _ in range(reps + 2):  # the first two are warm-ups, as NetworkBenchmark's
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[2:])


def forward(model, classes, n):
    x = torch.randn(n, 1, SIZE, SIZE)
    label = torch.randint(0, classes + 1, (n,))
    with torch.inference_mode():
        model(x, torch.full((n,), 0.5), label)


def answer(cmd, state):
    if cmd[0] == "config":
        c1, c2, c3, groups, attn, classes, feats, e = map(int, cmd[1:9])
        target, threads = cmd[9], int(cmd[10])
        if target not in ("eps", "v"):
            raise ValueError("TARGET must be eps or v, got " + target)
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        state["model"] = UNet(c1, c2, c3, groups, attn == 1, classes, feats, e)
        state["classes"] = classes
        state["trainer"] = Trainer(state["model"], classes, target)
        return "ready %d" % sum(p.numel() for p in state["model"].parameters())
    model, classes = state.get("model"), state.get("classes")
    if model is None and cmd[0] != "rss":
        raise ValueError("send config first")
    if cmd[0] == "forward":
        n = int(cmd[1])
        return "ms %s" % timed(int(cmd[2]), lambda: forward(model, classes, n))
    if cmd[0] == "train":
        n = int(cmd[1])
        return "ms %s" % timed(int(cmd[2]), lambda: state["trainer"].step(n))
    if cmd[0] == "weights":
        return "loaded %d" % load_weights(model, read_tensors(cmd[1]))
    if cmd[0] == "output":
        inputs = read_tensors(cmd[1])
        with torch.inference_mode():
            out = model(inputs["x"], inputs["t"], inputs["label"].long())
        write_tensors(cmd[2], {"out": out})
        return "wrote %d" % out.numel()
    if cmd[0] == "rss":
        return "rss %d" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    raise ValueError("unknown command " + cmd[0])


def main():
    state = {}
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "quit":
            break
        try:
            reply = answer(cmd, state)
        except Exception as e:  # the Java side reports the line and stops
            reply = "error %s: %s" % (type(e).__name__, " ".join(str(e).split()))
        print(reply, flush=True)


if __name__ == "__main__":
    main()
