#!/usr/bin/env python3
"""The PyTorch side of the GPU benchmark (run.sh): the same models, shapes and measurements as gpubench, in PyTorch.

Models, written again in plain PyTorch (no mmaction2 / pytorchvideo on the device), with toolkit's architecture at
width 1 (their parameter counts are printed and run.sh compares them with toolkit's, row by row):
  i3d-r50       mmaction2 ResNet3d depth 50 (conv1 5x7x7 stride 2x2x2, pool1 temporal stride 2, pool2, 3x1x1
                inflation (1,1,1),(1,0,1,0),(1,0,1,0,1,0),(0,1,0)) + I3DHead   (toolkit Video/ResNet3d.cs)
  slowonly-r50  ResNet3dSlowOnly (conv1 1x7x7, no temporal downsampling, inflation in res4/res5) + I3DHead
  x3d-m         ../trainers/torch_x3d.py build_x3d (mmaction2's X3D-M and X3DHead, checked there against mmaction2)
  mvit-b        pytorchvideo's MViT-B 16x4 (toolkit Transformers/MViT.cs: conv patch embedding, separable
                space-time positions, pooling attention with depthwise 3x3x3 pool convs, [1,2,11,2] blocks)
bf16 is torch.autocast(dtype=torch.bfloat16) over float32 weights, PyTorch's recommended mixed precision (toolkit,
without autocast in TorchSharp 0.107, casts the weights and keeps float32 masters: docs/gpu.md).

usage: peer.py env [--device D] [--out F]
       peer.py model --model M --batch B --precision fp32|bf16 [--layout contiguous|channels_last] [--frames T]
                     [--crop S] [--seconds s] [--warmup n] [--min-iters n] [--classes K] [--device D] [--out F]
       peer.py h2d --batch B [--frames T] [--crop S] [--seconds s] [--device D] [--out F]
One JSON line per measurement to stdout, appended to --out. Needs torch only (Debian's python3-torch 1.13 for the
CPU dry run; the device's PyTorch 2.11 there).
"""
import argparse
import ctypes
import json
import math
import os
import resource
import sys
import threading
import time

import torch
from torch import nn

sys.dont_write_bytecode = True  # no __pycache__ left in the working tree by the import below
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "trainers"))
import torch_x3d  # noqa: E402  (the X3D-M peer the trainer benchmarks already check against mmaction2)


# ---- ResNet3d (I3D-R50, SlowOnly-R50) ----------------------------------------------------------------------------

class ConvUnit(nn.Sequential):
    def __init__(self, cin, cout, kernel, stride, padding, relu):
        layers = [nn.Conv3d(cin, cout, kernel, stride, padding, bias=False), nn.BatchNorm3d(cout)]
        if relu:
            layers.append(nn.ReLU(inplace=True))
        super().__init__(*layers)


class Bottleneck3d(nn.Module):
    def __init__(self, cin, planes, stride, inflate):
        super().__init__()
        self.conv1 = ConvUnit(cin, planes, (3, 1, 1) if inflate else 1, 1, (1, 0, 0) if inflate else 0, True)
        self.conv2 = ConvUnit(planes, planes, (1, 3, 3), (1, stride, stride), (0, 1, 1), True)
        self.conv3 = ConvUnit(planes, planes * 4, 1, 1, 0, False)
        self.downsample = None
        if stride != 1 or cin != planes * 4:
            self.downsample = ConvUnit(cin, planes * 4, 1, (1, stride, stride), 0, False)

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        return torch.relu(self.conv3(self.conv2(self.conv1(x))) + identity)


