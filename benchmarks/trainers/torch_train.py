#!/usr/bin/env python3
"""The PyTorch peer of `Toolkit.Benchmarks.Trainers loop` (issue 21): the video-classifier's training loop, step for
step, written with PyTorch (Debian's python3-torch 1.13) on the same network (torch_x3d.py: toolkit's x3d-m, checked
key for key and number for number against toolkit's own).

One training step, as ClassifierTraining.RunAsync does it:
  every group's lr set (linear warm-up over the first epoch, then cosine; the values do not change the cost)
  optimizer.zero_grad(); logits = model(x); loss = cross_entropy(logits, y); loss.backward()
  total = clip_grad_norm_(params, 40) read back (the plugin checks it is finite); optimizer.step()
  loss.item(); top-1 read back
AdamW (betas 0.9/0.999, eps 1e-8, wd 0.01 on conv and linear weights, 0 on norms and biases: the adamw-30e preset and
toolkit's ParameterGroups), PyTorch's default single-tensor implementation (1.13 has no fused CPU AdamW).

Data:
  memory      DISTINCT fixed random batches (N x 3 x T x S x S, seeded) cycled; no data loading.
  rawframes   the demo's rawframes (./demo.sh) in a DataLoader with configs/demo.json's pipeline: SampleFrames(clip_len
              T, frame_interval 4, one clip at a random offset, looping short videos), cv2.imdecode of each JPEG (mmcv's
              'cv2' backend) -> RGB, RandomRescale(short side uniform in [round(256 S/224), round(320 S/224)]), RandomCrop(S),
              Normalize(ImageNet mean/std), NCTHW float32; batch N, shuffled, num_workers WORKERS (one torch and one
              OpenCV thread each), persistent, prefetch 2. The list is repeated until it holds WARMUP + STEPS batches.

Timing: a timestamp after every step (after its host reads); it/s = STEPS / (time of the last step - time of the
WARMUP-th). Memory: VmHWM of this process when the last step ends (and of each DataLoader worker, apart).
Prints one JSON object.

usage: torch_train.py memory    WIDTH DEPTH BATCH FRAMES CROP WARMUP STEPS THREADS [DISTINCT]
       torch_train.py rawframes WIDTH DEPTH BATCH FRAMES CROP WARMUP STEPS THREADS DEMO_OUTPUT [WORKERS]
"""
import json
import math
import os
import random
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_x3d import build_x3d  # noqa: E402

CLASSES = 4
MEAN = (123.675, 116.28, 103.53)
STD = (58.395, 57.12, 57.375)


def proc_kib(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def mib(kib):
    return round(kib / 1024, 1)


def blas_library():
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return sorted(paths)


def parameter_groups(model):
    """toolkit's ParameterGroups without a backbone split: norms, biases and vectors get no weight decay."""
    norms = set()
    for module in model.modules():
        if isinstance(module, (nn.BatchNorm3d, nn.LayerNorm)):
            norms.update(id(p) for p in module.parameters())
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if id(p) in norms or p.dim() < 2 or name.endswith(".bias") else decay).append(p)
    return [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}]


def learning_rate(step, per_epoch, epochs=30, base=0.01):
    """Linear warm-up over the first epoch, then cosine to 0 over EPOCHS (per iteration, as toolkit's schedule)."""
    t = step / per_epoch
    if t < 1:
        return base * (0.1 + 0.9 * t)
    return base * 0.5 * (1 + math.cos(math.pi * (t - 1) / (epochs - 1)))