class ResNet3d(nn.Module):
    def __init__(self, classes, conv1_kt, conv1_st, pool1_st, pool2, inflate):
        super().__init__()
        self.conv1 = ConvUnit(3, 64, (conv1_kt, 7, 7), (conv1_st, 2, 2), ((conv1_kt - 1) // 2, 3, 3), True)
        self.maxpool = nn.MaxPool3d((1, 3, 3), (pool1_st, 2, 2), (0, 1, 1))
        self.pool2 = nn.MaxPool3d((2, 1, 1), (2, 1, 1)) if pool2 else None
        stages, cin = [], 64
        for i, blocks in enumerate((3, 4, 6, 3)):
            planes = 64 << i
            stage = []
            for b in range(blocks):
                stage.append(Bottleneck3d(cin if b == 0 else planes * 4, planes, (1 if i == 0 else 2) if b == 0 else 1,
                                          inflate[i][b % len(inflate[i])] != 0))
            stages.append(nn.Sequential(*stage))
            cin = planes * 4
        self.stages = nn.ModuleList(stages)
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.maxpool(self.conv1(x))
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i == 0 and self.pool2 is not None:
                x = self.pool2(x)
        return self.fc(self.dropout(x.mean((2, 3, 4))))


# ---- MViT-B ----------------------------------------------------------------------------------------------------

class LayerNorm(nn.LayerNorm):
    """LayerNorm in float32 whatever comes in: CUDA autocast's policy for layer_norm, which 1.13's CPU autocast lacks."""

    def forward(self, x):
        return super().forward(x.float())


def round_width(width, multiplier, divisor):
    wd = width * multiplier
    o = max(divisor, int(wd + divisor / 2) // divisor * divisor)
    return o + divisor if o < 0.9 * wd else o


def pool_tokens(tokens, pool, norm, thw):
    b, h, length, d = tokens.shape
    cls, grid = tokens[:, :, :1], tokens[:, :, 1:]
    grid = grid.reshape(b * h, thw[0], thw[1], thw[2], d).permute(0, 4, 1, 2, 3).contiguous()
    pooled = pool(grid)
    out = list(pooled.shape[2:])
    flat = pooled.reshape(b, h, d, -1).transpose(2, 3)
    x = torch.cat([cls, flat], 2)
    return (norm(x) if norm is not None else x), out


class MViTAttention(nn.Module):
    def __init__(self, dim, heads, stride_q, stride_kv):
        super().__init__()
        self.heads, d = heads, dim // heads
        self.scale = d ** -0.5
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)

        def conv(stride):
            return nn.Conv3d(d, d, 3, stride, 1, groups=d, bias=False)
        self.pool_q = conv(stride_q) if stride_q else None
        self.norm_q = LayerNorm(d, eps=1e-6) if stride_q else None
        self.pool_k, self.norm_k = conv(stride_kv), LayerNorm(d, eps=1e-6)
        self.pool_v, self.norm_v = conv(stride_kv), LayerNorm(d, eps=1e-6)

    def forward(self, x, thw):
        b, length, c = x.shape
        t = self.qkv(x).reshape(b, length, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, thw_q = (t[0], thw) if self.pool_q is None else pool_tokens(t[0], self.pool_q, self.norm_q, thw)
        k, _ = pool_tokens(t[1], self.pool_k, self.norm_k, thw)
        v, _ = pool_tokens(t[2], self.pool_v, self.norm_v, thw)
        if torch.is_autocast_enabled() or torch.is_autocast_cpu_enabled():
            # the pooled q/k/v left their layer norms in float32: one dtype for the matmuls (CUDA autocast would cast
            # them itself; 1.13's CPU autocast does not)
            q, k, v = q.bfloat16(), k.bfloat16(), v.bfloat16()
        y = ((q * self.scale) @ k.transpose(-2, -1)).softmax(-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, q.shape[2], c)), thw_q


class DropPath(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        keep = torch.empty((x.shape[0],) + (1,) * (x.dim() - 1), device=x.device, dtype=x.dtype).bernoulli_(1 - self.p)
        return x * keep / (1 - self.p)


class MViTBlock(nn.Module):
    def __init__(self, dim, dim_out, heads, stride_q, stride_kv, drop_path):
        super().__init__()
        self.norm1, self.norm2 = LayerNorm(dim, eps=1e-6), LayerNorm(dim, eps=1e-6)
        self.attn = MViTAttention(dim, heads, stride_q, stride_kv)
        self.drop_path = DropPath(drop_path)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim_out))
        self.proj = nn.Linear(dim, dim_out) if dim != dim_out else None
        self.pool_skip = nn.MaxPool3d((1, 3, 3), stride_q, (0, 1, 1)) if stride_q else None

    def forward(self, x, thw):
        a, thw_out = self.attn(self.norm1(x), thw)
        res = x if self.pool_skip is None else pool_tokens(x.unsqueeze(1), self.pool_skip, None, thw)[0].squeeze(1)
        x = res + self.drop_path(a)
        xn = self.norm2(x)
        m = self.mlp(xn)
        if self.proj is not None:
            x = self.proj(xn)
        return x + self.drop_path(m), thw_out


class MViT(nn.Module):
    def __init__(self, classes, image_size, frames, stages=(1, 2, 11, 2), embed=96, drop_path=0.2):
        super().__init__()
        depth = sum(stages)
        starts, at = set(), 0
        for s in stages[:-1]:
            at += s
            starts.add(at)

        def mul(i):
            return 2.0 if i in starts else 1.0
        self.patch_embed = nn.Conv3d(3, embed, (3, 7, 7), (2, 4, 4), (1, 3, 3))
        grid_t, grid_s = (frames + 2 - 3) // 2 + 1, (image_size + 6 - 7) // 4 + 1
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed))
        self.pos_embed_spatial = nn.Parameter(torch.zeros(1, grid_s * grid_s, embed))
        self.pos_embed_temporal = nn.Parameter(torch.zeros(1, grid_t, embed))
        self.pos_embed_class = nn.Parameter(torch.zeros(1, 1, embed))
        for p in (self.cls_token, self.pos_embed_spatial, self.pos_embed_temporal, self.pos_embed_class):
            nn.init.trunc_normal_(p, std=0.02)
        stride_kv, heads, dim = [1, 8, 8], 1, embed
        blocks = []
        for i in range(depth):
            heads = round_width(heads, mul(i), 1)
            dim = round_width(dim, mul(i), heads)
            dim_out = round_width(dim, mul(i + 1), round_width(heads, mul(i + 1), 1))
            stride_q = [1, 2, 2] if i in starts else None
            if stride_q:
                stride_kv = [max(s // q, 1) for s, q in zip(stride_kv, stride_q)]
            blocks.append(MViTBlock(dim, dim_out, heads, stride_q, list(stride_kv), drop_path * i / max(depth - 1, 1)))
        self.blocks = nn.ModuleList(blocks)
        self.norm = LayerNorm(dim_out, eps=1e-6)
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(dim_out, classes)

    def forward(self, x):
        x = self.patch_embed(x)
        n, _, t, h, w = x.shape
        x = x.flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(n, -1, -1), x], 1)
        pos = self.pos_embed_spatial.repeat(1, t, 1) + self.pos_embed_temporal.repeat_interleave(h * w, 1)
        x = x + torch.cat([self.pos_embed_class, pos], 1)
        thw = [t, h, w]
        for block in self.blocks:
            x, thw = block(x, thw)
        return self.fc(self.dropout(self.norm(x)[:, 0]))


def build(name, classes, frames, crop):
    if name == "i3d-r50":
        return ResNet3d(classes, 5, 2, 2, True, [[1, 1, 1], [1, 0, 1, 0], [1, 0, 1, 0, 1, 0], [0, 1, 0]])
    if name == "slowonly-r50":
        return ResNet3d(classes, 1, 1, 1, False, [[0], [0], [1], [1]])
    if name == "x3d-m":
        return torch_x3d.build_x3d(classes, dropout=0.5)
    if name == "mvit-b":
        return MViT(classes, crop, frames)
    raise SystemExit(f"peer.py: error: --model {name}: not one of i3d-r50, slowonly-r50, x3d-m, mvit-b")


# ---- measurement -----------------------------------------------------------------------------------------------

class Nvml:
    """Device used memory, as gpubench's MemorySampler reads it (libnvidia-ml.so.1)."""

    def __init__(self, index):
        self.handle = None
        try:
            lib = ctypes.CDLL("libnvidia-ml.so.1")
        except OSError:
            return
        handle = ctypes.c_void_p()
        if lib.nvmlInit_v2() == 0 and lib.nvmlDeviceGetHandleByIndex_v2(index, ctypes.byref(handle)) == 0:
            self.lib, self.handle = lib, handle

    def used(self):
        info = (ctypes.c_ulonglong * 3)()
        return info[2] if self.lib.nvmlDeviceGetMemoryInfo(self.handle, info) == 0 else 0


class Sampler:
    """Peak device memory (NVML) or resident set (CPU), sampled every 2 ms on a thread."""

    def __init__(self, device):
        nvml = Nvml(device.index or 0) if device.type == "cuda" else None
        if nvml is not None and nvml.handle is not None:
            self.read, self.source = nvml.used, "nvml"
        else:
            self.read, self.source = rss, "rss"
        self.peak, self.stop = self.read(), False
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.stop:
            self.peak = max(self.peak, self.read())
            time.sleep(0.002)

    def peak_mib(self):
        return round(max(self.peak, self.read()) / 1048576, 1)


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def rate(step, device, warmup, min_iters, seconds):
    for _ in range(warmup):
        step()
    sync(device)
    start, iters = time.perf_counter(), 0
    while iters < min_iters or time.perf_counter() - start < seconds:
        step()
        iters += 1
    sync(device)
    return iters / (time.perf_counter() - start), iters


def emit(row, out):
    line = json.dumps(row, separators=(",", ":"))
    print(line, flush=True)
    if out:
        with open(out, "a") as f:
            f.write(line + "\n")