class RawframeClips(torch.utils.data.Dataset):
    def __init__(self, demo_output, frames, crop, repeat):
        import numpy as np  # only this mode needs numpy and OpenCV
        self.np = np
        self.root = os.path.join(demo_output, "rawframes")
        with open(os.path.join(demo_output, "lists", "dataset_train_list_rawframes.txt")) as f:
            items = [line.split() for line in f if line.strip()]
        self.items = [(d, int(n), int(label)) for d, n, label in items] * repeat
        self.frames, self.crop = frames, crop
        self.short = (round(256 * crop / 224), round(320 * crop / 224))
        self.mean = np.array(MEAN, dtype=np.float32)
        self.std = np.array(STD, dtype=np.float32)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        import cv2
        np = self.np
        folder, total, label = self.items[index]
        span = (self.frames - 1) * 4 + 1
        offset = random.randint(0, max(total - span, 0))
        indices = [(offset + 4 * i) % total for i in range(self.frames)]
        short = random.randint(*self.short)
        images = []
        for i in indices:
            data = np.fromfile(os.path.join(self.root, folder, f"img_{i + 1:05d}.jpg"), dtype=np.uint8)
            images.append(cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB))
        h, w = images[0].shape[:2]
        size = (short, int(w * short / h + 0.5)) if h < w else (int(h * short / w + 0.5), short)
        top = random.randint(0, size[0] - self.crop)
        left = random.randint(0, size[1] - self.crop)
        clip = np.stack([cv2.resize(img, (size[1], size[0]), interpolation=cv2.INTER_LINEAR)[top:top + self.crop, left:left + self.crop]
                         for img in images]).astype(np.float32)
        clip = (clip - self.mean) / self.std
        return torch.from_numpy(np.ascontiguousarray(clip.transpose(3, 0, 1, 2))), label


def worker_init(_):
    import cv2
    torch.set_num_threads(1)
    cv2.setNumThreads(1)


def main(argv):
    mode = argv[1]
    width, depth = float(argv[2]), float(argv[3])
    batch, frames, crop, warmup, steps, threads = (int(a) for a in argv[4:10])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    random.seed(0)
    rss_start = proc_kib("self", "VmRSS")
    model = build_x3d(CLASSES, width, depth)
    model.train()
    optimizer = torch.optim.AdamW(parameter_groups(model), lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    params = list(model.parameters())
    rss_built = proc_kib("self", "VmRSS")
    total = warmup + steps
    loader = None
    if mode == "memory":
        generator = torch.Generator().manual_seed(1)
        distinct = int(argv[10]) if len(argv) > 10 else 4
        batches = [(torch.randn(batch, 3, frames, crop, crop, generator=generator),
                    torch.randint(CLASSES, (batch,), generator=generator)) for _ in range(distinct)]
        source = (batches[i % distinct] for i in range(total))
    elif mode == "rawframes":
        workers = int(argv[11]) if len(argv) > 11 else 2
        one = RawframeClips(argv[10], frames, crop, 1)
        repeat = math.ceil(total * batch / len(one))
        dataset = RawframeClips(argv[10], frames, crop, repeat)
        loader = torch.utils.data.DataLoader(dataset, batch_size=batch, shuffle=True, num_workers=workers,
                                             persistent_workers=True, prefetch_factor=2, worker_init_fn=worker_init,
                                             drop_last=True, generator=torch.Generator().manual_seed(0))
        source = iter(loader)
    else:
        raise SystemExit(f"unknown mode {mode}")

    stamps = []
    losses = []
    for step in range(total):
        x, y = next(source)
        lr = learning_rate(step, max(total // 3, 1))
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad()
        logits = model(x)
        loss = nn.functional.cross_entropy(logits, y)
        loss.backward()
        norm = float(nn.utils.clip_grad_norm_(params, 40.0))
        if not math.isfinite(norm):
            raise SystemExit(f"gradient norm {norm} at step {step}")
        optimizer.step()
        losses.append(loss.item())
        _ = (logits.detach().argmax(1) == y).double().mean().item()
        stamps.append(time.perf_counter())
    peak = proc_kib("self", "VmHWM")
    workers_peak = []
    if loader is not None:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as f:
                workers_peak += [mib(proc_kib(pid, "VmHWM")) for pid in f.read().split()]
    print(json.dumps({
        "side": "pytorch", "mode": mode, "torch": torch.__version__, "threads": torch.get_num_threads(),
        "blas": blas_library(), "params": sum(p.numel() for p in params),
        "steps": steps, "warmup": warmup, "it_per_s": steps / (stamps[-1] - stamps[warmup - 1]),
        "rss_start_mib": mib(rss_start), "rss_built_mib": mib(rss_built), "peak_rss_mib": mib(peak),
        "workers_peak_rss_mib": workers_peak, "first_loss": losses[0], "last_loss": losses[-1],
    }))


if __name__ == "__main__":
    main(sys.argv)