def device_of(name):
    if name == "cpu":
        return torch.device("cpu")
    if not torch.cuda.is_available():
        raise SystemExit(f"peer.py: error: --device {name}: CUDA is not available to this PyTorch")
    return torch.device(name)


def cmd_env(a):
    device = device_of(a.device)
    x = torch.arange(1, 7, dtype=torch.float32).view(2, 3).to(device)
    row = {"bench": "env", "framework": "pytorch", "torch": torch.__version__, "torch_lib": os.path.join(torch.__path__[0], "lib"),
           "cuda": torch.version.cuda, "cuda_available": torch.cuda.is_available(),
           "cudnn": torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None,
           "check": float((x @ x.t()).sum())}
    if device.type == "cuda":
        row["gpu"] = torch.cuda.get_device_name(device)
    emit(row, a.out)


def cmd_model(a):
    device = device_of(a.device)
    torch.manual_seed(0)
    sampler = Sampler(device)
    model = build(a.model, a.classes, a.frames, a.crop).to(device)
    params = sum(p.numel() for p in model.parameters())
    bf16 = a.precision == "bf16"
    x = torch.randn(a.batch, 3, a.frames, a.crop, a.crop, device=device)
    if a.layout == "channels_last":
        model = model.to(memory_format=torch.channels_last_3d)
        x = x.contiguous(memory_format=torch.channels_last_3d)
    y = torch.randint(0, a.classes, (a.batch,), device=device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)

    def autocast():
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=bf16)

    def test_step():
        with torch.no_grad(), autocast():
            float(model(x).float().sum())

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        with autocast():
            loss = nn.functional.cross_entropy(model(x).float(), y)
        loss.backward()
        optimizer.step()
        float(loss)

    for phase, step in (("test", test_step), ("train", train_step)):
        model.train(phase == "train")
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        r, iters = rate(step, device, a.warmup, a.min_iters, a.seconds)
        row = {"bench": "model", "framework": "pytorch", "model": a.model, "phase": phase, "precision": a.precision,
               "layout": a.layout, "batch": a.batch, "shape": f"{a.batch}x3x{a.frames}x{a.crop}x{a.crop}",
               "device": str(device), "params": params, "it_per_s": round(r, 3), "clips_per_s": round(r * a.batch, 2),
               "iters": iters, "peak_mib": sampler.peak_mib(), "memory_source": sampler.source}
        if device.type == "cuda":
            row["allocator_peak_mib"] = round(torch.cuda.max_memory_allocated(device) / 1048576, 1)
        emit(row, a.out)
    sampler.stop = True


def cmd_h2d(a):
    device = device_of(a.device)
    host = torch.randint(0, 256, (a.batch, 3, a.frames, a.crop, a.crop), dtype=torch.uint8)
    shape = f"{a.batch}x3x{a.frames}x{a.crop}x{a.crop}"
    if device.type != "cuda":
        emit({"bench": "h2d", "framework": "pytorch", "mode": "pin_check", "shape": shape, "device": str(device),
              "skipped": "no CUDA device: host-to-device copies need one"}, a.out)
        return
    pinned = host.pin_memory()
    for mode, copy in (("pageable", lambda: host.to(device)), ("pinned", lambda: pinned.to(device, non_blocking=True)),
                       ("loader", lambda: host.pin_memory().to(device, non_blocking=True))):
        r, iters = rate(copy, device, 2, 5, a.seconds)
        emit({"bench": "h2d", "framework": "pytorch", "mode": mode, "shape": shape, "device": str(device),
              "gb_per_s": round(r * host.numel() / 1e9, 2), "batches_per_s": round(r, 1), "iters": iters}, a.out)


def main(argv):
    p = argparse.ArgumentParser(prog="peer.py")
    p.add_argument("mode", choices=["env", "model", "h2d"])
    p.add_argument("--device", default="cpu")
    p.add_argument("--out")
    p.add_argument("--model", default="x3d-m")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--frames", type=int, default=16)
    p.add_argument("--crop", type=int, default=224)
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    p.add_argument("--layout", choices=["contiguous", "channels_last"], default="contiguous")
    p.add_argument("--seconds", type=float, default=2)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--min-iters", type=int, default=3)
    p.add_argument("--classes", type=int, default=400)
    a = p.parse_args(argv)
    {"env": cmd_env, "model": cmd_model, "h2d": cmd_h2d}[a.mode](a)


if __name__ == "__main__":
    main(sys.argv[1:])
